import {
  AuthenticationError,
  ConfigError,
  ConnectionError,
  ContentFilterError,
  type StreamEvent,
} from '@modelplex/core'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import * as openai from 'openai'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import completion from './__fixtures__/chat-completion.json' with { type: 'json' }
import chunks from './__fixtures__/chat-completion-chunks.json' with { type: 'json' }
import contentFiltered from './__fixtures__/chat-completion-content-filter.json' with { type: 'json' }
import embeddings from './__fixtures__/embeddings.json' with { type: 'json' }
import contentFilterError from './__fixtures__/error-400-content-filter.json' with { type: 'json' }
import modelsList from './__fixtures__/models-list.json' with { type: 'json' }
import spec, { createAzureOpenAI } from './index.js'

const endpoint = 'https://contoso.openai.azure.com'
const apiKey = '0123456789abcdef0123456789abcdef'
const requests: Array<{ url: URL; headers: Headers; body: any }> = []
let answer: (body: any) => Response = (body) => (body?.stream ? sse(chunks) : HttpResponse.json(completion))

function sse(frames: unknown[]): Response {
  const text = `${frames.map((frame) => `data: ${JSON.stringify(frame)}\n\n`).join('')}data: [DONE]\n\n`
  return new HttpResponse(text, { headers: { 'content-type': 'text/event-stream' } })
}

async function record(request: Request): Promise<any> {
  const body = request.method === 'GET' ? undefined : await request.json()
  requests.push({ url: new URL(request.url), headers: request.headers, body })
  return body
}

const server = setupServer(
  http.post(`${endpoint}/openai/deployments/:deployment/chat/completions`, async ({ request }) =>
    answer(await record(request)),
  ),
  http.post(`${endpoint}/openai/deployments/:deployment/embeddings`, async ({ request }) => {
    await record(request)
    return HttpResponse.json(embeddings)
  }),
  http.get(`${endpoint}/openai/models`, async ({ request }) => {
    await record(request)
    return HttpResponse.json(modelsList)
  }),
  http.post(`${endpoint}/openai/v1/chat/completions`, async ({ request }) => answer(await record(request))),
  http.post(`${endpoint}/openai/v1/responses`, async ({ request }) => {
    await record(request)
    // The Responses object as Microsoft's Responses guide shows it (a deployment of gpt-4o-mini).
    return HttpResponse.json({
      id: 'resp_azure_1',
      object: 'response',
      status: 'completed',
      model: 'gpt-4o-mini-2024-07-18',
      output: [
        {
          id: 'msg_azure_1',
          type: 'message',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'Hi from Azure.', annotations: [] }],
        },
      ],
      service_tier: 'default',
      usage: {
        input_tokens: 8,
        input_tokens_details: { cached_tokens: 4 },
        output_tokens: 4,
        total_tokens: 12,
      },
    })
  }),
)
const messages = [{ role: 'user' as const, content: 'Hello' }]

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  requests.length = 0
  answer = (body) => (body?.stream ? sse(chunks) : HttpResponse.json(completion))
  vi.unstubAllEnvs()
})
afterAll(() => server.close())

describe('azure-openai Responses API', () => {
  it("api: 'responses' POSTs to /openai/v1/responses with the deployment as model and the key, statelessly", async () => {
    const provider = createAzureOpenAI({ apiKey, endpoint, apiVersion: 'v1', api: 'responses' })
    expect(provider.capabilities.reasoning).toBe(true)
    expect(provider.capabilities.files).toContain('application/pdf')
    const result = await provider.generate({
      model: 'my-gpt4o-mini',
      messages,
      providerOptions: { 'azure-openai': { reasoning: { effort: 'low' }, promptCacheKey: 'k1' } },
    })
    expect(result.text).toBe('Hi from Azure.')
    expect(result.usage).toMatchObject({ inputTokens: 8, cachedInputTokens: 4, outputTokens: 4 })
    expect(result.providerMetadata?.['azure-openai']).toMatchObject({
      responseId: 'resp_azure_1',
      serviceTier: 'default',
    })
    const [request] = requests
    expect(request!.url.pathname).toBe('/openai/v1/responses')
    expect(request!.headers.get('api-key') ?? request!.headers.get('authorization')).toContain(apiKey)
    expect(request!.body).toMatchObject({
      model: 'my-gpt4o-mini',
      input: [{ role: 'user', content: 'Hello' }],
      store: false,
      reasoning: { effort: 'low' },
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: 'k1',
    })
  })

  it('the default api stays Chat Completions and declares no file types', () => {
    const provider = createAzureOpenAI({ apiKey, endpoint })
    expect(provider.capabilities.files ?? []).toEqual([])
    expect(provider.capabilities.reasoning ?? false).toBe(false)
  })
})

