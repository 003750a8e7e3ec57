import { connectionDroppedError } from './wire-responses.js'

/**
 * AWS event-stream framing (`application/vnd.amazon.eventstream`), as Bedrock's ConverseStream,
 * InvokeModelWithResponseStream and other AWS streaming APIs write it: each message is
 *
 * ```
 * total length (u32) · headers length (u32) · prelude CRC32 (u32) · headers · payload · message CRC32 (u32)
 * ```
 *
 * big-endian, CRC32 as in zlib (ISO-HDLC). Written without dependencies so that importing
 * `@modelplex/conformance` pulls in nothing for kits that never use it; the unit tests check it
 * against an independent decoder and zlib's CRC32, and the Bedrock kit's tests against
 * `@smithy/eventstream-codec`, the decoder the AWS SDK itself uses.
 */

/** A header value: strings are the common case; the other AWS header types map from these JS types. */
export type AwsEventStreamHeaderValue =
  | string
  | boolean
  /** A 32-bit signed integer (type 4). */
  | number
  /** A 64-bit signed integer (type 5). */
  | bigint
  /** Bytes (type 6). */
  | Uint8Array
  /** A timestamp, milliseconds since the epoch (type 8). */
  | Date

/** One event-stream message: headers and a payload. */
export interface AwsEventStreamMessage {
  headers: Record<string, AwsEventStreamHeaderValue>
  /** Strings are UTF-8 encoded; objects are `JSON.stringify`'d. */
  body: string | Uint8Array | Record<string, unknown>
}

/** How an event-stream body is delivered. */
export interface AwsEventStreamOptions {
  /** After this many messages the body errors as a dropped connection would (no more bytes). */
  cutAfter?: number
  /** Write the encoded bytes in slices of this size, splitting messages and UTF-8 sequences. */
  chunkBytes?: number
  headers?: HeadersInit
  status?: number
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

/** CRC32 (IEEE 802.3, reflected, as zlib computes it) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

const PRELUDE_BYTES = 8
const CRC_BYTES = 4

function encodeHeaderValue(value: AwsEventStreamHeaderValue): Uint8Array {
  if (typeof value === 'string') {
    const text = encoder.encode(value)
    const out = new Uint8Array(3 + text.length)
    out[0] = 7
    new DataView(out.buffer).setUint16(1, text.length)
    out.set(text, 3)
    return out
  }
  if (typeof value === 'boolean') return Uint8Array.of(value ? 0 : 1)
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
      throw new RangeError(
        `event-stream header: ${value} is not a 32-bit integer (pass a bigint for 64 bits)`,
      )
    }
    const out = new Uint8Array(5)
    out[0] = 4
    new DataView(out.buffer).setInt32(1, value)
    return out
  }
  if (typeof value === 'bigint') {
    const out = new Uint8Array(9)
    out[0] = 5
    new DataView(out.buffer).setBigInt64(1, value)
    return out
  }
  if (value instanceof Date) {
    const out = new Uint8Array(9)
    out[0] = 8
    new DataView(out.buffer).setBigInt64(1, BigInt(value.getTime()))
    return out
  }
  const out = new Uint8Array(3 + value.length)
  out[0] = 6
  new DataView(out.buffer).setUint16(1, value.length)
  out.set(value, 3)
  return out
}

function encodeHeaders(headers: AwsEventStreamMessage['headers']): Uint8Array {
  const parts: Uint8Array[] = []
  let length = 0
  for (const [name, value] of Object.entries(headers)) {
    const nameBytes = encoder.encode(name)
    if (nameBytes.length > 255) throw new RangeError(`event-stream header name too long: ${name}`)
    const encodedValue = encodeHeaderValue(value)
    const part = new Uint8Array(1 + nameBytes.length + encodedValue.length)
    part[0] = nameBytes.length
    part.set(nameBytes, 1)
    part.set(encodedValue, 1 + nameBytes.length)
    parts.push(part)
    length += part.length
  }
  const out = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

function payloadBytes(body: AwsEventStreamMessage['body']): Uint8Array {
  if (body instanceof Uint8Array) return body
  return encoder.encode(typeof body === 'string' ? body : JSON.stringify(body))
}

/** Encodes one message with its prelude and both CRCs. */
export function encodeAwsEventStreamMessage(message: AwsEventStreamMessage): Uint8Array {
  const headers = encodeHeaders(message.headers)
  const payload = payloadBytes(message.body)
  const total = PRELUDE_BYTES + CRC_BYTES + headers.length + payload.length + CRC_BYTES
  const out = new Uint8Array(total)
  const view = new DataView(out.buffer)
  view.setUint32(0, total)
  view.setUint32(4, headers.length)
  view.setUint32(8, crc32(out.subarray(0, PRELUDE_BYTES)))
  out.set(headers, PRELUDE_BYTES + CRC_BYTES)
  out.set(payload, PRELUDE_BYTES + CRC_BYTES + headers.length)
  view.setUint32(total - CRC_BYTES, crc32(out.subarray(0, total - CRC_BYTES)))
  return out
}

/** A decoded message; header values keep the JS types `encodeAwsEventStreamMessage` takes. */
export interface DecodedAwsEventStreamMessage {
  headers: Record<string, AwsEventStreamHeaderValue>
  body: Uint8Array
}

function decodeHeaders(bytes: Uint8Array): Record<string, AwsEventStreamHeaderValue> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const headers: Record<string, AwsEventStreamHeaderValue> = {}
  let offset = 0
  while (offset < bytes.length) {
    const nameLength = bytes[offset]!
    const name = decoder.decode(bytes.subarray(offset + 1, offset + 1 + nameLength))
    offset += 1 + nameLength
    const type = bytes[offset++]!
    switch (type) {
      case 0:
      case 1:
        headers[name] = type === 0
        break
      case 2:
        headers[name] = view.getInt8(offset)
        offset += 1
        break
      case 3:
        headers[name] = view.getInt16(offset)
        offset += 2
        break
      case 4:
        headers[name] = view.getInt32(offset)
        offset += 4
        break
      case 5:
        headers[name] = view.getBigInt64(offset)
        offset += 8
        break
      case 6:
      case 7: {
        const length = view.getUint16(offset)
        const value = bytes.slice(offset + 2, offset + 2 + length)
        headers[name] = type === 7 ? decoder.decode(value) : value
        offset += 2 + length
        break
      }
      case 8:
        headers[name] = new Date(Number(view.getBigInt64(offset)))
        offset += 8
        break
      case 9:
        headers[name] = bytes.slice(offset, offset + 16)
        offset += 16
        break
      default:
        throw new Error(`event-stream: unknown header type ${type} for "${name}"`)
    }
  }
  return headers
}

