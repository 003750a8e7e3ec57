import { MalformedResponseError } from '@modelplex/core'
import { type AdapterStreamEvent, StreamEventTranslator } from '@modelplex/core/adapter'
import { OllamaStreamError } from './map-ollama-error.js'
import type { OllamaLineReader } from './ollama-ndjson-check.js'
import {
  convertOllamaToolCall,
  convertOllamaUsage,
  mapOllamaDoneReason,
  ollamaMetadata,
} from './parse-ollama-response.js'

/** What the SDK throws when the body ends before a `done: true` line (its own wording). */
const NO_DONE_MESSAGE = 'Did not receive done or success response in stream.'

/** The SDK's stream object: iterable, and `abort()` cancels its request. */
export interface OllamaChunkSource extends AsyncIterable<unknown> {
  abort?(): void
}

/**
 * Turns the NDJSON chunks of `/api/chat` (read off the body by an `OllamaLineReader`, or the SDK's
 * stream) into core stream events, one translation step per
 * chunk: `thinking` → reasoning-delta, `content` → text-delta, each whole tool call → tool-call
 * (Ollama sends no argument deltas), and the `done` line → finish with usage. A hand-written
 * iterator: no per-chunk validation, closures or nested generators.
 */
export class OllamaStreamTranslator extends StreamEventTranslator<unknown> {
  private chunks = 0
  private toolCalls = 0
  private metadataSent = false

  constructor(
    private readonly chunkSource: OllamaChunkSource | OllamaLineReader,
    options?: { includeRaw?: boolean | undefined; signal?: AbortSignal | undefined },
  ) {
    super(chunkSource, options?.signal, options)
  }

  override async return(): Promise<IteratorResult<AdapterStreamEvent>> {
    // Cancels the SDK's request, so an unfinished body is released rather than left to drain (the
    // line reader's body is cancelled by core).
    if (!this.stopped && 'abort' in this.chunkSource) this.chunkSource.abort?.()
    return super.return().catch(() => ({ value: undefined, done: true }) as const)
  }

  /** One chunk in, zero or more events queued. */
  protected translate(chunk: any): void {
    const message = chunk?.message
    if (
      typeof chunk !== 'object' ||
      chunk === null ||
      (message !== undefined && typeof message !== 'object')
    ) {
      throw new MalformedResponseError('Ollama: a stream line is not a chat chunk', { provider: 'ollama' })
    }
    this.chunks++
    if (!this.metadataSent && typeof chunk.model === 'string') {
      this.metadataSent = true
      this.queue.push({ type: 'response-metadata', model: chunk.model })
    }
    if (message) {
      if (typeof message.thinking === 'string' && message.thinking !== '') {
        this.queue.push({ type: 'reasoning-delta', text: message.thinking })
      }
      if (typeof message.content === 'string' && message.content !== '') {
        this.queue.push({ type: 'text-delta', text: message.content })
      }
      const calls = message.tool_calls
      if (Array.isArray(calls)) {
        for (const call of calls) {
          this.toolCalls++
          this.queue.push({ type: 'tool-call', toolCall: convertOllamaToolCall(call) })
        }
      }
    }
    if (chunk.done === true) {
      this.stop()
      const doneReason = typeof chunk.done_reason === 'string' ? chunk.done_reason : undefined
      const metadata = ollamaMetadata(chunk)
      this.queue.push({
        type: 'finish',
        finishReason: mapOllamaDoneReason(doneReason, this.toolCalls > 0),
        rawFinishReason: doneReason,
        usage: convertOllamaUsage(chunk),
        ...(Object.keys(metadata).length > 0 ? { providerMetadata: metadata } : {}),
      })
    }
  }

  /** The SDK throws plain `Error`s for an `{"error"}` line and for a body without `done`. */
  protected override sourceFailed(error: unknown): void {
    const plain = error instanceof Error && error.constructor === Error
    if (!plain) throw error
    if (error.message === NO_DONE_MESSAGE) {
      if (this.chunks === 0) {
        throw new MalformedResponseError('Ollama: the stream held no chat chunk', {
          provider: 'ollama',
          cause: error,
        })
      }
      // Ending without `finish` makes core raise StreamInterruptedError with the partial result.
      this.stop()
      return
    }
    throw new OllamaStreamError(error.message)
  }

  /**
   * The body ended without a `done` line (the SDK throws for that instead): without a single chunk
   * it is malformed; after some, ending without `finish` makes core raise StreamInterruptedError.
   */
  protected end(): void {
    if (this.chunks === 0) {
      throw new MalformedResponseError('Ollama: the stream held no chat chunk', { provider: 'ollama' })
    }
  }
}
