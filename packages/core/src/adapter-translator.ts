import type { AdapterStreamEvent } from './provider-spec.js'
import { ServerSentEventReader } from './sse.js'

/**
 * The loop between a vendor's items and the events a provider yields: items come in batches off
 * the body (a `ServerSentEventReader`), or one by one from an SDK's own stream; a subclass turns
 * each into queued events (`translate`) and says what the end of the stream means (`end`). A
 * hand-written iterator: no generator per item, and a failure is thrown only after the events
 * translated before it have been handed out.
 */
export abstract class StreamEventTranslator<Item, Event = AdapterStreamEvent>
  implements AsyncIterableIterator<Event>
{
  /** Events translated and not handed out yet, from `head` on. */
  protected queue: Event[] = []
  private head = 0
  private failure: unknown
  private ended = false
  private readonly reader: ServerSentEventReader<Item> | undefined
  private readonly source: AsyncIterator<Item> | undefined

  /** Set when the caller asked for raw chunks: each item is queued as a `raw` event before its translation. */
  private readonly includeRaw: boolean

  constructor(
    source: AsyncIterable<Item> | ServerSentEventReader<Item>,
    private readonly abortSignal?: AbortSignal,
    options?: { includeRaw?: boolean | undefined },
  ) {
    if (source instanceof ServerSentEventReader) this.reader = source
    else this.source = source[Symbol.asyncIterator]()
    this.includeRaw = options?.includeRaw === true
  }

  private translateItem(item: Item): void {
    if (this.includeRaw) this.queue.push({ type: 'raw', value: item } as Event)
    this.translate(item)
  }

  /** One item in, zero or more events queued; a throw fails the stream. */
  protected abstract translate(item: Item): void

  /**
   * The items ran out (and the signal did not abort): queue what closes the stream, or throw why it
   * is incomplete. Ending without a `finish` event makes core raise StreamInterruptedError.
   */
  protected abstract end(): void

  /** The SDK's iterator threw: rethrow it (the default), or translate it, or `stop()` quietly. */
  protected sourceFailed(error: unknown): void {
    throw error
  }

  /** Ends the stream once the queued events are out, without reading further or calling `end()`. */
  protected stop(): void {
    this.ended = true
  }

  /** Ends the stream with `error`, thrown once the queued events are out. */
  protected failAfterQueued(error: unknown): void {
    this.failure = error
    this.ended = true
  }

  /** True once the stream has ended, was stopped or closed. */
  protected get stopped(): boolean {
    return this.ended
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Event> {
    return this
  }

  async next(): Promise<IteratorResult<Event>> {
    for (;;) {
      if (this.head < this.queue.length) {
        const value = this.queue[this.head++]!
        if (this.head === this.queue.length) {
          this.queue.length = 0
          this.head = 0
        }
        return { value, done: false }
      }
      if (this.failure !== undefined) {
        const failure = this.failure
        this.failure = undefined
        throw failure
      }
      if (this.ended) return { value: undefined, done: true }
      if (this.reader) {
        await this.readBatch(this.reader)
        continue
      }
      let step: IteratorResult<Item>
      try {
        step = await this.source!.next()
      } catch (error) {
        this.sourceFailed(error)
        continue
      }
      if (step.done) this.finishSource()
      else this.translateItem(step.value)
    }
  }

  /** The items ran out: an abort is reported as the signal's reason, anything else by `end()`. */
  private finishSource(): void {
    this.ended = true
    // An SDK (or the body) may end quietly on abort; throwing the reason lets core report the abort or timeout.
    const signal = this.abortSignal
    if (signal?.aborted) throw signal.reason ?? new Error('The request was aborted')
    this.end()
  }

  /** Translates the next items off the body; a failure waits until the events before it are out. */
  private async readBatch(reader: ServerSentEventReader<Item>): Promise<void> {
    let batch: Item[] | undefined
    try {
      batch = await reader.read()
    } catch (error) {
      // Like the SDKs, end quietly on abort: finishSource() reports the signal's reason.
      if (!this.abortSignal?.aborted) throw error
    }
    if (batch === undefined) {
      this.finishSource()
      return
    }
    for (const item of batch) {
      // translate() may have stopped the stream: nothing after that item is translated.
      if (this.ended) return
      try {
        this.translateItem(item)
      } catch (error) {
        this.failure = error
        return
      }
    }
  }

  async return(): Promise<IteratorResult<Event>> {
    this.ended = true
    this.queue.length = 0
    this.head = 0
    // Closing the SDK's iterator (or the body) aborts the request and releases the connection.
    if (this.reader) await this.reader.cancel()
    else await this.source!.return?.()
    return { value: undefined, done: true }
  }
}
