import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime'
import type { EventStreamCodec, Message } from '@smithy/eventstream-codec'

/** An HTTP body as the Smithy handlers give it: a web stream (fetch) or a Node stream (node:http). */
export type EventStreamBody = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>

/** The prelude: total length, headers length, prelude CRC; then headers, payload and the message CRC. */
const MINIMUM_MESSAGE_BYTES = 16

const textDecoder = new TextDecoder()
const textEncoder = new TextEncoder()

let codecModule: Promise<typeof import('@smithy/eventstream-codec')> | undefined

/**
 * The SDK's own event-stream codec (CRC checks, header types), loaded on the first stream: importing
 * the provider stays free of it, as of the SDK.
 */
export async function createEventStreamCodec(): Promise<EventStreamCodec> {
  codecModule ??= import('@smithy/eventstream-codec')
  const { EventStreamCodec } = await codecModule
  return new EventStreamCodec(
    (bytes) => textDecoder.decode(bytes),
    (text) => textEncoder.encode(text),
  )
}

/**
 * Reads ConverseStream events straight off the HTTP body: AWS event-stream messages framed by their
 * length prelude, each decoded (and CRC-checked) by the SDK's `EventStreamCodec`, its JSON payload
 * handed out as the SDK's union member (`{ contentBlockDelta: {...} }`). Exceptions are thrown as
 * the SDK throws them: an `exception` message as an error named after `:exception-type`
 * (PascalCase), an `error` message as one named after `:error-code`. A body that ends inside a
 * message throws "Truncated event message received.", the SDK's words.
 *
 * The framing is hand-written because the SDK's (`getChunkedStream`) is an async generator that
 * copies each chunk once more and allocates whatever length the prelude claims; here a chunk's
 * complete messages are decoded in place, and a message split across chunks is kept as its pieces
 * and joined once, when complete: time linear in bytes, memory about twice the message.
 */
export class BedrockEventStreamSource implements AsyncIterableIterator<ConverseStreamOutput> {
  private readonly body: AsyncIterator<unknown>
  private readonly items: ConverseStreamOutput[] = []
  private head = 0
  /**
   * The start of a message split across chunks: `filled` bytes in `pieces`, of `total` (0 while
   * its 4-byte length has not all arrived).
   */
  private pieces: Uint8Array[] = []
  private filled = 0
  private total = 0
  private failure: unknown
  private ended = false

