import { computeCost } from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import { xaiPricing } from './xai-pricing.js'

describe('xaiPricing', () => {
  it('names docs.x.ai and the date it was read', () => {
    expect(xaiPricing.source).toBe('https://docs.x.ai/docs/models')
    expect(xaiPricing.readAt).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(xaiPricing.free).toBeUndefined()
  })

  it('prices grok-4.3 with its cached-input rate', () => {
    const cost = computeCost(xaiPricing, 'grok-4.3', {
      inputTokens: 2_000_000,
      outputTokens: 1_000_000,
      totalTokens: 3_000_000,
      cachedInputTokens: 1_000_000,
    })
    expect(cost).toEqual({ input: 1.25 + 0.2, output: 2.5, total: 3.95, currency: 'USD' })
  })

  it('leaves models it could not price out: their cost comes from xAI only', () => {
    expect(
      computeCost(xaiPricing, 'grok-4.7', { inputTokens: 1, outputTokens: 1, totalTokens: 2 }),
    ).toBeUndefined()
  })
})
