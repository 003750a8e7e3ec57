import type { WireReply, WireRequestView } from '@modelplex/conformance'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createOpenAICompatibleWireKit } from './openai-compatible-wire-kit.js'

// The kit options vendors with other routes and annotations need (Azure OpenAI); the defaults are
// exercised by this package's conformance run.
const views: WireRequestView[] = []
let reply: WireReply = { type: 'models', ids: [] }
const serve = (view: WireRequestView) => {
  views.push(view)
  return reply
}
const base = 'https://vendor.modelplex.test/openai'
const server = setupServer(
  ...createOpenAICompatibleWireKit({ baseURL: 'https://plain.modelplex.test/v1' }).handlers(serve),
  ...createOpenAICompatibleWireKit({
    baseURL: base,
    paths: {
      chat: '/deployments/:deployment/chat/completions',
      embeddings: '/deployments/:deployment/embeddings',
    },
    readModel: (request) => /\/deployments\/([^/]+)\//.exec(new URL(request.url).pathname)?.[1],
    transformPayload: (payload, kind) => ({ ...payload, annotated: kind }),
    streamPreamble: () => [{ id: '', model: '', choices: [], prompt_filter_results: [] }],
  }).handlers(serve),
)

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  views.length = 0
})
afterAll(() => server.close())

function post(url: string, body: unknown) {
  return fetch(url, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  })
}

/** The JSON of each `data:` frame of an SSE body, up to where the connection was cut. */
async function frames(response: Response): Promise<unknown[]> {
  const decoder = new TextDecoder()
  const reader = response.body!.getReader()
  let text = ''
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      text += decoder.decode(value, { stream: true })
    }
  } catch {
    // A cut stream errors here; the frames before the cut are what the test checks.
  }
  return text
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: ') && frame !== 'data: [DONE]')
    .map((frame) => JSON.parse(frame.slice('data: '.length)))
}

const usage = { inputTokens: 3, outputTokens: 2 }

describe('createOpenAICompatibleWireKit options', () => {
  it('paths route under the base URL and readModel takes the model from the path, not the body', async () => {
    reply = { type: 'generate', text: 'Hi', finishReason: 'stop', usage }
    const response = await post(`${base}/deployments/team-chat/chat/completions?api-version=2024-10-21`, {
      model: 'ignored-by-the-vendor',
      messages: [{ role: 'user', content: 'Hello' }],
    })
    expect(response.status).toBe(200)
    expect(views[0]!.model).toBe('team-chat')
    const body = (await response.json()) as any
    expect(body.model).toBe('team-chat')
    expect(body.annotated).toBe('completion')
    expect(body.choices[0].message.content).toBe('Hi')
  })

  it('the embeddings path is routed and transformed too', async () => {
    reply = { type: 'embed', vectors: [[1, 2]], usage: { inputTokens: 1 } }
    const response = await post(`${base}/deployments/embedder/embeddings`, { model: 'x', input: 'a' })
    expect(views[0]!.model).toBe('embedder')
    expect(((await response.json()) as any).annotated).toBe('embeddings')
  })

  it('the preamble leads the stream, every chunk is transformed, and cutAfter counts past the preamble', async () => {
    reply = {
      type: 'stream',
      parts: ['a', 'b', 'c'].map((text) => ({ type: 'text', text })),
      finishReason: 'stop',
      usage,
      cutAfter: 2,
    }
    const response = await post(`${base}/deployments/streamer/chat/completions`, {
      model: 'x',
      stream: true,
      messages: [],
    })
    const received = (await frames(response)) as any[]
    expect(received[0]).toEqual({ id: '', model: '', choices: [], prompt_filter_results: [] })
    expect(received.slice(1).map((chunk) => chunk.annotated)).toEqual(['chunk', 'chunk', 'chunk'])
    // Preamble, role chunk, then the two parts before the cut.
    expect(received.slice(2).map((chunk) => chunk.choices[0].delta.content)).toEqual(['a', 'b'])
  })

  it('without the options the kit is unchanged: OpenAI paths, the body model, no preamble', async () => {
    reply = { type: 'stream', parts: [{ type: 'text', text: 'x' }], finishReason: 'stop', usage }
    const response = await post('https://plain.modelplex.test/v1/chat/completions', {
      model: 'gpt-test',
      stream: true,
      messages: [],
    })
    const received = (await frames(response)) as any[]
    expect(views[0]!.model).toBe('gpt-test')
    expect(received[0].choices[0].delta.role).toBe('assistant')
    expect(received.every((chunk) => chunk.annotated === undefined)).toBe(true)
  })
})
