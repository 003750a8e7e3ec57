/** An HTTP body as `fetch` gives it: a web stream, or the Node stream of a custom `fetch` (node-fetch). */
export type ServerSentEventBody = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>

/**
 * Turns one event into the item `read()` hands out, or skips it by returning `undefined`.
 * `event` is undefined when the event had no `event:` field; `data` joins its `data:` lines with LF.
 * A throw ends the stream: `read()` throws it once the items before it have been handed out.
 */
export type ServerSentEventParser<T> = (event: string | undefined, data: string) => T | undefined

/** Most items handed out per `read()`: enough to amortise the await, few enough not to hold up the next. */
const ITEMS_PER_READ = 32
const CARRIAGE_RETURN = 13
const SPACE = 32
const COLON = 58
const BYTE_ORDER_MARK = 0xfeff
const STREAMING = { stream: true }

/**
 * Reads server-sent events straight off an HTTP body, as the vendors' Stainless SDKs do (LF, CRLF
 * or CR line ends, `:` comments, multi-line `data`, a byte order mark dropped at the start of a
 * line, fields other than `event` and `data` ignored, an unterminated last event dropped), without
 * their per-event generators and buffer copies: one string buffer, scanned once. What an event
 * means is the vendor's: `parse` turns each into an item. The first `read()` hands out the first
 * item alone (time to first token), later ones up to 32.
 */
export class ServerSentEventReader<T> {
  private readonly body: AsyncIterator<unknown> | undefined
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true })
  private buffer = ''
  private position = 0
  /** False once a scan found no line end after `position`: nothing to scan until more text comes. */
  private lineEndPending = false
  private heldCarriageReturn = false
  private ended = false
  private event: string | undefined
  private data: string | undefined
  private failed = false
  private failure: unknown
  private batch = 1

  constructor(
    body: ServerSentEventBody | null | undefined,
    private readonly parse: ServerSentEventParser<T>,
  ) {
    this.body = body == null ? undefined : bodyIterator(body)
    if (!this.body) this.ended = true
  }

  /** The next items, in order; undefined once the body has ended. */
  async read(): Promise<T[] | undefined> {
    const items: T[] = []
    for (;;) {
      this.scan(items)
      if (items.length > 0) {
        if (this.batch < ITEMS_PER_READ) this.batch *= 2
        return items
      }
      if (this.failed) {
        const failure = this.failure
        this.failed = false
        this.failure = undefined
        throw failure
      }
      if (this.ended) return undefined
      await this.fill()
    }
  }

  /** Stops reading: the body is cancelled, which aborts the request and releases its connection. */
  async cancel(): Promise<void> {
    this.ended = true
    this.lineEndPending = false
    await this.body?.return?.()
  }

  /** Appends the next piece of the body to the buffer, line ends normalised to LF. */
  private async fill(): Promise<void> {
    const step = await this.body!.next()
    let text = this.heldCarriageReturn ? '\r' : ''
    this.heldCarriageReturn = false
    if (step.done) {
      this.ended = true
      text += this.decoder.decode() + this.endOfBody()
    } else {
      text += this.decode(step.value)
      // A CR at the end may be the first half of a CRLF split across two reads.
      if (text.charCodeAt(text.length - 1) === CARRIAGE_RETURN) {
        this.heldCarriageReturn = true
        text = text.slice(0, -1)
      }
    }
    if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n')
    if (text === '') return
    // The buffer held no line end after `position`, so only the new text can complete a line; a long
    // line arriving in many reads is then appended without being scanned again each time.
    const rest = this.position === 0 ? this.buffer : this.buffer.slice(this.position)
    this.buffer = rest === '' ? text : rest + text
    this.position = 0
    this.lineEndPending = text.includes('\n')
  }

  /** Text the end of the body adds: nothing here (an unterminated last event is dropped). */
  protected endOfBody(): string {
    return ''
  }

  private decode(value: unknown): string {
    if (typeof value === 'string') return value
    if (value == null) return ''
    return this.decoder.decode(value as BufferSource, STREAMING)
  }

  /** Reads complete lines from the buffer until the batch is full or a line is incomplete. */
  private scan(items: T[]): void {
    const buffer = this.buffer
    while (this.lineEndPending && items.length < this.batch) {
      const end = buffer.indexOf('\n', this.position)
      if (end === -1) {
        this.lineEndPending = false
        return
      }
      const start = this.position
      this.position = end + 1
      this.line(buffer, start, end, items)
    }
  }

  /** One line, `buffer[start, end)`, read in place: only a field's value is copied out. */
  protected line(buffer: string, start: number, end: number, items: T[]): void {
    if (buffer.charCodeAt(start) === BYTE_ORDER_MARK) start++
    if (start === end) {
      this.dispatch(items)
      return
    }
    if (buffer.charCodeAt(start) === COLON) return // a comment (keep-alives)
    if (isField(buffer, start, end, 'data')) {
      const value = fieldValue(buffer, start + 4, end)
      this.data = this.data === undefined ? value : `${this.data}\n${value}`
    } else if (isField(buffer, start, end, 'event')) {
      this.event = fieldValue(buffer, start + 5, end)
    }
  }

  /** A blank line ends the event: it is handed to `parse` if it had an `event` name or any `data`. */
  private dispatch(items: T[]): void {
    const event = this.event
    const data = this.data
    // As in both SDKs, an empty `event:` without data is kept for the next event (the spec would drop it).
    if (!event && data === undefined) return
    this.event = undefined
    this.data = undefined
    this.deliver(items, event, data ?? '')
  }

  /** Hands one event to `parse` and keeps its item; a throw ends the stream after the items before it. */
  protected deliver(items: T[], event: string | undefined, data: string): void {
    try {
      const item = this.parse(event, data)
      if (item !== undefined) items.push(item)
    } catch (error) {
      // Nothing after a failure is read; read() throws it after the items before it.
      this.failed = true
      this.failure = error
      this.ended = true
      this.lineEndPending = false
    }
  }
}

/** Whether the line `buffer[start, end)` holds the field `name`: the name, then a colon or the line end. */
function isField(buffer: string, start: number, end: number, name: string): boolean {
  const after = start + name.length
  return (
    after <= end && buffer.startsWith(name, start) && (after === end || buffer.charCodeAt(after) === COLON)
  )
}

/** The value after a field's name: past the colon and one optional space; empty without a colon. */
function fieldValue(buffer: string, nameEnd: number, end: number): string {
  let from = nameEnd + 1
  if (from < end && buffer.charCodeAt(from) === SPACE) from++
  return from >= end ? '' : buffer.slice(from, end)
}

function bodyIterator(body: ServerSentEventBody): AsyncIterator<unknown> {
  // Not every runtime's web streams are async iterable; a reader works everywhere.
  if ('getReader' in body && typeof body.getReader === 'function') return readerIterator(body.getReader())
  return (body as AsyncIterable<unknown>)[Symbol.asyncIterator]()
}

function readerIterator(reader: ReadableStreamDefaultReader<unknown>): AsyncIterator<unknown> {
  return {
    next: () => reader.read() as Promise<IteratorResult<unknown>>,
    async return() {
      await reader.cancel()
      return { value: undefined, done: true }
    },
  }
}
