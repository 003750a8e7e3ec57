import type { PricingTable } from '@modelplex/core'

/**
 * Together AI serverless prices, USD per million tokens, read on 2026-11-21. together.ai/pricing
 * itself could not be fetched when the table was built: each price is one that at least two
 * records citing Together's catalog agree on. Models whose recorded prices disagree
 * (`deepseek-ai/DeepSeek-V3`, `Qwen/Qwen2.5-72B-Instruct-Turbo`) or that only one record prices
 * (`openai/gpt-oss-120b`, every embedding model) are left out, so their calls carry no `cost`
 * until you pass `pricing`.
 * Cache reads (`cachedInput`): the records of Together's page give no cached-input rate for these
 * serverless models, so a cached token (`cached_tokens`) is priced as any input token.
 */
export const togetherPricing: PricingTable = {
  source: 'https://www.together.ai/pricing',
  readAt: '2026-11-21',
  models: {
    'meta-llama/Llama-3.3-70B-Instruct-Turbo': { input: 0.88, cachedInput: 0.88, output: 0.88 },
    'meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo': { input: 0.18, cachedInput: 0.18, output: 0.18 },
    'meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo': { input: 0.88, cachedInput: 0.88, output: 0.88 },
    'meta-llama/Meta-Llama-3.1-405B-Instruct-Turbo': { input: 3.5, cachedInput: 3.5, output: 3.5 },
    'deepseek-ai/DeepSeek-R1': { input: 3, cachedInput: 3, output: 7 },
    'Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8': { input: 2, cachedInput: 2, output: 2 },
    'moonshotai/Kimi-K2-Instruct-0905': { input: 1, cachedInput: 1, output: 3 },
  },
}
