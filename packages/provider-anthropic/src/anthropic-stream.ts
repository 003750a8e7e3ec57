import { MalformedResponseError } from '@modelplex/core'
import {
  type AdapterStreamEvent,
  ServerSentEventReader,
  StreamEventTranslator,
} from '@modelplex/core/adapter'
import {
  classifyAnthropicFailure,
  failureFromBody,
  type MapAnthropicErrorContext,
} from './map-anthropic-error.js'
import {
  type AnthropicMessageExtras,
  type AnthropicUsagePayload,
  anthropicMetadata,
  convertAnthropicUsage,
  isServerToolBlock,
  mapAnthropicStopReason,
  toolInputText,
} from './parse-anthropic-response.js'

const USAGE_FIELDS = [
  'input_tokens',
  'output_tokens',
  'cache_read_input_tokens',
  'cache_creation_input_tokens',
  'output_tokens_details',
  'cache_creation',
  'server_tool_use',
  'service_tier',
] as const

/** A streamed server_tool_use block with the input its input_json_delta events spelled out. */
function withStreamedInput(
  block: Record<string, unknown>,
  json: string | undefined,
): Record<string, unknown> {
  if (!json) return block
  try {
    return { ...block, input: JSON.parse(json) }
  } catch {
    return block
  }
}

/** Builds the error the SDK throws for an `event: error` frame, so it is classified as before. */
export type AnthropicStreamErrorFactory = (body: unknown, headers: Headers) => Error

/**
 * The SDK's own `APIError` for an `event: error` frame, built as its `Stream` builds it (no status,
 * the frame's body, the response headers, `error.type`), from the client's statics.
 */
export function sdkStreamError(client: object): AnthropicStreamErrorFactory {
  const APIError = (client.constructor as { APIError?: new (...args: unknown[]) => Error }).APIError
  return (body, headers) => {
    const type = (body as { error?: { type?: unknown } } | null)?.error?.type
    if (APIError) return new APIError(undefined, body, undefined, headers, type)
    return Object.assign(new Error(typeof body === 'string' ? body : JSON.stringify(body)), {
      error: body,
      headers,
    })
  }
}

/**
 * Reads Messages API events straight off the HTTP body with the shared SSE reader and the SDK's
 * semantics on top: events without a name and `ping`s are skipped, as are named events without
 * data; `event: error` is thrown as the SDK's `APIError`; every other event, unknown ones
 * included, comes as its parsed `data` (invalid JSON throws a SyntaxError).
 */
