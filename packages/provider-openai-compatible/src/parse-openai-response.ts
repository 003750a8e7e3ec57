import {
  type FinishReason,
  MalformedResponseError,
  type ModelInfo,
  type ToolCall,
  type Usage,
} from '@modelplex/core'
import {
  type AdapterContentPart,
  type AdapterEmbedResult,
  type AdapterGenerateResult,
  assembleResult,
  decodeBase64Embedding,
  malformedResponse,
  parseToolInput,
} from '@modelplex/core/adapter'
import {
  DEFAULT_REASONING_FIELDS,
  type OpenAICompatibleQuirks,
  type OpenAIUsagePayload,
} from './openai-compatible-quirks.js'
import { readOpenAIMetadata, reasoningDetailsText } from './openai-metadata.js'

/** Maps a Chat Completions `finish_reason` to the core finish reason. */
export function mapOpenAIFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
    // Together's serverless models may end with `eos` (end of sequence): a natural stop.
    case 'eos':
      return 'stop'
    case 'length':
      return 'length'
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls'
    case 'content_filter':
      return 'content-filter'
    default:
      return 'other'
  }
}

/** Normalizes OpenAI usage; cache and reasoning counts appear only when the vendor reports some. */
export function convertOpenAIUsage(usage: OpenAIUsagePayload | null | undefined): Usage | undefined {
  if (!usage || typeof usage !== 'object') return undefined
  const inputTokens = usage.prompt_tokens ?? 0
  const outputTokens = usage.completion_tokens ?? 0
  const result: Usage = {
    inputTokens,
    outputTokens,
    totalTokens: usage.total_tokens ?? inputTokens + outputTokens,
  }
  const cached = usage.prompt_tokens_details?.cached_tokens
  if (cached) result.cachedInputTokens = cached
  // OpenRouter reports the writes of upstream caches (Anthropic, Gemini) beside the reads.
  const written = usage.prompt_tokens_details?.cache_write_tokens
  if (typeof written === 'number' && written > 0) result.cacheWriteInputTokens = written
  const reasoning = usage.completion_tokens_details?.reasoning_tokens
  if (reasoning) result.reasoningTokens = reasoning
  return result
}

/** Reads the usage of a completion or chunk: `usage`, else the vendor's own location. */
export function readOpenAIUsage(
  payload: any,
  quirks: Pick<OpenAICompatibleQuirks, 'extractUsage'>,
): Usage | undefined {
  const usage = quirks.extractUsage?.(payload) ?? payload.usage
  return convertOpenAIUsage(usage)
}

/** The reasoning text of a message or delta, from the first field the vendor uses. */
export function readReasoning(source: any, fields: readonly string[]): string | undefined {
  for (const field of fields) {
    const value = source[field]
    if (typeof value === 'string' && value) return value
  }
  return undefined
}

function malformed(provider: string, what: string, raw: unknown): MalformedResponseError {
  return malformedResponse(`${provider}: the response is not a chat completion (${what})`, { provider, raw })
}

function messageText(content: unknown, provider: string, raw: unknown): string {
  if (typeof content === 'string') return content
  // Some servers return content as parts; keep the text ones.
  if (Array.isArray(content)) {
    return content.map((part) => (part && typeof part.text === 'string' ? part.text : '')).join('')
  }
  // null or absent: a reply of tool calls (or a refusal). Anything else is not the documented shape:
  // `content: 42` must not pass as an empty answer that finished normally.
  if (content === null || content === undefined) return ''
  throw malformed(provider, `"choices[0].message.content" is ${typeof content}, not text`, raw)
}

/**
 * Parses a non-streaming Chat Completions response. Anything that is not the documented shape
 * (no `choices`, no `message`, a string body) throws `MalformedResponseError`.
 */
