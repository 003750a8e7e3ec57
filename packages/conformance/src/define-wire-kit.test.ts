import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  defineWireKit,
  framesBeforeCut,
  ndjsonFraming,
  readApiKey,
  retryAfterHeaders,
  type WireKitDefinition,
} from './define-wire-kit.js'
import type { WireReply, WireRequestView } from './wire-kit.js'

describe('readApiKey', () => {
  const url = 'https://kit.modelplex.test/v1/chat?key=from-query'
  it('takes the first location the request fills, in the order given', () => {
    const headers = { 'x-api-key': 'from-header', authorization: 'Bearer from-bearer' }
    expect(readApiKey([{ header: 'x-api-key' }, 'bearer'], headers, url)).toBe('from-header')
    expect(readApiKey(['bearer', { header: 'x-api-key' }], headers, url)).toBe('from-bearer')
    expect(readApiKey([{ header: 'api-key' }, { query: 'key' }], headers, url)).toBe('from-query')
  })

  it('reads a bare Authorization value as the key, and nothing when no location is filled', () => {
    expect(readApiKey(['bearer'], { authorization: 'raw-key' }, url)).toBe('raw-key')
    expect(readApiKey([{ header: 'api-key' }], {}, 'https://kit.modelplex.test/')).toBeUndefined()
  })
})

describe('retryAfterHeaders', () => {
  it("writes the wait in the vendor's style, seconds rounded up", () => {
    expect(retryAfterHeaders('seconds', 1500)).toEqual({ 'retry-after': '2' })
    expect(retryAfterHeaders('milliseconds', 1500)).toEqual({ 'retry-after-ms': '1500' })
    expect(retryAfterHeaders('both', 1500)).toEqual({ 'retry-after-ms': '1500', 'retry-after': '2' })
    expect(retryAfterHeaders('none', 1500)).toEqual({})
    expect(retryAfterHeaders('both', undefined)).toEqual({})
  })
})

describe('framesBeforeCut', () => {
  it('keeps the leading frames and those of the first N parts', () => {
    // 2 leading frames; parts end after frames 3, 5 and 6.
    expect(framesBeforeCut(2, [3, 5, 6], 0)).toBe(2)
    expect(framesBeforeCut(2, [3, 5, 6], 2)).toBe(5)
    expect(framesBeforeCut(2, [3, 5, 6], 9)).toBe(6)
  })
})