/**
 * Decodes a whole event-stream body into its messages, checking both CRCs of every message.
 * Throws on a bad CRC, a length that does not fit, or trailing bytes.
 */
export function decodeAwsEventStream(bytes: Uint8Array): DecodedAwsEventStreamMessage[] {
  const messages: DecodedAwsEventStreamMessage[] = []
  let offset = 0
  while (offset < bytes.length) {
    if (bytes.length - offset < PRELUDE_BYTES + CRC_BYTES) {
      throw new Error(`event-stream: ${bytes.length - offset} trailing bytes are not a message`)
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset)
    const total = view.getUint32(0)
    const headersLength = view.getUint32(4)
    if (total < PRELUDE_BYTES + 2 * CRC_BYTES + headersLength || offset + total > bytes.length) {
      throw new Error(`event-stream: message length ${total} does not fit at offset ${offset}`)
    }
    const message = bytes.subarray(offset, offset + total)
    if (view.getUint32(8) !== crc32(message.subarray(0, PRELUDE_BYTES))) {
      throw new Error(`event-stream: prelude CRC mismatch at offset ${offset}`)
    }
    if (view.getUint32(total - CRC_BYTES) !== crc32(message.subarray(0, total - CRC_BYTES))) {
      throw new Error(`event-stream: message CRC mismatch at offset ${offset}`)
    }
    const headersStart = PRELUDE_BYTES + CRC_BYTES
    messages.push({
      headers: decodeHeaders(message.subarray(headersStart, headersStart + headersLength)),
      body: message.slice(headersStart + headersLength, total - CRC_BYTES),
    })
    offset += total
  }
  return messages
}

/** An `event` message: `:event-type`, `:content-type: application/json`, `:message-type: event`. */
export function awsEvent(eventType: string, payload: Record<string, unknown>): AwsEventStreamMessage {
  return {
    headers: { ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' },
    body: payload,
  }
}

/**
 * An `exception` message, as AWS sends a modeled error inside a stream: `:exception-type`
 * (e.g. `throttlingException`), `:content-type: application/json`, `:message-type: exception`.
 */
export function awsException(exceptionType: string, message: string): AwsEventStreamMessage {
  return {
    headers: {
      ':exception-type': exceptionType,
      ':content-type': 'application/json',
      ':message-type': 'exception',
    },
    body: { message },
  }
}

/**
 * A body that delivers the encoded `messages` one read at a time, optionally sliced into
 * `chunkBytes` and cut (as a dropped connection) after `cutAfter` messages. Pull-based with no
 * buffering, so a cut arrives only after the client has read everything before it.
 */
export function awsEventStreamBody(
  messages: readonly AwsEventStreamMessage[],
  options: Pick<AwsEventStreamOptions, 'cutAfter' | 'chunkBytes'> = {},
): ReadableStream<Uint8Array> {
  const { cutAfter, chunkBytes } = options
  if (chunkBytes !== undefined && !(Number.isInteger(chunkBytes) && chunkBytes > 0)) {
    throw new RangeError(`chunkBytes must be a positive integer, got ${chunkBytes}`)
  }
  const sent = cutAfter === undefined ? messages : messages.slice(0, Math.max(0, cutAfter))
  const encoded = sent.map(encodeAwsEventStreamMessage)
  let chunks: Uint8Array[] = encoded
  if (chunkBytes !== undefined) {
    const all = new Uint8Array(encoded.reduce((sum, part) => sum + part.length, 0))
    let offset = 0
    for (const part of encoded) {
      all.set(part, offset)
      offset += part.length
    }
    chunks = []
    for (let start = 0; start < all.length; start += chunkBytes)
      chunks.push(all.slice(start, start + chunkBytes))
  }
  let index = 0
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (index < chunks.length) {
          controller.enqueue(chunks[index++]!)
          return
        }
        if (cutAfter !== undefined) controller.error(connectionDroppedError())
        else controller.close()
      },
    },
    { highWaterMark: 0 },
  )
}

/** A 200 `application/vnd.amazon.eventstream` response whose body streams `messages`. */
export function awsEventStreamResponse(
  messages: readonly AwsEventStreamMessage[],
  options: AwsEventStreamOptions = {},
): Response {
  const headers = new Headers(options.headers)
  if (!headers.has('content-type')) headers.set('content-type', 'application/vnd.amazon.eventstream')
  return new Response(awsEventStreamBody(messages, options), { status: options.status ?? 200, headers })
}
