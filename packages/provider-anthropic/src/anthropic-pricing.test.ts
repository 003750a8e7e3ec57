import { computeCost, findPrice } from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import { anthropicPricing } from './anthropic-pricing.js'

describe('anthropicPricing', () => {
  it('names its source and the date it was read', () => {
    expect(anthropicPricing.source).toBe('https://platform.claude.com/docs/en/about-claude/pricing')
    expect(anthropicPricing.readAt).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(anthropicPricing.free).toBeUndefined()
  })

  it('prices every listed model with cache reads below input and 5-minute writes at 1.25× input', () => {
    for (const [model, price] of Object.entries(anthropicPricing.models)) {
      expect(price.output, model).toBeGreaterThan(price.input)
      expect(price.cachedInput, model).toBeLessThan(price.input)
      expect(price.cacheWrite, model).toBeCloseTo(price.input * 1.25, 10)
      expect(price.cacheWrite1h, model).toBeCloseTo(price.input * 2, 10)
    }
  })

  it('resolves dated snapshots to their model, and leaves Haiku 5.5 (two price bands) unpriced', () => {
    expect(findPrice(anthropicPricing, 'claude-haiku-4-5-20251001')).toBe(
      anthropicPricing.models['claude-haiku-4-5'],
    )
    expect(findPrice(anthropicPricing, 'claude-sonnet-4-5-20250929')).toBe(
      anthropicPricing.models['claude-sonnet-4-5'],
    )
    expect(findPrice(anthropicPricing, 'claude-opus-5-5')).toEqual({
      input: 4,
      output: 20,
      cachedInput: 0.2,
      cacheWrite: 5,
      cacheWrite1h: 8,
    })
    expect(findPrice(anthropicPricing, 'claude-haiku-5-5')).toBeUndefined()
  })

  it('bills uncached input, cache reads and cache writes each at their rate', () => {
    const cost = computeCost(anthropicPricing, 'claude-sonnet-4-6', {
      inputTokens: 3_000_000,
      outputTokens: 1_000_000,
      totalTokens: 4_000_000,
      cachedInputTokens: 1_000_000,
      cacheWriteInputTokens: 1_000_000,
    })
    expect(cost).toEqual({ input: 3 + 0.3 + 3.75, output: 15, total: 22.05, currency: 'USD' })
  })

  it('bills 1-hour cache writes at 2× input and the rest of the writes at 1.25×', () => {
    const cost = computeCost(anthropicPricing, 'claude-haiku-4-5', {
      inputTokens: 4_000_000,
      outputTokens: 0,
      totalTokens: 4_000_000,
      cachedInputTokens: 1_000_000,
      cacheWriteInputTokens: 2_000_000,
      cacheWrite1hInputTokens: 1_000_000,
    })
    // 1M uncached at $1, 1M reads at $0.10, 1M 5-minute writes at $1.25, 1M 1-hour writes at $2.
    expect(cost?.input).toBeCloseTo(1 + 0.1 + 1.25 + 2, 10)
  })
})
