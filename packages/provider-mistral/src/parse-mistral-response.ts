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
  malformedResponse,
  parseToolInput,
  type VendorMetadata,
} from '@modelplex/core/adapter'

const PROVIDER = 'mistral'

/** Maps Mistral's `finish_reason` (`stop`, `length`, `model_length`, `tool_calls`, `error`). */
export function mapMistralFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop'
    // `model_length`: the model's own context limit cut the answer, not `max_tokens`.
    case 'length':
    case 'model_length':
      return 'length'
    case 'tool_calls':
      return 'tool-calls'
    case 'error':
      return 'error'
    default:
      return 'other'
  }
}

/**
 * Normalizes the SDK's usage object. The SDK renames the three counts to camelCase and keeps any
 * other field as the wire wrote it, so cached tokens are read from `prompt_tokens_details`.
 */
export function convertMistralUsage(usage: unknown): Usage | undefined {
  if (!usage || typeof usage !== 'object') return undefined
  const u = usage as Record<string, any>
  const inputTokens = typeof u.promptTokens === 'number' ? u.promptTokens : (u.prompt_tokens ?? 0)
  const outputTokens =
    typeof u.completionTokens === 'number' ? u.completionTokens : (u.completion_tokens ?? 0)
  const total = typeof u.totalTokens === 'number' ? u.totalTokens : u.total_tokens
  const result: Usage = { inputTokens, outputTokens, totalTokens: total || inputTokens + outputTokens }
  const cached =
    u.prompt_tokens_details?.cached_tokens ?? u.prompt_token_details?.cached_tokens ?? u.num_cached_tokens
  if (typeof cached === 'number' && cached > 0) result.cachedInputTokens = cached
  const reasoning = u.completion_tokens_details?.reasoning_tokens
  if (typeof reasoning === 'number' && reasoning > 0) result.reasoningTokens = reasoning
  return result
}

/** Message content read in order: its text, its `thinking` text, its parts, and its reference ids. */
export interface MistralContent {
  text: string
  reasoning: string
  /** Text and reasoning parts in the order Mistral sent them (a signature, when sent, on its part). */
  parts: AdapterContentPart[]
  /** The ids of `reference` chunks (sources a web-search or library tool cited), in order. */
  references: Array<string | number>
}

/** The `text` of a `thinking` chunk's inner chunks, joined. */
export function thinkingText(thinking: unknown): string {
  let text = ''
  if (Array.isArray(thinking))
    for (const inner of thinking) if (typeof inner?.text === 'string') text += inner.text
  return text
}

/** Splits message content (a string or chunks) into its text, its `thinking` text and its parts. */
export function readMistralContent(content: unknown): MistralContent {
  const out: MistralContent = { text: '', reasoning: '', parts: [], references: [] }
  if (typeof content === 'string') {
    out.text = content
    if (content !== '') out.parts.push({ type: 'text', text: content })
    return out
  }
  if (!Array.isArray(content)) return out
  for (const chunk of content) {
    if (chunk?.type === 'text' && typeof chunk.text === 'string') {
      out.text += chunk.text
      const last = out.parts[out.parts.length - 1]
      if (last?.type === 'text') last.text += chunk.text
      else if (chunk.text !== '') out.parts.push({ type: 'text', text: chunk.text })
    } else if (chunk?.type === 'thinking') {
      const text = thinkingText(chunk.thinking)
      out.reasoning += text
      const signature = typeof chunk.signature === 'string' ? chunk.signature : undefined
      // An empty, unsigned thinking chunk holds nothing to show or to send back.
      if (text !== '' || signature)
        out.parts.push({ type: 'reasoning', text, ...(signature ? { providerMetadata: { signature } } : {}) })
    } else if (chunk?.type === 'reference') {
      const ids = chunk.referenceIds ?? chunk.reference_ids
      if (Array.isArray(ids)) out.references.push(...ids)
    }
  }
  return out
}

/**
 * What Mistral sends beyond the common result: `created` (Unix seconds), and from `usage` the
 * `service_tier` and `prompt_audio_seconds` (audio input), plus content `reference` ids.
 */
export function mistralMetadata(body: any, references: Array<string | number> = []): VendorMetadata {
  const metadata: VendorMetadata = {}
  if (typeof body?.created === 'number') metadata.created = body.created
  const usage = body?.usage
  const tier = usage?.serviceTier ?? usage?.service_tier
  if (typeof tier === 'string') metadata.serviceTier = tier
  const audio = usage?.promptAudioSeconds ?? usage?.prompt_audio_seconds
  if (typeof audio === 'number') metadata.promptAudioSeconds = audio
  if (references.length > 0) metadata.references = references
  return metadata
}

