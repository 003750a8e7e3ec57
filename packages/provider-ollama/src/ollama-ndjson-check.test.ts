import { MalformedResponseError, StreamInterruptedError } from '@modelplex/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { checkOllamaNdjson, OllamaNdjsonLines } from './ollama-ndjson-check.js'
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

/** Reads a body to its end: the bytes that came out, and the error it ended with. */
async function drain(response: Response): Promise<{ text: string; error: unknown }> {
  const reader = response.body!.getReader()
  const chunks: Uint8Array[] = []
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
    }
  } catch (error) {
    return { text: Buffer.concat(chunks).toString('utf8'), error }
  }
  return { text: Buffer.concat(chunks).toString('utf8'), error: undefined }
}

const line = (content: string, done = false) =>
  `${JSON.stringify({ model: 'llama3.2', message: { role: 'assistant', content }, done, ...(done ? { done_reason: 'stop', prompt_eval_count: 3, eval_count: 2 } : {}) })}\n`

describe('OllamaNdjsonLines', () => {
  it('accepts JSON-object lines however the chunks split them, a multi-byte character included', () => {
    const lines = new OllamaNdjsonLines()
    const all = bytes(`${line('wörld 🌍')}${line('!')}\r\n${line('', true)}`)
    // Every split point, one byte at a time: inside the emoji, on the `\n`, across the CRLF.
    for (let at = 0; at < all.length; at++) {
      expect(lines.scan(all.subarray(at, at + 1))).toBe(-1)
    }
    expect(lines.failure).toBeUndefined()
  })

  it('finds a complete line that does not parse, and where it starts in the chunk', () => {
    const lines = new OllamaNdjsonLines()
    const good = line('Hello')
    expect(lines.scan(bytes(`${good}{"modelplex_corrupt":\n${line(' world')}`))).toBe(good.length)
    expect(MalformedResponseError.isInstance(lines.failure)).toBe(true)
    expect(lines.failure!.message).toBe(
      'Ollama: line 2 of the stream is not a JSON object: "{\\"modelplex_corrupt\\":"',
    )
    expect(lines.failure!.provider).toBe('ollama')
  })

  it('a bad line begun in an earlier chunk is reported at offset 0 of the chunk that ends it', () => {
    const lines = new OllamaNdjsonLines()
    expect(lines.scan(bytes('{"model":"llama3.2","mess'))).toBe(-1)
    expect(lines.scan(bytes('age":\n'))).toBe(0)
    expect(lines.failure?.message).toMatch(/^Ollama: line 1 of the stream is not a JSON object/)
  })

  it('JSON that is not an object fails; a blank line holds nothing and passes; an open last line waits', () => {
    expect(new OllamaNdjsonLines().scan(bytes('[1,2]\n'))).toBe(0)
    expect(new OllamaNdjsonLines().scan(bytes('null\n'))).toBe(0)
    expect(new OllamaNdjsonLines().scan(bytes('\n \r\n'))).toBe(-1)
    // No `\n` yet: a cut last line is the SDK's to report (it ends without `done`).
    expect(new OllamaNdjsonLines().scan(bytes('{"model":'))).toBe(-1)
  })

  it('quotes at most 60 characters of a long bad line', () => {
    const lines = new OllamaNdjsonLines()
    lines.scan(bytes(`${'x'.repeat(500)}\n`))
    expect(lines.failure!.message).toBe(
      `Ollama: line 1 of the stream is not a JSON object: "${'x'.repeat(60)}"…`,
    )
  })
})

describe('checkOllamaNdjson', () => {
  it('passes a good body through byte for byte, keeping status and headers', async () => {
    const body = `${line('Hel')}${line('lo')}${line('', true)}`
    const checked = checkOllamaNdjson(ndjsonResponse([body.slice(0, 7), body.slice(7, 90), body.slice(90)]))
    expect(checked.status).toBe(200)
    expect(checked.headers.get('content-type')).toBe('application/x-ndjson')
    expect(await drain(checked)).toEqual({ text: body, error: undefined })
  })

  it('delivers the good lines before a bad one in the same chunk, then errors and cancels the source', async () => {
    let cancelled: unknown
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes(`${line('Hello')}not json\n${line(' world')}`))
      },
      cancel(reason) {
        cancelled = reason
      },
    })
    const { text, error } = await drain(checkOllamaNdjson(new Response(source)))
    expect(text).toBe(line('Hello'))
    expect(MalformedResponseError.isInstance(error)).toBe(true)
    expect(cancelled).toBe(error)
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
