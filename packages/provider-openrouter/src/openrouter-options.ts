import type { ChatCompletionsProviderOptions } from '@modelplex/provider-openai-compatible'

/** Reasoning tokens (https://openrouter.ai/docs/use-cases/reasoning-tokens): one of `effort` or `maxTokens`. */
export interface OpenRouterReasoningOptions {
  /** `minimal` | `low` | `medium` | `high`: OpenAI-style effort, mapped to a budget for other models. */
  effort?: 'minimal' | 'low' | 'medium' | 'high' | (string & {})
  /** A token budget for reasoning (`max_tokens`), Anthropic- and Gemini-style. */
  maxTokens?: number
  /** Reason but leave the reasoning out of the response. */
  exclude?: boolean
  /** Turn reasoning on with the model's default settings. */
  enabled?: boolean
}

/**
 * `providerOptions.openrouter`, camelCase, written as OpenRouter's snake_case body fields
 * (https://openrouter.ai/docs/api/reference/parameters). Keys not listed reach OpenRouter untouched.
 */
export interface OpenRouterProviderOptions extends ChatCompletionsProviderOptions {
  /** Reasoning tokens of the model (`reasoning`); its `reasoning_details` go back unchanged. */
  reasoning?: OpenRouterReasoningOptions
  /** Fallback models tried in order when the first fails (`models`). */
  models?: string[]
  /** Provider routing (`provider`): `order`, `allowFallbacks`, `requireParameters`, `dataCollection`, `only`, `ignore`, `sort`, … in snake_case on the wire. */
  provider?: Record<string, unknown>
  /** Prompt transforms, e.g. `['middle-out']` (`transforms`). */
  transforms?: string[]
  /** Plugins such as `{ id: 'web' }` or `{ id: 'file-parser', pdf: { engine: 'pdf-text' } }` (`plugins`). */
  plugins?: Array<Record<string, unknown>>
}

declare module '@modelplex/core' {
  interface ProviderOptionsRegistry {
    openrouter: OpenRouterProviderOptions
  }
}

/** The OpenRouter keys beyond the shared Chat Completions ones, camelCase → wire name. */
export const OPENROUTER_OPTION_KEYS: Record<string, string> = {
  reasoning: 'reasoning',
  models: 'models',
  provider: 'provider',
  transforms: 'transforms',
  plugins: 'plugins',
}

/**
 * OpenRouter's extras: the upstream `provider` that served the call, its `native_finish_reason`,
 * and whether your own key paid (`is_byok`), with the charge split of `cost_details`.
 */
export function readOpenRouterMetadata(payload: any): Record<string, unknown> | undefined {
  const metadata: Record<string, unknown> = {}
  if (typeof payload?.provider === 'string') metadata.provider = payload.provider
  const native = payload?.choices?.[0]?.native_finish_reason
  if (typeof native === 'string') metadata.nativeFinishReason = native
  const usage = payload?.usage
  if (typeof usage?.is_byok === 'boolean') metadata.isByok = usage.is_byok
  if (usage?.cost_details && typeof usage.cost_details === 'object') {
    const details = usage.cost_details
    metadata.costDetails = {
      upstreamInferenceCost: details.upstream_inference_cost,
      upstreamInferencePromptCost: details.upstream_inference_prompt_cost,
      upstreamInferenceCompletionsCost: details.upstream_inference_completions_cost,
    }
  }
  return Object.keys(metadata).length > 0 ? metadata : undefined
}
