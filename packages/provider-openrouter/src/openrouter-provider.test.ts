import { readFileSync } from 'node:fs'
import { ConfigError } from '@modelplex/core'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import completion from './__fixtures__/chat-completion.json' with { type: 'json' }
import reasoningDetails from './__fixtures__/chat-completion-reasoning-details.json' with { type: 'json' }
import spec, { createOpenRouter } from './index.js'

const apiKey = 'sk-or-v1-unit-test-0123456789'
const root = 'https://openrouter.ai/api/v1'
const stream = readFileSync(new URL('./__fixtures__/chat-completion-stream.txt', import.meta.url), 'utf8')
const requests: Array<{ url: string; headers: Headers; body: any }> = []
let answer: unknown = completion
const server = setupServer(
  // OpenRouter's real base URL (the default), intercepted by MSW.
  http.post(`${root}/chat/completions`, async ({ request }) => {
    const body = (await request.json()) as any
    requests.push({ url: request.url, headers: request.headers, body })
    if (!body.stream) return HttpResponse.json(answer as object)
    return new HttpResponse(stream, { headers: { 'content-type': 'text/event-stream' } })
  }),
  http.post(`${root}/embeddings`, async ({ request }) => {
    const body = (await request.json()) as any
    requests.push({ url: request.url, headers: request.headers, body })
    return HttpResponse.json({
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: [0.1, -0.2] }],
      model: 'openai/text-embedding-3-small',
      usage: { prompt_tokens: 3, total_tokens: 3, cost: 6e-8 },
    })
  }),
  http.get(`${root}/models`, () =>
    HttpResponse.json({
      data: [
        {
          id: 'openai/gpt-4o-mini',
          canonical_slug: 'openai/gpt-4o-mini-2024-07-18',
          name: 'OpenAI: GPT-4o-mini',
          created: 1721260800,
          context_length: 128000,
          pricing: { prompt: '0.00000015', completion: '0.0000006' },
        },
      ],
    }),
  ),
)
const messages = [{ role: 'user' as const, content: 'Explain the module.' }]

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  requests.length = 0
  answer = completion
  vi.unstubAllEnvs()
})
afterAll(() => server.close())

