import { describe, expect, it } from 'vitest'
import {
  captureResponse,
  chunkedBody,
  fuzzChunks,
  fuzzedResponse,
  randomInt,
  replayResponse,
  seededRandom,
  utf8Splits,
} from './fuzz-chunks.js'

const encoder = new TextEncoder()
const text = 'data: {"text":"Grüße, 世界 🌍 — naïve café"}\n\n'.repeat(20)
const bytes = encoder.encode(text)

async function readAll(body: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = []
  const reader = body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return chunks
    chunks.push(value)
  }
}

describe('seededRandom', () => {
  it('gives the same sequence for a seed and another for another seed, in [0, 1)', () => {
    const a = Array.from({ length: 50 }, seededRandom(42))
    const b = Array.from({ length: 50 }, seededRandom(42))
    const c = Array.from({ length: 50 }, seededRandom(43))
    expect(a).toEqual(b)
    expect(a).not.toEqual(c)
    expect(a.every((value) => value >= 0 && value < 1)).toBe(true)
    expect(new Set(a).size).toBe(50)
  })

  it('randomInt stays within its bounds and reaches both', () => {
    const random = seededRandom(7)
    const seen = new Set(Array.from({ length: 500 }, () => randomInt(random, 1, 4)))
    expect([...seen].sort()).toEqual([1, 2, 3, 4])
  })
})

describe('fuzzChunks', () => {
  it('slices that join back to the input, each 1 to maxChunkBytes long, over 300 seeds', () => {
    for (let seed = 0; seed < 300; seed++) {
      const chunks = fuzzChunks(bytes, seededRandom(seed), { maxChunkBytes: 40 })
      expect(Buffer.concat(chunks).equals(Buffer.from(bytes))).toBe(true)
      expect(chunks.every((chunk) => chunk.length >= 1 && chunk.length <= 40)).toBe(true)
    }
  })

  it('is deterministic per seed and splits differently across seeds', () => {
    const sizes = (seed: number) => fuzzChunks(bytes, seededRandom(seed)).map((chunk) => chunk.length)
    expect(sizes(5)).toEqual(sizes(5))
    expect(sizes(5)).not.toEqual(sizes(6))
  })

  it('splits multi-byte UTF-8 sequences (most seeds, on this text)', () => {
    let seedsWithSplits = 0
    for (let seed = 0; seed < 100; seed++)
      if (utf8Splits(fuzzChunks(bytes, seededRandom(seed))) > 0) seedsWithSplits++
    expect(seedsWithSplits).toBeGreaterThan(90)
  })

  it('rejects a maxChunkBytes that is not a positive integer', () => {
    expect(() => fuzzChunks(bytes, seededRandom(1), { maxChunkBytes: 0 })).toThrow(RangeError)
    expect(() => fuzzChunks(bytes, seededRandom(1), { maxChunkBytes: 1.5 })).toThrow(RangeError)
  })

  it('an empty body gives no slices', () => {
    expect(fuzzChunks(new Uint8Array(), seededRandom(1))).toEqual([])
  })
})

describe('utf8Splits', () => {
  it('counts boundaries that open on a continuation byte', () => {
    const euro = encoder.encode('a€b') // 61 e2 82 ac 62
    expect(utf8Splits([euro.slice(0, 2), euro.slice(2)])).toBe(1)
    expect(utf8Splits([euro.slice(0, 1), euro.slice(1)])).toBe(0)
    expect(utf8Splits([euro.slice(0, 2), euro.slice(2, 3), euro.slice(3)])).toBe(2)
  })
})

describe('chunkedBody and fuzzedResponse', () => {
  it('chunkedBody hands out exactly one slice per read', async () => {
    const chunks = fuzzChunks(bytes, seededRandom(9), { maxChunkBytes: 7 })
    const read = await readAll(chunkedBody(chunks))
    expect(read.map((chunk) => chunk.length)).toEqual(chunks.map((chunk) => chunk.length))
  })

  it('fuzzedResponse keeps status and headers, drops content-length, and decodes to the same text', async () => {
    const captured = await captureResponse(
      new Response(bytes, {
        status: 201,
        statusText: 'Created',
        headers: {
          'content-type': 'text/event-stream',
          'x-request-id': 'req_1',
          'content-length': String(bytes.length),
        },
      }),
    )
    expect(captured.body.length).toBe(bytes.length)
    const response = fuzzedResponse(captured, seededRandom(3), { maxChunkBytes: 5 })
    expect(response.status).toBe(201)
    expect(response.statusText).toBe('Created')
    expect(response.headers.get('x-request-id')).toBe('req_1')
    expect(response.headers.get('content-length')).toBeNull()
    const chunks = await readAll(response.body!)
    expect(chunks.length).toBeGreaterThan(bytes.length / 5)
    const decoder = new TextDecoder()
    const decoded = chunks.map((chunk) => decoder.decode(chunk, { stream: true })).join('') + decoder.decode()
    expect(decoded).toBe(text)
  })

  it('replayResponse can serve a cut body', async () => {
    const captured = await captureResponse(
      new Response('{"ok":true}', { headers: { 'content-type': 'application/json' } }),
    )
    const response = replayResponse(captured, [captured.body.slice(0, 5)])
    expect(await response.text()).toBe('{"ok"')
  })
})
