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
  type VendorMetadata,
} from '@modelplex/core/adapter'

// `cohere-ai` hands back its camelCase shape (`finishReason`, `toolCalls`, `billedUnits`).

/** Maps a v2 `finish_reason` to the core finish reason. */
export function mapCohereFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'COMPLETE':
    case 'STOP_SEQUENCE':
      return 'stop'
    case 'MAX_TOKENS':
    case 'ERROR_LIMIT':
      return 'length'
    case 'TOOL_CALL':
      return 'tool-calls'
    // v1's reason for a reply deemed toxic; the v2 enum may still carry it.
    case 'ERROR_TOXIC':
      return 'content-filter'
    case 'ERROR':
    case 'TIMEOUT':
      return 'error'
    default:
      return 'other'
  }
}

/**
 * Normalizes v2 usage: `billed_units` (what Cohere charges for) first, `tokens` (what the model read,
 * the prompt template included, often 40× more) when the response carries only those;
 * `cached_tokens` (part of the input) when Cohere reports some. `tokens` stays in providerMetadata.
 * Pricing `tokens` overcharged: a real reply bills 12 input tokens and reports 507 (issue 15).
 */
export function convertCohereUsage(usage: any): Usage | undefined {
  if (!usage || typeof usage !== 'object') return undefined
  const counts = usage.billedUnits ?? usage.tokens
  if (!counts || typeof counts !== 'object') return undefined
  const inputTokens = typeof counts.inputTokens === 'number' ? counts.inputTokens : 0
  const outputTokens = typeof counts.outputTokens === 'number' ? counts.outputTokens : 0
  const result: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens }
  if (typeof usage.cachedTokens === 'number' && usage.cachedTokens > 0)
    result.cachedInputTokens = usage.cachedTokens
  return result
}

function malformed(provider: string, what: string, raw: unknown): MalformedResponseError {
  // The SDK hands a 200 body that is not JSON back as `{ ok: false, error: { rawBody } }`.
  return malformedResponse(`${provider}: the response is not a v2 chat response (${what})`, {
    provider,
    raw: (raw as any)?.error?.rawBody,
  })
}

/** An assistant message read in order: its text, its reasoning and its text and reasoning parts. */
interface CohereContent {
  text: string
  reasoning: string
  parts: AdapterContentPart[]
}

/**
 * Reads the text and the reasoning (thinking content, then the tool plan) of an assistant message.
 * The tool plan is the model's reasoning before it calls tools, not part of the answer; its part is
 * marked `toolPlan` so that it goes back as `tool_plan`.
 */
function readContent(message: any): CohereContent {
  const out: CohereContent = { text: '', reasoning: '', parts: [] }
  const content = message.content
  if (typeof content === 'string') {
    out.text = content
    if (content) out.parts.push({ type: 'text', text: content })
  } else if (Array.isArray(content)) {
    for (const item of content) {
      if (item?.type === 'text' && typeof item.text === 'string') {
        out.text += item.text
        const last = out.parts[out.parts.length - 1]
        if (last?.type === 'text') last.text += item.text
        else out.parts.push({ type: 'text', text: item.text })
      } else if (item?.type === 'thinking' && typeof item.thinking === 'string') {
        out.reasoning += item.thinking
        out.parts.push({ type: 'reasoning', text: item.thinking })
      }
    }
  }
  if (typeof message.toolPlan === 'string' && message.toolPlan !== '') {
    out.reasoning += message.toolPlan
    out.parts.push({ type: 'reasoning', text: message.toolPlan, providerMetadata: { toolPlan: true } })
  }
  return out
}

/**
 * What Cohere sends beyond the common result: `billedUnits` (what the call is billed for, search
 * units and classifications included) and `tokens` from `usage`, `cachedTokens`, the message's
 * `citations` (with their sources) and `logprobs` when asked (docs.cohere.com/reference/chat).
 */
export function cohereMetadata(parts: {
  usage?: any
  citations?: unknown[] | undefined
  logprobs?: unknown
}): VendorMetadata {
  const metadata: VendorMetadata = {}
  const { usage, citations, logprobs } = parts
  if (usage?.billedUnits && typeof usage.billedUnits === 'object') metadata.billedUnits = usage.billedUnits
  if (usage?.tokens && typeof usage.tokens === 'object') metadata.tokens = usage.tokens
  if (typeof usage?.cachedTokens === 'number') metadata.cachedTokens = usage.cachedTokens
  if (Array.isArray(citations) && citations.length > 0) metadata.citations = citations
  if (Array.isArray(logprobs) && logprobs.length > 0) metadata.logprobs = logprobs
  return metadata
}

