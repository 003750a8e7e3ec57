import {
  type FinishReason,
  MalformedResponseError,
  type ModelInfo,
  type ToolCall,
  type Usage,
} from '@modelplex/core'
import {
  type AdapterEmbedResult,
  type AdapterGenerateResult,
  assembleResult,
  malformedResponse,
  parseToolInput,
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

/** Splits message content (a string or chunks) into its text and its `thinking` text. */
export function readMistralContent(content: unknown): { text: string; reasoning: string } {
  if (typeof content === 'string') return { text: content, reasoning: '' }
  let text = ''
  let reasoning = ''
  if (Array.isArray(content)) {
    for (const chunk of content) {
      if (chunk?.type === 'text' && typeof chunk.text === 'string') text += chunk.text
      else if (chunk?.type === 'thinking' && Array.isArray(chunk.thinking)) {
        for (const inner of chunk.thinking) if (typeof inner?.text === 'string') reasoning += inner.text
      }
    }
  }
  return { text, reasoning }
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
  const { text, reasoning } = readMistralContent(message.content)
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
  return assembleResult({
    text,
    reasoning,
    toolCalls,
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
