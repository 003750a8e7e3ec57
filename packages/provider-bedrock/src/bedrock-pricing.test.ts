import { computeCost, findPrice } from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import { bedrockPricing } from './bedrock-pricing.js'
import spec from './index.js'

describe('bedrockPricing', () => {
  it('names its source and the date it was read', () => {
    expect(bedrockPricing.source).toBe('https://aws.amazon.com/bedrock/pricing/')
    expect(bedrockPricing.readAt).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(bedrockPricing.free).toBeUndefined()
  })

  it('prices both default models', () => {
    expect(findPrice(bedrockPricing, spec.defaultModel)).toEqual({
      input: 0.06,
      cachedInput: 0.015,
      output: 0.24,
    })
    expect(findPrice(bedrockPricing, spec.defaultEmbeddingModel!)).toEqual({ input: 0.02, output: 0 })
  })

  it('chat models cost more for output than input; cache reads less than input, writes at least input', () => {
    for (const [model, price] of Object.entries(bedrockPricing.models)) {
      if (model.includes('embed')) {
        expect(price.output, model).toBe(0)
        continue
      }
      expect(price.output, model).toBeGreaterThanOrEqual(price.input)
      if (price.cachedInput !== undefined) expect(price.cachedInput, model).toBeLessThan(price.input)
      if (price.cacheWrite !== undefined) expect(price.cacheWrite, model).toBeGreaterThanOrEqual(price.input)
    }
  })

  it('a us. cross-region inference profile costs what its model costs in us-east-1', () => {
    expect(bedrockPricing.models['us.amazon.nova-pro-v1:0']).toBe(
      bedrockPricing.models['amazon.nova-pro-v1:0'],
    )
    expect(bedrockPricing.models['us.anthropic.claude-3-5-haiku-20241022-v1:0']).toBe(
      bedrockPricing.models['anthropic.claude-3-5-haiku-20241022-v1:0'],
    )
    // Other geographies bill their own Regions' prices, which the table does not hold.
    expect(findPrice(bedrockPricing, 'eu.amazon.nova-pro-v1:0')).toBeUndefined()
    expect(bedrockPricing.models['us.amazon.titan-embed-text-v2:0']).toBeUndefined()
  })

  it('bills cache reads and writes at their own rates', () => {
    const cost = computeCost(bedrockPricing, 'anthropic.claude-3-5-haiku-20241022-v1:0', {
      inputTokens: 1_000_000 + 2_000_000 + 3_000_000,
      outputTokens: 1_000_000,
      totalTokens: 7_000_000,
      cachedInputTokens: 2_000_000,
      cacheWriteInputTokens: 3_000_000,
    })
    expect(cost).toEqual({
      input: 0.8 + 2 * 0.08 + 3 * 1,
      output: 4,
      total: 0.8 + 0.16 + 3 + 4,
      currency: 'USD',
    })
  })
})