export function parseOpenAIResponse(
  response: unknown,
  quirks: OpenAICompatibleQuirks = {},
  provider = 'openai-compatible',
): AdapterGenerateResult {
  if (!response || typeof response !== 'object')
    throw malformed(provider, 'the body is not a JSON object', response)
  const body = response as any
  if (!Array.isArray(body.choices)) throw malformed(provider, 'no "choices" array', response)
  const choice = body.choices[0]
  if (!choice || typeof choice !== 'object' || !choice.message || typeof choice.message !== 'object') {
    throw malformed(provider, 'no message in "choices[0]"', response)
  }
  const message = choice.message
  const details = quirks.reasoningDetailsField ? message[quirks.reasoningDetailsField] : undefined
  const reasoningDetails = Array.isArray(details) && details.length > 0 ? (details as unknown[]) : undefined
  const reasoning =
    readReasoning(message, quirks.reasoningFields ?? DEFAULT_REASONING_FIELDS) ??
    (reasoningDetails ? reasoningDetailsText(reasoningDetails) : undefined)
  // A refusal (structured outputs) has no content; its text is the answer the caller needs to see.
  const text =
    messageText(message.content, provider, response) ||
    (typeof message.refusal === 'string' ? message.refusal : '')
  const toolCalls: ToolCall[] = []
  if (Array.isArray(message.tool_calls)) {
    for (const call of message.tool_calls) {
      if (!call?.function) continue
      const rawInput = typeof call.function.arguments === 'string' ? call.function.arguments : ''
      toolCalls.push({
        toolCallId: call.id ?? '',
        toolName: call.function.name ?? '',
        input: parseToolInput(rawInput),
        rawInput,
      })
    }
  }
  const rawFinishReason = typeof choice.finish_reason === 'string' ? choice.finish_reason : undefined
  const cost = quirks.extractCost?.(body)
  // Structured reasoning goes back whole: it rides on the reasoning part, even one with no text.
  const content: AdapterContentPart[] | undefined = reasoningDetails
    ? [
        { type: 'reasoning', text: reasoning ?? '', providerMetadata: { reasoningDetails } },
        ...(text ? [{ type: 'text' as const, text }] : []),
        ...toolCalls.map((call) => ({ type: 'tool-call' as const, ...call })),
      ]
    : undefined
  const providerMetadata = readOpenAIMetadata(body, 'completion', quirks)
  return assembleResult({
    text,
    reasoning,
    toolCalls,
    content,
    providerMetadata,
    finishReason: mapOpenAIFinishReason(rawFinishReason),
    rawFinishReason,
    usage: readOpenAIUsage(body, quirks),
    cost,
    model: typeof body.model === 'string' ? body.model : undefined,
    id: typeof body.id === 'string' ? body.id : undefined,
    raw: response,
  })
}

/** Parses an embeddings response, ordering the vectors by `index`. */
export function parseOpenAIEmbeddings(response: unknown, provider = 'openai-compatible'): AdapterEmbedResult {
  const body = response as any
  if (!body || typeof body !== 'object' || !Array.isArray(body.data)) {
    throw new MalformedResponseError(
      `${provider}: the response is not an embeddings list (no "data" array)`,
      { provider },
    )
  }
  const items = [...body.data].sort((a, b) => (a?.index ?? 0) - (b?.index ?? 0))
  const embeddings = items.map((item) => {
    const vector = item?.embedding
    if (Array.isArray(vector)) return vector as number[]
    if (typeof vector === 'string') return decodeBase64Embedding(vector)
    // The SDK decodes its default base64 into a Float32Array.
    if (ArrayBuffer.isView(vector)) return Array.from(vector as Float32Array)
    throw new MalformedResponseError(`${provider}: an embedding is neither numbers nor base64`, { provider })
  })
  const inputTokens = body.usage?.prompt_tokens
  return {
    embeddings,
    usage: typeof inputTokens === 'number' ? { inputTokens } : undefined,
    model: typeof body.model === 'string' ? body.model : undefined,
    raw: response,
  }
}

/** Parses a `GET /models` list. */
export function parseOpenAIModels(response: unknown, provider = 'openai-compatible'): ModelInfo[] {
  const data = (response as any)?.data
  if (!Array.isArray(data)) {
    throw new MalformedResponseError(`${provider}: the response is not a model list (no "data" array)`, {
      provider,
    })
  }
  return data.map((model: any): ModelInfo => {
    const info: ModelInfo = { id: String(model.id) }
    if (typeof model.owned_by === 'string') info.ownedBy = model.owned_by
    if (typeof model.created === 'number') info.createdAt = new Date(model.created * 1000)
    return info
  })
}