describe('openrouter provider', () => {
  it('declares id, SDK, env variables, defaults, capabilities and a table without prices', () => {
    expect(spec).toMatchObject({
      id: 'openrouter',
      name: 'OpenRouter',
      sdk: { package: 'openai', range: '^6.0.0' },
      env: { apiKey: ['OPENROUTER_API_KEY'], baseURL: ['OPENROUTER_BASE_URL'] },
      defaultModel: 'openai/gpt-4o-mini',
      defaultEmbeddingModel: 'openai/text-embedding-3-small',
      capabilities: {
        stream: true,
        tools: true,
        structuredOutput: 'json-schema',
        embeddings: true,
        vision: true,
        listModels: true,
      },
      pricing: { models: {} },
    })
  })

  it('sends the attribution headers from appUrl and appName, and the shared OpenAI body', async () => {
    await createOpenRouter({ apiKey, appUrl: 'https://app.modelplex.test', appName: 'modelplex tests' })
      .stream({ messages, maxOutputTokens: 100 })
      .result()
    const { url, headers, body } = requests[0]!
    expect(url).toBe(`${root}/chat/completions`)
    expect(headers.get('authorization')).toBe(`Bearer ${apiKey}`)
    expect(headers.get('http-referer')).toBe('https://app.modelplex.test')
    expect(headers.get('x-title')).toBe('modelplex tests')
    // No `usage: { include: true }`: OpenRouter deprecated it and always reports usage and cost.
    expect(body).toMatchInlineSnapshot(`
      {
        "max_completion_tokens": 100,
        "messages": [
          {
            "content": "Explain the module.",
            "role": "user",
          },
        ],
        "model": "openai/gpt-4o-mini",
        "stream": true,
        "stream_options": {
          "include_usage": true,
        },
      }
    `)
  })

  it('reads the attribution from OPENROUTER_APP_URL and OPENROUTER_APP_NAME, and sends none without them', async () => {
    vi.stubEnv('OPENROUTER_APP_URL', 'https://env.modelplex.test')
    vi.stubEnv('OPENROUTER_APP_NAME', 'from env')
    await createOpenRouter({ apiKey }).generate({ messages })
    expect(requests[0]!.headers.get('http-referer')).toBe('https://env.modelplex.test')
    expect(requests[0]!.headers.get('x-title')).toBe('from env')
    vi.unstubAllEnvs()
    await createOpenRouter({ apiKey }).generate({ messages })
    expect(requests[1]!.headers.get('http-referer')).toBeNull()
    expect(requests[1]!.headers.get('x-title')).toBeNull()
  })

  it("reports OpenRouter's own charge as the cost, over any price table", async () => {
    // A table price would make this call cost $0.0000593 (4 088 in, 1 851 out at $0.01/$0.01 per M).
    const provider = createOpenRouter({
      apiKey,
      pricing: { 'qwen/qwen3-coder-30b-a3b-instruct': { input: 0.01, output: 0.01 } },
    })
    const result = await provider.generate({ model: 'qwen/qwen3-coder-30b-a3b-instruct', messages })
    expect(result.text).toBe('The module resolves entities by identity.')
    expect(result.usage).toEqual({ inputTokens: 4088, outputTokens: 1851, totalTokens: 5939 })
    expect(result.cost).toEqual({ input: 0.00028616, output: 0.00049977, total: 0.00078593, currency: 'USD' })
  })

  it('has no cost when neither the response nor a table gives one', async () => {
    const { cost: _cost, cost_details: _details, ...usage } = completion.usage
    answer = { ...completion, usage }
    const result = await createOpenRouter({ apiKey }).generate({ messages })
    expect(result.usage?.inputTokens).toBe(4088)
    expect(result.cost).toBeUndefined()
  })

  it('streams past the ": OPENROUTER PROCESSING" comments, reasoning included, with the cost on finish', async () => {
    const stream = createOpenRouter({ apiKey }).stream({ messages })
    const types: string[] = []
    for await (const event of stream) types.push(event.type)
    expect(types).toEqual(['reasoning-delta', 'text-delta', 'finish'])
    const result = await stream.result()
    expect(result.reasoning).toBe('The claim mixes up two files.')
    expect(result.text).toBe('It does not.')
    expect(result.model).toBe('tngtech/deepseek-r1t2-chimera')
    expect(result.usage).toMatchObject({ inputTokens: 664, outputTokens: 890, reasoningTokens: 420 })
    expect(result.cost).toEqual({ input: 0.0001992, output: 0.000979, total: 0.0011782, currency: 'USD' })
  })

  it('embeds through /embeddings and lists models with their context length', async () => {
    const provider = createOpenRouter({ apiKey })
    const embedded = await provider.embed({ input: 'hello' })
    expect(requests[0]!.body).toMatchObject({ model: 'openai/text-embedding-3-small', input: ['hello'] })
    expect(embedded.embeddings).toEqual([[0.1, -0.2]])
    expect(await provider.listModels()).toEqual([
      { id: 'openai/gpt-4o-mini', createdAt: new Date(1721260800 * 1000), contextWindow: 128000 },
    ])
  })

  it('rejects an app URL that is not a URL, naming the setting', async () => {
    const error = await createOpenRouter({ apiKey, appUrl: 'not a url' })
      .generate({ messages })
      .catch((caught: unknown) => caught)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect((error as Error).message).toContain('appUrl')
  })

  it('reads OPENROUTER_API_KEY; without it throws ConfigError naming the option and the variable', async () => {
    vi.stubEnv('OPENROUTER_API_KEY', 'sk-or-v1-from-the-environment')
    await createOpenRouter().generate({ messages })
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer sk-or-v1-from-the-environment')
    vi.stubEnv('OPENROUTER_API_KEY', '')
    const error = await createOpenRouter()
      .generate({ messages })
      .catch((caught: unknown) => caught)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect((error as Error).message).toMatch(/apiKey.*OPENROUTER_API_KEY/)
    expect(requests).toHaveLength(1)
  })
})

describe('openrouter interface v2', () => {
  // The shape of https://openrouter.ai/docs/use-cases/reasoning-tokens (an Anthropic model with tools).
  const weather = {
    name: 'get_weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
  }

  it('sends the reasoning_details of r.messages back unchanged on the next turn of a tool loop', async () => {
    answer = reasoningDetails
    const provider = createOpenRouter({ apiKey })
    const first = await provider.generate({
      model: 'anthropic/claude-sonnet-4',
      messages,
      tools: [weather],
      providerOptions: { openrouter: { reasoning: { maxTokens: 1024 } } },
    })
    expect(requests[0]!.body.reasoning).toEqual({ max_tokens: 1024 })
    expect(first.providerMetadata?.openrouter).toMatchObject({
      provider: 'Anthropic',
      nativeFinishReason: 'tool_use',
    })
    answer = completion
    await provider.generate({
      model: 'anthropic/claude-sonnet-4',
      messages: [
        ...messages,
        ...first.messages,
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'toolu_01A09q90qw90lq917835lq9',
              toolName: 'get_weather',
              output: { celsius: 21 },
            },
          ],
        },
      ],
      tools: [weather],
    })
    const assistant = requests[1]!.body.messages[1]
    expect(assistant.reasoning_details).toEqual(reasoningDetails.choices[0]!.message.reasoning_details)
    expect(assistant.tool_calls[0].id).toBe('toolu_01A09q90qw90lq917835lq9')
  })

  it('sends a PDF as a file part and refuses a type OpenRouter does not read', async () => {
    const provider = createOpenRouter({ apiKey })
    await provider.generate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Summarize' },
            { type: 'file', data: 'JVBERi0xLjQ=', mediaType: 'application/pdf', filename: 'a.pdf' },
          ],
        },
      ],
    })
    expect(requests[0]!.body.messages[0].content[1]).toEqual({
      type: 'file',
      file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0xLjQ=' },
    })
    await expect(
      provider.generate({
        messages: [{ role: 'user', content: [{ type: 'file', data: 'AAAA', mediaType: 'video/mp4' }] }],
      }),
    ).rejects.toThrow('video/mp4')
  })
})
