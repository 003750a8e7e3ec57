import { computeCost, findPrice } from '@modelplex/core'
import { afterEach, describe, expect, it, vi } from 'vitest'

afterEach(() => {
  vi.useRealTimers()
  vi.resetModules()
})

async function pricingAt(date: string) {
  vi.useFakeTimers({ now: new Date(date), toFake: ['Date'] })
  vi.resetModules()
  return (await import('./google-pricing.js')).googlePricing
}

describe('googlePricing', () => {
  it('has a source, a read date and input/output prices for every model', async () => {
    const pricing = (await import('./google-pricing.js')).googlePricing
    expect(pricing.source).toBe('https://ai.google.dev/gemini-api/docs/pricing')
    expect(pricing.readAt).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    for (const [model, price] of Object.entries(pricing.models)) {
      expect(price.input, model).toBeGreaterThan(0)
      expect(price.output, model).toBeGreaterThanOrEqual(0)
      if (price.cachedInput !== undefined) expect(price.cachedInput, model).toBeLessThan(price.input)
    }
  })

  it('prices cache reads on every chat model whose caching price Google publishes, and costs them at that rate', async () => {
    const pricing = (await import('./google-pricing.js')).googlePricing
    const chat = Object.keys(pricing.models).filter((model) => !model.includes('embedding'))
    // gemini-3.5-flash-lite has no context-caching price on Google's page (see google-pricing.ts).
    const unpriced = chat.filter((model) => pricing.models[model]!.cachedInput === undefined)
    expect(unpriced).toEqual(['gemini-3.5-flash-lite'])
    const cost = computeCost(pricing, 'gemini-2.5-flash', {
      inputTokens: 1_000_000,
      outputTokens: 0,
      totalTokens: 1_000_000,
      cachedInputTokens: 500_000,
    })!
    // Half the prompt at $0.30, half at the $0.03 cache price.
    expect(cost.input).toBeCloseTo(0.15 + 0.015, 10)
  })

  it('Gemini 3.6–3.8 Flash: the introductory price in 2026, the regular one from 2027-01-01', async () => {
    const intro = await pricingAt('2026-12-31T23:59:00Z')
    expect(intro.models['gemini-3.8-flash']).toEqual({ input: 0.75, cachedInput: 0.075, output: 3.75 })
    const regular = await pricingAt('2027-01-01T00:00:00Z')
    expect(regular.models['gemini-3.8-flash']).toEqual({ input: 1.5, cachedInput: 0.15, output: 7.5 })
    expect(regular.models['gemini-3.6-flash']).toEqual(regular.models['gemini-3.8-flash'])
  })

  it('prices cached input at the caching rate and thinking tokens (in output) at the output rate', async () => {
    const pricing = (await import('./google-pricing.js')).googlePricing
    const cost = computeCost(pricing, 'gemini-2.5-pro', {
      inputTokens: 10_000,
      cachedInputTokens: 8_000,
      outputTokens: 2_000,
      reasoningTokens: 1_500,
      totalTokens: 12_000,
    })
    // 2 000 × $1.25 + 8 000 × $0.125 = $0.0035 input; 2 000 × $10 = $0.02 output.
    expect(cost).toEqual({ input: 0.0035, output: 0.02, total: 0.0235, currency: 'USD' })
  })

  it('prices exact ids; a preview or other variant that is not listed stays unpriced (no guessed cost)', async () => {
    const pricing = (await import('./google-pricing.js')).googlePricing
    expect(findPrice(pricing, 'gemini-2.5-flash-lite')).toBe(pricing.models['gemini-2.5-flash-lite'])
    expect(findPrice(pricing, 'gemini-3.5-flash-lite')).toBe(pricing.models['gemini-3.5-flash-lite'])
    expect(findPrice(pricing, 'gemini-2.5-flash-preview-09-2025')).toBeUndefined()
    expect(findPrice(pricing, 'gemma-3-27b-it')).toBeUndefined()
  })
})
