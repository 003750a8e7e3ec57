import type { PricingTable } from '@modelplex/core'

/**
 * Claude list prices on the Claude API, USD per million tokens: base input, output, cache reads
 * (`cachedInput`), 5-minute cache writes (`cacheWrite`, 1.25× input) and 1-hour cache writes
 * (`cacheWrite1h`, 2× input, per the pricing page's prompt-caching table). Read on 2026-11-21 from Anthropic's pricing page and the per-model
 * pages (platform.claude.com/docs/en/models/<model>/overview). Dated snapshots
 * (`claude-haiku-4-5-20251001`) resolve to their model through core's prefix match.
 *
 * Left out on purpose: Claude Haiku 5.5, priced in two bands by prompt length (≤ 100k / > 100k
 * tokens), which one flat price cannot express, so its cost is absent rather than wrong; and the
 * limited-availability Mythos models.
 */
export const anthropicPricing: PricingTable = {
  source: 'https://platform.claude.com/docs/en/about-claude/pricing',
  readAt: '2026-11-21',
  models: {
    // Fable 5.2 (released 2026-11-09): $8 / $40, cache writes $10, cache reads $0.20.
    'claude-fable-5-2': { input: 8, output: 40, cachedInput: 0.2, cacheWrite: 10, cacheWrite1h: 16 },
    'claude-fable-5-1': { input: 10, output: 50, cachedInput: 0.25, cacheWrite: 12.5, cacheWrite1h: 20 },
    'claude-fable-5': { input: 10, output: 50, cachedInput: 1, cacheWrite: 12.5, cacheWrite1h: 20 },
    'claude-opus-5-5': { input: 4, output: 20, cachedInput: 0.2, cacheWrite: 5, cacheWrite1h: 8 },
    'claude-opus-5': { input: 5, output: 25, cachedInput: 0.5, cacheWrite: 6.25, cacheWrite1h: 10 },
    'claude-opus-4-8': { input: 5, output: 25, cachedInput: 0.5, cacheWrite: 6.25, cacheWrite1h: 10 },
    'claude-opus-4-7': { input: 5, output: 25, cachedInput: 0.5, cacheWrite: 6.25, cacheWrite1h: 10 },
    'claude-opus-4-6': { input: 5, output: 25, cachedInput: 0.5, cacheWrite: 6.25, cacheWrite1h: 10 },
    'claude-opus-4-5': { input: 5, output: 25, cachedInput: 0.5, cacheWrite: 6.25, cacheWrite1h: 10 },
    // Sonnet 5.5 cache reads were cut from $0.20 to $0.10 (0.05× input) on 2026-10-07.
    'claude-sonnet-5-5': { input: 2, output: 10, cachedInput: 0.1, cacheWrite: 2.5, cacheWrite1h: 4 },
    'claude-sonnet-5': { input: 2, output: 10, cachedInput: 0.2, cacheWrite: 2.5, cacheWrite1h: 4 },
    'claude-sonnet-4-6': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75, cacheWrite1h: 6 },
    // Sonnet 4.5's 1M-context beta bills prompts over 200k tokens higher; this is the standard rate.
    'claude-sonnet-4-5': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75, cacheWrite1h: 6 },
    'claude-haiku-4-5': { input: 1, output: 5, cachedInput: 0.1, cacheWrite: 1.25, cacheWrite1h: 2 },
  },
}
