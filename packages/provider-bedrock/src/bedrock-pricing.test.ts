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
      cacheWrite: 0.06,
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
      if (price.cacheWrite1h !== undefined) expect(price.cacheWrite1h, model).toBe(price.input * 2)
    }
  })

  it('every model that caches prices its cache reads and writes', () => {
    for (const model of [
      'amazon.nova-lite-v1:0',
      'anthropic.claude-3-7-sonnet-20250219-v1:0',
      'us.anthropic.claude-sonnet-4-20250514-v1:0',
      'global.anthropic.claude-haiku-4-5-20251001-v1:0',
    ]) {
      const price = findPrice(bedrockPricing, model)!
      expect(price.cachedInput, model).toBeDefined()
      expect(price.cacheWrite, model).toBeDefined()
    }
    // Claude reads at a tenth of input, writes at 1.25×.
    const sonnet = bedrockPricing.models['anthropic.claude-sonnet-4-20250514-v1:0']!
    expect(sonnet.cachedInput).toBeCloseTo(sonnet.input * 0.1)
    expect(sonnet.cacheWrite).toBeCloseTo(sonnet.input * 1.25)
  })

  it('prices 1-hour cache writes apart from 5-minute ones on Claude 4.5', () => {
    const cost = computeCost(bedrockPricing, 'global.anthropic.claude-sonnet-4-5-20250929-v1:0', {
      inputTokens: 3_000_000,
      outputTokens: 0,
      totalTokens: 3_000_000,
      cacheWriteInputTokens: 3_000_000,
      cacheWrite1hInputTokens: 1_000_000,
    })
    expect(cost?.input).toBeCloseTo(2 * 3.75 + 6)
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
