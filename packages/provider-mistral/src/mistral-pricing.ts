import type { PricingTable } from '@modelplex/core'

/**
 * Mistral list prices in USD per million tokens (pay-as-you-go, not batch).
 *
 * Cached input is 10% of the input price: Mistral's prompt-caching page states "cached prompt tokens
 * are billed at 10% of the standard input token price" and reports them in
 * `usage.prompt_tokens_details.cached_tokens`.
 *
 * mistral.ai/pricing itself could not be fetched when this table was built; each price below comes
 * from a record that cites Mistral's own pages (docs.mistral.ai/inference/pricing and the model
 * cards under docs.mistral.ai/models, accessed 2026-08-27 to 2026-09-29). Models whose price could
 * not be traced to Mistral are left out, so their cost is absent rather than guessed.
 */
export const mistralPricing: PricingTable = {
  source: 'https://docs.mistral.ai/inference/pricing',
  readAt: '2026-11-21',
  models: {
    // Mistral Small 4 (mistral-small-2603); the alias price was read 2026-09-29.
    'mistral-small-latest': { input: 0.15, output: 0.6, cachedInput: 0.015 },
    'mistral-small-2603': { input: 0.15, output: 0.6, cachedInput: 0.015 },
    // Mistral Medium 3.5 (mistral-medium-2604), model card read 2026-08-27.
    'mistral-medium-latest': { input: 1.5, output: 7.5, cachedInput: 0.15 },
    'mistral-medium-2604': { input: 1.5, output: 7.5, cachedInput: 0.15 },
    // Mistral Large 3 (mistral-large-2512).
    'mistral-large-latest': { input: 0.5, output: 1.5, cachedInput: 0.05 },
    'mistral-large-2512': { input: 0.5, output: 1.5, cachedInput: 0.05 },
    // Ministral 3 family, model cards and pricing page read 2026-08-27.
    'ministral-3b-2512': { input: 0.1, output: 0.1, cachedInput: 0.01 },
    'ministral-8b-2512': { input: 0.15, output: 0.15, cachedInput: 0.015 },
    'ministral-14b-2512': { input: 0.2, output: 0.2, cachedInput: 0.02 },
    // Codestral 25.08; codestral-latest resolves to it.
    'codestral-latest': { input: 0.3, output: 0.9, cachedInput: 0.03 },
    'codestral-2508': { input: 0.3, output: 0.9, cachedInput: 0.03 },
    // Embeddings are billed on input only.
    'mistral-embed': { input: 0.1, output: 0 },
    'mistral-embed-2312': { input: 0.1, output: 0 },
  },
}
