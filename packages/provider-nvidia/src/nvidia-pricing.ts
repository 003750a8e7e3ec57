import type { PricingTable } from '@modelplex/core'

/**
 * No prices: NVIDIA's hosted API catalog (build.nvidia.com) is free for prototyping under the
 * NVIDIA Developer Program, rate limited rather than billed per token, and a self-hosted NIM is
 * paid for by its hardware and licence, not per call. NVIDIA publishes no USD per-token price,
 * so calls have no `cost` (absent, not zero); pass `pricing` to add your own. Read on 2026-11-21.
 */
export const nvidiaPricing: PricingTable = {
  source: 'https://build.nvidia.com/',
  readAt: '2026-11-21',
  models: {},
}
