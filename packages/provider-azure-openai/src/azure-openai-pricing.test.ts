import { computeCost, findPrice } from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import { azureOpenAIPricing } from './azure-openai-pricing.js'

describe('azureOpenAIPricing', () => {
  it('names the Azure pricing page and the date it was read', () => {
    expect(azureOpenAIPricing.source).toBe('https://azure.microsoft.com/en-us/pricing/details/azure-openai/')
    expect(azureOpenAIPricing.readAt).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(azureOpenAIPricing.free).toBeUndefined()
  })

  it('prices by base model: the model Azure answers with, dated, finds its price', () => {
    expect(findPrice(azureOpenAIPricing, 'gpt-4o-2024-08-06')).toBe(azureOpenAIPricing.models['gpt-4o'])
    expect(findPrice(azureOpenAIPricing, 'gpt-4o-mini-2024-07-18')).toBe(
      azureOpenAIPricing.models['gpt-4o-mini'],
    )
    expect(findPrice(azureOpenAIPricing, 'gpt-4.1-mini-2025-04-14')).toBe(
      azureOpenAIPricing.models['gpt-4.1-mini'],
    )
    // A deployment name is not a model: no price, so no cost rather than a wrong one.
    expect(findPrice(azureOpenAIPricing, 'my-prod-deployment')).toBeUndefined()
  })

  it('every price has output above input and cached input below input', () => {
    for (const [model, price] of Object.entries(azureOpenAIPricing.models)) {
      expect(price.output, model).toBeGreaterThan(price.input)
      expect(price.cachedInput, model).toBeLessThan(price.input)
    }
  })

  it('bills cached input at the cached rate', () => {
    const cost = computeCost(azureOpenAIPricing, 'gpt-4.1', {
      inputTokens: 2_000_000,
      outputTokens: 1_000_000,
      totalTokens: 3_000_000,
      cachedInputTokens: 1_000_000,
    })
    expect(cost).toEqual({ input: 2 + 0.5, output: 8, total: 10.5, currency: 'USD' })
  })
})
