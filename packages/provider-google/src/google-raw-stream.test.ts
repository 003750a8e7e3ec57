import { describe, expect, it } from 'vitest'
import { createGoogle } from './index.js'

// The stream is read off the raw body by core's SSE reader: these are the hostile loads of issue 16,
// as correctness checks (the figures are printed by tooling/stream-probe.ts, never asserted).

const KEY = 'AIzaSy-raw-stream-test-0123456789'
const encoder = new TextEncoder()
const request = { model: 'gemini-2.5-flash', messages: [{ role: 'user' as const, content: 'Hi' }] }

/** A body of `pieces`, one read each. */
function body(pieces: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let index = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const piece = pieces[index++]
      if (piece === undefined) controller.close()
      else controller.enqueue(piece)
    },
  })
}

/** `bytes` in pieces of `size`. */
function pieces(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let start = 0; start < bytes.length; start += size) out.push(bytes.subarray(start, start + size))
  return out
}

const frame = (chunk: unknown) => `data: ${JSON.stringify(chunk)}\r\n\r\n`
const textChunk = (text: string) => ({ candidates: [{ content: { role: 'model', parts: [{ text }] } }] })
const lastChunk = {
  candidates: [{ content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'STOP' }],
  usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 5, totalTokenCount: 8 },
  modelVersion: 'gemini-2.5-flash',
  responseId: 'raw-1',
}

function provider(stream: () => ReadableStream<Uint8Array>) {
  const fetch = (async () =>
    new Response(stream(), { headers: { 'content-type': 'text/event-stream' } })) as typeof globalThis.fetch
  return createGoogle({ apiKey: KEY, fetch })
}

describe('Gemini streams off the raw body', () => {
  it('hands out the wire chunks as raw events, not the SDK objects', async () => {
    const bytes = encoder.encode(frame(textChunk('Hi')) + frame(lastChunk))
    const result = await provider(() => body([bytes]))
      .stream({ ...request, includeRaw: true })
      .result()
    const raws = result.raw as unknown[]
    expect(raws).toEqual([textChunk('Hi'), lastChunk])
    expect(Object.getPrototypeOf(raws[0])).toBe(Object.prototype)
  })

  it('200,000 tiny events give the right text', async () => {
    const frames: string[] = []
    for (let index = 0; index < 200_000; index++) frames.push(frame(textChunk(String(index % 10))))
    frames.push(frame(lastChunk))
    const bytes = encoder.encode(frames.join(''))
    const result = await provider(() => body(pieces(bytes, 65_536)))
      .stream(request)
      .result()
    expect(result.text.length).toBe(200_000)
    expect(result.text.slice(0, 12)).toBe('012345678901')
    expect(result.text.slice(-3)).toBe('789')
    expect(result.finishReason).toBe('stop')
  })

  it('a 20 MB single line parses', async () => {
    const text = 'é'.repeat(10 * 1024 * 1024)
    const bytes = encoder.encode(frame(textChunk(text)) + frame(lastChunk))
    const result = await provider(() => body(pieces(bytes, 65_536)))
      .stream(request)
      .result()
    expect(result.text.length).toBe(text.length)
    expect(result.text === text).toBe(true)
  })

  it('a body split at every byte boundary parses', async () => {
    const bytes = encoder.encode(frame(textChunk('héllo ✓ ')) + frame(textChunk('🦊')) + frame(lastChunk))
    const result = await provider(() => body(pieces(bytes, 1)))
      .stream(request)
      .result()
    expect(result.text).toBe('héllo ✓ 🦊')
    expect(result.usage).toMatchObject({ inputTokens: 3, outputTokens: 5 })
  })

  it('an error frame inside the stream fails it with the classified error and the text so far', async () => {
    const failure = { error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } }
    const bytes = encoder.encode(frame(textChunk('Hel')) + frame(failure))
    const error = await provider(() => body([bytes]))
      .stream({ ...request, maxRetries: 0 })
      .result()
      .catch((caught) => caught)
    expect(error.name).toBe('ServerError')
    expect(error.status).toBe(503)
    expect(error.partial?.text).toBe('Hel')
  })
})
