import { describe, expect, it } from 'vitest'
import { readOpenRouterCost } from './openrouter-cost.js'

describe('readOpenRouterCost', () => {
  it('takes the total from usage.cost and the split from cost_details', () => {
    const usage = {
      cost: 0.02867045,
      is_byok: false,
      // A web search model: the search fee is in the total, not in the token split.
      cost_details: {
        upstream_inference_cost: 0.02867045,
        upstream_inference_prompt_cost: 0.00103245,
        upstream_inference_completions_cost: 0.000138,
      },
    }
    expect(readOpenRouterCost({ usage })).toEqual({
      input: 0.00103245,
      output: 0.000138,
      total: 0.02867045,
      currency: 'USD',
    })
  })

  it("adds the provider's charge to OpenRouter's fee for a request made with your own key (BYOK)", () => {
    const usage = {
      cost: 0.00005,
      is_byok: true,
      cost_details: {
        upstream_inference_cost: 0.001,
        upstream_inference_prompt_cost: 0.0004,
        upstream_inference_completions_cost: 0.0006,
      },
    }
    expect(readOpenRouterCost({ usage })).toEqual({
      input: 0.0004,
      output: 0.0006,
      total: 0.00105,
      currency: 'USD',
    })
  })

  it('books the charge as input without a split, and is undefined without a cost', () => {
    expect(readOpenRouterCost({ usage: { cost: 0.001 } })).toEqual({
      input: 0.001,
      output: 0,
      total: 0.001,
      currency: 'USD',
    })
    expect(readOpenRouterCost({ usage: { prompt_tokens: 3 } })).toBeUndefined()
    expect(readOpenRouterCost({ choices: [] })).toBeUndefined()
  })
})
