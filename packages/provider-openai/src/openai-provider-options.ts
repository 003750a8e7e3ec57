/**
 * `providerOptions.openai`, typed. Keys are camelCase here and snake_case on the wire; a key
 * modelplex does not know is sent to OpenAI untouched, so new API parameters work before they are typed.
 */
export interface OpenAIProviderOptions {
  /** Reasoning models: how hard to think and whether to return a summary (Responses `reasoning`). */
  reasoning?: {
    /** `minimal` | `low` | `medium` | `high` (model-dependent); Chat Completions sends it as `reasoning_effort`. */
    effort?: 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | (string & {})
    /** `auto` | `concise` | `detailed`: the reasoning summary streamed as `reasoning-delta` (Responses only). */
    summary?: 'auto' | 'concise' | 'detailed' | (string & {})
  }
  /**
   * Keep the response on OpenAI's side (Responses `store`). modelplex sends `false` by default, so
   * reasoning travels back as encrypted items in `r.messages` (stateless).
   */
  store?: boolean
  /** Extra output to include, e.g. `['reasoning.encrypted_content', 'message.output_text.logprobs']`. */
  include?: string[]
  /** Routes requests that share a long prefix to the same prompt cache (`prompt_cache_key`). */
  promptCacheKey?: string
  /** `auto` | `default` | `flex` | `priority` (`service_tier`); the tier used comes back in providerMetadata. */
  serviceTier?: 'auto' | 'default' | 'flex' | 'scale' | 'priority' | (string & {})
  /** Whether the model may call several tools in one turn (`parallel_tool_calls`). */
  parallelToolCalls?: boolean
  /** Continue a stored response instead of sending the whole history (Responses `previous_response_id`). */
  previousResponseId?: string
  /** A stable id of the end user, for abuse monitoring (`user`). */
  user?: string
  /** Return token log probabilities (Chat `logprobs`; Responses adds `message.output_text.logprobs` to `include`). */
  logprobs?: boolean
  /** How many alternatives per token with `logprobs` (`top_logprobs`, 0–20). */
  topLogprobs?: number
  /** `low` | `medium` | `high`: answer length on GPT-5 models (Responses `text.verbosity`, Chat `verbosity`). */
  textVerbosity?: 'low' | 'medium' | 'high' | (string & {})
  /** `auto` | `disabled`: what happens when the input exceeds the context window (Responses `truncation`). */
  truncation?: 'auto' | 'disabled' | (string & {})
  /** Up to 16 string pairs stored with the response (`metadata`). */
  metadata?: Record<string, string>
}

declare module '@modelplex/core' {
  interface ProviderOptionsRegistry {
    openai: OpenAIProviderOptions
  }
}

/** camelCase → snake_case, for keys modelplex does not type (`maxToolCalls` → `max_tool_calls`). */
export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)
}

/** The typed keys that are written under another name (the rest are snake-cased or passed as is). */
const KNOWN_KEYS = new Set([
  'reasoning',
  'store',
  'include',
  'promptCacheKey',
  'serviceTier',
  'parallelToolCalls',
  'previousResponseId',
  'user',
  'logprobs',
  'topLogprobs',
  'textVerbosity',
  'truncation',
  'metadata',
])

/** Which typed keys a Responses body takes at the top level, under their wire names. */
const RESPONSES_FIELDS: Record<string, string> = {
  store: 'store',
  promptCacheKey: 'prompt_cache_key',
  serviceTier: 'service_tier',
  parallelToolCalls: 'parallel_tool_calls',
  previousResponseId: 'previous_response_id',
  user: 'user',
  topLogprobs: 'top_logprobs',
  truncation: 'truncation',
  metadata: 'metadata',
}

/** What `providerOptions.openai` adds to a Responses body, beside the fields written here. */
export interface ResponsesOptionFields {
  /** Top-level fields, typed ones translated and unknown ones as given. */
  fields: Record<string, unknown>
  reasoning: { effort?: string; summary?: string } | undefined
  include: string[]
  textVerbosity: string | undefined
  store: boolean | undefined
}

/** Splits `providerOptions.openai` into the Responses body's parts. */
export function readResponsesOptions(options: Record<string, unknown>): ResponsesOptionFields {
  const fields: Record<string, unknown> = {}
  for (const key in options) {
    const value = options[key]
    if (value === undefined) continue
    const wire = RESPONSES_FIELDS[key]
    if (wire) fields[wire] = value
    else if (!KNOWN_KEYS.has(key)) fields[key] = value
  }
  const include = Array.isArray(options.include) ? [...(options.include as string[])] : []
  if (options.logprobs === true && !include.includes('message.output_text.logprobs')) {
    include.push('message.output_text.logprobs')
  }
  return {
    fields,
    reasoning: options.reasoning as ResponsesOptionFields['reasoning'],
    include,
    textVerbosity: options.textVerbosity as string | undefined,
    store: options.store as boolean | undefined,
  }
}

/** `providerOptions.openai` as a Chat Completions body takes it: typed keys translated, unknown keys as given. */
export function chatProviderOptions(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key in options) {
    const value = options[key]
    if (value === undefined) continue
    switch (key) {
      case 'reasoning': {
        const effort = (value as { effort?: string } | null)?.effort
        if (effort !== undefined) out.reasoning_effort = effort
        break
      }
      case 'textVerbosity':
        out.verbosity = value
        break
      case 'include':
      case 'previousResponseId':
      case 'truncation':
        // Responses-only: Chat Completions would answer 400 for an unknown parameter.
        break
      default:
        out[KNOWN_KEYS.has(key) ? snakeCase(key) : key] = value
    }
  }
  return out
}