export class AnthropicEventSource extends ServerSentEventReader<unknown> {
  constructor(response: Response, errorFrom: AnthropicStreamErrorFactory) {
    super(response.body, (event, data) => {
      if (event === undefined || event === 'ping') return undefined
      if (event === 'error') throw errorFrom(parseOrUndefined(data) ?? data, response.headers)
      return data === '' ? undefined : JSON.parse(data)
    })
  }
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * Turns Messages API events (`message_start`, `content_block_start/delta/stop`, `message_delta`,
 * `message_stop`; the SDK's stream, or an `AnthropicEventSource` reading the raw body) into core
 * stream events, one translation step per event: a hand-written iterator, no per-event
 * validation, closures or nested generators. Tool input deltas are keyed by their content block
 * index; `finish` goes out on `message_stop`, with the usage of `message_start` updated by
 * `message_delta`.
 */
export class AnthropicStreamTranslator extends StreamEventTranslator<unknown, AdapterStreamEvent> {
  private events = 0
  private readonly usage: AnthropicUsagePayload = {}
  private stopReason: string | undefined
  private finished = false
  /** `stop_sequence` and `container` of message_start, replaced by message_delta's. */
  private readonly extras: AnthropicMessageExtras = {}
  /** The open content blocks' kinds and what they gathered, by block index. */
  private readonly blocks = new Map<
    number,
    {
      type: string
      signature?: string
      citations?: unknown[]
      server?: Record<string, unknown>
      json?: string
    }
  >()
  private readonly citations: unknown[] = []
  /** Server-side tool calls and results (web search, code execution…), for `providerMetadata.serverToolBlocks`. */
  private readonly serverBlocks: unknown[] = []

  constructor(
    source: AsyncIterable<unknown> | AnthropicEventSource,
    private readonly context: MapAnthropicErrorContext & { signal?: AbortSignal; includeRaw?: boolean } = {},
  ) {
    super(source, context.signal, { includeRaw: context.includeRaw })
  }

  private get name(): string {
    return this.context.name ?? 'Anthropic'
  }

  /** One event in, zero or more core events queued. */
  protected translate(event: any): void {
    if (!event || typeof event !== 'object') {
      throw new MalformedResponseError(`${this.name}: a stream event is not a JSON object`, {
        provider: this.context.provider ?? 'anthropic',
      })
    }
    this.events++
    if (this.finished) return
    switch (event.type) {
      case 'message_start': {
        const message = event.message ?? {}
        this.mergeUsage(message.usage)
        this.mergeExtras(message)
        if (message.id || message.model) {
          this.queue.push({
            type: 'response-metadata',
            id: message.id || undefined,
            model: message.model || undefined,
          })
        }
        return
      }
      case 'content_block_start': {
        const block = event.content_block ?? {}
        if (typeof block.type === 'string') this.blocks.set(event.index, { type: block.type })
        if (block.type === 'text' && block.text) this.queue.push({ type: 'text-delta', text: block.text })
        else if (block.type === 'thinking') {
          if (block.thinking) this.queue.push({ type: 'reasoning-delta', text: block.thinking })
          if (typeof block.signature === 'string' && block.signature) {
            this.blocks.get(event.index)!.signature = block.signature
          }
        } else if (block.type === 'redacted_thinking') {
          // Redacted thinking comes whole: an empty reasoning part carrying its data.
          if (typeof block.data === 'string') {
            this.queue.push({ type: 'reasoning-end', providerMetadata: { redactedData: block.data } })
          }
        } else if (isServerToolBlock(block.type)) {
          // Run by Anthropic, not the caller: never a client tool call. A server_tool_use streams
          // its input as input_json_delta, results come whole.
          if (block.type.endsWith('_tool_result')) this.serverBlocks.push(block)
          else this.blocks.get(event.index)!.server = block
        } else if (block.type === 'tool_use') {
          const input = block.input
          // The start block carries `input: {}`; the arguments follow as `input_json_delta`s.
          const hasInput = input && typeof input === 'object' && Object.keys(input).length > 0
          this.queue.push({
            type: 'tool-call-delta',
            index: event.index,
            toolCallId: block.id || undefined,
            toolName: block.name || undefined,
            argumentsDelta: hasInput ? toolInputText(input) : '',
          })
        }
        return
      }
      case 'content_block_delta': {
        const delta = event.delta ?? {}
        if (delta.type === 'text_delta') {
          if (typeof delta.text !== 'string') {
            throw new MalformedResponseError(
              `${this.name}: a text_delta's "text" is ${typeof delta.text}, not text`,
              {
                provider: this.context.provider ?? 'anthropic',
              },
            )
          }
          if (delta.text) this.queue.push({ type: 'text-delta', text: delta.text })
        } else if (delta.type === 'input_json_delta') {
          const block = this.blocks.get(event.index)
          if (block?.server) {
            block.json = (block.json ?? '') + (delta.partial_json ?? '')
          } else if (delta.partial_json) {
            this.queue.push({
              type: 'tool-call-delta',
              index: event.index,
              argumentsDelta: delta.partial_json,
            })
          }
        } else if (delta.type === 'thinking_delta') {
          if (delta.thinking) this.queue.push({ type: 'reasoning-delta', text: delta.thinking })
        } else if (delta.type === 'signature_delta') {
          const block = this.blocks.get(event.index)
          if (block && typeof delta.signature === 'string')
            block.signature = (block.signature ?? '') + delta.signature
        } else if (delta.type === 'citations_delta' && delta.citation) {
          const block = this.blocks.get(event.index)
          if (block) {
            block.citations = [...(block.citations ?? []), delta.citation]
            this.citations.push(delta.citation)
            // The citations so far, merged into the text part this block is.
            this.queue.push({
              type: 'text-delta',
              text: '',
              providerMetadata: { citations: block.citations },
            })
          }
        }
        return
      }
      case 'content_block_stop': {
        const block = this.blocks.get(event.index)
        this.blocks.delete(event.index)
        if (block?.server) this.serverBlocks.push(withStreamedInput(block.server, block.json))
        // A thinking block ends with its signature, which must go back with it.
        if (block?.type === 'thinking') {
          this.queue.push({
            type: 'reasoning-end',
            ...(block.signature ? { providerMetadata: { signature: block.signature } } : {}),
          })
        }
        return
      }
      case 'message_delta':
        if (typeof event.delta?.stop_reason === 'string') this.stopReason = event.delta.stop_reason
        this.mergeUsage(event.usage)
        this.mergeExtras(event.delta)
        return
      case 'message_stop':
        this.finish()
        return
      case 'error': {
        // The SDK and AnthropicEventSource throw on `event: error`; this covers a source that yields it.
        const failure = failureFromBody(event, undefined) ?? {
          status: undefined,
          type: undefined,
          message: 'the stream reported an error',
        }
        throw classifyAnthropicFailure(failure, this.context)
      }
      default:
      // ping and event types added later need no translation.
    }
  }

  /** `message_delta` usage is cumulative: a field it sets replaces the one from `message_start`. */
  private mergeUsage(usage: AnthropicUsagePayload | null | undefined): void {
    if (!usage || typeof usage !== 'object') return
    const target = this.usage as Record<string, unknown>
    for (const field of USAGE_FIELDS) {
      const value = usage[field]
      if (value !== undefined && value !== null) target[field] = value
    }
  }

  private mergeExtras(source: Record<string, unknown> | null | undefined): void {
    if (!source || typeof source !== 'object') return
    if (source.stop_sequence !== undefined) this.extras.stop_sequence = source.stop_sequence
    if (source.container !== undefined) this.extras.container = source.container
  }

  private finish(): void {
    this.finished = true
    const providerMetadata = anthropicMetadata(
      { ...this.extras, usage: this.usage },
      this.citations,
      this.serverBlocks,
    )
    this.queue.push({
      type: 'finish',
      finishReason: mapAnthropicStopReason(this.stopReason),
      rawFinishReason: this.stopReason,
      usage: convertAnthropicUsage(this.usage),
      ...(providerMetadata ? { providerMetadata } : {}),
    })
  }

  /** The source ended: finish, or leave core to report the interruption. */
  protected end(): void {
    if (this.events === 0) {
      throw new MalformedResponseError(`${this.name}: the stream ended without a single event`, {
        provider: this.context.provider ?? 'anthropic',
      })
    }
    if (this.finished) return
    // A stop reason without `message_stop` is a complete answer whose last frame was lost.
    if (this.stopReason !== undefined) this.finish()
    // Otherwise the server stopped mid-answer: ending without `finish` makes core raise
    // StreamInterruptedError with the partial result.
  }
}
