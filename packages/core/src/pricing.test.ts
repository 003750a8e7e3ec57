import { createMockProvider } from '@modelplex/core/testing'
import { describe, expect, it } from 'vitest'
import { apportionCost, computeCost, findPrice, mergePricing, type PricingTable } from './pricing.js'
import { messages } from './test-helpers.js'

const table: PricingTable = {
  source: 'https://openai.com/api/pricing',
  readAt: '2025-01-01',
  models: {
    'gpt-4o': { input: 2.5, output: 10, cachedInput: 1.25 },
    'gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075 },
    'claude-sonnet': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
  },
}

describe('findPrice', () => {
  it('matches only snapshot suffixes, never a later version of a shorter id', () => {
    const versions: PricingTable = {
      source: 'test',
      readAt: '2026-11-21',
      models: { 'claude-sonnet-5': { input: 3, output: 15 }, 'mistral-small': { input: 1, output: 3 } },
    }
    expect(findPrice(versions, 'claude-sonnet-5-7')).toBeUndefined()
    expect(findPrice(versions, 'claude-sonnet-5-20260101')).toBe(versions.models['claude-sonnet-5'])
    expect(findPrice(versions, 'mistral-small-2503')).toBe(versions.models['mistral-small'])
    expect(findPrice(versions, 'mistral-small-latest')).toBe(versions.models['mistral-small'])
  })

  it('finds an exact id', () => {
    expect(findPrice(table, 'gpt-4o')).toBe(table.models['gpt-4o'])
  })

  it('matches a dated snapshot by its longest priced prefix', () => {
    expect(findPrice(table, 'gpt-4o-mini-2024-07-18')).toBe(table.models['gpt-4o-mini'])
    expect(findPrice(table, 'gpt-4o-2024-08-06')).toBe(table.models['gpt-4o'])
  })

  it('only matches a prefix that ends at a "-"', () => {
    expect(findPrice(table, 'gpt-4omni')).toBeUndefined()
    expect(findPrice(table, 'gpt-4')).toBeUndefined()
    expect(findPrice(table, 'my-gpt-4o')).toBeUndefined()
  })
})

describe('computeCost', () => {
  it('prices input and output per million tokens', () => {
    expect(
      computeCost(table, 'gpt-4o', { inputTokens: 1_000_000, outputTokens: 100_000, totalTokens: 1_100_000 }),
    ).toEqual({
      input: 2.5,
      output: 1,
      total: 3.5,
      currency: 'USD',
    })
  })

  it('prices cached input tokens at the cached rate (they are part of inputTokens)', () => {
    const cost = computeCost(table, 'gpt-4o', {
      inputTokens: 1_000,
      cachedInputTokens: 400,
      outputTokens: 200,
      totalTokens: 1_200,
    })
    // 600 × $2.50/M + 400 × $1.25/M = $0.002; 200 × $10/M = $0.002
    expect(cost).toEqual({ input: 0.002, output: 0.002, total: 0.004, currency: 'USD' })
  })

  it('prices cache writes at their own rate', () => {
    const cost = computeCost(table, 'claude-sonnet', {
      inputTokens: 1_000_000,
      cachedInputTokens: 500_000,
      cacheWriteInputTokens: 200_000,
      outputTokens: 0,
      totalTokens: 1_000_000,
    })
    // 300k × $3 + 500k × $0.30 + 200k × $3.75 = 0.9 + 0.15 + 0.75
    expect(cost?.input).toBeCloseTo(1.8, 10)
    expect(cost?.total).toBeCloseTo(1.8, 10)
  })

  it('without a cached rate, cached tokens cost the input rate', () => {
    const plain: PricingTable = { ...table, models: { m: { input: 1, output: 1 } } }
    expect(
      computeCost(plain, 'm', {
        inputTokens: 1_000_000,
        cachedInputTokens: 1_000_000,
        outputTokens: 0,
        totalTokens: 0,
      })?.input,
    ).toBe(1)
  })

  it('uses the dated snapshot prefix', () => {
    const cost = computeCost(table, 'gpt-4o-mini-2024-07-18', {
      inputTokens: 1_000_000,
      outputTokens: 1_000_000,
      totalTokens: 2_000_000,
    })
    expect(cost).toEqual({ input: 0.15, output: 0.6, total: 0.75, currency: 'USD' })
  })

  it('rounds away floating-point noise', () => {
    const cost = computeCost(table, 'gpt-4o-mini', { inputTokens: 3, outputTokens: 7, totalTokens: 10 })
    expect(cost).toEqual({ input: 0.00000045, output: 0.0000042, total: 0.00000465, currency: 'USD' })
  })

  it('an unpriced model → undefined, not zero', () => {
    expect(
      computeCost(table, 'o9-preview', { inputTokens: 10, outputTokens: 10, totalTokens: 20 }),
    ).toBeUndefined()
  })

  it('unknown usage → undefined', () => {
    expect(computeCost(table, 'gpt-4o', undefined)).toBeUndefined()
  })

  it('a free table → 0 for every model', () => {
    const free: PricingTable = { source: 'local', readAt: '2025-01-01', free: true, models: {} }
    expect(
      computeCost(free, 'llama3.2', { inputTokens: 5_000, outputTokens: 5_000, totalTokens: 10_000 }),
    ).toEqual({
      input: 0,
      output: 0,
      total: 0,
      currency: 'USD',
    })
  })
})

