import type { PricingTable } from '@modelplex/core'

/**
 * Groq on-demand prices, USD per million tokens, read on 2026-11-21. groq.com/pricing itself
 * could not be fetched when the table was built: each price is one that at least two records
 * citing that page agree on. Models whose recorded prices disagree (`openai/gpt-oss-120b`,
 * `openai/gpt-oss-20b`) or that only one record prices (`qwen/qwen3-32b`) are left out, so their
 * calls carry no `cost` until you pass `pricing`.
 * Cache reads (`cachedInput`): Groq halves the price of cached input only on the models its prompt
 * caching covers (https://console.groq.com/docs/prompt-caching: Kimi K2 and gpt-oss); the Llama
 * models below are not among them, so a cached token costs what any input token does.
 */
export const groqPricing: PricingTable = {
  source: 'https://groq.com/pricing/',
  readAt: '2026-11-21',
  models: {
    'llama-3.3-70b-versatile': { input: 0.59, cachedInput: 0.59, output: 0.79 },
    'llama-3.1-8b-instant': { input: 0.05, cachedInput: 0.05, output: 0.08 },
    'meta-llama/llama-4-scout-17b-16e-instruct': { input: 0.11, cachedInput: 0.11, output: 0.34 },
    'meta-llama/llama-4-maverick-17b-128e-instruct': { input: 0.2, cachedInput: 0.2, output: 0.6 },
  },
}
