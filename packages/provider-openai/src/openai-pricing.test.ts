import { computeCost, findPrice } from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import { openAIPricing } from './openai-pricing.js'

describe('openAIPricing', () => {
  it('names its source and the date it was read', () => {
    expect(openAIPricing.source).toBe('https://openai.com/api/pricing/')
    expect(openAIPricing.readAt).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(openAIPricing.free).toBeUndefined()
  })

  it('prices the current chat and embedding models, cached input below input', () => {
    const chat = [
      'gpt-5',
      'gpt-5-mini',
      'gpt-5-nano',
      'gpt-4.1',
      'gpt-4.1-mini',
      'gpt-4.1-nano',
      'gpt-4o',
      'gpt-4o-mini',
      'o1',
      'o3',
      'o4-mini',
    ]
    for (const model of chat) {
      const price = openAIPricing.models[model]
      expect(price, model).toBeDefined()
      expect(price!.output, model).toBeGreaterThan(price!.input)
      expect(price!.cachedInput, model).toBeLessThan(price!.input)
    }
    for (const model of ['text-embedding-3-small', 'text-embedding-3-large', 'text-embedding-ada-002']) {
      expect(openAIPricing.models[model]?.input, model).toBeGreaterThan(0)
    }
  })

  it('resolves dated snapshots to their model, not to a shorter prefix', () => {
    expect(findPrice(openAIPricing, 'gpt-4o-mini-2024-07-18')).toBe(openAIPricing.models['gpt-4o-mini'])
    expect(findPrice(openAIPricing, 'gpt-4.1-nano-2025-04-14')).toBe(openAIPricing.models['gpt-4.1-nano'])
    expect(findPrice(openAIPricing, 'gpt-unknown')).toBeUndefined()
  })

  it('bills cached input at the cached rate', () => {
    const cost = computeCost(openAIPricing, 'gpt-4o', {
      inputTokens: 2_000_000,
      outputTokens: 1_000_000,
      totalTokens: 3_000_000,
      cachedInputTokens: 1_000_000,
    })
    expect(cost).toEqual({ input: 2.5 + 1.25, output: 10, total: 13.75, currency: 'USD' })
  })
})
