import { readFileSync } from 'node:fs'
import { ConfigError } from '@modelplex/core'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import completion from './__fixtures__/chat-completion.json' with { type: 'json' }
import toolCallCompletion from './__fixtures__/chat-completion-tool-call.json' with { type: 'json' }
import embeddings from './__fixtures__/embeddings.json' with { type: 'json' }
import models from './__fixtures__/models.json' with { type: 'json' }
import spec, { createTogether } from './index.js'

const baseURL = 'https://api.together.modelplex.test/v1'
const apiKey = 'tgp_v1_unit-test-0123456789abcdef'
const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')
const toolCallStream = fixture('chat-completion-chunks-tool-calls.sse')
const reasoningStream = fixture('chat-completion-chunks-reasoning.sse')

const requests: Array<{ url: string; headers: Headers; body: any }> = []
let answer: (body: any) => Response = () => HttpResponse.json(completion)
const server = setupServer(
  http.post(`${baseURL}/chat/completions`, async ({ request }) => {
    const body = (await request.json()) as any
    requests.push({ url: request.url, headers: request.headers, body })
    return answer(body)
  }),
  http.post(`${baseURL}/embeddings`, async ({ request }) => {
    requests.push({ url: request.url, headers: request.headers, body: await request.json() })
    return HttpResponse.json(embeddings)
  }),
  http.get(`${baseURL}/models`, ({ request }) => {
    requests.push({ url: request.url, headers: request.headers, body: undefined })
    return HttpResponse.json(models)
  }),
)
const sse = (text: string) => () =>
  new HttpResponse(text, { headers: { 'content-type': 'text/event-stream' } })
const messages = [{ role: 'user' as const, content: 'What is the capital of France?' }]

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  requests.length = 0
  answer = () => HttpResponse.json(completion)
  vi.unstubAllEnvs()
})
afterAll(() => server.close())