describe('mergePricing', () => {
  it('overrides one model and keeps the others', () => {
    const merged = mergePricing(table, { 'gpt-4o': { input: 1, output: 2 } })
    expect(merged.models['gpt-4o']).toEqual({ input: 1, output: 2 })
    expect(merged.models['gpt-4o-mini']).toBe(table.models['gpt-4o-mini'])
    expect(merged.source).toBe(table.source)
    expect(table.models['gpt-4o']!.input).toBe(2.5)
  })

  it('accepts a table, whose fields win', () => {
    const merged = mergePricing(table, {
      source: 'contract',
      readAt: '2025-06-01',
      models: { 'ft:custom': { input: 9, output: 9 } },
    })
    expect(merged.source).toBe('contract')
    expect(merged.readAt).toBe('2025-06-01')
    expect(Object.keys(merged.models)).toEqual(['gpt-4o', 'gpt-4o-mini', 'claude-sonnet', 'ft:custom'])
  })

  it('pricing a free table makes it priced: the given models cost, others are unpriced', () => {
    const free: PricingTable = { source: 'local', readAt: '2025-01-01', free: true, models: {} }
    const merged = mergePricing(free, { 'my-model': { input: 1, output: 1 } })
    const usage = { inputTokens: 1_000_000, outputTokens: 0, totalTokens: 1_000_000 }
    expect(computeCost(merged, 'my-model', usage)?.total).toBe(1)
    expect(computeCost(merged, 'other', usage)).toBeUndefined()
  })

  it('no override → the table itself', () => {
    expect(mergePricing(table, undefined)).toBe(table)
  })
})

describe('Result.cost', () => {
  it('is present for a priced model and absent for an unpriced one', async () => {
    const provider = createMockProvider({ prices: { 'priced-model': { input: 1, output: 1 } } })
    const priced = await provider.generate({ model: 'priced-model', messages })
    expect(priced.cost).toEqual({ input: 0.00001, output: 0.000005, total: 0.000015, currency: 'USD' })
    const unpriced = await provider.generate({ model: 'other-model', messages })
    expect(unpriced.cost).toBeUndefined()
    expect(unpriced.usage).toBeDefined()
  })
})

describe('apportionCost', () => {
  const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000, totalTokens: 2_000_000 }

  it.each([
    // The table says $12.50; the vendor charged $5 (a discount), so both parts scale by 0.4.
    ['splits a reported total by the table ratio (gpt-4o: 2.5 input to 10 output)', 5, 1, 4],
    ['keeps the table split exactly when the charge equals the estimate', 12.5, 2.5, 10],
  ])('%s', (_, total, input, output) => {
    expect(apportionCost(total, table, 'gpt-4o', usage)).toEqual({ input, output, total, currency: 'USD' })
  })

  it('books the whole charge as input for an unpriced model, no model or no usage', () => {
    const asInput = { input: 0.02, output: 0, total: 0.02, currency: 'USD' }
    expect(apportionCost(0.02, table, 'unlisted', usage)).toEqual(asInput)
    expect(apportionCost(0.02, table, undefined, usage)).toEqual(asInput)
    expect(apportionCost(0.02, table, 'gpt-4o', undefined)).toEqual(asInput)
  })

  it('rounds the charge to 10^-10 USD, as every cost is', () => {
    expect(apportionCost(0.1 + 0.2, table, 'unlisted', usage).total).toBe(0.3)
  })
})
