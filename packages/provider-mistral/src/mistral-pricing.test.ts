import { computeCost, findPrice } from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import spec from './index.js'
import { mistralPricing } from './mistral-pricing.js'

describe('mistralPricing', () => {
  it('names its source and the date it was read', () => {
    expect(mistralPricing.source).toMatch(/^https:\/\/docs\.mistral\.ai\//)
    expect(mistralPricing.readAt).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(mistralPricing.free).toBeUndefined()
    expect(spec.pricing).toBe(mistralPricing)
  })

  it('prices both default models', () => {
    expect(findPrice(mistralPricing, spec.defaultModel)).toBeDefined()
    expect(findPrice(mistralPricing, spec.defaultEmbeddingModel!)).toBeDefined()
  })

  it('bills cached input at 10% of input, as Mistral documents', () => {
    for (const [model, price] of Object.entries(mistralPricing.models)) {
      if (price.cachedInput === undefined) continue
      expect(price.cachedInput, model).toBeCloseTo(price.input / 10, 10)
    }
  })

  it('prices a dated model and its alias alike', () => {
    expect(mistralPricing.models['mistral-small-latest']).toEqual(mistralPricing.models['mistral-small-2603'])
    expect(mistralPricing.models['mistral-medium-latest']).toEqual(
      mistralPricing.models['mistral-medium-2604'],
    )
  })

  it('computes a cost with cached tokens', () => {
    const cost = computeCost(mistralPricing, 'mistral-small-latest', {
      inputTokens: 1_000_000,
      outputTokens: 1_000_000,
      totalTokens: 2_000_000,
      cachedInputTokens: 500_000,
    })
    // 500k × $0.15/M + 500k × $0.015/M; 1M × $0.60/M
    expect(cost).toEqual({ input: 0.0825, output: 0.6, total: 0.6825, currency: 'USD' })
  })

  it('leaves an unpriced model without cost', () => {
    const usage = { inputTokens: 10, outputTokens: 10, totalTokens: 20 }
    expect(computeCost(mistralPricing, 'open-mistral-nemo', usage)).toBeUndefined()
  })
})