describe('azure-openai spec', () => {
  it('declares id, SDK, env variables, defaults and capabilities; the key is optional for a token provider', () => {
    expect(spec).toMatchObject({
      id: 'azure-openai',
      name: 'Azure OpenAI',
      sdk: { package: 'openai', range: '^6.0.0' },
      env: { apiKey: ['AZURE_OPENAI_API_KEY'] },
      requiresApiKey: false,
      defaultModel: 'gpt-4o-mini',
      defaultEmbeddingModel: 'text-embedding-3-small',
      capabilities: {
        stream: true,
        tools: true,
        structuredOutput: 'json-schema',
        embeddings: true,
        vision: true,
        listModels: true,
      },
    })
  })
})

describe('azure-openai requests', () => {
  it('POSTs to the deployment with api-version 2024-10-21 and the api-key header; the body uses max_tokens', async () => {
    await createAzureOpenAI({ apiKey, endpoint })
      .stream({
        model: 'prod-gpt-4o',
        messages,
        maxOutputTokens: 100,
        responseFormat: { type: 'json', schema: { type: 'object', properties: {} }, name: 'answer' },
      })
      .result()
    const { url, headers, body } = requests[0]!
    expect(url.pathname).toBe('/openai/deployments/prod-gpt-4o/chat/completions')
    expect(url.searchParams.get('api-version')).toBe('2024-10-21')
    expect(headers.get('api-key')).toBe(apiKey)
    expect(headers.get('authorization')).toBeNull()
    expect(body).toMatchInlineSnapshot(`
      {
        "max_tokens": 100,
        "messages": [
          {
            "content": "Hello",
            "role": "user",
          },
        ],
        "model": "prod-gpt-4o",
        "response_format": {
          "json_schema": {
            "name": "answer",
            "schema": {
              "properties": {},
              "type": "object",
            },
            "strict": true,
          },
          "type": "json_schema",
        },
        "stream": true,
        "stream_options": {
          "include_usage": true,
        },
      }
    `)
  })

  it('on an API version before structured outputs: json_object with a warning, no stream_options', async () => {
    const provider = createAzureOpenAI({ apiKey, endpoint, apiVersion: '2024-06-01' })
    const stream = provider.stream({
      model: 'chat',
      messages,
      responseFormat: { type: 'json', schema: { type: 'object' } },
    })
    const result = await stream.result()
    expect(requests[0]!.url.searchParams.get('api-version')).toBe('2024-06-01')
    expect(requests[0]!.body.response_format).toEqual({ type: 'json_object' })
    expect(requests[0]!.body.stream_options).toBeUndefined()
    expect(
      result.warnings.map((warning) => warning.type === 'unsupported-setting' && warning.setting),
    ).toEqual(['responseFormat.schema'])
  })

  it('the v1 API: /openai/v1 with the deployment in the body and max_completion_tokens', async () => {
    await createAzureOpenAI({ apiKey, endpoint, apiVersion: 'v1' }).generate({
      model: 'prod-o4-mini',
      messages,
      maxOutputTokens: 50,
    })
    const { url, headers, body } = requests[0]!
    expect(url.pathname).toBe('/openai/v1/chat/completions')
    expect(url.search).toBe('')
    expect(headers.get('authorization')).toBe(`Bearer ${apiKey}`)
    expect(body).toMatchObject({ model: 'prod-o4-mini', max_completion_tokens: 50 })
    expect(body.max_tokens).toBeUndefined()
  })

  it('apiVersion "preview" asks the v1 API for preview features', async () => {
    await createAzureOpenAI({ apiKey, endpoint, apiVersion: 'preview' }).generate({ model: 'chat', messages })
    expect(requests[0]!.url.pathname).toBe('/openai/v1/chat/completions')
    expect(requests[0]!.url.searchParams.get('api-version')).toBe('preview')
  })

  it('a request without a model goes to the deployment setting', async () => {
    const provider = createAzureOpenAI({ apiKey, endpoint, deployment: 'team-chat' })
    await provider.generate({ messages })
    await provider.stream({ messages }).result()
    await provider.generate({ model: 'other-deployment', messages })
    // A deployment that happens to be called like the spec default is not rerouted.
    await provider.generate({ model: 'gpt-4o-mini', messages })
    expect(requests.map((request) => request.url.pathname)).toEqual([
      '/openai/deployments/team-chat/chat/completions',
      '/openai/deployments/team-chat/chat/completions',
      '/openai/deployments/other-deployment/chat/completions',
      '/openai/deployments/gpt-4o-mini/chat/completions',
    ])
  })

  it('reads AZURE_OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT and OPENAI_API_VERSION', async () => {
    vi.stubEnv('AZURE_OPENAI_API_KEY', 'key-from-the-environment')
    vi.stubEnv('AZURE_OPENAI_ENDPOINT', endpoint)
    vi.stubEnv('AZURE_OPENAI_API_VERSION', '')
    vi.stubEnv('OPENAI_API_VERSION', '2025-04-01-preview')
    await createAzureOpenAI().generate({ model: 'chat', messages, maxOutputTokens: 5 })
    expect(requests[0]!.headers.get('api-key')).toBe('key-from-the-environment')
    expect(requests[0]!.url.searchParams.get('api-version')).toBe('2025-04-01-preview')
    expect(requests[0]!.body.max_completion_tokens).toBe(5)
  })

  it('resourceName builds the endpoint; custom headers and providerOptions reach the wire', async () => {
    await createAzureOpenAI({
      apiKey,
      resourceName: 'contoso',
      headers: { 'x-ms-useragent': 'app/1' },
    }).generate({
      model: 'chat',
      messages,
      providerOptions: { 'azure-openai': { user: 'user-1234' } },
    })
    expect(requests[0]!.url.origin).toBe(endpoint)
    expect(requests[0]!.headers.get('x-ms-useragent')).toBe('app/1')
    expect(requests[0]!.body.user).toBe('user-1234')
  })

  it('does not pick up OpenAI variables the SDK would read by itself', async () => {
    vi.stubEnv('OPENAI_BASE_URL', 'https://api.openai.com/v1')
    vi.stubEnv('OPENAI_ORG_ID', 'org-should-not-be-sent')
    await createAzureOpenAI({ apiKey, endpoint }).generate({ model: 'chat', messages })
    expect(requests[0]!.url.origin).toBe(endpoint)
    expect(requests[0]!.headers.get('openai-organization')).toBeNull()
  })

  it('embeds through the embedding deployment and lists the base models of the resource', async () => {
    const provider = createAzureOpenAI({ apiKey, endpoint })
    const result = await provider.embed({ input: ['a', 'b'], dimensions: 3 })
    expect(requests[0]!.url.pathname).toBe('/openai/deployments/text-embedding-3-small/embeddings')
    expect(requests[0]!.body).toMatchObject({ input: ['a', 'b'], dimensions: 3, encoding_format: 'float' })
    expect(result.embeddings).toEqual([
      [0.1, 0.2, 0.3],
      [0.4, 0.5, 0.6],
    ])
    expect(result.usage).toEqual({ inputTokens: 4 })
    const models = await provider.listModels()
    expect(requests[1]!.url.pathname).toBe('/openai/models')
    expect(requests[1]!.url.searchParams.get('api-version')).toBe('2024-10-21')
    expect(models.map((model) => model.id)).toEqual(['gpt-4o-2024-08-06', 'text-embedding-3-small'])
  })
})

