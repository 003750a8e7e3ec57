import type { PricingTable } from '@modelplex/core'

/**
 * DeepSeek list prices, USD per million tokens, read on 2026-11-21 from api-docs.deepseek.com.
 * DeepSeek bills input by context-cache hit (`cachedInput`) or miss (`input`). The table holds
 * the peak rates (weekdays 01:00-04:00 and 06:00-10:00 UTC); off-peak rates are half of them,
 * so off-peak calls cost less than reported. Pass `pricing` with the off-peak rates to change it.
 */
export const deepSeekPricing: PricingTable = {
  source: 'https://api-docs.deepseek.com/quick_start/pricing',
  readAt: '2026-11-21',
  models: {
    'deepseek-flash': { input: 0.3, cachedInput: 0.006, output: 1.2 },
    // The retired V4 Flash name is still accepted, served by deepseek-flash and billed at its price.
    'deepseek-v4-flash': { input: 0.3, cachedInput: 0.006, output: 1.2 },
    'deepseek-v4-pro': { input: 1.32, cachedInput: 0.044, output: 3.96 },
  },
}
