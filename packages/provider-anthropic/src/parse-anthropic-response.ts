import {
  type ContentPart,
  type FinishReason,
  MalformedResponseError,
  type ModelInfo,
  type ToolCall,
  type Usage,
} from '@modelplex/core'
import type { AdapterGenerateResult } from '@modelplex/core/adapter'
import { malformedResponse } from '@modelplex/core/adapter'

/** Anthropic's usage object (a message's `usage`, or a stream's `message_start` / `message_delta` usage). */
export interface AnthropicUsagePayload {
  input_tokens?: number | null
  output_tokens?: number | null
  cache_read_input_tokens?: number | null
  cache_creation_input_tokens?: number | null
  output_tokens_details?: { thinking_tokens?: number | null } | null
}

/** Maps a Messages API `stop_reason` to the core finish reason. */
export function mapAnthropicStopReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop'
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length'
    case 'tool_use':
      return 'tool-calls'
    case 'refusal':
      return 'content-filter'
    default:
      // `pause_turn` (a server tool paused a long turn) and anything newer.
      return 'other'
  }
}

const count = (value: number | null | undefined): number => (typeof value === 'number' ? value : 0)

/**
 * Normalizes Anthropic usage. Anthropic's `input_tokens` counts only the tokens after the last
 * cache breakpoint, excluding cache reads and writes; core's `inputTokens` is the whole prompt,
 * so the three are added and the cache counts reported as parts of it.
 */
export function convertAnthropicUsage(usage: AnthropicUsagePayload | null | undefined): Usage | undefined {
  if (!usage || typeof usage !== 'object') return undefined
  const cacheRead = count(usage.cache_read_input_tokens)
  const cacheWrite = count(usage.cache_creation_input_tokens)
  const inputTokens = count(usage.input_tokens) + cacheRead + cacheWrite
  const outputTokens = count(usage.output_tokens)
  const result: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens }
  if (cacheRead) result.cachedInputTokens = cacheRead
  if (cacheWrite) result.cacheWriteInputTokens = cacheWrite
  const thinking = usage.output_tokens_details?.thinking_tokens
  if (thinking) result.reasoningTokens = thinking
  return result
}

function malformed(name: string, what: string, raw: unknown): MalformedResponseError {
  return malformedResponse(`${name}: the response is not a message (${what})`, { provider: 'anthropic', raw })
}

/** The arguments of a `tool_use` block as text: the object Anthropic parsed, written back as JSON. */
export function toolInputText(input: unknown): string {
  return input === undefined ? '' : JSON.stringify(input)
}

/**
 * Parses a non-streaming Messages API response. Blocks keep their order in `content`; text and
 * thinking are joined into `text` and `reasoning`. A body that is not a message (a string, no
 * `content` array) throws `MalformedResponseError`.
 */
export function parseAnthropicResponse(response: unknown, name = 'Anthropic'): AdapterGenerateResult {
  if (!response || typeof response !== 'object')
    throw malformed(name, 'the body is not a JSON object', response)
  const body = response as any
  if (!Array.isArray(body.content)) throw malformed(name, 'no "content" array', response)
  let text = ''
  let reasoning = ''
  const content: ContentPart[] = []
  const toolCalls: ToolCall[] = []
  for (const block of body.content) {
    if (!block || typeof block !== 'object') continue
    if (block.type === 'text' && typeof block.text === 'string') {
      text += block.text
      content.push({ type: 'text', text: block.text })
    } else if (block.type === 'thinking' && typeof block.thinking === 'string') {
      reasoning += block.thinking
      if (block.thinking) content.push({ type: 'reasoning', text: block.thinking })
    } else if (block.type === 'tool_use') {
      const call: ToolCall = {
        toolCallId: String(block.id ?? ''),
        toolName: String(block.name ?? ''),
        input: block.input ?? {},
        rawInput: toolInputText(block.input ?? {}),
      }
      toolCalls.push(call)
      content.push({ type: 'tool-call', ...call })
    }
    // redacted_thinking, server tool blocks and newer block types carry nothing core represents.
  }
  const rawFinishReason = typeof body.stop_reason === 'string' ? body.stop_reason : undefined
  return {
    text,
    ...(reasoning ? { reasoning } : {}),
    content,
    toolCalls,
    finishReason: mapAnthropicStopReason(rawFinishReason),
    rawFinishReason,
    usage: convertAnthropicUsage(body.usage),
    model: typeof body.model === 'string' ? body.model : undefined,
    id: typeof body.id === 'string' ? body.id : undefined,
    raw: response,
  }
}

/** Parses one page of `GET /v1/models`. */
export function parseAnthropicModels(
  response: unknown,
  name = 'Anthropic',
): { models: ModelInfo[]; hasMore: boolean; lastId: string | undefined } {
  const body = response as any
  if (!body || typeof body !== 'object' || !Array.isArray(body.data)) {
    throw new MalformedResponseError(`${name}: the response is not a model list (no "data" array)`, {
      provider: 'anthropic',
    })
  }
  const models = body.data.map((model: any): ModelInfo => {
    const info: ModelInfo = { id: String(model?.id), ownedBy: 'anthropic' }
    if (typeof model?.created_at === 'string') {
      const created = new Date(model.created_at)
      if (!Number.isNaN(created.getTime())) info.createdAt = created
    }
    if (typeof model?.max_input_tokens === 'number') info.contextWindow = model.max_input_tokens
    return info
  })
  return {
    models,
    hasMore: body.has_more === true,
    lastId: typeof body.last_id === 'string' ? body.last_id : undefined,
  }
}
