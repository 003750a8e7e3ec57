import type { PricingTable } from '@modelplex/core'

/**
 * No prices of its own: OpenRouter reports the charge of every call in `usage.cost` (credits,
 * 1 credit = 1 USD; https://openrouter.ai/docs/use-cases/usage-accounting), which modelplex
 * reports as `cost`. Its per-model prices change with the provider it routes to, so a table
 * would only guess. Pass `pricing` to estimate a call whose response carries no cost.
 * The default model alone is listed, as the estimate for a response without `usage.cost`: its
 * price, cache reads included, as https://openrouter.ai/openai/gpt-4o-mini lists it (OpenAI's own).
 */
export const openRouterPricing: PricingTable = {
  source: 'https://openrouter.ai/docs/use-cases/usage-accounting',
  readAt: '2026-11-21',
  models: {
    'openai/gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  },
}
