/**
 * The Chat Completions `providerOptions` every OpenAI-shaped server shares, camelCase, written as
 * the snake_case fields of the request body. Keys not listed here reach the server untouched.
 */
export interface ChatCompletionsProviderOptions {
  /** Return the log probability of each output token (`logprobs`); they land in `providerMetadata.logprobs`. */
  logprobs?: boolean
  /** How many most likely alternatives to return per token, 0–20 (`top_logprobs`); needs `logprobs`. */
  topLogprobs?: number
  /** Token id → bias from -100 to 100 added to its logit (`logit_bias`). */
  logitBias?: Record<string, number>
  /** Let the model call several tools in one turn (`parallel_tool_calls`). */
  parallelToolCalls?: boolean
  /** The processing tier asked for (`service_tier`); the one served is in `providerMetadata.serviceTier`. */
  serviceTier?: string
  /** How hard a reasoning model thinks (`reasoning_effort`), where the server has reasoning models. */
  reasoningEffort?: string
  /** An id of the end user, for the server's abuse monitoring (`user`). */
  user?: string
}

/** `providerOptions['openai-compatible']`: the shared Chat Completions options. */
export interface OpenAICompatibleProviderOptions extends ChatCompletionsProviderOptions {}

declare module '@modelplex/core' {
  interface ProviderOptionsRegistry {
    'openai-compatible': OpenAICompatibleProviderOptions
  }
}
