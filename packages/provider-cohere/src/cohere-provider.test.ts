import { ConfigError, MalformedResponseError } from '@modelplex/core'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import chatText from './__fixtures__/chat-text.json' with { type: 'json' }
import spec, { createCohere } from './index.js'

const apiKey = 'co-test-key-0123456789'
const messages = [{ role: 'user' as const, content: 'Hi' }]

/** A stand-in for CohereClientV2 that records what the provider hands it. */
function fakeSdk() {
  const calls: Array<{ method: string; body: unknown; options: any }> = []
  const constructed: any[] = []
  class FakeClient {
    models = {
      list: async (body: unknown, options: unknown) => {
        calls.push({ method: 'models.list', body, options })
        return { models: [{ name: 'command-a-03-2025' }] }
      },
    }
    constructor(options: unknown) {
      constructed.push(options)
    }
    async chat(body: unknown, options: unknown) {
      calls.push({ method: 'chat', body, options })
      return {
        id: 'r',
        finishReason: 'COMPLETE',
        message: { role: 'assistant', content: [{ type: 'text', text: 'ok' }] },
      }
    }
  }
  return { sdk: { CohereClientV2: FakeClient }, calls, constructed }
}

describe('the spec', () => {
  it('names the SDK, the environment variables and the defaults', () => {
    expect(spec.id).toBe('cohere')
    expect(spec.sdk).toEqual({ package: 'cohere-ai', range: '^8.1.0' })
    expect(spec.env).toEqual({ apiKey: ['CO_API_KEY', 'COHERE_API_KEY'], baseURL: ['CO_API_URL'] })
    expect(spec.defaultModel).toBe('command-a-03-2025')
    expect(spec.defaultEmbeddingModel).toBe('embed-v4.0')
    expect(spec.capabilities).toEqual({
      stream: true,
      tools: true,
      structuredOutput: 'json-schema',
      embeddings: true,
      vision: true,
      listModels: true,
      files: [],
      reasoning: true,
    })
  })
})

describe('settings', () => {
  afterEach(() => vi.unstubAllEnvs())

  it('reads CO_API_KEY first, then COHERE_API_KEY, and CO_API_URL for the base URL', async () => {
    const first = fakeSdk()
    vi.stubEnv('CO_API_KEY', 'co-from-co-api-key-0001')
    vi.stubEnv('COHERE_API_KEY', 'co-from-cohere-api-key-0002')
    vi.stubEnv('CO_API_URL', 'https://cohere.internal.example')
    await createCohere({ sdk: first.sdk }).generate({ messages })
    expect(first.constructed[0]).toMatchObject({
      token: 'co-from-co-api-key-0001',
      baseUrl: 'https://cohere.internal.example',
    })
    vi.stubEnv('CO_API_KEY', '')
    const second = fakeSdk()
    await createCohere({ sdk: second.sdk }).generate({ messages })
    expect(second.constructed[0].token).toBe('co-from-cohere-api-key-0002')
  })

  it('without a key, throws a ConfigError naming the option and both variables', async () => {
    vi.stubEnv('CO_API_KEY', '')
    vi.stubEnv('COHERE_API_KEY', '')
    const { sdk } = fakeSdk()
    const error = await createCohere({ sdk })
      .generate({ messages })
      .catch((caught: unknown) => caught)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect((error as Error).message).toContain('apiKey')
    expect((error as Error).message).toContain('CO_API_KEY or COHERE_API_KEY')
  })

  it('rejects an unknown setting', async () => {
    const { sdk } = fakeSdk()
    const error = await createCohere({ apiKey, sdk, organization: 'x' } as never)
      .generate({ messages })
      .catch((caught: unknown) => caught)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect((error as Error).message).toContain('organization')
  })

  it('builds the client once, with the SDK retries off and its own transport', async () => {
    const { sdk, constructed, calls } = fakeSdk()
    const provider = createCohere({ apiKey, sdk, headers: { 'x-team': 'search' }, clientName: 'my-app' })
    await provider.generate({ messages })
    await provider.generate({ messages })
    expect(constructed).toHaveLength(1)
    expect(constructed[0]).toMatchObject({
      token: apiKey,
      maxRetries: 0,
      headers: { 'x-team': 'search' },
      clientName: 'my-app',
    })
    expect(constructed[0]).not.toHaveProperty('baseUrl')
    expect(typeof constructed[0].fetcher).toBe('function')
    expect(constructed[0]).not.toHaveProperty('timeoutInSeconds')
    expect(calls).toHaveLength(2)
  })

  it("passes core's signal, the call's headers and maxRetries 0 to every SDK call", async () => {
    const { sdk, calls } = fakeSdk()
    const provider = createCohere({ apiKey, sdk })
    await provider.generate({ messages, headers: { 'x-trace': 't-1' } })
    await provider.listModels({ headers: { 'x-trace': 't-2' } })
    for (const call of calls) {
      expect(call.options.abortSignal).toBeInstanceOf(AbortSignal)
      expect(call.options.maxRetries).toBe(0)
    }
    expect(calls.map((call) => call.options.headers)).toEqual([{ 'x-trace': 't-1' }, { 'x-trace': 't-2' }])
  })

  it('accepts the CohereClientV2 class itself as the sdk setting', async () => {
    const { sdk, calls } = fakeSdk()
    const result = await createCohere({ apiKey, sdk: sdk.CohereClientV2 }).generate({ messages })
    expect(result.text).toBe('ok')
    expect(calls).toHaveLength(1)
  })
})

