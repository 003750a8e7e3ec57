import { computeCost, findPrice } from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import spec from './index.js'
import { togetherPricing } from './together-pricing.js'

describe('togetherPricing', () => {
  it('names its source and the date it was read', () => {
    expect(togetherPricing.source).toBe('https://www.together.ai/pricing')
    expect(togetherPricing.readAt).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(spec.pricing).toBe(togetherPricing)
  })

  it('prices the default chat model', () => {
    expect(findPrice(togetherPricing, spec.defaultModel)).toEqual({
      input: 0.88,
      cachedInput: 0.88,
      output: 0.88,
    })
    for (const [model, entry] of Object.entries(togetherPricing.models)) {
      expect(entry.input, model).toBeGreaterThan(0)
      expect(entry.output, model).toBeGreaterThanOrEqual(entry.input)
    }
  })

  it('leaves the embedding model unpriced instead of guessing', () => {
    expect(findPrice(togetherPricing, spec.defaultEmbeddingModel!)).toBeUndefined()
  })

  it('computes a DeepSeek-R1 call per million tokens', () => {
    const cost = computeCost(togetherPricing, 'deepseek-ai/DeepSeek-R1', {
      inputTokens: 1_000_000,
      outputTokens: 500_000,
      totalTokens: 1_500_000,
    })
    expect(cost).toEqual({ input: 3, output: 3.5, total: 6.5, currency: 'USD' })
  })
})
