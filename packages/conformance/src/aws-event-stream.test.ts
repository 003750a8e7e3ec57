import * as zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import {
  awsEvent,
  awsEventStreamResponse,
  awsException,
  crc32,
  decodeAwsEventStream,
  encodeAwsEventStreamMessage,
} from './aws-event-stream.js'

const ascii = (text: string) => [...new TextEncoder().encode(text)]

/** The three messages of aws-c-event-stream's `multiple_valid_messages_parse` test (awslabs). */
const vectors = {
  empty: [0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x05, 0xc2, 0x48, 0xeb, 0x7d, 0x98, 0xc8, 0xff],
  payload: [
    ...[0x00, 0x00, 0x00, 0x1d, 0x00, 0x00, 0x00, 0x00, 0xfd, 0x52, 0x8c, 0x5a],
    ...ascii("{'foo':'bar'}"),
    ...[0xc3, 0x65, 0x39, 0x36],
  ],
  header: [
    ...[0x00, 0x00, 0x00, 0x3d, 0x00, 0x00, 0x00, 0x20, 0x07, 0xfd, 0x83, 0x96, 0x0c],
    ...ascii('content-type'),
    ...[0x07, 0x00, 0x10],
    ...ascii('application/json'),
    ...ascii("{'foo':'bar'}"),
    ...[0x8d, 0x9c, 0x08, 0xb1],
  ],
}

/** Reads a body chunk by chunk; keeps the chunks and the error that ended it, if any. */
async function readChunks(body: ReadableStream<Uint8Array> | null) {
  const chunks: Uint8Array[] = []
  const reader = body!.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return { chunks, error: undefined }
      chunks.push(value)
    }
  } catch (error) {
    return { chunks, error }
  }
}

const concat = (chunks: Uint8Array[]) => new Uint8Array(Buffer.concat(chunks))
const json = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes))

describe('crc32', () => {
  it('matches the standard check value and zlib on arbitrary bytes', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926)
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919 + 13) & 0xff)
    expect(crc32(bytes)).toBe(zlib.crc32(bytes))
    expect(crc32(new Uint8Array())).toBe(0)
  })
})

describe('encodeAwsEventStreamMessage', () => {
  it("reproduces aws-c-event-stream's test vectors byte for byte", () => {
    expect([...encodeAwsEventStreamMessage({ headers: {}, body: '' })]).toEqual(vectors.empty)
    expect([...encodeAwsEventStreamMessage({ headers: {}, body: "{'foo':'bar'}" })]).toEqual(vectors.payload)
    expect([
      ...encodeAwsEventStreamMessage({
        headers: { 'content-type': 'application/json' },
        body: "{'foo':'bar'}",
      }),
    ]).toEqual(vectors.header)
  })

  it('round-trips every header type through the decoder, both CRCs checked', () => {
    const headers = {
      ':event-type': 'contentBlockDelta',
      flag: true,
      off: false,
      count: -42,
      big: 9007199254740993n,
      raw: Uint8Array.of(1, 2, 3),
      at: new Date(1_700_000_000_123),
    }
    const bytes = encodeAwsEventStreamMessage({ headers, body: { delta: { text: 'héllo 🎉' } } })
    const view = new DataView(bytes.buffer)
    // Prelude CRC over the first 8 bytes, message CRC over all but the last 4: checked by zlib here.
    expect(view.getUint32(8)).toBe(zlib.crc32(bytes.subarray(0, 8)))
    expect(view.getUint32(bytes.length - 4)).toBe(zlib.crc32(bytes.subarray(0, bytes.length - 4)))
    expect(view.getUint32(0)).toBe(bytes.length)
    const [message] = decodeAwsEventStream(bytes)
    expect(message!.headers).toEqual(headers)
    expect(json(message!.body)).toEqual({ delta: { text: 'héllo 🎉' } })
  })

  it('rejects a number header that is not a 32-bit integer', () => {
    expect(() => encodeAwsEventStreamMessage({ headers: { n: 2 ** 40 }, body: '' })).toThrow(RangeError)
    expect(() => encodeAwsEventStreamMessage({ headers: { n: 1.5 }, body: '' })).toThrow(RangeError)
  })
})

