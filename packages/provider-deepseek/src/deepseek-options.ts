import type { ChatCompletionsProviderOptions } from '@modelplex/provider-openai-compatible'

/**
 * `providerOptions.deepseek`, camelCase, written as DeepSeek's body fields
 * (https://api-docs.deepseek.com/guides/thinking_mode). Keys not listed reach DeepSeek untouched.
 */
export interface DeepSeekProviderOptions extends ChatCompletionsProviderOptions {
  /** Thinking mode, on by default (`thinking`); `disabled` makes the sampling settings work again. */
  thinking?: { type: 'enabled' | 'disabled' }
  /** How hard thinking mode thinks (`reasoning_effort`): `low`, `high` (the default) or `max`. */
  reasoningEffort?: 'low' | 'high' | 'max' | (string & {})
}

declare module '@modelplex/core' {
  interface ProviderOptionsRegistry {
    deepseek: DeepSeekProviderOptions
  }
}

/** DeepSeek's extras: the split of the prompt into context-cache hits and misses. */
export function readDeepSeekMetadata(payload: any): Record<string, unknown> | undefined {
  const usage = payload?.usage
  if (typeof usage?.prompt_cache_hit_tokens !== 'number') return undefined
  return {
    promptCacheHitTokens: usage.prompt_cache_hit_tokens,
    promptCacheMissTokens: usage.prompt_cache_miss_tokens,
  }
}
