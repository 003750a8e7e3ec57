import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { awsEvent, decodeAwsEventStream, encodeAwsEventStreamMessage } from './aws-event-stream.js'
import {
  corruptFrame,
  countFrames,
  faultInjector,
  gatewayErrorResponse,
  type HttpFault,
  truncateResponse,
} from './fault-injection.js'
import { sseResponse } from './wire-responses.js'

const BASE = 'https://vendor.fault.test'
const answer = { id: 'r1', text: 'Grüße 🌍', usage: { input: 3, output: 4 } }

const backend = [
  http.post(`${BASE}/generate`, async ({ request }) => {
    const body = (await request.json()) as { name: string }
    return HttpResponse.json({ ...answer, name: body.name })
  }),
  http.post(`${BASE}/stream`, () =>
    sseResponse([
      { event: 'start', data: '{"n":0}' },
      { event: 'delta', data: '{"n":1}' },
      { event: 'delta', data: '{"n":2}' },
      { event: 'stop', data: '{"n":3}' },
    ]),
  ),
]

let fault: HttpFault | undefined
const seen: string[] = []
const server = setupServer(
  faultInjector({
    handlers: backend,
    decide(request) {
      seen.push(`${request.method} ${new URL(request.url).pathname}`)
      return fault
    },
  }),
  ...backend,
)

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  fault = undefined
  seen.length = 0
})
afterAll(() => server.close())

const post = (path: string, signal?: AbortSignal) =>
  fetch(`${BASE}${path}`, {
    method: 'POST',
    body: JSON.stringify({ name: 'ada' }),
    headers: { 'content-type': 'application/json' },
    ...(signal ? { signal } : {}),
  })

describe('faultInjector', () => {
  it('without a fault the request falls through to the handlers, body intact', async () => {
    const response = await post('/generate')
    expect(await response.json()).toEqual({ ...answer, name: 'ada' })
    expect(seen).toEqual(['POST /generate'])
  })

  it('a status fault answers with the status, JSON body and headers given', async () => {
    fault = {
      type: 'status',
      status: 529,
      body: { error: { type: 'overloaded_error' } },
      headers: { 'retry-after': '1' },
    }
    const response = await post('/generate')
    expect(response.status).toBe(529)
    expect(response.headers.get('retry-after')).toBe('1')
    expect(await response.json()).toEqual({ error: { type: 'overloaded_error' } })
  })

  it('a string body is sent as HTML, as a proxy would', async () => {
    fault = { type: 'status', status: 503, body: '<html>down</html>' }
    const response = await post('/generate')
    expect(response.status).toBe(503)
    expect(response.headers.get('content-type')).toBe('text/html')
    expect(await response.text()).toBe('<html>down</html>')
  })

  it('reset rejects the fetch with a network error', async () => {
    fault = { type: 'reset' }
    await expect(post('/generate')).rejects.toThrow(TypeError)
  })

  it('hang answers nothing until the client aborts', async () => {
    fault = { type: 'hang' }
    const started = performance.now()
    await expect(post('/generate', AbortSignal.timeout(40))).rejects.toMatchObject({ name: 'TimeoutError' })
    expect(performance.now() - started).toBeGreaterThanOrEqual(35)
  })

  it('truncate serves a strict prefix of the real body, which no longer parses', async () => {
    fault = { type: 'truncate', keep: 0.5 }
    const response = await post('/generate')
    expect(response.status).toBe(200)
    const bytes = Buffer.from(await response.arrayBuffer())
    const full = Buffer.from(JSON.stringify({ ...answer, name: 'ada' }))
    expect(bytes.length).toBe(Math.floor(full.length * 0.5))
    expect(full.subarray(0, bytes.length).equals(bytes)).toBe(true)
    expect(() => JSON.parse(bytes.toString())).toThrow(SyntaxError)
  })

  it('corrupt-frame breaks one SSE frame of the real stream and keeps the others', async () => {
    fault = { type: 'corrupt-frame', format: 'sse', index: 2 }
    const text = await (await post('/stream')).text()
    const frames = text.split('\n\n').filter(Boolean)
    expect(frames).toHaveLength(4)
    expect(frames[1]).toBe('event: delta\ndata: {"n":1}')
    expect(frames[2]).toBe('event: delta\ndata: {"modelplex_corrupt":')
    expect(frames[3]).toBe('event: stop\ndata: {"n":3}')
  })
})

describe('gatewayErrorResponse', () => {
  it("is a proxy's HTML page with the status and its reason", async () => {
    const response = gatewayErrorResponse(502)
    expect(response.status).toBe(502)
    expect(response.statusText).toBe('Bad Gateway')
    expect(response.headers.get('content-type')).toBe('text/html')
    expect(await response.text()).toContain('<title>502 Bad Gateway</title>')
  })
})

describe('truncateResponse', () => {
  it('keeps the fraction of bytes asked, status and headers, without content-length', async () => {
    const response = await truncateResponse(
      new Response('0123456789', { status: 200, headers: { 'x-id': '1', 'content-length': '10' } }),
      0.3,
    )
    expect(await response.text()).toBe('012')
    expect(response.headers.get('x-id')).toBe('1')
    expect(response.headers.get('content-length')).toBeNull()
  })
})

describe('corruptFrame', () => {
  const encoder = new TextEncoder()
  const decoder = new TextDecoder()

  it('SSE with CRLF separators (Gemini) keeps the CRLF framing', () => {
    const body = encoder.encode('data: {"a":1}\r\n\r\ndata: {"a":2}\r\n\r\n')
    expect(decoder.decode(corruptFrame(body, 'sse', 1))).toBe(
      'data: {"a":1}\r\n\r\ndata: {"modelplex_corrupt":\r\n\r\n',
    )
    expect(countFrames(body, 'sse')).toBe(2)
  })

  it('NDJSON replaces one line; an index past the end hits the last line', () => {
    const body = encoder.encode('{"a":1}\n{"a":2}\n{"a":3}\n')
    expect(decoder.decode(corruptFrame(body, 'ndjson', 0))).toBe('{"modelplex_corrupt":\n{"a":2}\n{"a":3}\n')
    expect(decoder.decode(corruptFrame(body, 'ndjson', 99))).toBe('{"a":1}\n{"a":2}\n{"modelplex_corrupt":\n')
    expect(countFrames(body, 'ndjson')).toBe(3)
  })

  it('AWS event-stream: the target message fails its CRC, the ones before it still decode', () => {
    const body = Buffer.concat(
      [
        awsEvent('messageStart', { role: 'assistant' }),
        awsEvent('contentBlockDelta', { delta: { text: 'hi' } }),
        awsEvent('messageStop', { stopReason: 'end_turn' }),
      ].map(encodeAwsEventStreamMessage),
    )
    expect(countFrames(body, 'aws-event-stream')).toBe(3)
    const broken = corruptFrame(body, 'aws-event-stream', 1)
    expect(broken.length).toBe(body.length)
    expect(() => decodeAwsEventStream(broken)).toThrow(/CRC mismatch/)
    const firstLength = new DataView(body.buffer, body.byteOffset).getUint32(0)
    expect(decodeAwsEventStream(broken.slice(0, firstLength))).toHaveLength(1)
  })
})
