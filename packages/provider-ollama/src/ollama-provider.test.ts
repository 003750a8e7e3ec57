import type { AddressInfo } from 'node:net'
import { createServer } from 'node:net'
import {
  AbortedError,
  AuthenticationError,
  ConfigError,
  ConnectionError,
  InvalidRequestError,
} from '@modelplex/core'
import { HttpResponse, http, passthrough } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import textResponse from './__fixtures__/chat-response-text.json' with { type: 'json' }
import spec, { createOllama } from './index.js'

const host = 'http://ollama.provider.test:11434'
const hello = [{ role: 'user' as const, content: 'Say hello.' }]
const server = setupServer()

interface Seen {
  url: string
  headers: Record<string, string>
  body: any
}

/** Answers /api/chat with the documented text reply and records what arrived. */
function recordChat(base = host): Seen[] {
  const seen: Seen[] = []
  server.use(
    http.post(`${base}/api/chat`, async ({ request }) => {
      seen.push({
        url: request.url,
        headers: Object.fromEntries(request.headers),
        body: await request.json(),
      })
      return HttpResponse.json(textResponse)
    }),
  )
  return seen
}

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  server.resetHandlers()
  vi.unstubAllEnvs()
})
afterAll(() => server.close())

describe('the Ollama spec', () => {
  it('needs no key, reads no key or URL variable itself, and claims every capability', () => {
    expect(spec).toMatchObject({
      id: 'ollama',
      name: 'Ollama',
      sdk: { package: 'ollama', range: '^0.6.4' },
      requiresApiKey: false,
      env: {},
      defaultModel: 'llama3.2',
      defaultEmbeddingModel: 'nomic-embed-text',
      capabilities: {
        stream: true,
        tools: true,
        structuredOutput: 'json-schema',
        embeddings: true,
        vision: true,
        listModels: true,
      },
    })
    expect(spec.pricing.free).toBe(true)
  })
})

