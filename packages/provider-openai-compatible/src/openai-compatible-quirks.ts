import type { AssistantMessage, Cost, ModelInfo, ModelplexError } from '@modelplex/core'
import type { AdapterRequest, CallContext, ErrorContext, VendorMetadata } from '@modelplex/core/adapter'

/** Token counts in the OpenAI wire shape (`usage` of a completion or of the last stream chunk). */
export interface OpenAIUsagePayload {
  prompt_tokens?: number | null
  completion_tokens?: number | null
  total_tokens?: number | null
  prompt_tokens_details?: { cached_tokens?: number | null; [field: string]: unknown } | null
  completion_tokens_details?: { reasoning_tokens?: number | null } | null
}

/**
 * What one OpenAI-shaped vendor does differently. Every field is optional; the defaults are
 * OpenAI's own behaviour, so a vendor states only its differences.
 */
export interface OpenAICompatibleQuirks {
  /**
   * The output-token limit field. OpenAI takes `max_completion_tokens` (and rejects `max_tokens`
   * on reasoning models); most other servers only know `max_tokens`. Default `max_completion_tokens`.
   */
  maxTokensField?: 'max_completion_tokens' | 'max_tokens'
  /** Sends `stream_options: { include_usage: true }` on streams. Default true. */
  streamUsage?: boolean
  /**
   * The vendor always sends the usage chunk that `stream_options.include_usage` asks for, so a
   * stream that ends without it was cut (and would finish with no usage and no cost). Default
   * false: compatible servers may ignore `stream_options`.
   */
  streamUsageRequired?: boolean
  /** Sends `topK` under this field (e.g. `top_k` for vLLM); unset, a `topK` yields a warning. */
  topKField?: string
  /** `json_schema` response format supported; false sends `json_object` and warns. Default true. */
  jsonSchema?: boolean
  /** `strict` of the `json_schema` response format. Default true. */
  strictJsonSchema?: boolean
  /** Delta and message fields holding reasoning text. Default `['reasoning_content', 'reasoning']`. */
  reasoningFields?: readonly string[]
  /**
   * Usage the vendor puts somewhere else than `usage` (e.g. groq's `x_groq.usage` on stream
   * chunks), or in other fields of it (DeepSeek's `prompt_cache_hit_tokens`). Called with each
   * stream chunk and with a whole completion before `usage` is read; undefined falls back to `usage`.
   */
  extractUsage?: (payload: any) => OpenAIUsagePayload | null | undefined
  /**
   * The charge the vendor reports for the call (OpenRouter's `usage.cost`, xAI's
   * `usage.cost_in_usd_ticks`). Called with each stream chunk and with a whole completion; core
   * prefers it over the pricing table. Undefined when the payload carries none.
   */
  extractCost?: (payload: any) => Cost | undefined
  /**
   * How an earlier assistant turn's reasoning goes back to the vendor: the message field that takes
   * its text (DeepSeek's `reasoning_content`), or a function that edits the wire message (OpenRouter's
   * `reasoning_details`). Unset: reasoning is not sent back (the vendor's rule for most servers).
   */
  sendReasoning?:
    | string
    | ((wire: Record<string, unknown>, message: AssistantMessage) => Record<string, unknown>)
  /**
   * The message and delta field carrying structured reasoning blocks (OpenRouter's
   * `reasoning_details`): kept whole as the reasoning part's `providerMetadata.reasoningDetails`,
   * with stream slices merged by `index`, so they can go back unchanged.
   */
  reasoningDetailsField?: string
  /**
   * The vendor's extras beyond the common result (`x_groq`, OpenRouter's `provider`, xAI's
   * `citations`), read from a completion or from each stream chunk; merged over the shared ones
   * (`systemFingerprint`, `serviceTier`, `logprobs`).
   */
  extractMetadata?: (payload: any, kind: 'completion' | 'chunk') => VendorMetadata | undefined
  /**
   * camelCase `providerOptions` keys the vendor knows, and their wire names; an object value is
   * written with snake_case keys. Merged over the Chat Completions ones (`logprobs`, `topLogprobs`,
   * `parallelToolCalls`, …). Keys not listed reach the vendor untouched.
   */
  providerOptionKeys?: Record<string, string>
  /** Headers added to every call of this vendor (beside the caller's). */
  headers?: (request: AdapterRequest | undefined) => Record<string, string> | undefined
  /** Edits the request body after translation, before `providerOptions` are merged. */
  transformRequest?: (
    body: Record<string, unknown>,
    request: AdapterRequest,
    context: Pick<CallContext, 'warn' | 'providerOptions'>,
  ) => Record<string, unknown>
  /** Classifies a vendor error before the OpenAI mapping; return undefined to fall through. */
  mapError?: (error: unknown, context: ErrorContext) => ModelplexError | undefined
  /** `encoding_format` asked of the embeddings endpoint. Default `float` (exact, understood everywhere). */
  embeddingEncoding?: 'float' | 'base64'
  /** Path of the model list under the client's base URL (`groq-sdk` roots at the host). Default `/models`. */
  modelsPath?: string
  /** Reads a model list that is not OpenAI's `{ data: [...] }` (Together's plain array) or carries more fields. */
  parseModels?: (body: unknown, provider: string) => ModelInfo[]
}

/** The quirks with their defaults filled in, computed once per adapter. */
export interface ResolvedQuirks extends OpenAICompatibleQuirks {
  maxTokensField: 'max_completion_tokens' | 'max_tokens'
  streamUsage: boolean
  jsonSchema: boolean
  strictJsonSchema: boolean
  reasoningFields: readonly string[]
  embeddingEncoding: 'float' | 'base64'
}

/** Where DeepSeek (`reasoning_content`) and vLLM/OpenRouter (`reasoning`) put reasoning text. */
export const DEFAULT_REASONING_FIELDS: readonly string[] = ['reasoning_content', 'reasoning']

/** Fills in OpenAI's defaults for every quirk the vendor did not state. */
export function resolveQuirks(quirks: OpenAICompatibleQuirks = {}): ResolvedQuirks {
  return {
    ...quirks,
    maxTokensField: quirks.maxTokensField ?? 'max_completion_tokens',
    streamUsage: quirks.streamUsage ?? true,
    jsonSchema: quirks.jsonSchema ?? true,
    strictJsonSchema: quirks.strictJsonSchema ?? true,
    reasoningFields: quirks.reasoningFields ?? DEFAULT_REASONING_FIELDS,
    embeddingEncoding: quirks.embeddingEncoding ?? 'float',
  }
}
