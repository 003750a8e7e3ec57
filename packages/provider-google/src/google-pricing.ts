import type { ModelPrice, PricingTable } from '@modelplex/core'

/**
 * Gemini 3.6, 3.7 and 3.8 Flash are sold at an introductory price until 2026-12-31; Google's page
 * lists the price that applies from 2027-01-01 beside it. The table picks the one in force when it
 * is loaded (a process running across the date keeps the old one until restarted).
 */
const REGULAR_FLASH_FROM = Date.UTC(2027, 0, 1)
const flash38: ModelPrice =
  Date.now() < REGULAR_FLASH_FROM
    ? { input: 0.75, cachedInput: 0.075, output: 3.75 }
    : { input: 1.5, cachedInput: 0.15, output: 7.5 }

/**
 * Gemini Developer API prices, paid tier, Standard, USD per million tokens, for prompts up to 200k
 * tokens and text/image/video input (audio input and longer Pro prompts cost more and are not
 * modelled). Output includes thinking tokens, as Google bills them. `cachedInput` is the context
 * caching price (cache storage per hour is not a token price and is left out). Read on 2026-11-21
 * from Google's pricing page. Models without a published price in every column leave that column
 * out: `gemini-3.5-flash-lite` has no caching price here, so its cached tokens cost the input rate.
 */
export const googlePricing: PricingTable = {
  source: 'https://ai.google.dev/gemini-api/docs/pricing',
  readAt: '2026-11-21',
  models: {
    'gemini-3.8-flash': flash38,
    'gemini-3.7-flash': flash38,
    'gemini-3.6-flash': flash38,
    'gemini-3.5-flash': { input: 1.5, cachedInput: 0.15, output: 9 },
    'gemini-3.5-flash-lite': { input: 0.3, output: 2.5 },
    'gemini-3.1-pro-preview': { input: 2, cachedInput: 0.2, output: 12 },
    'gemini-3-flash-preview': { input: 0.5, cachedInput: 0.05, output: 3 },
    'gemini-2.5-pro': { input: 1.25, cachedInput: 0.125, output: 10 },
    'gemini-2.5-flash': { input: 0.3, cachedInput: 0.03, output: 2.5 },
    'gemini-2.5-flash-lite': { input: 0.1, cachedInput: 0.01, output: 0.4 },
    'gemini-embedding-001': { input: 0.15, output: 0 },
    // Text input; image, audio and video inputs of this multimodal model cost more.
    'gemini-embedding-2': { input: 0.2, output: 0 },
  },
}
