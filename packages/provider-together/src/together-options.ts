import type { ChatCompletionsProviderOptions } from '@modelplex/provider-openai-compatible'

/**
 * `providerOptions.together`, camelCase, written as Together's snake_case body fields
 * (https://docs.together.ai/reference/chat-completions-1). Keys not listed reach Together untouched.
 */
export interface TogetherProviderOptions extends ChatCompletionsProviderOptions {
  /** Penalises repeated tokens, 1 = none (`repetition_penalty`). */
  repetitionPenalty?: number
  /** Drops tokens less likely than this fraction of the most likely one (`min_p`). */
  minP?: number
  /** A moderation model run over the answer, e.g. `meta-llama/Meta-Llama-Guard-3-8B` (`safety_model`). */
  safetyModel?: string
  /** Where reasoning models take it: `low`, `medium`, `high` (`reasoning_effort`). */
  reasoningEffort?: 'low' | 'medium' | 'high' | (string & {})
}

declare module '@modelplex/core' {
  interface ProviderOptionsRegistry {
    together: TogetherProviderOptions
  }
}

/** The Together keys beyond the shared Chat Completions ones, camelCase → wire name. */
export const TOGETHER_OPTION_KEYS: Record<string, string> = {
  repetitionPenalty: 'repetition_penalty',
  minP: 'min_p',
  safetyModel: 'safety_model',
}

/** Together's extras: the `seed` a choice was sampled with (on completions). */
export function readTogetherMetadata(payload: any): Record<string, unknown> | undefined {
  const seed = payload?.choices?.[0]?.seed
  return typeof seed === 'number' ? { seed } : undefined
}
