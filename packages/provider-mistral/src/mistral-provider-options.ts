/**
 * `providerOptions.mistral` of a call, in camelCase; the adapter writes them as Mistral's
 * snake_case body fields (docs.mistral.ai/api, `POST /v1/chat/completions`). Keys not listed here
 * reach the body untouched.
 */
export interface MistralProviderOptions {
  /** `prompt_mode`: `'reasoning'` adds Mistral's reasoning system prompt (Magistral); `null` turns it off. */
  promptMode?: 'reasoning' | null
  /** `reasoning_effort`: how much the adjustable-reasoning models think (`'none'`, `'low'`, `'medium'`, `'high'`). */
  reasoningEffort?: 'none' | 'low' | 'medium' | 'high' | (string & {})
  /** `safe_prompt`: prepend Mistral's safety prompt. */
  safePrompt?: boolean
  /** `random_seed`: the sampling seed (the call's `seed` sets it too). */
  randomSeed?: number
  /** `parallel_tool_calls`: let the model ask for several tool calls in one turn (default true). */
  parallelToolCalls?: boolean
  /** `document_page_limit`: the most pages of a `document_url` document the model reads. */
  documentPageLimit?: number
  /** `document_image_limit`: the most images of a `document_url` document the model reads. */
  documentImageLimit?: number
  /** `prompt_cache_key`: routes requests that share a prefix to the same cache. */
  promptCacheKey?: string
  /** `service_tier`: `'standard'` or `'priority'`. */
  serviceTier?: 'standard' | 'priority' | (string & {})
  /** `prediction`: expected output, for predicted outputs (`{ type: 'content', content }`). */
  prediction?: { type: 'content'; content: string }
  /** `n`: how many completions to return (modelplex reads the first). */
  n?: number
  /** `guardrails`: Mistral's moderation guardrail configurations, as the API takes them. */
  guardrails?: unknown[]
  /** `metadata`: free-form key/values stored with the request. */
  metadata?: Record<string, unknown>
}

/** `providerOptions.mistral` of one message. */
export interface MistralMessageOptions {
  /** `prefix`: the (last) assistant message is a prefix the answer must start with. */
  prefix?: boolean
}

/** What a `thinking` chunk carried beside its text, kept on the reasoning part to send it back. */
export interface MistralReasoningMetadata {
  /** Mistral's `signature` for replaying reasoning across turns, when it sent one. */
  signature?: string
}

declare module '@modelplex/core' {
  interface ProviderOptionsRegistry {
    mistral: MistralProviderOptions
  }
}

const WIRE_NAMES: Record<string, string> = {
  promptMode: 'prompt_mode',
  reasoningEffort: 'reasoning_effort',
  safePrompt: 'safe_prompt',
  randomSeed: 'random_seed',
  parallelToolCalls: 'parallel_tool_calls',
  documentPageLimit: 'document_page_limit',
  documentImageLimit: 'document_image_limit',
  promptCacheKey: 'prompt_cache_key',
  serviceTier: 'service_tier',
}

/** The call's options as Mistral's body fields: typed keys renamed, every other key untouched. */
export function toMistralWireOptions(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key in options) out[WIRE_NAMES[key] ?? key] = options[key]
  return out
}
