import type { Cost } from '@modelplex/core'

function round(value: number): number {
  return Math.round(value * 1e10) / 1e10
}

/**
 * The charge OpenRouter reports in `usage.cost` (credits, 1 credit = 1 USD), in a completion and
 * in the last chunk of a stream. `cost_details` splits the model's price into prompt and
 * completion; `total` is what the call cost, so it also holds fees the split does not (web
 * search, and with your own provider key (BYOK) the provider's charge beside OpenRouter's fee).
 * Without the split, the whole charge is booked as input.
 */
export function readOpenRouterCost(payload: any): Cost | undefined {
  const usage = payload?.usage
  if (!usage || typeof usage.cost !== 'number' || !Number.isFinite(usage.cost)) return undefined
  const details = usage.cost_details ?? {}
  const upstream = details.upstream_inference_cost
  const total =
    usage.is_byok === true && typeof upstream === 'number' ? round(usage.cost + upstream) : usage.cost
  const input = details.upstream_inference_prompt_cost
  const output = details.upstream_inference_completions_cost
  if (typeof input === 'number' && typeof output === 'number')
    return { input, output, total, currency: 'USD' }
  return { input: total, output: 0, total, currency: 'USD' }
}
