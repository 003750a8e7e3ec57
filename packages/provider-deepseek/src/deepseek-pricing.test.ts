import { computeCost } from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import { deepSeekPricing } from './deepseek-pricing.js'

describe('deepSeekPricing', () => {
  it('names the DeepSeek pricing page and the date it was read', () => {
    expect(deepSeekPricing.source).toBe('https://api-docs.deepseek.com/quick_start/pricing')
    expect(deepSeekPricing.readAt).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  })

  it('prices both models, cache hits far below misses', () => {
    for (const model of ['deepseek-flash', 'deepseek-v4-pro']) {
      const price = deepSeekPricing.models[model]!
      expect(price.output, model).toBeGreaterThan(price.input)
      expect(price.cachedInput, model).toBeLessThan(price.input / 10)
    }
  })

  it('bills the retired deepseek-v4-flash name at the deepseek-flash price, as DeepSeek does', () => {
    expect(deepSeekPricing.models['deepseek-v4-flash']).toEqual(deepSeekPricing.models['deepseek-flash'])
  })

  it('splits input into cache hits and misses', () => {
    const cost = computeCost(deepSeekPricing, 'deepseek-v4-pro', {
      inputTokens: 2_000_000,
      outputTokens: 1_000_000,
      totalTokens: 3_000_000,
      cachedInputTokens: 1_000_000,
    })
    expect(cost).toEqual({ input: 1.32 + 0.044, output: 3.96, total: 5.324, currency: 'USD' })
  })
})