describe('createOllama', () => {
  it('calls the server without a key, sends no Authorization header, and costs 0', async () => {
    const seen = recordChat()
    const result = await createOllama({ baseURL: host }).generate({ model: 'llama3.2', messages: hello })
    expect(result.text).toBe('Hello! How are you today?')
    expect(result.cost).toEqual({ input: 0, output: 0, total: 0, currency: 'USD' })
    expect(seen[0]!.headers.authorization).toBeUndefined()
    expect(seen[0]!.headers['user-agent']).toMatch(/^ollama-js\//)
    expect(seen[0]!.body.stream).toBe(false)
  })

  it('reads OLLAMA_HOST, also in its scheme-less form', async () => {
    vi.stubEnv('OLLAMA_HOST', '0.0.0.0:11500')
    const seen = recordChat('http://0.0.0.0:11500')
    await createOllama().generate({ messages: hello })
    expect(seen[0]!.url).toBe('http://0.0.0.0:11500/api/chat')
    expect(seen[0]!.body.model).toBe('llama3.2')
  })

  it('takes the host setting in the same form, over OLLAMA_HOST', async () => {
    vi.stubEnv('OLLAMA_HOST', '0.0.0.0:11500')
    const seen = recordChat('http://gpu-box:11434')
    await createOllama({ host: 'gpu-box' }).generate({ messages: hello })
    expect(seen[0]!.url).toBe('http://gpu-box:11434/api/chat')
  })

  it('sends the apiKey as a bearer token, and setting and per-call headers', async () => {
    const seen = recordChat()
    const ollama = createOllama({
      baseURL: host,
      apiKey: 'ollama-cloud-key-123456',
      headers: { 'x-team': 'a' },
    })
    await ollama.generate({ messages: hello, headers: { 'x-trace': 't1' } })
    await ollama.generate({ messages: hello })
    expect(seen[0]!.headers).toMatchObject({
      authorization: 'Bearer ollama-cloud-key-123456',
      'x-team': 'a',
      'x-trace': 't1',
    })
    // Per-call headers belong to that call only.
    expect(seen[1]!.headers['x-trace']).toBeUndefined()
  })

  it("hands the caller's signal to the SDK's fetch for a non-streamed call", async () => {
    let signal: AbortSignal | undefined
    const fetch = vi.fn((_input: RequestInfo | URL, init?: RequestInit) => {
      signal = init?.signal ?? undefined
      return new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))
      })
    })
    const controller = new AbortController()
    const call = createOllama({ baseURL: host, fetch }).generate({
      messages: hello,
      signal: controller.signal,
    })
    await vi.waitFor(() => expect(fetch).toHaveBeenCalled())
    expect(signal?.aborted).toBe(false)
    controller.abort()
    const error = await call.catch((caught: unknown) => caught)
    expect(AbortedError.isInstance(error)).toBe(true)
    expect(signal?.aborted).toBe(true)
  })

  it('cancels the streamed request when the stream is aborted', async () => {
    let signal: AbortSignal | undefined
    const encoder = new TextEncoder()
    const fetch = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
      signal = init?.signal ?? undefined
      const line = `${JSON.stringify({ model: 'llama3.2', message: { role: 'assistant', content: 'Hel' }, done: false })}\n`
      // One line, then silence: only an abort ends this body, as it ends a real fetch's body.
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(line))
          init?.signal?.addEventListener('abort', () => controller.error(init.signal?.reason))
        },
      })
      return new Response(body, { headers: { 'content-type': 'application/x-ndjson' } })
    })
    const stream = createOllama({ baseURL: host, fetch }).stream({ messages: hello })
    const iterator = stream[Symbol.asyncIterator]()
    expect(await iterator.next()).toEqual({ value: { type: 'text-delta', text: 'Hel' }, done: false })
    expect(signal?.aborted).toBe(false)
    stream.abort()
    await expect(iterator.next()).rejects.toSatisfy((error) => AbortedError.isInstance(error))
    expect(signal?.aborted).toBe(true)
  })

  it('tells the user to start Ollama or set OLLAMA_HOST when nothing listens', async () => {
    // A port that was just free: connecting to it is refused.
    const probe = createServer()
    await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done))
    const { port } = probe.address() as AddressInfo
    await new Promise((done) => probe.close(done))
    const base = `http://127.0.0.1:${port}`
    server.use(http.post(`${base}/api/chat`, () => passthrough()))
    const error = await createOllama({ host: `127.0.0.1:${port}`, retry: { maxRetries: 0 } })
      .generate({ messages: hello })
      .catch((caught: unknown) => caught)
    expect(ConnectionError.isInstance(error)).toBe(true)
    expect((error as Error).message).toContain(base)
    expect((error as Error).message).toContain('ECONNREFUSED')
    expect((error as Error).message).toContain('Nothing is listening there')
    expect((error as Error).message).toContain('OLLAMA_HOST')
  })

  it('downloads an image URL and sends it as base64', async () => {
    const bytes = new Uint8Array([137, 80, 78, 71, 1, 2, 3])
    server.use(http.get('https://images.test/cat.png', () => new HttpResponse(bytes)))
    const seen = recordChat()
    await createOllama({ baseURL: host }).generate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', image: 'https://images.test/cat.png' },
          ],
        },
      ],
    })
    expect(seen[0]!.body.messages[0]).toEqual({
      role: 'user',
      content: 'What is this?',
      images: [Buffer.from(bytes).toString('base64')],
    })
  })

  it('fails with InvalidRequestError, before calling Ollama, when an image cannot be downloaded', async () => {
    server.use(http.get('https://images.test/gone.png', () => new HttpResponse(null, { status: 404 })))
    const seen = recordChat()
    const error = await createOllama({ baseURL: host })
      .generate({
        messages: [
          { role: 'user', content: [{ type: 'image', image: 'https://images.test/gone.png?sig=abc' }] },
        ],
      })
      .catch((caught: unknown) => caught)
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    expect((error as Error).message).toContain('https://images.test/gone.png')
    expect((error as Error).message).toContain('HTTP 404')
    // The query string (often a signature) stays out of the message.
    expect((error as Error).message).not.toContain('sig=abc')
    expect(seen).toHaveLength(0)
  })

  it('warns when the server ignores the dimensions it was asked for', async () => {
    server.use(
      http.post(`${host}/api/embed`, () =>
        HttpResponse.json({ model: 'nomic-embed-text', embeddings: [[0.1, 0.2, 0.3]], prompt_eval_count: 2 }),
      ),
    )
    const result = await createOllama({ baseURL: host }).embed({ input: 'hi', dimensions: 2 })
    expect(result.embeddings).toEqual([[0.1, 0.2, 0.3]])
    expect(result.cost?.total).toBe(0)
    expect(result.warnings).toEqual([
      expect.objectContaining({ type: 'unsupported-setting', setting: 'dimensions' }),
    ])
  })

  it('classifies an error answer without writing to the console', async () => {
    server.use(http.post(`${host}/api/chat`, () => new HttpResponse(null, { status: 403 })))
    const log = vi.spyOn(console, 'log')
    const warn = vi.spyOn(console, 'warn')
    const error = await createOllama({ baseURL: host })
      .generate({ messages: hello })
      .catch((caught: unknown) => caught)
    expect(AuthenticationError.isInstance(error)).toBe(true)
    expect(log).not.toHaveBeenCalled()
    expect(warn).not.toHaveBeenCalled()
  })

  it('accepts the Node build of the SDK through the sdk setting', async () => {
    const seen = recordChat()
    const sdk = await import('ollama')
    await createOllama({ baseURL: host, sdk }).generate({ messages: hello })
    expect(seen).toHaveLength(1)
  })

  it('rejects an sdk setting that is not the ollama module', async () => {
    const error = await createOllama({ baseURL: host, sdk: { nothing: true } })
      .generate({ messages: hello })
      .catch((caught: unknown) => caught)
    expect(ConfigError.isInstance(error)).toBe(true)
  })
})
