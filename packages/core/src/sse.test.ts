import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { type ServerSentEventBody, ServerSentEventReader } from './sse.js'
import { seededRandom } from './test-helpers.js'

interface EventRecord {
  event: string | undefined
  data: string
}

const record = (event: string | undefined, data: string): EventRecord => ({ event, data })
const encoder = new TextEncoder()

/** A web stream delivering `pieces` one read at a time. */
function webStream(pieces: readonly Uint8Array[], onCancel?: () => void): ReadableStream<Uint8Array> {
  let index = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const piece = pieces[index++]
      if (piece === undefined) controller.close()
      else controller.enqueue(piece)
    },
    cancel: onCancel,
  })
}

async function readAll<T>(reader: ServerSentEventReader<T>): Promise<T[]> {
  const items: T[] = []
  for (let batch = await reader.read(); batch; batch = await reader.read()) items.push(...batch)
  return items
}

const recordsOf = (body: ServerSentEventBody) => readAll(new ServerSentEventReader(body, record))
const bytesOf = (text: string) => encoder.encode(text)

/** The bytes cut at `cuts` (sorted byte offsets). */
function split(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const pieces: Uint8Array[] = []
  let start = 0
  for (const cut of [...cuts, bytes.length]) {
    pieces.push(bytes.slice(start, cut))
    start = cut
  }
  return pieces
}

// Multi-byte characters of 2, 3 and 4 bytes, and byte order marks (3 bytes), so that splits fall
// inside them.
const LINES = [
  '\uFEFF: a comment first, after a byte order mark',
  'event: greeting',
  'data: héllo ✓ 🦊',
  '',
  'id: 7',
  'retry: 1000',
  'data: {"a":',
  'data:1}',
  '',
  'event: ping',
  '',
  'data',
  'data:',
  '',
  ':',
  'event:',
  '',
  'data: under the empty name of the event before',
  '',
  'event',
  'data: x: y',
  '',
  '\uFEFFdata: after a mark',
  '',
  'database: not the data field',
  'events: not the event field',
  'data:  two spaces, one kept',
  '',
  '',
  '',
  'event: unterminated',
  'data: never dispatched',
]

const EXPECTED: EventRecord[] = [
  { event: 'greeting', data: 'héllo ✓ 🦊' },
  { event: undefined, data: '{"a":\n1}' },
  // An event name alone is an event.
  { event: 'ping', data: '' },
  { event: undefined, data: '\n' },
  // `event:` then a blank line: no event, but the empty name stays for the next, as in both SDKs.
  { event: '', data: 'under the empty name of the event before' },
  { event: '', data: 'x: y' },
  { event: undefined, data: 'after a mark' },
  { event: undefined, data: ' two spaces, one kept' },
]

