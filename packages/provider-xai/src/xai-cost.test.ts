import { describe, expect, it } from 'vitest'
import reasoning from './__fixtures__/chat-completion-reasoning.json' with { type: 'json' }
import { readXaiCost, readXaiUsage } from './xai-cost.js'

describe('readXaiUsage', () => {
  it('adds the reasoning tokens to completion_tokens when total_tokens shows they were left out', () => {
    expect(readXaiUsage(reasoning)).toMatchObject({
      prompt_tokens: 32,
      completion_tokens: 103,
      total_tokens: 135,
    })
  })

  it('leaves a usage that already adds up to the shared reader', () => {
    const included = { usage: { prompt_tokens: 250, completion_tokens: 323, total_tokens: 573 } }
    expect(readXaiUsage(included)).toBeUndefined()
    const withDetails = {
      usage: { ...included.usage, completion_tokens_details: { reasoning_tokens: 309 } },
    }
    expect(readXaiUsage(withDetails)).toBeUndefined()
    expect(readXaiUsage({ choices: [] })).toBeUndefined()
  })
})

describe('readXaiCost', () => {
  it('converts ticks to USD (10^10 ticks per dollar)', () => {
    expect(readXaiCost({ model: 'grok-unlisted', usage: { cost_in_usd_ticks: 200_000_000 } })).toEqual({
      input: 0.02,
      output: 0,
      total: 0.02,
      currency: 'USD',
    })
  })

  it('keeps the table split exactly when the charge equals the table estimate', () => {
    // grok-4.3: 1 000 000 input tokens at $1.25 and 1 000 000 output at $2.50 = $3.75.
    const payload = {
      model: 'grok-4.3',
      usage: {
        prompt_tokens: 1_000_000,
        completion_tokens: 1_000_000,
        total_tokens: 2_000_000,
        cost_in_usd_ticks: 37_500_000_000,
      },
    }
    expect(readXaiCost(payload)).toEqual({ input: 1.25, output: 2.5, total: 3.75, currency: 'USD' })
  })

  it('is undefined for a chunk or body without ticks', () => {
    expect(readXaiCost({ usage: { prompt_tokens: 3 } })).toBeUndefined()
    expect(readXaiCost({ choices: [] })).toBeUndefined()
  })
})