// A small NDJSON vendor, to drive every rule the builder owns through real HTTP.
const baseURL = 'https://builder.modelplex.test'
const views: WireRequestView[] = []
let reply: WireReply = { type: 'models', ids: [] }
const definition: WireKitDefinition<unknown> = {
  name: 'acme',
  defaults: { baseURL, apiKey: 'acme-default-key', models: { chat: 'acme-chat', embedding: 'acme-embed' } },
  apiKey: [{ header: 'x-acme-key' }, 'bearer'],
  requestId: { header: 'x-acme-request', format: (sequence) => `acme-${sequence}` },
  retryAfter: 'seconds',
  errors: {
    'bad-request': { status: 400, body: { error: 'bad' } },
    unauthorized: ({ apiKey }) => ({ status: 401, body: { error: `wrong key ${apiKey?.slice(-4)}` } }),
    forbidden: { status: 403, body: { error: 'forbidden' }, headers: { 'x-acme-reason': 'policy' } },
    'not-found': { status: 404, body: { error: 'missing' } },
    'context-window': { status: 400, body: { error: 'too long' } },
    'content-filter': () => new Response(JSON.stringify({ blocked: true }), { status: 200 }),
    'rate-limit': { status: 429, body: { error: 'slow down' } },
    server: { status: 500, body: { error: 'broken' } },
    overloaded: { status: 503, body: { error: 'busy' } },
  },
  routes: [
    {
      method: 'post',
      path: '/chat',
      operation: (body) => (body?.stream ? 'stream' : 'generate'),
      intercept: (view) =>
        view.model === 'retired' ? new Response('{"error":"retired"}', { status: 410 }) : undefined,
    },
    { method: 'post', path: '/embed', operation: 'embed' },
  ],
  read(view, body) {
    view.messages = (body?.messages ?? []).map((text: string) => ({ role: 'user', text }))
  },
  generate: (generate, { model, requestId }) => ({ model, text: generate.text, requestId }),
  embed: (embed, { models }) => ({ model: models.embedding, vectors: embed.vectors }),
  stream: {
    framing: ndjsonFraming,
    open: (stream, { model, errorBody }) => ({
      start: () => [{ start: model }],
      part: (part) => (part.type === 'text' ? [{ text: part.text }, { tick: true }] : []),
      finish: () => [{ finish: stream.finishReason }],
      error: (kind) => [{ error: errorBody(kind) }],
    }),
  },
}
const kit = defineWireKit(definition)
const server = setupServer(
  ...kit.handlers((view) => {
    views.push(view)
    return reply
  }),
)

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${baseURL}${path}`, { method: 'POST', body: JSON.stringify(body), headers })

/** The NDJSON lines of a body, up to where the connection was cut; `cut` says whether it was. */
async function lines(response: Response): Promise<{ values: unknown[]; cut: boolean }> {
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  let text = ''
  let cut = false
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      text += decoder.decode(value, { stream: true })
    }
  } catch {
    cut = true
  }
  return {
    values: text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line)),
    cut,
  }
}

const usage = { inputTokens: 1, outputTokens: 1 }

describe('defineWireKit', () => {
  it('applies the defaults and the caller options to the kit', () => {
    expect(kit.settings).toEqual({ apiKey: 'acme-default-key', baseURL })
    const custom = defineWireKit({
      ...definition,
      options: { baseURL: 'https://other.modelplex.test/', apiKey: 'k', settings: { region: 'eu' } },
    })
    expect(custom.baseURL).toBe('https://other.modelplex.test')
    expect(custom.settings).toEqual({ apiKey: 'k', baseURL: 'https://other.modelplex.test', region: 'eu' })
  })

  it('reads the view, writes the reply with a fresh request id and the model fallback', async () => {
    reply = { type: 'generate', text: 'Hi', finishReason: 'stop', usage }
    const first = await post('/chat', { messages: ['Hello'] }, { 'x-acme-key': 'sk-1' })
    const second = await post('/chat', { model: 'acme-large' }, { authorization: 'Bearer sk-2' })
    expect(views.slice(-2).map((view) => [view.operation, view.apiKey, view.model])).toEqual([
      ['generate', 'sk-1', undefined],
      ['generate', 'sk-2', 'acme-large'],
    ])
    expect(views.at(-2)!.messages).toEqual([{ role: 'user', text: 'Hello' }])
    const firstBody = (await first.json()) as Record<string, string>
    expect(firstBody).toMatchObject({ model: 'acme-chat', text: 'Hi' })
    expect(first.headers.get('x-acme-request')).toBe(firstBody.requestId)
    expect(((await second.json()) as Record<string, string>).model).toBe('acme-large')
    expect(second.headers.get('x-acme-request')).not.toBe(first.headers.get('x-acme-request'))
  })

  it('answers errors from the table, with extra headers and Retry-After', async () => {
    reply = { type: 'error', kind: 'rate-limit', retryAfterMs: 2500 }
    const limited = await post('/chat', {})
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('3')
    expect(limited.headers.get('x-acme-request')).toMatch(/^acme-\d+$/)
    expect(await limited.json()).toEqual({ error: 'slow down' })
    reply = { type: 'error', kind: 'forbidden' }
    expect((await post('/chat', {})).headers.get('x-acme-reason')).toBe('policy')
  })

  it('passes the request to a computed rule, and sends a Response a rule returns as it is', async () => {
    reply = { type: 'error', kind: 'unauthorized' }
    const denied = await post('/chat', {}, { 'x-acme-key': 'secret-9876' })
    expect(denied.status).toBe(401)
    expect(await denied.json()).toEqual({ error: 'wrong key 9876' })
    reply = { type: 'error', kind: 'content-filter' }
    const blocked = await post('/chat', {})
    expect(blocked.status).toBe(200)
    expect(await blocked.json()).toEqual({ blocked: true })
  })

  it('cuts a stream after N parts: the leading frames and every frame of those parts, then a dropped connection', async () => {
    const parts = ['a', 'b', 'c'].map((text) => ({ type: 'text' as const, text }))
    reply = { type: 'stream', parts, finishReason: 'stop', usage, cutAfter: 2 }
    const cut = await lines(await post('/chat', { stream: true }))
    expect(cut).toEqual({
      values: [{ start: 'acme-chat' }, { text: 'a' }, { tick: true }, { text: 'b' }, { tick: true }],
      cut: true,
    })
    reply = { type: 'stream', parts, finishReason: 'length', usage, chunkBytes: 3 }
    const whole = await lines(await post('/chat', { stream: true }))
    expect(whole.cut).toBe(false)
    expect(whole.values.at(-1)).toEqual({ finish: 'length' })
    expect(whole.values).toHaveLength(8)
  })

  it('ends a stream with the error event after errorAfter parts, instead of the finish', async () => {
    const parts = ['a', 'b'].map((text) => ({ type: 'text' as const, text }))
    reply = {
      type: 'stream',
      parts,
      finishReason: 'stop',
      usage,
      errorAfter: { parts: 1, kind: 'overloaded' },
    }
    const { values } = await lines(await post('/chat', { stream: true }))
    expect(values).toEqual([
      { start: 'acme-chat' },
      { text: 'a' },
      { tick: true },
      { error: { error: 'busy' } },
    ])
  })

  it('writes resets, malformed bodies in the framing, and the embeddings model default', async () => {
    reply = { type: 'reset' }
    await expect(post('/chat', {})).rejects.toThrow()
    reply = { type: 'malformed' }
    const json = await post('/chat', {})
    expect(json.headers.get('content-type')).toBe('application/json')
    await expect(json.clone().json()).rejects.toThrow()
    const stream = await post('/chat', { stream: true })
    expect(stream.headers.get('content-type')).toBe('application/x-ndjson')
    expect(await stream.text()).toContain('<html>')
    reply = { type: 'embed', vectors: [[1]], usage: { inputTokens: 1 } }
    expect(await (await post('/embed', {})).json()).toEqual({ model: 'acme-embed', vectors: [[1]] })
  })

  it("lets a route's intercept answer first, and refuses a reply that does not fit the request", async () => {
    reply = { type: 'generate', text: 'Hi', finishReason: 'stop', usage }
    expect((await post('/chat', { model: 'retired' })).status).toBe(410)
    reply = { type: 'models', ids: ['x'] }
    const mismatch = await post('/chat', {})
    expect(mismatch.status).toBe(500)
    expect(((await mismatch.json()) as { message: string }).message).toBe(
      'acme wire kit: reply "models" does not answer a generate request',
    )
  })
})
