import type { PricingTable } from '@modelplex/core'

/**
 * xAI list prices, USD per million tokens, for prompts under 200K tokens (xAI charges more above
 * that). Read on 2026-11-21 from the model page on docs.x.ai. Only an estimate: xAI reports the
 * exact charge of every call in `usage.cost_in_usd_ticks`, which modelplex reports as `cost`.
 * Grok models whose price was not on docs.x.ai are left out; their cost still comes from xAI.
 */
export const xaiPricing: PricingTable = {
  source: 'https://docs.x.ai/docs/models',
  readAt: '2026-11-21',
  models: {
    'grok-4.3': { input: 1.25, cachedInput: 0.2, output: 2.5 },
  },
}
