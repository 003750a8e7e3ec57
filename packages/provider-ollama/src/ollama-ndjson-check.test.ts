import { MalformedResponseError, StreamInterruptedError } from '@modelplex/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { OllamaStreamError } from './map-ollama-error.js'
import { OllamaLineReader } from './ollama-ndjson-check.js'
import { createOllama } from './ollama-provider.js'

const encoder = new TextEncoder()
const bytes = (text: string) => encoder.encode(text)

/** A streaming /api/chat answer sent in exactly these pieces. */
function ndjsonResponse(pieces: ReadonlyArray<string | Uint8Array>, init: ResponseInit = {}): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(typeof piece === 'string' ? bytes(piece) : piece)
      controller.close()
    },
  })
  return new Response(body, { headers: { 'content-type': 'application/x-ndjson' }, ...init })
}

const line = (content: string, done = false) =>
  `${JSON.stringify({ model: 'llama3.2', message: { role: 'assistant', content }, done, ...(done ? { done_reason: 'stop', prompt_eval_count: 3, eval_count: 2 } : {}) })}\n`

async function readAll(reader: OllamaLineReader): Promise<{ items: unknown[]; error: unknown }> {
  const items: unknown[] = []
  try {
    for (let batch = await reader.read(); batch; batch = await reader.read()) items.push(...batch)
  } catch (error) {
    return { items, error }
  }
  return { items, error: undefined }
}

describe('OllamaLineReader', () => {
  it('reads JSON-object lines however the chunks split them, a multi-byte character included', async () => {
    const text = `{"a":"é🦊"}\n\n{"b":2}\n{"c":3}`
    const split = [text.slice(0, 3), bytes(text.slice(3)).subarray(0, 5), bytes(text.slice(3)).subarray(5)]
    const { items, error } = await readAll(new OllamaLineReader(ndjsonResponse(split)))
    expect(error).toBeUndefined()
    expect(items).toEqual([{ a: 'é🦊' }, { b: 2 }, { c: 3 }])
  })

  it('hands out the lines before a bad one, then fails with its number and at most 60 characters of it', async () => {
    const bad = `[${'1,'.repeat(50)}1]`
    const { items, error } = await readAll(
      new OllamaLineReader(ndjsonResponse([`{"a":1}\n${bad}\n{"b":2}\n`])),
    )
    expect(items).toEqual([{ a: 1 }])
    expect(MalformedResponseError.isInstance(error)).toBe(true)
    expect((error as Error).message).toBe(
      `Ollama: line 2 of the stream is not a JSON object: ${JSON.stringify(bad.slice(0, 60))}…`,
    )
  })

  it('throws an {"error"} line as OllamaStreamError, after the lines before it', async () => {
    const { items, error } = await readAll(
      new OllamaLineReader(ndjsonResponse([`{"a":1}\n{"error":"model runner crashed"}\n`])),
    )
    expect(items).toEqual([{ a: 1 }])
    expect(error).toBeInstanceOf(OllamaStreamError)
    expect((error as Error).message).toBe('model runner crashed')
  })
})

describe('a corrupt NDJSON line through the SDK and core', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  const request = { model: 'llama3.2', messages: [{ role: 'user' as const, content: 'Say hello.' }] }
  const provider = (body: string) =>
    createOllama({
      host: 'http://ollama.ndjson.test:11434',
      fetch: async () => ndjsonResponse([body]),
      retry: { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 2 },
    })

  it('after events: the call fails with the text so far, instead of succeeding without the lost line', async () => {
    const warn = vi.spyOn(console, 'warn')
    const stream = provider(
      `${line('Hello')}{"modelplex_corrupt":\n${line(' world')}${line('', true)}`,
    ).stream(request)
    const delivered: string[] = []
    const error = await (async () => {
      for await (const event of stream) if (event.type === 'text-delta') delivered.push(event.text)
    })().catch((caught) => caught)
    expect(MalformedResponseError.isInstance(error) || StreamInterruptedError.isInstance(error)).toBe(true)
    expect(delivered).toEqual(['Hello'])
    expect(error.partial.text).toBe('Hello')
    // The SDK never saw the bad line, so it printed nothing.
    expect(warn).not.toHaveBeenCalled()
  })

  it('before any event: MalformedResponseError, not retried', async () => {
    let requests = 0
    const stream = createOllama({
      host: 'http://ollama.ndjson.test:11434',
      fetch: async () => {
        requests++
        return ndjsonResponse([`{"modelplex_corrupt":\n${line('Hello')}${line('', true)}`])
      },
      retry: { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 2 },
    }).stream(request)
    const error = await stream.result().catch((caught) => caught)
    expect(MalformedResponseError.isInstance(error)).toBe(true)
    expect(error.message).toMatch(/^Ollama: line 1 of the stream is not a JSON object/)
    expect(requests).toBe(1)
  })

  it('a good stream still finishes with its text and usage', async () => {
    const result = await provider(`${line('Hello')}${line(' world')}${line('', true)}`)
      .stream(request)
      .result()
    expect(result.text).toBe('Hello world')
    expect(result.usage).toEqual({ inputTokens: 3, outputTokens: 2, totalTokens: 5 })
  })
})

describe('Ollama streams off the raw body (issue 16 hostile loads, as correctness checks)', () => {
  const request = { model: 'llama3.2', messages: [{ role: 'user' as const, content: 'Say hello.' }] }
  /** `text` in pieces of `size` bytes. */
  const inPieces = (text: string, size: number) => {
    const all = bytes(text)
    const out: Uint8Array[] = []
    for (let start = 0; start < all.length; start += size) out.push(all.subarray(start, start + size))
    return out
  }
  const provider = (pieces: () => Uint8Array[]) =>
    createOllama({ host: 'http://ollama.raw.test:11434', fetch: async () => ndjsonResponse(pieces()) })

  it('200,000 tiny lines give the right text', async () => {
    const lines: string[] = []
    for (let index = 0; index < 200_000; index++) lines.push(line(String(index % 10)))
    lines.push(line('', true))
    const body = lines.join('')
    const result = await provider(() => inPieces(body, 65_536))
      .stream(request)
      .result()
    expect(result.text.length).toBe(200_000)
    expect(result.text.slice(0, 12)).toBe('012345678901')
    expect(result.finishReason).toBe('stop')
  })

  it('a 20 MB single line parses', async () => {
    const content = 'é'.repeat(10 * 1024 * 1024)
    const body = `${line(content)}${line('', true)}`
    const result = await provider(() => inPieces(body, 65_536))
      .stream(request)
      .result()
    expect(result.text.length).toBe(content.length)
    expect(result.text === content).toBe(true)
  })

  it('a body split at every byte boundary parses, without a line end after the done line', async () => {
    const body = `${line('héllo ✓ ')}${line('🦊')}${line('', true).trimEnd()}`
    const result = await provider(() => inPieces(body, 1))
      .stream({ ...request, includeRaw: true })
      .result()
    expect(result.text).toBe('héllo ✓ 🦊')
    expect(result.usage).toEqual({ inputTokens: 3, outputTokens: 2, totalTokens: 5 })
    // The raw chunks are the wire lines, parsed.
    expect((result.raw as unknown[])[1]).toEqual(JSON.parse(line('🦊')))
  })
})