describe('azure-openai credentials', () => {
  it('sends an Entra ID token as Bearer, asking the provider on every request, and no api-key', async () => {
    vi.stubEnv('AZURE_OPENAI_API_KEY', 'a-key-in-the-environment')
    let issued = 0
    const azureADTokenProvider = vi.fn(async () => `entra-token-${++issued}`)
    const provider = createAzureOpenAI({ endpoint, azureADTokenProvider })
    await provider.generate({ model: 'chat', messages })
    await provider.generate({ model: 'chat', messages })
    expect(requests.map((request) => request.headers.get('authorization'))).toEqual([
      'Bearer entra-token-1',
      'Bearer entra-token-2',
    ])
    expect(requests[0]!.headers.get('api-key')).toBeNull()
    expect(azureADTokenProvider).toHaveBeenCalledTimes(2)
  })

  it('an Entra ID token the service echoes in an error is redacted by core', async () => {
    const token = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.entra-token-secret'
    answer = () =>
      HttpResponse.json(
        { error: { code: '401', message: `Token ${token} is not valid for this resource` } },
        { status: 401 },
      )
    const error = await createAzureOpenAI({ endpoint, azureADTokenProvider: async () => token })
      .generate({ model: 'chat', messages })
      .catch((e) => e)
    expect(AuthenticationError.isInstance(error)).toBe(true)
    expect(error.message).not.toContain(token)
    expect(error.message).toContain('Token [redacted] is not valid')
  })

  it('the token provider also authenticates the v1 API', async () => {
    await createAzureOpenAI({
      endpoint,
      apiVersion: 'v1',
      azureADTokenProvider: async () => 'entra-token-v1',
    }).generate({ model: 'chat', messages })
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer entra-token-v1')
  })

  it('a failing token provider → AuthenticationError with its cause, not retried, nothing sent', async () => {
    const failure = new Error('DefaultAzureCredential failed to retrieve a token')
    const azureADTokenProvider = vi.fn(async () => {
      throw failure
    })
    const error = await createAzureOpenAI({ endpoint, azureADTokenProvider })
      .generate({ model: 'chat', messages, maxRetries: 2 })
      .catch((caught: unknown) => caught)
    expect(AuthenticationError.isInstance(error)).toBe(true)
    expect((error as Error).message).toContain('DefaultAzureCredential failed to retrieve a token')
    expect((error as Error).cause).toBe(failure)
    expect(azureADTokenProvider).toHaveBeenCalledTimes(1)
    expect(requests).toHaveLength(0)
  })

  it('a token provider that cannot reach Entra ID → ConnectionError, retried', async () => {
    const azureADTokenProvider = vi.fn(async () => {
      throw new TypeError('fetch failed')
    })
    const error = await createAzureOpenAI({ endpoint, azureADTokenProvider, retry: { initialDelayMs: 1 } })
      .generate({ model: 'chat', messages, maxRetries: 1 })
      .catch((caught: unknown) => caught)
    expect(ConnectionError.isInstance(error)).toBe(true)
    expect(azureADTokenProvider).toHaveBeenCalledTimes(2)
  })

  it('a token provider that resolves to nothing → AuthenticationError', async () => {
    const error = await createAzureOpenAI({ endpoint, azureADTokenProvider: async () => '' })
      .generate({ model: 'chat', messages })
      .catch((caught: unknown) => caught)
    expect(AuthenticationError.isInstance(error)).toBe(true)
    expect((error as Error).message).toMatch(/returned no token/)
  })

  it('without a key or token provider: ConfigError naming both options and the variable, before any request', async () => {
    vi.stubEnv('AZURE_OPENAI_API_KEY', '')
    const error = await createAzureOpenAI({ endpoint })
      .generate({ messages })
      .catch((caught: unknown) => caught)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect((error as Error).message).toMatch(/apiKey.*AZURE_OPENAI_API_KEY.*azureADTokenProvider/)
    expect(requests).toHaveLength(0)
  })

  it('rejects a token provider that is not a function and an API version that is not one', async () => {
    const notAFunction = await createAzureOpenAI({ endpoint, azureADTokenProvider: 'token' as never })
      .generate({ messages })
      .catch((caught: unknown) => caught)
    expect(ConfigError.isInstance(notAFunction)).toBe(true)
    expect((notAFunction as Error).message).toContain('azureADTokenProvider')
    const badVersion = await createAzureOpenAI({ endpoint, apiKey, apiVersion: '2024-10-21 ' })
      .generate({ messages })
      .catch((caught: unknown) => caught)
    expect(ConfigError.isInstance(badVersion)).toBe(true)
    expect((badVersion as Error).message).toContain('apiVersion')
  })

  it('accepts the openai module injected through the sdk setting', async () => {
    await createAzureOpenAI({ endpoint, apiKey, sdk: openai }).generate({ model: 'chat', messages })
    expect(requests).toHaveLength(1)
    const error = await createAzureOpenAI({ endpoint, apiKey, sdk: { OpenAI: openai.OpenAI } })
      .generate({ model: 'chat', messages })
      .catch((caught: unknown) => caught)
    expect(ConfigError.isInstance(error)).toBe(true)
  })
})