/** The SDK fills a missing tool call id with the string "null". */
export function readToolCallId(id: unknown): string | undefined {
  return typeof id === 'string' && id !== '' && id !== 'null' ? id : undefined
}

/** Mistral sends arguments as a JSON string; the SDK also allows an already-parsed object. */
export function readArguments(value: unknown): string {
  if (typeof value === 'string') return value
  return value === undefined || value === null ? '' : JSON.stringify(value)
}

function malformed(what: string): MalformedResponseError {
  return malformedResponse(`Mistral: the response is not a chat completion (${what})`, { provider: PROVIDER })
}

/** Parses the SDK's `ChatCompletionResponse`; an undocumented shape throws `MalformedResponseError`. */
export function parseMistralResponse(response: unknown): AdapterGenerateResult {
  if (!response || typeof response !== 'object') throw malformed('the body is not an object')
  const body = response as any
  if (!Array.isArray(body.choices)) throw malformed('no "choices" array')
  const choice = body.choices[0]
  if (!choice?.message || typeof choice.message !== 'object') throw malformed('no message in "choices[0]"')
  const message = choice.message
  const { text, reasoning, parts, references } = readMistralContent(message.content)
  const toolCalls: ToolCall[] = []
  if (Array.isArray(message.toolCalls)) {
    for (const call of message.toolCalls) {
      if (!call?.function) continue
      const rawInput = readArguments(call.function.arguments)
      toolCalls.push({
        toolCallId: readToolCallId(call.id) ?? '',
        toolName: call.function.name ?? '',
        input: parseToolInput(rawInput),
        rawInput,
      })
    }
  }
  const rawFinishReason = typeof choice.finishReason === 'string' ? choice.finishReason : undefined
  const metadata = mistralMetadata(body, references)
  return assembleResult({
    text,
    reasoning,
    toolCalls,
    content: [...parts, ...toolCalls.map((call) => ({ type: 'tool-call' as const, ...call }))],
    ...(Object.keys(metadata).length > 0 ? { providerMetadata: metadata } : {}),
    finishReason: mapMistralFinishReason(rawFinishReason),
    rawFinishReason,
    usage: convertMistralUsage(body.usage),
    model: typeof body.model === 'string' ? body.model : undefined,
    id: typeof body.id === 'string' ? body.id : undefined,
    raw: response,
  })
}

/** Parses the SDK's `EmbeddingResponse`, ordering vectors by `index`. */
export function parseMistralEmbeddings(response: unknown): AdapterEmbedResult {
  const body = response as any
  if (!body || typeof body !== 'object' || !Array.isArray(body.data)) {
    throw new MalformedResponseError('Mistral: the response is not an embeddings list (no "data" array)', {
      provider: PROVIDER,
    })
  }
  const items = [...body.data].sort((a, b) => (a?.index ?? 0) - (b?.index ?? 0))
  const embeddings = items.map((item) => {
    if (!Array.isArray(item?.embedding)) {
      throw new MalformedResponseError('Mistral: an embedding is not an array of numbers', {
        provider: PROVIDER,
      })
    }
    return item.embedding as number[]
  })
  const inputTokens = body.usage?.promptTokens
  return {
    embeddings,
    usage: typeof inputTokens === 'number' ? { inputTokens } : undefined,
    model: typeof body.model === 'string' ? body.model : undefined,
    raw: response,
  }
}

/** Parses the SDK's `ModelList` (base and fine-tuned cards; unknown card types keep their raw id). */
export function parseMistralModels(response: unknown): ModelInfo[] {
  const data = (response as any)?.data
  if (!Array.isArray(data)) {
    throw new MalformedResponseError('Mistral: the response is not a model list (no "data" array)', {
      provider: PROVIDER,
    })
  }
  const models: ModelInfo[] = []
  for (const item of data) {
    const card = item?.isUnknown ? item.raw : item
    if (typeof card?.id !== 'string') continue
    const info: ModelInfo = { id: card.id }
    const ownedBy = card.ownedBy ?? card.owned_by
    if (typeof ownedBy === 'string') info.ownedBy = ownedBy
    if (typeof card.created === 'number') info.createdAt = new Date(card.created * 1000)
    const contextWindow = card.maxContextLength ?? card.max_context_length
    if (typeof contextWindow === 'number') info.contextWindow = contextWindow
    models.push(info)
  }
  return models
}
