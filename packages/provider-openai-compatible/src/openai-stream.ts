import { type AdapterStreamEvent, MalformedResponseError, type Usage } from '@modelplex/core'
import { DEFAULT_REASONING_FIELDS, type OpenAICompatibleQuirks } from './openai-compatible-quirks.js'
import { convertOpenAIUsage, mapOpenAIFinishReason } from './parse-openai-response.js'

/**
 * Turns the SDK's stream of `chat.completion.chunk` objects into core stream events, one
 * translation step per chunk: a hand-written iterator, no per-chunk validation, closures or
 * nested generators. `finish` is emitted when the stream ends, because usage arrives in a
 * chunk after the one carrying `finish_reason`.
 */
export class OpenAIStreamTranslator implements AsyncIterableIterator<AdapterStreamEvent> {
  private readonly source: AsyncIterator<unknown>
  private readonly reasoningFields: readonly string[]
  private readonly extractUsage: OpenAICompatibleQuirks['extractUsage']
  private queue: AdapterStreamEvent[] = []
  private head = 0
  private chunks = 0
  private metadataSent = false
  private finishReason: string | undefined
  private usage: Usage | undefined
  private ended = false

  constructor(
    source: AsyncIterable<unknown>,
    quirks: OpenAICompatibleQuirks = {},
    private readonly provider = 'openai-compatible',
    private readonly signal?: AbortSignal,
  ) {
    this.source = source[Symbol.asyncIterator]()
    this.reasoningFields = quirks.reasoningFields ?? DEFAULT_REASONING_FIELDS
    this.extractUsage = quirks.extractUsage
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<AdapterStreamEvent> {
    return this
  }

  async next(): Promise<IteratorResult<AdapterStreamEvent>> {
    for (;;) {
      if (this.head < this.queue.length) {
        const value = this.queue[this.head++]!
        if (this.head === this.queue.length) {
          this.queue.length = 0
          this.head = 0
        }
        return { value, done: false }
      }
      if (this.ended) return { value: undefined, done: true }
      const step = await this.source.next()
      if (step.done) {
        this.ended = true
        this.end()
      } else {
        this.translate(step.value)
      }
    }
  }

  async return(): Promise<IteratorResult<AdapterStreamEvent>> {
    this.ended = true
    this.queue.length = 0
    this.head = 0
    // Closing the SDK's iterator aborts its request and releases the body.
    await this.source.return?.()
    return { value: undefined, done: true }
  }

  /** One chunk in, zero or more events queued. */
  private translate(chunk: any): void {
    if (!chunk || typeof chunk !== 'object') {
      throw new MalformedResponseError(`${this.provider}: a stream chunk is not a JSON object`, {
        provider: this.provider,
      })
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
    const usage = chunk.usage ?? this.extractUsage?.(chunk)
    if (usage) this.usage = convertOpenAIUsage(usage)
    const choice = chunk.choices?.[0]
    if (!choice) return
    const delta = choice.delta
    if (delta) {
      for (const field of this.reasoningFields) {
        const reasoning = delta[field]
        if (typeof reasoning === 'string' && reasoning !== '') {
          this.queue.push({ type: 'reasoning-delta', text: reasoning })
          break
        }
      }
      const content = delta.content
      if (typeof content === 'string' && content !== '')
        this.queue.push({ type: 'text-delta', text: content })
      const toolCalls = delta.tool_calls
      if (Array.isArray(toolCalls)) {
        for (let i = 0; i < toolCalls.length; i++) {
          const call = toolCalls[i]
          this.queue.push({
            type: 'tool-call-delta',
            // Some servers send whole calls without an index; their position stands in for it.
            index: typeof call.index === 'number' ? call.index : i,
            toolCallId: call.id || undefined,
            toolName: call.function?.name || undefined,
            argumentsDelta: call.function?.arguments ?? '',
          })
        }
      }
    }
    if (choice.finish_reason) this.finishReason = choice.finish_reason
  }

  /** The source ended: finish, or leave core to report the interruption. */
  private end(): void {
    // The SDK ends its iterator quietly on abort; rethrow so core reports the abort or timeout.
    if (this.signal?.aborted) throw this.signal.reason ?? new Error('The request was aborted')
    if (this.chunks === 0) {
      throw new MalformedResponseError(`${this.provider}: the stream ended without a single chunk`, {
        provider: this.provider,
      })
    }
    // No finish_reason: the server stopped mid-answer. Ending without `finish` makes core raise
    // StreamInterruptedError with the partial result.
    if (this.finishReason === undefined) return
    this.queue.push({
      type: 'finish',
      finishReason: mapOpenAIFinishReason(this.finishReason),
      rawFinishReason: this.finishReason,
      usage: this.usage,
    })
  }
}

/** Wraps an SDK chunk stream into core stream events. */
export function translateOpenAIStream(
  source: AsyncIterable<unknown>,
  quirks: OpenAICompatibleQuirks = {},
  provider?: string,
  signal?: AbortSignal,
): AsyncIterableIterator<AdapterStreamEvent> {
  return new OpenAIStreamTranslator(source, quirks, provider, signal)
}
