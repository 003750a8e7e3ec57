import { type FinishReason, MalformedResponseError, type ModelInfo, type Usage } from '@modelplex/core'
import type {
  AdapterContentPart,
  AdapterGenerateResult,
  AdapterToolCall,
  VendorMetadata,
} from '@modelplex/core/adapter'
import { assembleResult, malformedResponse } from '@modelplex/core/adapter'

/** Anthropic's usage object (a message's `usage`, or a stream's `message_start` / `message_delta` usage). */
export interface AnthropicUsagePayload {
  input_tokens?: number | null
  output_tokens?: number | null
  cache_read_input_tokens?: number | null
  cache_creation_input_tokens?: number | null
  output_tokens_details?: { thinking_tokens?: number | null } | null
  cache_creation?: {
    ephemeral_5m_input_tokens?: number | null
    ephemeral_1h_input_tokens?: number | null
  } | null
  server_tool_use?: Record<string, unknown> | null
  service_tier?: string | null
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
 * Anthropic's usage as core's: `input_tokens` excludes cache reads and writes, core's `inputTokens`
 * is the total. `cache_creation` splits the writes into 5-minute and 1-hour ones.
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
  const write1h = count(usage.cache_creation?.ephemeral_1h_input_tokens)
  if (write1h) result.cacheWrite1hInputTokens = write1h
  const thinking = usage.output_tokens_details?.thinking_tokens
  if (thinking) result.reasoningTokens = thinking
  return result
}

/** A block of a tool Anthropic runs itself (web search, web fetch, code execution, MCP…), not a client tool. */
export function isServerToolBlock(type: unknown): type is string {
  return (
    typeof type === 'string' &&
    (type === 'server_tool_use' ||
      type === 'mcp_tool_use' ||
      (type.endsWith('_tool_result') && type !== 'tool_result'))
  )
}

/** What a message (or a stream's message_start / message_delta) says beyond the common result. */
export interface AnthropicMessageExtras {
  usage?: AnthropicUsagePayload | null | undefined
  stop_sequence?: unknown
  container?: unknown
}

/**
 * The vendor's extras as `providerMetadata.anthropic`: `cacheCreation` (the 5-minute / 1-hour
 * write split), `serverToolUse` (server-side tool requests), `serviceTier`, `stopSequence` (the
 * sequence that stopped the answer), `container` (code execution), `citations` (every citation of
 * the answer's text blocks, in order), `serverToolBlocks` (the `server_tool_use` blocks and their
 * `*_tool_result` blocks, which Anthropic ran itself: never client tool calls). Values are as the API sent them.
 */
export function anthropicMetadata(
  extras: AnthropicMessageExtras,
  citations: unknown[] = [],
  serverToolBlocks: unknown[] = [],
): VendorMetadata | undefined {
  const metadata: VendorMetadata = {}
  const usage = extras.usage
  if (usage && typeof usage === 'object') {
    if (usage.cache_creation && typeof usage.cache_creation === 'object')
      metadata.cacheCreation = usage.cache_creation
    if (usage.server_tool_use && typeof usage.server_tool_use === 'object') {
      metadata.serverToolUse = usage.server_tool_use
    }
    if (typeof usage.service_tier === 'string') metadata.serviceTier = usage.service_tier
  }
  if (typeof extras.stop_sequence === 'string') metadata.stopSequence = extras.stop_sequence
  if (extras.container && typeof extras.container === 'object') metadata.container = extras.container
  if (citations.length > 0) metadata.citations = citations
  if (serverToolBlocks.length > 0) metadata.serverToolBlocks = serverToolBlocks
  return Object.keys(metadata).length > 0 ? metadata : undefined
}

function malformed(name: string, what: string, raw: unknown): MalformedResponseError {
  return malformedResponse(`${name}: the response is not a message (${what})`, { provider: 'anthropic', raw })
}

/** The arguments of a `tool_use` block as text: the object Anthropic parsed, written back as JSON. */
export function toolInputText(input: unknown): string {
  return input === undefined ? '' : JSON.stringify(input)
}

/**
 * Parses a non-streaming Messages API response. Blocks keep their order in `content`: text (with
 * its citations as part metadata), `thinking` as reasoning with `{ signature }`, `redacted_thinking`
 * as an empty reasoning part with `{ redactedData }`, tool_use as tool calls; text and thinking are
 * joined into `text` and `reasoning`. A body that is not a message (a string, no `content` array)
 * throws `MalformedResponseError`.
 */
export function parseAnthropicResponse(response: unknown, name = 'Anthropic'): AdapterGenerateResult {
  if (!response || typeof response !== 'object')
    throw malformed(name, 'the body is not a JSON object', response)
  const body = response as any
  if (!Array.isArray(body.content)) throw malformed(name, 'no "content" array', response)
  let text = ''
  let reasoning = ''
  const content: AdapterContentPart[] = []
  const toolCalls: AdapterToolCall[] = []
  const citations: unknown[] = []
  const serverToolBlocks: unknown[] = []
  for (const block of body.content) {
    if (!block || typeof block !== 'object') continue
    if (block.type === 'text' && typeof block.text !== 'string') {
      // `text: 42` must not pass as an empty answer that ended normally.
      throw malformed(name, `a text block's "text" is ${typeof block.text}, not text`, response)
    }
    if (block.type === 'text') {
      text += block.text
      if (Array.isArray(block.citations) && block.citations.length > 0) {
        citations.push(...block.citations)
        content.push({ type: 'text', text: block.text, providerMetadata: { citations: block.citations } })
      } else content.push({ type: 'text', text: block.text })
    } else if (block.type === 'thinking' && typeof block.thinking === 'string') {
      reasoning += block.thinking
      content.push({
        type: 'reasoning',
        text: block.thinking,
        ...(typeof block.signature === 'string' ? { providerMetadata: { signature: block.signature } } : {}),
      })
    } else if (block.type === 'redacted_thinking' && typeof block.data === 'string') {
      content.push({ type: 'reasoning', text: '', providerMetadata: { redactedData: block.data } })
    } else if (block.type === 'tool_use') {
      const call: AdapterToolCall = {
        toolCallId: String(block.id ?? ''),
        toolName: String(block.name ?? ''),
        input: block.input ?? {},
        rawInput: toolInputText(block.input ?? {}),
      }
      toolCalls.push(call)
      content.push({ type: 'tool-call', ...call })
    } else if (isServerToolBlock(block.type)) serverToolBlocks.push(block)
    // Newer block types carry nothing core represents; `raw` keeps them.
  }
  const rawFinishReason = typeof body.stop_reason === 'string' ? body.stop_reason : undefined
  return assembleResult({
    text,
    reasoning: reasoning || undefined,
    content,
    toolCalls,
    finishReason: mapAnthropicStopReason(rawFinishReason),
    rawFinishReason,
    usage: convertAnthropicUsage(body.usage),
    model: typeof body.model === 'string' ? body.model : undefined,
    id: typeof body.id === 'string' ? body.id : undefined,
    raw: response,
    providerMetadata: anthropicMetadata(body, citations, serverToolBlocks),
  })
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
