import { MalformedResponseError, ServerError, type Usage } from '@modelplex/core'
import { ServerSentEventReader, StreamEventTranslator } from '@modelplex/core/adapter'
import {
  convertMistralUsage,
  mapMistralFinishReason,
  mistralMetadata,
  readArguments,
  readToolCallId,
  thinkingText,
} from './parse-mistral-response.js'

const PROVIDER = 'mistral'

/**
 * Reads chat completion chunks straight off the HTTP body with the shared SSE reader and the SDK's
 * semantics on top: `[DONE]` ends the chunks (the rest of the body is read but ignored), events
 * without data are skipped, invalid JSON throws a SyntaxError, and an event that is not a chunk
 * (Mistral's `{ object: "error" }` body, which the SDK's schema rejects) is a malformed response.
 * Chunks come as the wire writes them (snake_case); the translator reads both spellings.
 */
export class MistralEventSource extends ServerSentEventReader<unknown> {
  constructor(response: Response) {
    let done = false
    super(response.body, (_event, data) => {
      if (done || data === '') return undefined
      if (data === '[DONE]') {
        done = true
        return undefined
      }
      const chunk = JSON.parse(data)
      if (!chunk || typeof chunk !== 'object' || !Array.isArray(chunk.choices)) {
        const reason = typeof chunk?.message === 'string' ? `: ${chunk.message}` : ''
        throw new MalformedResponseError(`Mistral: a stream event is not a chat completion chunk${reason}`, {
          provider: PROVIDER,
        })
      }
      return chunk
    })
  }
}

/**
 * Turns chat completion chunks (off the body through a `MistralEventSource`, snake_case; or the
 * SDK's `CompletionEvent`s, whose `event.data` is a camelCase `CompletionChunk`) into core stream events, one translation step per event, with no per-chunk validation or closures.
 *
 * Mistral specifics:
 * - usage rides on the chunk that carries `finish_reason`; `finish` is emitted when the stream ends;
 * - a tool call usually arrives whole, without `index` (the SDK then fills in 0 for every call), and
 *   the SDK fills a missing id with "null" — so calls are told apart by id, not by index;
 * - `finish_reason: "error"` is how Mistral reports a failure inside a stream: it becomes a
 *   `ServerError`, and core keeps what arrived on `error.partial`.
 */
export class MistralStreamTranslator extends StreamEventTranslator<unknown> {
  private chunks = 0
  private metadataSent = false
  private finishReason: string | undefined
  private usage: Usage | undefined
  /** The `created` of the first chunk and the last `usage` seen, for the finish's providerMetadata. */
  private created: number | undefined
  private rawUsage: unknown
  private readonly references: Array<string | number> = []
  /** Position of each tool call by its id, and the latest position seen at each wire index. */
  private readonly callById = new Map<string, number>()
  private readonly callByIndex = new Map<number, number>()
  private nextPosition = 0

  /** The items are chunks off the body, not the SDK's `{ data }` events. */
  private readonly fromBody: boolean

  constructor(
    source: AsyncIterable<unknown> | MistralEventSource,
    signal?: AbortSignal,
    options?: { includeRaw?: boolean | undefined },
  ) {
    super(source, signal, options)
    this.fromBody = source instanceof MistralEventSource
  }

  /** One chunk (or SDK event) in, zero or more core events queued. */
  protected translate(event: any): void {
    const chunk = this.fromBody ? event : event?.data
    if (!chunk || typeof chunk !== 'object') {
      throw new MalformedResponseError('Mistral: a stream event holds no chunk', { provider: PROVIDER })
    }
    this.chunks++
    if (!this.metadataSent && (chunk.id || chunk.model)) {
      this.metadataSent = true
      this.queue.push({
        type: 'response-metadata',
        id: chunk.id || undefined,
        model: chunk.model || undefined,
      })
    }
    if (this.created === undefined && typeof chunk.created === 'number') this.created = chunk.created
    if (chunk.usage) {
      this.usage = convertMistralUsage(chunk.usage)
      this.rawUsage = chunk.usage
    }
    const choice = chunk.choices?.[0]
    if (!choice) return
    const delta = choice.delta
    if (delta) {
      const content = delta.content
      if (typeof content === 'string') {
        if (content !== '') this.queue.push({ type: 'text-delta', text: content })
      } else if (Array.isArray(content)) {
        this.translateChunks(content)
      }
      const toolCalls = delta.toolCalls ?? delta.tool_calls
      if (Array.isArray(toolCalls)) for (const call of toolCalls) this.translateToolCall(call)
    }
    const reason = choice.finishReason ?? choice.finish_reason
    if (reason === 'error') {
      // Thrown once the events of this chunk were delivered, so they are part of `partial`.
      this.failAfterQueued(
        new ServerError('Mistral: the stream ended with finish_reason "error"', {
          provider: PROVIDER,
          code: 'error',
        }),
      )
    }
    if (reason) this.finishReason = reason
  }

  /** Content given as chunks: `text` chunks, and `thinking` chunks of reasoning models (Magistral). */
  private translateChunks(content: any[]): void {
    for (const part of content) {
      if (part?.type === 'text' && typeof part.text === 'string' && part.text !== '') {
        this.queue.push({ type: 'text-delta', text: part.text })
      } else if (part?.type === 'thinking') {
        const text = thinkingText(part.thinking)
        const signature = typeof part.signature === 'string' ? part.signature : undefined
        if (text !== '' || signature) {
          this.queue.push({
            type: 'reasoning-delta',
            text,
            ...(signature ? { providerMetadata: { signature } } : {}),
          })
        }
      } else if (part?.type === 'reference') {
        const ids = part.referenceIds ?? part.reference_ids
        if (Array.isArray(ids)) this.references.push(...ids)
      }
    }
  }

  private translateToolCall(call: any): void {
    const id = readToolCallId(call?.id)
    const wireIndex = typeof call?.index === 'number' ? call.index : 0
    let position = id === undefined ? this.callByIndex.get(wireIndex) : this.callById.get(id)
    if (position === undefined) {
      position = this.nextPosition++
      if (id !== undefined) this.callById.set(id, position)
    }
    this.callByIndex.set(wireIndex, position)
    this.queue.push({
      type: 'tool-call-delta',
      index: position,
      toolCallId: id,
      toolName: call?.function?.name || undefined,
      argumentsDelta: readArguments(call?.function?.arguments),
    })
  }

  /** The source ended: finish, or leave core to report the interruption. */
  protected end(): void {
    if (this.chunks === 0) {
      throw new MalformedResponseError('Mistral: the stream ended without a single chunk', {
        provider: PROVIDER,
      })
    }
    // No finish_reason: the server stopped mid-answer; ending without `finish` makes core raise
    // StreamInterruptedError with the partial result.
    if (this.finishReason === undefined) return
    const metadata = mistralMetadata({ created: this.created, usage: this.rawUsage }, this.references)
    this.queue.push({
      type: 'finish',
      finishReason: mapMistralFinishReason(this.finishReason),
      rawFinishReason: this.finishReason,
      usage: this.usage,
      ...(Object.keys(metadata).length > 0 ? { providerMetadata: metadata } : {}),
    })
  }
}