describe('over HTTP', () => {
  const seen: Array<{ url: string; headers: Headers; body: any }> = []
  let models: Array<{ models: unknown[]; next_page_token?: string }> = []
  const server = setupServer(
    http.post('https://api.cohere.test/v2/chat', async ({ request }) => {
      seen.push({ url: request.url, headers: request.headers, body: await request.json() })
      return HttpResponse.json(chatText)
    }),
    http.post('https://api.cohere.test/v2/embed', async ({ request }) => {
      const body = (await request.json()) as { texts: string[] }
      seen.push({ url: request.url, headers: request.headers, body })
      return HttpResponse.json({
        id: 'e',
        embeddings: { float: body.texts.map((text) => [Number(text)]) },
        meta: { billed_units: { input_tokens: body.texts.length } },
        response_type: 'embeddings_by_type',
      })
    }),
    http.get('https://api.cohere.test/v1/models', ({ request }) => {
      seen.push({ url: request.url, headers: request.headers, body: undefined })
      return HttpResponse.json(models.shift())
    }),
  )
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => {
    seen.length = 0
    models = []
  })
  afterAll(() => server.close())
  const provider = createCohere({ apiKey, baseURL: 'https://api.cohere.test/', clientName: 'modelplex-test' })

  it('sends the key as a bearer token, the client name and the call headers', async () => {
    await provider.generate({ messages, headers: { 'x-request-tag': 'abc' } })
    expect(seen[0]!.url).toBe('https://api.cohere.test/v2/chat')
    expect(seen[0]!.headers.get('authorization')).toBe(`Bearer ${apiKey}`)
    expect(seen[0]!.headers.get('x-client-name')).toBe('modelplex-test')
    expect(seen[0]!.headers.get('x-request-tag')).toBe('abc')
  })

  it('embeds more than 96 texts in batches of 96, in order, summing the tokens', async () => {
    const input = Array.from({ length: 200 }, (_, index) => String(index))
    const result = await provider.embed({ model: 'embed-v4.0', input })
    expect(seen.map((request) => request.body.texts.length)).toEqual([96, 96, 8])
    expect(result.embeddings.map((vector) => vector[0])).toEqual(input.map(Number))
    expect(result.usage).toEqual({ inputTokens: 200 })
  })

  it('lists models across pages, following next_page_token', async () => {
    models = [
      { models: [{ name: 'command-a-03-2025', context_length: 256000 }], next_page_token: 'p2' },
      { models: [{ name: 'embed-v4.0' }] },
    ]
    const list = await provider.listModels()
    expect(list.map((model) => model.id)).toEqual(['command-a-03-2025', 'embed-v4.0'])
    expect(new URL(seen[0]!.url).searchParams.get('page_size')).toBe('1000')
    expect(new URL(seen[1]!.url).searchParams.get('page_token')).toBe('p2')
  })

  it('stops a model list whose next_page_token repeats', async () => {
    models = [
      { models: [{ name: 'a' }], next_page_token: 'same' },
      { models: [{ name: 'b' }], next_page_token: 'same' },
    ]
    expect((await provider.listModels()).map((model) => model.id)).toEqual(['a', 'b'])
  })

  it('rejects a model list page that is not a list', async () => {
    models = [{ data: [] } as never]
    const error = await provider.listModels().catch((caught: unknown) => caught)
    expect(MalformedResponseError.isInstance(error)).toBe(true)
  })
})
