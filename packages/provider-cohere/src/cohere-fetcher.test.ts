import { ConnectionError, MalformedResponseError } from '@modelplex/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createCohereFetcher } from './cohere-fetcher.js'
import { createCohere } from './index.js'

function recordingFetch(response: () => Response | Promise<Response>) {
  const requests: Request[] = []
  const fetchImpl = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push(new Request(input, init))
    return response()
  })
  return { fetchImpl: fetchImpl as unknown as typeof fetch, requests }
}

describe('createCohereFetcher', () => {
  it('sends the JSON body, resolved headers, query parameters and the signal', async () => {
    const { fetchImpl, requests } = recordingFetch(() => Response.json({ ok: 1 }))
    const signal = new AbortController().signal
    const result = await createCohereFetcher(() => fetchImpl)({
      url: 'https://api.cohere.test/v1/models',
      method: 'POST',
      contentType: 'application/json',
      requestType: 'json',
      body: { model: 'm' },
      headers: { Authorization: 'Bearer k', 'X-Supplied': () => 'from-supplier', 'X-None': undefined },
      queryParameters: { page_size: 1000, page_token: undefined, endpoint: ['chat', 'embed'] },
      abortSignal: signal,
    })
    expect(result).toMatchObject({ ok: true, body: { ok: 1 } })
    const request = requests[0]!
    expect(request.url).toBe('https://api.cohere.test/v1/models?page_size=1000&endpoint=chat&endpoint=embed')
    expect(request.headers.get('authorization')).toBe('Bearer k')
    expect(request.headers.get('x-supplied')).toBe('from-supplier')
    expect(request.headers.has('x-none')).toBe(false)
    expect(request.headers.get('accept')).toBe('application/json')
    expect(request.headers.get('content-type')).toBe('application/json')
    expect(await request.json()).toEqual({ model: 'm' })
    expect((fetchImpl as any).mock.calls[0][1].signal).toBe(signal)
  })

  it('hands back the body of an SSE response unread', async () => {
    const { fetchImpl, requests } = recordingFetch(
      () => new Response('data: {}\n\n', { headers: { 'content-type': 'text/event-stream' } }),
    )
    const result = await createCohereFetcher(() => fetchImpl)({
      url: 'https://x.test',
      method: 'POST',
      responseType: 'sse',
    })
    expect(result.ok && result.body instanceof ReadableStream).toBe(true)
    expect(requests[0]!.headers.get('accept')).toBe('text/event-stream')
  })

  it('reports a 200 body that is not JSON as non-json, with the text', async () => {
    const { fetchImpl } = recordingFetch(() => new Response('<html>Bad gateway</html>', { status: 200 }))
    const result = await createCohereFetcher(() => fetchImpl)({ url: 'https://x.test', method: 'GET' })
    expect(result).toMatchObject({
      ok: false,
      error: { reason: 'non-json', statusCode: 200, rawBody: '<html>Bad gateway</html>' },
    })
  })

  it('reports an error status with its body, JSON or text, and the response headers', async () => {
    const json = recordingFetch(() =>
      Response.json({ id: 'i', message: 'slow down' }, { status: 429, headers: { 'retry-after': '3' } }),
    )
    const result = await createCohereFetcher(() => json.fetchImpl)({ url: 'https://x.test', method: 'GET' })
    expect(result).toMatchObject({
      ok: false,
      error: { reason: 'status-code', statusCode: 429, body: { id: 'i', message: 'slow down' } },
    })
    expect(result.rawResponse.headers.get('retry-after')).toBe('3')
    const text = recordingFetch(() => new Response('upstream timed out', { status: 504 }))
    expect(
      await createCohereFetcher(() => text.fetchImpl)({ url: 'https://x.test', method: 'GET' }),
    ).toMatchObject({
      error: { reason: 'status-code', statusCode: 504, body: 'upstream timed out' },
    })
  })

  it('reports a fetch that rejects as unknown, keeping the error as cause', async () => {
    const failed = new TypeError('fetch failed')
    const result = await createCohereFetcher(() => async () => Promise.reject(failed))({
      url: 'https://x.test',
      method: 'GET',
    })
    expect(result).toMatchObject({
      ok: false,
      error: { reason: 'unknown', errorMessage: 'fetch failed', cause: failed },
    })
  })

  it('reports a body that cannot be read as unknown', async () => {
    const broken = new Response(
      new ReadableStream({
        pull(controller) {
          controller.error(new TypeError('terminated'))
        },
      }),
    )
    const result = await createCohereFetcher(() => async () => broken)({
      url: 'https://x.test',
      method: 'GET',
    })
    expect(result).toMatchObject({ ok: false, error: { reason: 'unknown', errorMessage: 'terminated' } })
  })
})

describe('the transport inside cohere-ai', () => {
  afterEach(() => vi.restoreAllMocks())

  it('arms no SDK timer: a failed request leaves nothing to keep Node alive', async () => {
    const spy = vi.spyOn(globalThis, 'setTimeout')
    const fetch = async () => Promise.reject(new TypeError('fetch failed'))
    const provider = createCohere({ apiKey: 'co-test-key-0123456789', fetch, retry: { maxRetries: 0 } })
    const error = await provider
      .generate({ messages: [{ role: 'user', content: 'hi' }], timeoutMs: 12_345 })
      .catch((caught: unknown) => caught)
    expect(ConnectionError.isInstance(error)).toBe(true)
    // Core's own per-attempt timer (cleared) is the only long one.
    const delays = spy.mock.calls.map((call) => call[1] ?? 0).filter((delay) => delay > 1000)
    expect(delays).toEqual([12_345])
  })

  it('turns a 200 body that is not JSON into MalformedResponseError', async () => {
    const fetch = async () =>
      new Response('<html>Bad gateway</html>', {
        status: 200,
        headers: { 'content-type': 'application/json' },
      })
    const error = await createCohere({ apiKey: 'co-test-key-0123456789', fetch })
      .generate({ messages: [{ role: 'user', content: 'hi' }], maxRetries: 0 })
      .catch((caught: unknown) => caught)
    expect(MalformedResponseError.isInstance(error)).toBe(true)
    expect((error as Error).message).toContain('200')
  })
})
