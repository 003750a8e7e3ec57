import type { PricingTable } from '@modelplex/core'

/**
 * No prices of its own: OpenRouter reports the charge of every call in `usage.cost` (credits,
 * 1 credit = 1 USD; https://openrouter.ai/docs/use-cases/usage-accounting), which modelplex
 * reports as `cost`. Its per-model prices change with the provider it routes to, so a table
 * would only guess. Pass `pricing` to estimate a call whose response carries no cost.
 */
export const openRouterPricing: PricingTable = {
  source: 'https://openrouter.ai/docs/use-cases/usage-accounting',
  readAt: '2026-11-21',
  models: {},
}