  constructor(
    body: EventStreamBody,
    private readonly codec: EventStreamCodec,
    private readonly signal?: AbortSignal,
  ) {
    this.body = bodyIterator(body)
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ConverseStreamOutput> {
    return this
  }

  async next(): Promise<IteratorResult<ConverseStreamOutput>> {
    for (;;) {
      if (this.head < this.items.length) {
        const value = this.items[this.head++]!
        if (this.head === this.items.length) {
          this.items.length = 0
          this.head = 0
        }
        return { value, done: false }
      }
      if (this.failure !== undefined) {
        const failure = this.failure
        this.failure = undefined
        this.ended = true
        throw failure
      }
      if (this.ended) return { value: undefined, done: true }
      let step: IteratorResult<unknown>
      try {
        step = await this.body.next()
      } catch (error) {
        // As the SDK does, end quietly on abort: the translator reports the signal's reason.
        if (this.signal?.aborted) {
          this.ended = true
          continue
        }
        throw error
      }
      if (step.done) {
        this.ended = true
        if (this.pieces.length > 0) throw new Error('Truncated event message received.')
        continue
      }
      const chunk = step.value
      if (typeof chunk === 'string') this.feed(textEncoder.encode(chunk))
      else if (chunk instanceof Uint8Array) this.feed(chunk)
    }
  }

  async return(): Promise<IteratorResult<ConverseStreamOutput>> {
    this.ended = true
    this.items.length = 0
    this.head = 0
    // Cancelling the body aborts the request and releases the connection.
    await this.body.return?.()
    return { value: undefined, done: true }
  }

  /** Decodes every message the chunk completes; the rest waits for the next chunk. */
  private feed(chunk: Uint8Array): void {
    let offset = 0
    const length = chunk.byteLength
    while (offset < length && this.failure === undefined) {
      if (this.total > 0) {
        // Inside a message split across chunks: keep its pieces, joined once it is complete.
        const take = Math.min(this.total - this.filled, length - offset)
        this.pieces.push(chunk.subarray(offset, offset + take))
        this.filled += take
        offset += take
        if (this.filled < this.total) return
        const message = join(this.pieces, this.total)
        this.pieces = []
        this.filled = 0
        this.total = 0
        this.message(message)
        continue
      }
      if (this.pieces.length > 0) {
        // The 4-byte length itself was split across chunks.
        const take = Math.min(4 - this.filled, length - offset)
        this.pieces.push(chunk.subarray(offset, offset + take))
        this.filled += take
        offset += take
        if (this.filled < 4) return
        const total = readLength(join(this.pieces, 4), 0)
        if (!this.checkLength(total)) return
        this.total = total
        continue
      }
      if (length - offset < 4) {
        this.pieces.push(chunk.subarray(offset))
        this.filled = length - offset
        return
      }
      const total = readLength(chunk, offset)
      if (!this.checkLength(total)) return
      if (length - offset >= total) {
        // The whole message is in this chunk: decoded in place, no copy.
        this.message(chunk.subarray(offset, offset + total))
        offset += total
        continue
      }
      this.total = total
      this.pieces.push(chunk.subarray(offset))
      this.filled = length - offset
      offset = length
    }
  }

  private checkLength(total: number): boolean {
    if (total >= MINIMUM_MESSAGE_BYTES) return true
    this.fail(
      new Error(
        `Event message length ${total} is shorter than its ${MINIMUM_MESSAGE_BYTES} bytes of framing`,
      ),
    )
    return false
  }

  /** Nothing after a failure is read: it is thrown once the items before it are out. */
  private fail(error: unknown): void {
    this.failure = error
    this.pieces = []
    this.filled = 0
    this.total = 0
  }

  /** One complete message: an event queued, or the exception it carries recorded. */
  private message(bytes: Uint8Array): void {
    try {
      const item = toOutput(this.codec.decode(bytes))
      if (item !== undefined) this.items.push(item)
    } catch (error) {
      this.fail(error)
    }
  }
}

/** The first `total` bytes of `pieces`, in one buffer. */
function join(pieces: Uint8Array[], total: number): Uint8Array {
  if (pieces.length === 1 && pieces[0]!.byteLength === total) return pieces[0]!
  const joined = new Uint8Array(total)
  let offset = 0
  for (const piece of pieces) {
    joined.set(piece, offset)
    offset += piece.byteLength
  }
  return joined
}

/** The big-endian 32-bit length at `offset`. */
function readLength(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>>
    0
  )
}

function headerString(message: Message, name: string): string | undefined {
  const header = message.headers[name]
  return header && typeof header.value === 'string' ? header.value : undefined
}

/**
 * A decoded message as the SDK's ConverseStream union member; exceptions and errors thrown. The
 * payload is the member's JSON: its one binary field (`redactedContent`, base64 on the wire) is
 * turned into bytes, as the SDK's deserializer does.
 */
function toOutput(message: Message): ConverseStreamOutput | undefined {
  const type = headerString(message, ':message-type')
  if (type === 'error') {
    const error = new Error(headerString(message, ':error-message') ?? 'UnknownError')
    error.name = headerString(message, ':error-code') ?? 'UnknownError'
    throw error
  }
  if (type === 'exception') {
    const code = headerString(message, ':exception-type') ?? 'UnknownException'
    const text = textDecoder.decode(message.body)
    let body: { message?: unknown; Message?: unknown } | undefined
    try {
      body = JSON.parse(text)
    } catch {
      body = undefined
    }
    const detail = body?.message ?? body?.Message
    const error = new Error(typeof detail === 'string' ? detail : text)
    error.name = code[0]!.toUpperCase() + code.slice(1)
    throw Object.assign(error, { $metadata: {} })
  }
  if (type !== undefined && type !== 'event') return undefined
  const eventType = headerString(message, ':event-type')
  if (eventType === undefined) return undefined
  const payload = message.body.byteLength === 0 ? {} : JSON.parse(textDecoder.decode(message.body))
  if (eventType === 'contentBlockDelta') {
    const redacted = payload?.delta?.reasoningContent?.redactedContent
    if (typeof redacted === 'string') payload.delta.reasoningContent.redactedContent = base64ToBytes(redacted)
  }
  return { [eventType]: payload } as unknown as ConverseStreamOutput
}

function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

function bodyIterator(body: EventStreamBody): AsyncIterator<unknown> {
  // Not every runtime's web streams are async iterable; a reader works everywhere.
  if ('getReader' in body && typeof body.getReader === 'function') {
    const reader = body.getReader()
    return {
      next: () => reader.read() as Promise<IteratorResult<unknown>>,
      async return() {
        await reader.cancel()
        return { value: undefined, done: true }
      },
    }
  }
  return (body as AsyncIterable<unknown>)[Symbol.asyncIterator]()
}
