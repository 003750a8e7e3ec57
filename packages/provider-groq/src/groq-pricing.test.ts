import { computeCost, findPrice } from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import { groqPricing } from './groq-pricing.js'
import spec from './index.js'

describe('groqPricing', () => {
  it('names its source and the date it was read', () => {
    expect(groqPricing.source).toBe('https://groq.com/pricing/')
    expect(groqPricing.readAt).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(groqPricing.free).toBeUndefined()
    expect(spec.pricing).toBe(groqPricing)
  })

  it('prices the default model, output dearer than input', () => {
    const price = findPrice(groqPricing, spec.defaultModel)
    // Llama models are outside Groq's prompt caching: a cached token is billed as input.
    expect(price).toEqual({ input: 0.59, cachedInput: 0.59, output: 0.79 })
    for (const [model, entry] of Object.entries(groqPricing.models)) {
      expect(entry.output, model).toBeGreaterThan(entry.input)
    }
  })

  it('leaves unpriced models without cost instead of guessing', () => {
    expect(findPrice(groqPricing, 'openai/gpt-oss-120b')).toBeUndefined()
    expect(
      computeCost(groqPricing, 'openai/gpt-oss-120b', { inputTokens: 10, outputTokens: 10, totalTokens: 20 }),
    ).toBeUndefined()
  })

  it('computes a call on llama-3.1-8b-instant per million tokens', () => {
    const cost = computeCost(groqPricing, 'llama-3.1-8b-instant', {
      inputTokens: 2_000_000,
      outputTokens: 1_000_000,
      totalTokens: 3_000_000,
    })
    expect(cost).toEqual({ input: 0.1, output: 0.08, total: 0.18, currency: 'USD' })
  })
})