describe('azure-openai responses', () => {
  it('parses an Azure completion: text, cached usage, the base model it ran, cost from its price', async () => {
    const result = await createAzureOpenAI({ apiKey, endpoint }).generate({ model: 'prod-gpt-4o', messages })
    expect(result.text).toBe('Ahoy! How can I help ye today?')
    expect(result.finishReason).toBe('stop')
    expect(result.model).toBe('gpt-4o-2024-08-06')
    expect(result.usage).toEqual({
      inputTokens: 2048,
      outputTokens: 10,
      totalTokens: 2058,
      cachedInputTokens: 1024,
    })
    // gpt-4o: $2.50 in, $1.25 cached in, $10 out per million tokens.
    expect(result.cost).toEqual({
      input: (1024 * 2.5 + 1024 * 1.25) / 1e6,
      output: 0.0001,
      total: (1024 * 2.5 + 1024 * 1.25) / 1e6 + 0.0001,
      currency: 'USD',
    })
  })

  it('finish_reason content_filter → finishReason content-filter with no text', async () => {
    answer = () => HttpResponse.json(contentFiltered)
    const result = await createAzureOpenAI({ apiKey, endpoint }).generate({ model: 'chat', messages })
    expect(result.finishReason).toBe('content-filter')
    expect(result.rawFinishReason).toBe('content_filter')
    expect(result.text).toBe('')
  })

  it('streams past the prompt-filter chunk: deltas, one finish with the usage chunk, the model from the first real chunk', async () => {
    const stream = createAzureOpenAI({ apiKey, endpoint }).stream({ model: 'prod-mini', messages })
    const events: StreamEvent[] = []
    for await (const event of stream) events.push(event)
    expect(events.map((event) => event.type)).toEqual(['text-delta', 'text-delta', 'finish'])
    const result = await stream.result()
    expect(result.text).toBe("Tsuyu is Japan's rainy season.")
    expect(result.model).toBe('gpt-4.1-mini-2025-04-14')
    expect(result.id).toBe('chatcmpl-EJEvSY5drsqKTmbzILnMWMhU3tP2C')
    expect(result.usage).toEqual({ inputTokens: 22, outputTokens: 34, totalTokens: 56 })
    // gpt-4.1-mini: $0.40 in, $1.60 out per million tokens.
    expect(result.cost?.total).toBeCloseTo((22 * 0.4 + 34 * 1.6) / 1e6, 12)
  })

  it('a stream refused for its prompt rejects with ContentFilterError naming the category', async () => {
    answer = () => HttpResponse.json(contentFilterError, { status: 400 })
    const error = await createAzureOpenAI({ apiKey, endpoint })
      .stream({ model: 'chat', messages })
      .result()
      .catch((caught: unknown) => caught)
    expect(ContentFilterError.isInstance(error)).toBe(true)
    expect((error as Error).message).toContain('violence (medium)')
  })
})
