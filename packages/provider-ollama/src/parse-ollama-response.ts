import type { FinishReason, MalformedResponseError, ModelInfo, ToolCall, Usage } from '@modelplex/core'
import {
  type AdapterEmbedResult,
  type AdapterGenerateResult,
  assembleResult,
  malformedResponse,
  parseToolInput,
  type VendorMetadata,
} from '@modelplex/core/adapter'

/** A tool call as `/api/chat` writes it: whole, arguments as an object, `id` since Ollama 0.12.10. */
export interface OllamaToolCallPayload {
  id?: string
  function: { index?: number; name: string; arguments: Record<string, unknown> | string }
}

function malformed(message: string): MalformedResponseError {
  return malformedResponse(`Ollama: ${message}`, { provider: 'ollama' })
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A fresh id in Ollama's own `call_` form, for servers older than 0.12.10 that send none. */
export function synthesizeToolCallId(): string {
  return `call_${globalThis.crypto.randomUUID().replace(/-/g, '').slice(0, 8)}`
}

/** One Ollama tool call into a core tool call; `rawInput` is the arguments' JSON. */
export function convertOllamaToolCall(call: unknown): ToolCall {
  const fn = isObject(call) ? call.function : undefined
  if (!isObject(call) || !isObject(fn) || typeof fn.name !== 'string') {
    throw malformed('a tool call has no function name')
  }
  const args = fn.arguments
  const rawInput = typeof args === 'string' ? args : JSON.stringify(args ?? {})
  return {
    toolCallId: typeof call.id === 'string' && call.id ? call.id : synthesizeToolCallId(),
    toolName: fn.name,
    input: typeof args === 'string' ? parseToolInput(args) : (args ?? {}),
    rawInput,
  }
}

/**
 * `done_reason` into the core finish reason. Ollama says `stop` when the model called tools,
 * so calls decide `tool-calls`; `load`/`unload` (an empty chat) are `other`.
 */
export function mapOllamaDoneReason(doneReason: unknown, hasToolCalls: boolean): FinishReason {
  if (hasToolCalls && (doneReason === 'stop' || doneReason === undefined)) return 'tool-calls'
  if (doneReason === 'stop' || doneReason === undefined) return 'stop'
  if (doneReason === 'length') return 'length'
  return 'other'
}

/** `prompt_eval_count`/`eval_count` (and the cached count) into core usage; Ollama omits a count that is 0. */
export function convertOllamaUsage(chunk: Record<string, any>): Usage {
  const inputTokens = typeof chunk.prompt_eval_count === 'number' ? chunk.prompt_eval_count : 0
  const outputTokens = typeof chunk.eval_count === 'number' ? chunk.eval_count : 0
  const usage: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens }
  // `prompt_eval_cached_count` (Ollama ≥ 0.33, ollama/ollama#17943): prompt tokens read from the KV
  // cache, part of `prompt_eval_count`.
  const cached = chunk.prompt_eval_cached_count
  if (typeof cached === 'number' && cached > 0) usage.cachedInputTokens = cached
  return usage
}

/** The timings and counts of the final `/api/chat` chunk, Ollama's name → camelCase. */
const METADATA_FIELDS = {
  total_duration: 'totalDuration',
  load_duration: 'loadDuration',
  prompt_eval_count: 'promptEvalCount',
  prompt_eval_cached_count: 'promptEvalCachedCount',
  prompt_eval_duration: 'promptEvalDuration',
  eval_count: 'evalCount',
  eval_duration: 'evalDuration',
  done_reason: 'doneReason',
  created_at: 'createdAt',
} as const

/**
 * What Ollama sends beyond the common result: its timings in nanoseconds (`total_duration`,
 * `load_duration`, `prompt_eval_duration`, `eval_duration`), the counts, `done_reason` and
 * `created_at` (docs/api.md, "Generate a chat completion"), in camelCase.
 */
export function ollamaMetadata(chunk: Record<string, unknown>): VendorMetadata {
  const metadata: VendorMetadata = {}
  for (const field in METADATA_FIELDS) {
    const value = chunk[field]
    if (typeof value === 'number' || typeof value === 'string')
      metadata[METADATA_FIELDS[field as keyof typeof METADATA_FIELDS]] = value
  }
  return metadata
}

/** Reads a non-streamed `/api/chat` answer into the adapter's result. */
export function parseOllamaChatResponse(response: unknown): AdapterGenerateResult {
  if (!isObject(response) || !isObject(response.message)) {
    throw malformed('the chat response has no message object')
  }
  const message = response.message
  if (message.content !== undefined && message.content !== null && typeof message.content !== 'string') {
    throw malformed('message.content is not a string')
  }
  const text: string = message.content ?? ''
  const reasoning = typeof message.thinking === 'string' && message.thinking ? message.thinking : undefined
  const toolCalls = Array.isArray(message.tool_calls) ? message.tool_calls.map(convertOllamaToolCall) : []
  const doneReason = typeof response.done_reason === 'string' ? response.done_reason : undefined
  const metadata = ollamaMetadata(response)
  return assembleResult({
    text,
    reasoning,
    toolCalls,
    ...(Object.keys(metadata).length > 0 ? { providerMetadata: metadata } : {}),
    finishReason: mapOllamaDoneReason(doneReason, toolCalls.length > 0),
    rawFinishReason: doneReason,
    usage: convertOllamaUsage(response),
    model: typeof response.model === 'string' ? response.model : undefined,
    // Ollama gives an answer no id.
    id: undefined,
    raw: response,
  })
}

/** Reads an `/api/embed` answer; `prompt_eval_count` is the input usage. */
export function parseOllamaEmbedResponse(response: unknown, expected: number): AdapterEmbedResult {
  if (!isObject(response) || !Array.isArray(response.embeddings)) {
    throw malformed('the embed response has no embeddings array')
  }
  const embeddings = response.embeddings as number[][]
  if (embeddings.length !== expected || !embeddings.every(Array.isArray)) {
    throw malformed(`expected ${expected} embeddings, got ${embeddings.length}`)
  }
  return {
    embeddings,
    usage: { inputTokens: typeof response.prompt_eval_count === 'number' ? response.prompt_eval_count : 0 },
    model: typeof response.model === 'string' ? response.model : undefined,
    raw: response,
  }
}

/** Reads `/api/tags` (the models pulled on this server) into model ids. */
export function parseOllamaModels(response: unknown): ModelInfo[] {
  if (!isObject(response) || !Array.isArray(response.models)) {
    throw malformed('the model list has no models array')
  }
  return response.models.map((model: unknown) => {
    const id = isObject(model) ? (model.name ?? model.model) : undefined
    if (typeof id !== 'string') throw malformed('a listed model has no name')
    return { id }
  })
}
