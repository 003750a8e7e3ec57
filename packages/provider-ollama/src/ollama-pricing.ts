import type { PricingTable } from '@modelplex/core'

/**
 * Ollama runs models on your own hardware: no per-token price, so every cost is 0. Ollama Cloud
 * (ollama.com) is billed as a subscription by GPU time, not per token, which no token table can
 * express; its cost is reported as 0 too. Read on 2026-11-21.
 */
export const ollamaPricing: PricingTable = {
  source: 'https://ollama.com/pricing',
  readAt: '2026-11-21',
  free: true,
  models: {},
}