/**
 * Parses a non-streaming v2 chat response. Anything that is not the documented shape (no
 * `message`, no `finish_reason`, a body that was not JSON) throws `MalformedResponseError`.
 */
export function parseCohereResponse(response: unknown, provider = 'cohere'): AdapterGenerateResult {
  if (!response || typeof response !== 'object')
    throw malformed(provider, 'the body is not a JSON object', response)
  const body = response as any
  if (!body.message || typeof body.message !== 'object')
    throw malformed(provider, 'no "message" object', response)
  if (typeof body.finishReason !== 'string') throw malformed(provider, 'no "finish_reason"', response)
  const { text, reasoning, parts } = readContent(body.message)
  const toolCalls: ToolCall[] = []
  if (Array.isArray(body.message.toolCalls)) {
    for (const call of body.message.toolCalls) {
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
  const metadata = cohereMetadata({
    usage: body.usage,
    citations: body.message.citations,
    logprobs: body.logprobs,
  })
  return assembleResult({
    text,
    reasoning,
    toolCalls,
    content: [...parts, ...toolCalls.map((call) => ({ type: 'tool-call' as const, ...call }))],
    ...(Object.keys(metadata).length > 0 ? { providerMetadata: metadata } : {}),
    finishReason: mapCohereFinishReason(body.finishReason),
    rawFinishReason: body.finishReason,
    usage: convertCohereUsage(body.usage),
    // The v2 chat response does not name the model; core falls back to the requested one.
    model: undefined,
    id: typeof body.id === 'string' ? body.id : undefined,
    raw: response,
  })
}

const NUMERIC_TYPES = ['float', 'int8', 'uint8', 'binary', 'ubinary'] as const

/** The vectors of one embed response: `embeddings.float`, else the first type asked for. */
function readVectors(embeddings: any, provider: string): number[][] {
  // v1-style `embeddings_floats` responses carry the list itself.
  if (Array.isArray(embeddings)) return embeddings
  if (embeddings && typeof embeddings === 'object') {
    for (const type of NUMERIC_TYPES) if (Array.isArray(embeddings[type])) return embeddings[type]
    if (Array.isArray(embeddings.base64)) return embeddings.base64.map(decodeBase64Embedding)
  }
  throw new MalformedResponseError(`${provider}: the response is not an embed response (no "embeddings")`, {
    provider,
  })
}

/** Parses the v2 embed responses of one request (one per batch of 96 texts). */
export function parseCohereEmbeddings(
  responses: readonly unknown[],
  expected: number,
  provider = 'cohere',
): AdapterEmbedResult {
  const embeddings: number[][] = []
  let inputTokens: number | undefined
  for (const response of responses) {
    const body = response as any
    if (!body || typeof body !== 'object') {
      throw new MalformedResponseError(`${provider}: the embed response is not a JSON object`, { provider })
    }
    embeddings.push(...readVectors(body.embeddings, provider))
    const meta = body.meta
    const tokens = meta?.billedUnits?.inputTokens ?? meta?.tokens?.inputTokens
    if (typeof tokens === 'number') inputTokens = (inputTokens ?? 0) + tokens
  }
  if (embeddings.length !== expected) {
    throw new MalformedResponseError(
      `${provider}: the embed response holds ${embeddings.length} vectors for ${expected} texts`,
      { provider },
    )
  }
  return {
    embeddings,
    usage: inputTokens === undefined ? undefined : { inputTokens },
    model: undefined,
    raw: responses.length === 1 ? responses[0] : responses,
  }
}

/** Parses one page of `GET /v1/models`. */
export function parseCohereModels(response: unknown, provider = 'cohere'): ModelInfo[] {
  const models = (response as any)?.models
  if (!Array.isArray(models)) {
    throw new MalformedResponseError(`${provider}: the response is not a model list (no "models" array)`, {
      provider,
    })
  }
  return models.map((model: any): ModelInfo => {
    const info: ModelInfo = { id: String(model?.name) }
    if (typeof model?.contextLength === 'number') info.contextWindow = model.contextLength
    return info
  })
}