describe('together provider', () => {
  it('declares id, SDK, env variables, default models and capabilities', () => {
    expect(spec).toMatchObject({
      id: 'together',
      name: 'Together AI',
      sdk: { package: 'together-ai', range: '^0.52.0' },
      env: { apiKey: ['TOGETHER_API_KEY'], baseURL: ['TOGETHER_BASE_URL'] },
      defaultModel: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
      defaultEmbeddingModel: 'BAAI/bge-base-en-v1.5',
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

  it('sends the Together body: max_tokens, top_k, json_schema, no stream_options', async () => {
    answer = sse(reasoningStream)
    await createTogether({ apiKey, baseURL })
      .stream({
        messages,
        maxOutputTokens: 100,
        topK: 40,
        responseFormat: { type: 'json', schema: { type: 'object', properties: {} }, name: 'answer' },
      })
      .result()
    expect(requests[0]!.body).toMatchInlineSnapshot(`
      {
        "max_tokens": 100,
        "messages": [
          {
            "content": "What is the capital of France?",
            "role": "user",
          },
        ],
        "model": "meta-llama/Llama-3.3-70B-Instruct-Turbo",
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
        "top_k": 40,
      }
    `)
    expect(requests[0]!.url).toBe(`${baseURL}/chat/completions`)
    expect(requests[0]!.headers.get('authorization')).toBe(`Bearer ${apiKey}`)
  })

  it('parses the recorded completion and its top-level cached_tokens', async () => {
    const result = await createTogether({ apiKey, baseURL }).generate({ messages })
    expect(result.text).toBe('The capital of France is Paris.')
    expect(result.model).toBe('Qwen/Qwen2.5-7B-Instruct-Turbo')
    expect(result.id).toBe('ovq3wXL-6Ng1vN-a29afb1c2942ddb8')
    expect(result.finishReason).toBe('stop')
    // cached_tokens: 0 is no cache hit: no cachedInputTokens.
    expect(result.usage).toEqual({ inputTokens: 41, outputTokens: 8, totalTokens: 49 })
    // Qwen2.5-7B is not in the table: no cost rather than a guess.
    expect(result.cost).toBeUndefined()
  })

  it('reads a cache hit from the top-level cached_tokens', async () => {
    answer = () => HttpResponse.json({ ...completion, usage: { ...completion.usage, cached_tokens: 32 } })
    const result = await createTogether({ apiKey, baseURL }).generate({ messages })
    expect(result.usage?.cachedInputTokens).toBe(32)
  })

  it('parses the recorded tool call completion (content null beside tool_calls)', async () => {
    answer = () => HttpResponse.json(toolCallCompletion)
    const result = await createTogether({ apiKey, baseURL }).generate({ messages })
    expect(result.finishReason).toBe('tool-calls')
    expect(result.toolCalls).toEqual([
      {
        toolCallId: 'call_1520q011log4lp8723yh73o7',
        toolName: 'get_weather',
        input: { city: 'Berlin' },
        rawInput: '{"city":"Berlin"}',
      },
    ])
  })

  it('assembles the recorded stream of two tool calls, with usage from the last chunk', async () => {
    answer = sse(toolCallStream)
    const result = await createTogether({ apiKey, baseURL }).stream({ messages }).result()
    expect(result.toolCalls.map((call) => [call.toolCallId, call.input])).toEqual([
      ['call_td2toa5xcm6sl1xqs0tuykkp', { city: 'Paris' }],
      ['call_76dfykrwubdiuofgrtiyy57b', { city: 'Tokyo' }],
    ])
    expect(result.finishReason).toBe('tool-calls')
    expect(result.usage).toEqual({ inputTokens: 215, outputTokens: 36, totalTokens: 251 })
  })

  it('reads reasoning and the usage Kimi puts inside choices[0] from the recorded stream', async () => {
    answer = sse(reasoningStream)
    const stream = createTogether({ apiKey, baseURL }).stream({ messages })
    const types = new Set<string>()
    for await (const event of stream) types.add(event.type)
    expect([...types]).toEqual(['reasoning-delta', 'text-delta', 'finish'])
    const result = await stream.result()
    expect(result.reasoning).toBe(
      'The classic riddle: "all but 9 run away" means all except 9 run away, so 9 remain.',
    )
    expect(result.text).toBe('9 sheep remain, since "all but 9" means all except 9 ran away.')
    expect(result.usage).toEqual({
      inputTokens: 114,
      outputTokens: 57,
      totalTokens: 171,
      cachedInputTokens: 64,
      reasoningTokens: 26,
    })
  })

  it("maps Together's eos finish reason to stop", async () => {
    answer = () =>
      HttpResponse.json({ ...completion, choices: [{ ...completion.choices[0], finish_reason: 'eos' }] })
    const result = await createTogether({ apiKey, baseURL }).generate({ messages })
    expect(result.finishReason).toBe('stop')
    expect(result.rawFinishReason).toBe('eos')
  })

  it('embeds with the default embedding model; a body without usage reports none', async () => {
    const result = await createTogether({ apiKey, baseURL }).embed({ input: ['alpha', 'beta'] })
    expect(requests[0]!.body).toEqual({
      model: 'BAAI/bge-base-en-v1.5',
      input: ['alpha', 'beta'],
      encoding_format: 'float',
    })
    expect(result.embeddings).toEqual([
      [0.2633975, 0.13856208, -0.01841231],
      [-0.1521546, 0.0274815, 0.08811355],
    ])
    expect(result.usage).toBeUndefined()
    expect(result.model).toBe('BAAI/bge-base-en-v1.5')
  })

  it('lists models from the plain array Together answers, with organization and context length', async () => {
    const list = await createTogether({ apiKey, baseURL }).listModels()
    expect(requests[0]!.url).toBe(`${baseURL}/models`)
    expect(list).toEqual([
      {
        id: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
        ownedBy: 'Meta',
        createdAt: new Date(1_733_961_600_000),
        contextWindow: 131_072,
      },
      { id: 'BAAI/bge-base-en-v1.5', ownedBy: 'BAAI', contextWindow: 512 },
    ])
  })

  it('reports a model list that is not an array as MalformedResponseError', async () => {
    server.use(http.get(`${baseURL}/models`, () => HttpResponse.json({ object: 'list' })))
    const error = await createTogether({ apiKey, baseURL })
      .listModels({ maxRetries: 0 })
      .catch((caught: unknown) => caught)
    expect((error as Error).name).toBe('MalformedResponseError')
  })

  it('prices the default model from the table', async () => {
    answer = () => HttpResponse.json({ ...completion, model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo' })
    const result = await createTogether({ apiKey, baseURL }).generate({ messages })
    // 41 input and 8 output tokens at $0.88 per million each.
    expect(result.cost?.total).toBeCloseTo((49 * 0.88) / 1_000_000, 12)
  })

  it('reads TOGETHER_API_KEY and TOGETHER_BASE_URL', async () => {
    vi.stubEnv('TOGETHER_API_KEY', 'tgp_v1_from_the_environment')
    vi.stubEnv('TOGETHER_BASE_URL', baseURL)
    await createTogether().generate({ messages })
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer tgp_v1_from_the_environment')
  })

  it('without a key throws ConfigError naming the option and TOGETHER_API_KEY, before any request', async () => {
    vi.stubEnv('TOGETHER_API_KEY', '')
    const error = await createTogether({ baseURL })
      .generate({ messages })
      .catch((caught: unknown) => caught)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect((error as Error).message).toMatch(/apiKey.*TOGETHER_API_KEY/)
    expect(requests).toHaveLength(0)
  })
})
