import { http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createRequestRecorder,
  encodeSseFrame,
  errorResponse,
  hangUntilAborted,
  ndjsonResponse,
  resetResponse,
  sseResponse,
  streamBody,
} from './wire-responses.js'

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

const decode = (chunks: Uint8Array[]) => new TextDecoder().decode(Buffer.concat(chunks))

describe('sseResponse', () => {
  it('frames events as `event:` and `data:` lines ended by a blank line', async () => {
    const response = sseResponse([
      { data: '{"a":1}' },
      { event: 'message_stop', data: '{}' },
      { data: '[DONE]' },
    ])
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/event-stream')
    expect(await response.text()).toBe('data: {"a":1}\n\nevent: message_stop\ndata: {}\n\ndata: [DONE]\n\n')
  })

  it('delivers one frame per read unless sliced', async () => {
    const { chunks, error } = await readChunks(sseResponse([{ data: 'one' }, { data: 'two' }]).body)
    expect(error).toBeUndefined()
    expect(chunks.map((chunk) => new TextDecoder().decode(chunk))).toEqual(['data: one\n\n', 'data: two\n\n'])
  })

  it('writes multi-line data as several data lines', () => {
    expect(encodeSseFrame({ data: 'a\nb', id: '7' })).toBe('id: 7\ndata: a\ndata: b\n\n')
  })

  it('cutAfter delivers that many frames, then errors like a dropped socket', async () => {
    const response = sseResponse([{ data: 'one' }, { data: 'two' }, { data: 'three' }], { cutAfter: 2 })
    const { chunks, error } = await readChunks(response.body)
    expect(decode(chunks)).toBe('data: one\n\ndata: two\n\n')
    expect(error).toBeInstanceOf(TypeError)
    expect((error as TypeError).message).toBe('terminated')
    expect(((error as TypeError).cause as { code: string }).code).toBe('UND_ERR_SOCKET')
  })

  it('cutAfter 0 errors before any byte', async () => {
    const { chunks, error } = await readChunks(sseResponse([{ data: 'one' }], { cutAfter: 0 }).body)
    expect(chunks).toEqual([])
    expect(error).toBeInstanceOf(TypeError)
  })

  it('chunkBytes slices the bytes, splitting frames and multi-byte UTF-8 sequences', async () => {
    const text = 'héllo wörld 你好 🎉'
    const response = sseResponse([{ data: text }, { data: '[DONE]' }], { chunkBytes: 3 })
    const { chunks } = await readChunks(response.body)
    const expected = `data: ${text}\n\ndata: [DONE]\n\n`
    const total = new TextEncoder().encode(expected).length
    expect(chunks).toHaveLength(Math.ceil(total / 3))
    expect(chunks.slice(0, -1).every((chunk) => chunk.length === 3)).toBe(true)
    // At least one chunk ends inside a multi-byte character: decoding it alone fails.
    const fatal = new TextDecoder('utf-8', { fatal: true })
    expect(chunks.some((chunk) => !canDecode(fatal, chunk))).toBe(true)
    expect(decode(chunks)).toBe(expected)
  })

  it('chunkBytes with cutAfter slices only the frames before the cut', async () => {
    const response = sseResponse([{ data: 'abcdef' }, { data: 'ghi' }], { chunkBytes: 4, cutAfter: 1 })
    const { chunks, error } = await readChunks(response.body)
    expect(decode(chunks)).toBe('data: abcdef\n\n')
    expect(chunks[0]).toHaveLength(4)
    expect(error).toBeInstanceOf(TypeError)
  })

  it('keeps given headers and status', () => {
    const response = sseResponse([], { headers: { 'x-request-id': 'req_1' }, status: 201 })
    expect(response.headers.get('x-request-id')).toBe('req_1')
    expect(response.status).toBe(201)
  })

  it('rejects a chunk size that is not a positive integer', () => {
    expect(() => streamBody(['x'], { chunkBytes: 0 })).toThrow(RangeError)
    expect(() => streamBody(['x'], { chunkBytes: 1.5 })).toThrow(RangeError)
  })
})

function canDecode(decoder: TextDecoder, chunk: Uint8Array): boolean {
  try {
    decoder.decode(chunk)
    return true
  } catch {
    return false
  }
}

describe('ndjsonResponse', () => {
  it('writes one JSON value per line; strings verbatim', async () => {
    const response = ndjsonResponse([{ message: { content: 'Hi' }, done: false }, { done: true }, '{broken'])
    expect(response.headers.get('content-type')).toBe('application/x-ndjson')
    expect(await response.text()).toBe('{"message":{"content":"Hi"},"done":false}\n{"done":true}\n{broken\n')
  })

  it('cuts after N lines and slices bytes like sseResponse', async () => {
    const response = ndjsonResponse([{ text: 'é' }, { text: 'b' }], { cutAfter: 1, chunkBytes: 2 })
    const { chunks, error } = await readChunks(response.body)
    expect(decode(chunks)).toBe('{"text":"é"}\n')
    expect(chunks.every((chunk) => chunk.length <= 2)).toBe(true)
    expect(error).toBeInstanceOf(TypeError)
  })
})

describe('errorResponse', () => {
  it('sends objects as JSON with the status and headers', async () => {
    const response = errorResponse(429, { error: { message: 'slow down' } }, { 'retry-after-ms': '30' })
    expect(response.status).toBe(429)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(response.headers.get('retry-after-ms')).toBe('30')
    expect(await response.json()).toEqual({ error: { message: 'slow down' } })
  })

  it('sends strings as text', async () => {
    const response = errorResponse(502, '<html>Bad gateway</html>')
    expect(response.headers.get('content-type')).toBe('text/plain')
    expect(await response.text()).toBe('<html>Bad gateway</html>')
  })
})

describe('through MSW', () => {
  const recorder = createRequestRecorder()
  const server = setupServer(
    http.post('http://wire.test/stream', async ({ request }) => {
      await recorder.record(request)
      return sseResponse([{ data: 'one' }, { data: 'two' }], { cutAfter: 1 })
    }),
    http.post('http://wire.test/hang', ({ request }) => hangUntilAborted(request)),
    http.get('http://wire.test/reset', () => resetResponse()),
  )
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterAll(() => server.close())

  it('records the request and the body still reaches the handler; the cut reaches fetch', async () => {
    const response = await fetch('http://wire.test/stream', {
      method: 'POST',
      headers: { Authorization: 'Bearer sk-test', 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'm', stream: true }),
    })
    const { chunks, error } = await readChunks(response.body)
    expect(decode(chunks)).toBe('data: one\n\n')
    expect((error as Error).message).toBe('terminated')
    expect(recorder.requests).toHaveLength(1)
    expect(recorder.last()).toEqual({
      method: 'POST',
      url: 'http://wire.test/stream',
      headers: expect.objectContaining({
        authorization: 'Bearer sk-test',
        'content-type': 'application/json',
      }),
      body: { model: 'm', stream: true },
    })
    recorder.clear()
    expect(recorder.requests).toEqual([])
  })

  it('hangUntilAborted answers nothing until the signal aborts', async () => {
    const controller = new AbortController()
    let settled = false
    const pending = fetch('http://wire.test/hang', { method: 'POST', signal: controller.signal }).finally(
      () => {
        settled = true
      },
    )
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(settled).toBe(false)
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('resetResponse makes fetch reject with a network error', async () => {
    await expect(fetch('http://wire.test/reset')).rejects.toBeInstanceOf(TypeError)
  })
})
