import { apportionCost, type Cost } from '@modelplex/core'
import { convertOpenAIUsage, type OpenAIUsagePayload } from '@modelplex/provider-openai-compatible'
import { xaiPricing } from './xai-pricing.js'

/** 1 USD = 10^10 ticks (https://docs.x.ai/developers/cost-tracking). */
const TICKS_PER_USD = 10_000_000_000

/**
 * xAI's `completion_tokens` leaves the reasoning tokens out (`total_tokens` = prompt + completion
 * + reasoning); core counts reasoning as part of the output, as it is billed. Undefined when the
 * usage already adds up, so the shared reader takes `usage` as it is.
 */
export function readXaiUsage(payload: any): OpenAIUsagePayload | undefined {
  const usage = payload?.usage
  if (!usage || typeof usage !== 'object') return undefined
  const reasoning = usage.completion_tokens_details?.reasoning_tokens
  const { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total } = usage
  if (typeof reasoning !== 'number' || reasoning <= 0 || typeof completion !== 'number') return undefined
  if (typeof prompt !== 'number' || total !== prompt + completion + reasoning) return undefined
  return { ...usage, completion_tokens: completion + reasoning }
}

/**
 * The exact charge xAI reports in `usage.cost_in_usd_ticks` (after cache discounts, tool calls
 * included). xAI gives one total: core's `apportionCost` splits it into input and output by the
 * price table's ratio when the model is priced, else books it as input.
 */
export function readXaiCost(payload: any): Cost | undefined {
  const ticks = payload?.usage?.cost_in_usd_ticks
  if (typeof ticks !== 'number' || !Number.isFinite(ticks)) return undefined
  const usage = convertOpenAIUsage(readXaiUsage(payload) ?? payload.usage)
  const model = typeof payload.model === 'string' ? payload.model : undefined
  return apportionCost(ticks / TICKS_PER_USD, xaiPricing, model, usage)
}
