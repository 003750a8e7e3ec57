import type { PricingTable } from '@modelplex/core'

/**
 * Cohere list prices for the pay-as-you-go API (production key), USD per million tokens, as
 * cohere.com/pricing publishes them, read on 2026-11-21 through dated captures of that page (it
 * could not be fetched directly): Command R and Command R7B from its Generative cards, Embed 4
 * (text input) from its Embed card, Command A and Command R+ 08-2024 from its per-token table.
 * Command A+, Command A Vision, Command A Reasoning and Command A Translate have no per-token
 * price (Model Vault or sales), so they have no `cost`. Ids are exact: core's prefix match does
 * not reach across Cohere's `-MM-YYYY` suffixes.
 *
 * cohere.com/pricing lists no cached-input rate: the API reports `usage.cached_tokens` but bills
 * them as ordinary input, so `cachedInput` is the input price (no discount), and there is no
 * cache-write charge.
 */
export const coherePricing: PricingTable = {
  source: 'https://cohere.com/pricing',
  readAt: '2026-11-21',
  models: {
    'command-a-03-2025': { input: 2.5, output: 10, cachedInput: 2.5 },
    'command-r-plus-08-2024': { input: 2.5, output: 10, cachedInput: 2.5 },
    'command-r-08-2024': { input: 0.15, output: 0.6, cachedInput: 0.15 },
    'command-r7b-12-2024': { input: 0.0375, output: 0.15, cachedInput: 0.0375 },
    'embed-v4.0': { input: 0.12, output: 0 },
  },
}

/** Context windows in tokens, from each model's page on docs.cohere.com. */
export const cohereContextWindows: Record<string, number> = {
  'command-a-03-2025': 256_000,
  'command-a-reasoning-08-2025': 256_000,
  'command-a-plus-05-2026': 128_000,
  'command-a-vision-07-2025': 128_000,
  'command-r7b-12-2024': 128_000,
  'command-r-08-2024': 128_000,
  'command-r-plus-08-2024': 128_000,
}