describe('decodeAwsEventStream', () => {
  it('reads the three vectors back to back', () => {
    const messages = decodeAwsEventStream(
      Uint8Array.from([...vectors.empty, ...vectors.payload, ...vectors.header]),
    )
    expect(messages).toHaveLength(3)
    expect(messages[0]).toEqual({ headers: {}, body: new Uint8Array() })
    expect(new TextDecoder().decode(messages[1]!.body)).toBe("{'foo':'bar'}")
    expect(messages[2]!.headers).toEqual({ 'content-type': 'application/json' })
  })

  it('throws on a flipped bit in the prelude or the payload, and on a truncated message', () => {
    const prelude = Uint8Array.from(vectors.empty)
    prelude[9] = 0xc3
    expect(() => decodeAwsEventStream(prelude)).toThrow(/prelude CRC/)
    const payload = Uint8Array.from(vectors.payload)
    payload[14] = payload[14]! ^ 0x01
    expect(() => decodeAwsEventStream(payload)).toThrow(/message CRC/)
    expect(() => decodeAwsEventStream(Uint8Array.from(vectors.payload.slice(0, 20)))).toThrow(/does not fit/)
  })
})

describe('awsEvent and awsException', () => {
  it('carry the headers the AWS SDK dispatches on', () => {
    expect(awsEvent('messageStop', { stopReason: 'end_turn' }).headers).toEqual({
      ':event-type': 'messageStop',
      ':content-type': 'application/json',
      ':message-type': 'event',
    })
    const exception = awsException('throttlingException', 'Too many requests')
    expect(exception.headers[':message-type']).toBe('exception')
    expect(exception.headers[':exception-type']).toBe('throttlingException')
    expect(exception.body).toEqual({ message: 'Too many requests' })
  })
})

describe('awsEventStreamResponse', () => {
  const events = [
    awsEvent('messageStart', { role: 'assistant' }),
    awsEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: '你好' } }),
    awsEvent('messageStop', { stopReason: 'end_turn' }),
  ]

  it('is a 200 event-stream whose body decodes to the messages, one per read', async () => {
    const response = awsEventStreamResponse(events, { headers: { 'x-amzn-requestid': 'req-1' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/vnd.amazon.eventstream')
    expect(response.headers.get('x-amzn-requestid')).toBe('req-1')
    const { chunks, error } = await readChunks(response.body)
    expect(error).toBeUndefined()
    expect(chunks).toHaveLength(3)
    const decoded = decodeAwsEventStream(concat(chunks))
    expect(decoded.map((message) => message.headers[':event-type'])).toEqual([
      'messageStart',
      'contentBlockDelta',
      'messageStop',
    ])
    expect(json(decoded[1]!.body)).toEqual({ contentBlockIndex: 0, delta: { text: '你好' } })
  })

  it('chunkBytes slices the bytes across message and UTF-8 boundaries without changing them', async () => {
    const whole = concat((await readChunks(awsEventStreamResponse(events).body)).chunks)
    const { chunks } = await readChunks(awsEventStreamResponse(events, { chunkBytes: 5 }).body)
    expect(chunks.every((chunk) => chunk.length <= 5)).toBe(true)
    expect(chunks.length).toBe(Math.ceil(whole.length / 5))
    expect(concat(chunks)).toEqual(whole)
  })

  it('cutAfter delivers that many whole messages, then errors like a dropped socket', async () => {
    const { chunks, error } = await readChunks(awsEventStreamResponse(events, { cutAfter: 2 }).body)
    expect(decodeAwsEventStream(concat(chunks))).toHaveLength(2)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as TypeError).message).toBe('terminated')
    expect(((error as TypeError).cause as { code: string }).code).toBe('UND_ERR_SOCKET')
  })

  it('rejects a chunkBytes that is not a positive integer', () => {
    expect(() => awsEventStreamResponse(events, { chunkBytes: 0 })).toThrow(RangeError)
  })
})