describe('ServerSentEventReader', () => {
  for (const [name, lineEnd] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ] as const) {
    describe(`${name} line ends`, () => {
      const bytes = bytesOf(LINES.join(lineEnd))

      it('reads events, names and multi-line data; skips comments and other fields; drops the unterminated last event', async () => {
        expect(await recordsOf(webStream([bytes]))).toEqual(EXPECTED)
        // Terminated by a line end but not by a blank line: still not dispatched.
        expect(await recordsOf(webStream([bytesOf(LINES.join(lineEnd) + lineEnd)]))).toEqual(EXPECTED)
      })

      it('reads the same events whatever byte the body is split at (inside UTF-8 sequences and CRLFs too)', async () => {
        for (let cut = 1; cut < bytes.length; cut++) {
          expect(await recordsOf(webStream(split(bytes, [cut]))), `cut at byte ${cut}`).toEqual(EXPECTED)
        }
      })

      it('reads the same events one byte per read, and under random splits', async () => {
        const bytewise = Array.from(bytes, (byte) => Uint8Array.of(byte))
        expect(await recordsOf(webStream(bytewise))).toEqual(EXPECTED)
        for (let seed = 1; seed <= 200; seed++) {
          const next = seededRandom(seed)
          const cuts = Array.from({ length: 1 + Math.floor(next() * 12) }, () =>
            Math.floor(next() * bytes.length),
          ).sort((a, b) => a - b)
          expect(await recordsOf(webStream(split(bytes, cuts))), `seed ${seed}`).toEqual(EXPECTED)
        }
      })

      it('dispatches a last event whose blank line ends the body, even split before its final byte', async () => {
        const last = bytesOf(`data: a${lineEnd}${lineEnd}data: b${lineEnd}${lineEnd}`)
        for (let cut = 1; cut < last.length; cut++) {
          expect(await recordsOf(webStream(split(last, [cut]))), `cut at byte ${cut}`).toEqual([
            { event: undefined, data: 'a' },
            { event: undefined, data: 'b' },
          ])
        }
      })
    })
  }

  it('takes CRLF as one line end and CR, LF alone as one each, mixed in one body', async () => {
    const text = 'data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r'
    expect(await recordsOf(webStream([bytesOf(text)]))).toEqual([
      { event: undefined, data: 'a\nb\nc' },
      { event: undefined, data: 'd' },
    ])
  })

  it('reads a Node stream of Buffers and an async iterable of strings', async () => {
    const text = 'event: a\ndata: 1\n\ndata: ✓\n\n'
    const expected = [
      { event: 'a', data: '1' },
      { event: undefined, data: '✓' },
    ]
    const buffer = Buffer.from(text)
    const cut = buffer.indexOf('✓') + 1
    expect(await recordsOf(Readable.from([buffer.subarray(0, cut), buffer.subarray(cut)]))).toEqual(expected)
    async function* strings() {
      yield 'event: a\ndata'
      yield ': 1\n\ndata: ✓\n\n'
    }
    expect(await recordsOf(strings())).toEqual(expected)
  })

  it('hands out the first item alone, then batches doubling up to 32', async () => {
    const text = Array.from({ length: 100 }, (_, index) => `data: ${index}\n\n`).join('')
    const reader = new ServerSentEventReader(webStream([bytesOf(text)]), (_event, data) => Number(data))
    const sizes: number[] = []
    const items: number[] = []
    for (let batch = await reader.read(); batch; batch = await reader.read()) {
      sizes.push(batch.length)
      items.push(...batch)
    }
    expect(sizes).toEqual([1, 2, 4, 8, 16, 32, 32, 5])
    expect(items).toEqual(Array.from({ length: 100 }, (_, index) => index))
  })

  it('skips the events parse returns undefined for', async () => {
    const text = 'event: ping\n\ndata: 1\n\nevent: ping\n\ndata: 2\n\n'
    const reader = new ServerSentEventReader(webStream([bytesOf(text)]), (event, data) =>
      event === 'ping' ? undefined : data,
    )
    expect(await reader.read()).toEqual(['1'])
    expect(await reader.read()).toEqual(['2'])
    expect(await reader.read()).toBeUndefined()
  })

  it('throws what parse threw after the items before it, then parses nothing more', async () => {
    const failure = new Error('bad event')
    const parsed: string[] = []
    const reader = new ServerSentEventReader(
      webStream([bytesOf('data: a\n\ndata: b\n\ndata: bad\n\ndata: c\n\n')]),
      (_event, data) => {
        parsed.push(data)
        if (data === 'bad') throw failure
        return data
      },
    )
    expect(await reader.read()).toEqual(['a'])
    expect(await reader.read()).toEqual(['b'])
    await expect(reader.read()).rejects.toBe(failure)
    expect(await reader.read()).toBeUndefined()
    expect(parsed).toEqual(['a', 'b', 'bad'])
  })

  it('throws a failing body after the complete events read before it', async () => {
    const failure = new TypeError('terminated')
    let pulls = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulls++ === 0) controller.enqueue(bytesOf('data: a\n\ndata: b\n\ndata: cut'))
        else controller.error(failure)
      },
    })
    const reader = new ServerSentEventReader(body, record)
    expect(await reader.read()).toEqual([{ event: undefined, data: 'a' }])
    expect(await reader.read()).toEqual([{ event: undefined, data: 'b' }])
    await expect(reader.read()).rejects.toBe(failure)
  })

  it('cancels a web stream or closes an async iterable on cancel(), and reads nothing after', async () => {
    let cancelled = false
    const web = new ServerSentEventReader(
      webStream([bytesOf('data: a\n\ndata: b\n\n'), bytesOf('data: c\n\n')], () => {
        cancelled = true
      }),
      record,
    )
    expect(await web.read()).toEqual([{ event: undefined, data: 'a' }])
    await web.cancel()
    expect(cancelled).toBe(true)
    expect(await web.read()).toBeUndefined()

    let closed = false
    async function* pieces() {
      try {
        yield 'data: a\n\n'
        yield 'data: b\n\n'
      } finally {
        closed = true
      }
    }
    const iterable = new ServerSentEventReader(pieces(), record)
    expect(await iterable.read()).toEqual([{ event: undefined, data: 'a' }])
    await iterable.cancel()
    expect(closed).toBe(true)
    expect(await iterable.read()).toBeUndefined()
  })

  it('ends at once without a body', async () => {
    expect(await new ServerSentEventReader(null, record).read()).toBeUndefined()
  })
})
