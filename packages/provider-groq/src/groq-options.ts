import type { ChatCompletionsProviderOptions } from '@modelplex/provider-openai-compatible'

/**
 * `providerOptions.groq`, camelCase, written as Groq's snake_case body fields
 * (https://console.groq.com/docs/api-reference#chat-create). Keys not listed reach Groq untouched.
 */
export interface GroqProviderOptions extends ChatCompletionsProviderOptions {
  /**
   * How reasoning models return their reasoning (`reasoning_format`): `parsed` in the message's
   * `reasoning` field (read as reasoning parts), `raw` inside `<think>` tags in the text, `hidden` not at all.
   */
  reasoningFormat?: 'parsed' | 'raw' | 'hidden'
  /** Return the reasoning of gpt-oss models in `reasoning` (`include_reasoning`); excludes `reasoningFormat`. */
  includeReasoning?: boolean
  /** `none` or `default` on Qwen 3, `low` | `medium` | `high` on gpt-oss (`reasoning_effort`). */
  reasoningEffort?: 'none' | 'default' | 'low' | 'medium' | 'high'
  /** `on_demand`, `flex`, `performance` or `auto` (`service_tier`). */
  serviceTier?: 'on_demand' | 'flex' | 'performance' | 'auto'
}

declare module '@modelplex/core' {
  interface ProviderOptionsRegistry {
    groq: GroqProviderOptions
  }
}

/** The Groq keys beyond the shared Chat Completions ones, camelCase → wire name. */
export const GROQ_OPTION_KEYS: Record<string, string> = {
  reasoningFormat: 'reasoning_format',
  includeReasoning: 'include_reasoning',
}

/** Groq's extras: the request id of `x_groq` and the timings of its usage (seconds), on completions and stream chunks. */
export function readGroqMetadata(payload: any): Record<string, unknown> | undefined {
  const metadata: Record<string, unknown> = {}
  const id = payload?.x_groq?.id
  if (typeof id === 'string') metadata.requestId = id
  const usage = payload?.x_groq?.usage ?? payload?.usage
  if (usage && typeof usage.total_time === 'number') {
    metadata.timings = {
      queueTime: usage.queue_time,
      promptTime: usage.prompt_time,
      completionTime: usage.completion_time,
      totalTime: usage.total_time,
    }
  }
  return Object.keys(metadata).length > 0 ? metadata : undefined
}
