import { ConfigError, StreamInterruptedError } from '@modelplex/core'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import chunks from './__fixtures__/chat-completion-chunks-text.json' with { type: 'json' }
import completion from './__fixtures__/chat-completion-text.json' with { type: 'json' }
// The Responses fixtures follow the examples of OpenAI's API reference (responses/object, responses-streaming).
import responseEvents from './__fixtures__/responses-events-text.json' with { type: 'json' }
import responseText from './__fixtures__/responses-text.json' with { type: 'json' }
import spec, { createOpenAI } from './index.js'

const baseURL = 'https://api.openai.modelplex.test/v1'
const apiKey = 'sk-proj-unit-test-0123456789'
const requests: Array<{ headers: Headers; body: any }> = []
const server = setupServer(
  http.post(`${baseURL}/chat/completions`, async ({ request }) => {
    const body = (await request.json()) as any
    requests.push({ headers: request.headers, body })
    if (!body.stream) return HttpResponse.json(completion)
    const sse = `${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')}data: [DONE]\n\n`
    return new HttpResponse(sse, { headers: { 'content-type': 'text/event-stream' } })
  }),
  http.post(`${baseURL}/responses`, async ({ request }) => {
    const body = (await request.json()) as any
    requests.push({ headers: request.headers, body })
    if (!body.stream) return HttpResponse.json(responseText)
    const sse = responseEvents
      .map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`)
      .join('')
    return new HttpResponse(sse, { headers: { 'content-type': 'text/event-stream' } })
  }),
)
const messages = [{ role: 'user' as const, content: 'Hello' }]

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  requests.length = 0
  server.resetHandlers()
  vi.unstubAllEnvs()
})
afterAll(() => server.close())

describe('openai provider', () => {
  it('declares id, SDK, env variables, defaults and capabilities', () => {
    expect(spec).toMatchObject({
      id: 'openai',
      name: 'OpenAI',
      sdk: { package: 'openai', range: '^6.0.0' },
      env: { apiKey: ['OPENAI_API_KEY'], baseURL: ['OPENAI_BASE_URL'] },
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

  it('sends the OpenAI request body: max_completion_tokens, strict json_schema, usage on streams', async () => {
    const provider = createOpenAI({ apiKey, baseURL, api: 'chat' })
    await provider
      .stream({
        model: 'gpt-4o-mini',
        messages,
        maxOutputTokens: 100,
        responseFormat: { type: 'json', schema: { type: 'object', properties: {} }, name: 'answer' },
      })
      .result()
    expect(requests[0]!.body).toMatchInlineSnapshot(`
      {
        "max_completion_tokens": 100,
        "messages": [
          {
            "content": "Hello",
            "role": "user",
          },
        ],
        "model": "gpt-4o-mini",
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
    expect(requests[0]!.headers.get('authorization')).toBe(`Bearer ${apiKey}`)
  })

  it('parses the documented completion and prices it from the table', async () => {
    const result = await createOpenAI({ apiKey, baseURL, api: 'chat' }).generate({
      model: 'gpt-4.1',
      messages,
    })
    expect(result.text).toBe('Hello! How can I assist you today?')
    expect(result.model).toBe('gpt-4.1-2025-04-14')
    expect(result.usage).toEqual({ inputTokens: 19, outputTokens: 10, totalTokens: 29 })
    // gpt-4.1-2025-04-14 resolves to gpt-4.1: $2 in, $8 out per million tokens.
    expect(result.cost).toEqual({ input: 0.000038, output: 0.00008, total: 0.000118, currency: 'USD' })
  })

  it('streams the documented chunks with usage and cost on finish', async () => {
    const stream = createOpenAI({ apiKey, baseURL, api: 'chat' }).stream({ model: 'gpt-4o-mini', messages })
    const types: string[] = []
    for await (const event of stream) types.push(event.type)
    expect(types).toEqual(['text-delta', 'text-delta', 'finish'])
    const result = await stream.result()
    expect(result.text).toBe('Hello!')
    expect(result.usage).toEqual({ inputTokens: 9, outputTokens: 2, totalTokens: 11 })
    expect(result.cost?.total).toBeCloseTo((9 * 0.15 + 2 * 0.6) / 1_000_000, 12)
  })

  it('a stream cut after the finish chunk, before the usage chunk → StreamInterruptedError with the text', async () => {
    // The documented chunks without the usage chunk and [DONE]: the body ends cleanly there.
    const cut = chunks
      .slice(0, -1)
      .map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`)
      .join('')
    server.use(
      http.post(
        `${baseURL}/chat/completions`,
        () => new HttpResponse(cut, { headers: { 'content-type': 'text/event-stream' } }),
      ),
    )
    const provider = createOpenAI({ apiKey, baseURL, api: 'chat' })
    const error = await provider
      .stream({ model: 'gpt-4o-mini', messages })
      .result()
      .catch((caught) => caught)
    expect(StreamInterruptedError.isInstance(error)).toBe(true)
    expect(error.partial.text).toBe('Hello!')
    // Without include_usage (turned off through providerOptions) no usage chunk is awaited.
    const result = await provider
      .stream({
        model: 'gpt-4o-mini',
        messages,
        providerOptions: { openai: { stream_options: { include_usage: false } } },
      })
      .result()
    expect(result.text).toBe('Hello!')
    expect(result.usage).toBeUndefined()
  })

  it('speaks the Responses API by default: a stateless body, the documented response parsed and priced', async () => {
    const provider = createOpenAI({ apiKey, baseURL })
    const result = await provider.generate({
      model: 'gpt-4.1',
      messages: [{ role: 'system', content: 'Be brief.' }, ...messages],
      maxOutputTokens: 100,
      responseFormat: { type: 'json', schema: { type: 'object', properties: {} }, name: 'answer' },
      providerOptions: { openai: { serviceTier: 'flex', promptCacheKey: 'docs-v1', max_tool_calls: 2 } },
    })
    expect(requests[0]!.body).toMatchInlineSnapshot(`
      {
        "input": [
          {
            "content": "Be brief.",
            "role": "system",
          },
          {
            "content": "Hello",
            "role": "user",
          },
        ],
        "max_output_tokens": 100,
        "max_tool_calls": 2,
        "model": "gpt-4.1",
        "prompt_cache_key": "docs-v1",
        "service_tier": "flex",
        "store": false,
        "text": {
          "format": {
            "name": "answer",
            "schema": {
              "properties": {},
              "type": "object",
            },
            "strict": true,
            "type": "json_schema",
          },
        },
      }
    `)
    expect(result.text).toMatch(/^In a peaceful grove/)
    expect(result.model).toBe('gpt-4.1-2025-04-14')
    expect(result.usage).toEqual({ inputTokens: 36, outputTokens: 87, totalTokens: 123 })
    // gpt-4.1: $2 in, $8 out per million tokens.
    expect(result.cost?.total).toBeCloseTo((36 * 2 + 87 * 8) / 1_000_000, 12)
    expect(result.providerMetadata?.openai).toMatchObject({
      responseId: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
      status: 'completed',
      serviceTier: 'default',
    })
  })

  it('streams the documented Responses events with usage, cost and metadata on finish', async () => {
    const stream = createOpenAI({ apiKey, baseURL }).stream({ model: 'gpt-4o-mini', messages })
    const types: string[] = []
    for await (const event of stream) types.push(event.type)
    expect(types).toEqual(['text-delta', 'text-delta', 'finish'])
    const result = await stream.result()
    expect(result.text).toBe('Hi there!')
    expect(result.id).toBe('resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654')
    expect(result.usage).toEqual({ inputTokens: 37, outputTokens: 11, totalTokens: 48 })
    expect(result.cost?.total).toBeCloseTo((37 * 0.15 + 11 * 0.6) / 1_000_000, 12)
    expect(result.providerMetadata?.openai).toMatchObject({ serviceTier: 'default', status: 'completed' })
    expect(requests[0]!.body).toMatchObject({ stream: true, store: false })
  })

  it("api: 'chat' translates typed providerOptions to Chat Completions' names and passes unknown keys", async () => {
    await createOpenAI({ apiKey, baseURL, api: 'chat' }).generate({
      model: 'gpt-5',
      messages,
      providerOptions: {
        openai: {
          reasoning: { effort: 'low' },
          serviceTier: 'priority',
          textVerbosity: 'low',
          top_logprobs: 2,
        },
      },
    })
    expect(requests[0]!.body).toMatchObject({
      reasoning_effort: 'low',
      service_tier: 'priority',
      verbosity: 'low',
      top_logprobs: 2,
    })
    expect(requests[0]!.body.reasoning).toBeUndefined()
  })

  it('sends organization and project headers', async () => {
    await createOpenAI({
      apiKey,
      baseURL,
      organization: 'org-modelplex',
      project: 'proj_modelplex',
    }).generate({
      model: 'gpt-4o-mini',
      messages,
    })
    expect(requests[0]!.headers.get('openai-organization')).toBe('org-modelplex')
    expect(requests[0]!.headers.get('openai-project')).toBe('proj_modelplex')
  })

  it('reads OPENAI_API_KEY and OPENAI_BASE_URL', async () => {
    vi.stubEnv('OPENAI_API_KEY', 'sk-from-the-environment')
    vi.stubEnv('OPENAI_BASE_URL', baseURL)
    await createOpenAI().generate({ messages })
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer sk-from-the-environment')
    expect(requests[0]!.body.model).toBe('gpt-4o-mini')
  })

  it('without a key throws ConfigError naming the option and OPENAI_API_KEY, before any request', async () => {
    vi.stubEnv('OPENAI_API_KEY', '')
    const error = await createOpenAI({ baseURL })
      .generate({ messages })
      .catch((caught: unknown) => caught)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect((error as Error).message).toMatch(/apiKey.*OPENAI_API_KEY/)
    expect(requests).toHaveLength(0)
  })
})
