import type { OpenAIUsagePayload } from '@modelplex/provider-openai-compatible'

/**
 * DeepSeek documents its context-cache hits as `usage.prompt_cache_hit_tokens` (beside
 * `prompt_cache_miss_tokens`); they become the cached input tokens that the cache-hit price
 * applies to. Undefined when the usage has no such field, so the shared reader takes it as is.
 */
export function readDeepSeekUsage(payload: any): OpenAIUsagePayload | undefined {
  const usage = payload?.usage
  const hits = usage?.prompt_cache_hit_tokens
  if (typeof hits !== 'number') return undefined
  return { ...usage, prompt_tokens_details: { ...usage.prompt_tokens_details, cached_tokens: hits } }
}
