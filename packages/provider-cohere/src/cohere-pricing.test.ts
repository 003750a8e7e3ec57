import { computeCost, findPrice } from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import { coherePricing } from './cohere-pricing.js'
import spec from './index.js'

const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000, totalTokens: 2_000_000 }

describe('coherePricing', () => {
  it('names its source and the date it was read', () => {
    expect(coherePricing.source).toBe('https://cohere.com/pricing')
    expect(coherePricing.readAt).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(spec.pricing).toBe(coherePricing)
  })

  it('prices the default chat and embedding models', () => {
    expect(computeCost(coherePricing, spec.defaultModel, usage)).toEqual({
      input: 2.5,
      output: 10,
      total: 12.5,
      currency: 'USD',
    })
    expect(computeCost(coherePricing, spec.defaultEmbeddingModel!, usage)?.input).toBe(0.12)
  })

  it('has positive prices in USD per million tokens', () => {
    for (const [model, price] of Object.entries(coherePricing.models)) {
      expect(price.input, model).toBeGreaterThan(0)
      expect(price.input, model).toBeLessThan(100)
      expect(price.output, model).toBeGreaterThanOrEqual(0)
    }
  })

  it('leaves a model without a per-token price unpriced: no cost, not zero', () => {
    expect(findPrice(coherePricing, 'command-a-plus-05-2026')).toBeUndefined()
    expect(computeCost(coherePricing, 'command-a-vision-07-2025', usage)).toBeUndefined()
    // `command-r` is an alias of command-r-03-2024, priced differently from command-r-08-2024.
    expect(findPrice(coherePricing, 'command-r')).toBeUndefined()
  })
})
