import { ConfigError } from '@modelplex/core'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import completion from './__fixtures__/chat-completion.json' with { type: 'json' }
import chunksWithUsage from './__fixtures__/chat-completion-chunks-include-usage.json' with { type: 'json' }
import chunksXGroq from './__fixtures__/chat-completion-chunks-x-groq.json' with { type: 'json' }
import models from './__fixtures__/models.json' with { type: 'json' }
import { groqSdkBaseURL } from './groq-provider.js'
import spec, { createGroq, readGroqMetadata } from './index.js'

const host = 'https://api.groq.modelplex.test'
const baseURL = `${host}/openai/v1`
const apiKey = 'gsk_unit_test_0123456789abcdef'
const requests: Array<{ url: string; headers: Headers; body: any }> = []
let chunks: unknown[] = chunksWithUsage

function sse(frames: unknown[]): Response {
  const text = `${frames.map((frame) => `data: ${JSON.stringify(frame)}\n\n`).join('')}data: [DONE]\n\n`
  return new HttpResponse(text, { headers: { 'content-type': 'text/event-stream' } })
}

const server = setupServer(
  http.post(`${baseURL}/chat/completions`, async ({ request }) => {
    const body = (await request.json()) as any
    requests.push({ url: request.url, headers: request.headers, body })
    return body.stream ? sse(chunks) : HttpResponse.json(completion)
  }),
  http.get(`${baseURL}/models`, ({ request }) => {
    requests.push({ url: request.url, headers: request.headers, body: undefined })
    return HttpResponse.json(models)
  }),
)
const messages = [{ role: 'user' as const, content: 'Say hi in Portuguese' }]

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  requests.length = 0
  chunks = chunksWithUsage
  vi.unstubAllEnvs()
})
afterAll(() => server.close())

describe('groq provider', () => {
  it('declares id, SDK, env variables, default model and capabilities', () => {
    expect(spec).toMatchObject({
      id: 'groq',
      name: 'Groq',
      sdk: { package: 'groq-sdk', range: '^1.6.0' },
      env: { apiKey: ['GROQ_API_KEY'], baseURL: ['GROQ_BASE_URL'] },
      defaultModel: 'llama-3.3-70b-versatile',
      capabilities: {
        stream: true,
        tools: true,
        structuredOutput: 'json-mode',
        embeddings: false,
        vision: true,
        listModels: true,
      },
    })
    expect(spec.defaultEmbeddingModel).toBeUndefined()
  })

  it('sends the Groq body: max_completion_tokens, JSON mode for a schema (with a warning), usage asked on streams', async () => {
    const result = await createGroq({ apiKey, baseURL })
      .stream({
        model: 'llama-3.3-70b-versatile',
        messages,
        maxOutputTokens: 100,
        topK: 40,
        responseFormat: { type: 'json', schema: { type: 'object', properties: {} }, name: 'answer' },
      })
      .result()
    expect(requests[0]!.body).toMatchInlineSnapshot(`
      {
        "max_completion_tokens": 100,
        "messages": [
          {
            "content": "Say hi in Portuguese",
            "role": "user",
          },
        ],
        "model": "llama-3.3-70b-versatile",
        "response_format": {
          "type": "json_object",
        },
        "stream": true,
        "stream_options": {
          "include_usage": true,
        },
      }
    `)
    expect(requests[0]!.url).toBe(`${baseURL}/chat/completions`)
    expect(requests[0]!.headers.get('authorization')).toBe(`Bearer ${apiKey}`)
    expect(result.warnings.map((warning) => warning.setting).sort()).toEqual([
      'responseFormat.schema',
      'topK',
    ])
  })

  it('merges providerOptions.groq into the body last, e.g. json_schema for a model that supports it', async () => {
    const format = {
      type: 'json_schema',
      json_schema: { name: 'city', schema: { type: 'object' }, strict: true },
    }
    await createGroq({ apiKey, baseURL }).generate({
      model: 'openai/gpt-oss-120b',
      messages,
      responseFormat: { type: 'json' },
      providerOptions: { groq: { response_format: format, reasoning_effort: 'low' } },
    })
    expect(requests[0]!.body.response_format).toEqual(format)
    expect(requests[0]!.body.reasoning_effort).toBe('low')
  })

  it('parses the recorded completion; Groq timings in usage are ignored and an unpriced model has no cost', async () => {
    const result = await createGroq({ apiKey, baseURL }).generate({ messages })
    expect(result.text).toBe('Olá!')
    expect(result.model).toBe('moonshotai/kimi-k2-instruct-0905')
    expect(result.id).toBe('chatcmpl-46177a1f-ece6-437d-891d-b31f860e1ea5')
    expect(result.usage).toEqual({ inputTokens: 20, outputTokens: 4, totalTokens: 24 })
    expect(result.cost).toBeUndefined()
  })

  it('reads usage from the recorded stream that asked for it (x_groq.usage and the final usage chunk)', async () => {
    const stream = createGroq({ apiKey, baseURL }).stream({ messages })
    const types: string[] = []
    for await (const event of stream) types.push(event.type)
    expect(types).toEqual(['text-delta', 'text-delta', 'text-delta', 'finish'])
    const result = await stream.result()
    expect(result.text).toBe('Olá!')
    expect(result.usage).toEqual({ inputTokens: 20, outputTokens: 4, totalTokens: 24 })
  })

  it('reads usage from x_groq.usage alone, as Groq streams it without stream_options', async () => {
    chunks = chunksXGroq
    const result = await createGroq({ apiKey, baseURL }).stream({ messages }).result()
    expect(result.usage).toEqual({ inputTokens: 20, outputTokens: 4, totalTokens: 24 })
    expect(result.finishReason).toBe('stop')
  })

  it('prices a model the table leaves out once the caller passes its price', async () => {
    const priced = await createGroq({
      apiKey,
      baseURL,
      pricing: { 'moonshotai/kimi-k2-instruct-0905': { input: 1, output: 3 } },
    }).generate({ messages })
    expect(priced.cost).toEqual({ input: 0.00002, output: 0.000012, total: 0.000032, currency: 'USD' })
  })

  it('lists models with their context window from GET /openai/v1/models', async () => {
    const list = await createGroq({ apiKey, baseURL }).listModels()
    expect(requests[0]!.url).toBe(`${baseURL}/models`)
    expect(list).toEqual([
      {
        id: 'llama-3.3-70b-versatile',
        ownedBy: 'Meta',
        createdAt: new Date(1_733_447_754_000),
        contextWindow: 131_072,
      },
      {
        id: 'openai/gpt-oss-120b',
        ownedBy: 'OpenAI',
        createdAt: new Date(1_754_408_224_000),
        contextWindow: 131_072,
      },
      { id: 'no-flags' },
    ])
  })

  it('accepts the base URL as the host (groq-sdk style) or with /openai/v1 (OpenAI style)', async () => {
    expect(groqSdkBaseURL('https://api.groq.com/openai/v1/')).toBe('https://api.groq.com')
    expect(groqSdkBaseURL('https://api.groq.com')).toBe('https://api.groq.com')
    expect(groqSdkBaseURL(undefined)).toBeUndefined()
    await createGroq({ apiKey, baseURL: host }).generate({ messages })
    await createGroq({ apiKey, baseURL: `${baseURL}/` }).generate({ messages })
    expect(requests.map((request) => request.url)).toEqual([
      `${baseURL}/chat/completions`,
      `${baseURL}/chat/completions`,
    ])
  })

  it('reads GROQ_API_KEY and GROQ_BASE_URL', async () => {
    vi.stubEnv('GROQ_API_KEY', 'gsk_from_the_environment')
    vi.stubEnv('GROQ_BASE_URL', baseURL)
    await createGroq().generate({ messages })
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer gsk_from_the_environment')
    expect(requests[0]!.body.model).toBe('llama-3.3-70b-versatile')
  })

  it('without a key throws ConfigError naming the option and GROQ_API_KEY, before any request', async () => {
    vi.stubEnv('GROQ_API_KEY', '')
    const error = await createGroq({ baseURL })
      .generate({ messages })
      .catch((caught: unknown) => caught)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect((error as Error).message).toMatch(/apiKey.*GROQ_API_KEY/)
    expect(requests).toHaveLength(0)
  })

  it('embeddings are not offered: UnsupportedCapabilityError, nothing sent', async () => {
    const error = await createGroq({ apiKey, baseURL })
      .embed({ model: 'nomic-embed-text-v1_5', input: 'hi' })
      .catch((caught: unknown) => caught)
    expect((error as Error).name).toBe('UnsupportedCapabilityError')
    expect(requests).toHaveLength(0)
  })
})

describe('groq interface v2', () => {
  it('reads x_groq and the usage timings into providerMetadata', async () => {
    expect(readGroqMetadata(completion)).toEqual({
      requestId: 'req_01k88s34gqebz95rb4y58dd523',
      timings: {
        queueTime: 0.189918723,
        promptTime: 0.009775331,
        completionTime: 0.008735758,
        totalTime: 0.018511089,
      },
    })
    expect(readGroqMetadata({ choices: [] })).toBeUndefined()
  })
})

describe('groq providerOptions', () => {
  it('writes the typed options in snake_case and passes unknown keys untouched', async () => {
    const result = await createGroq({ apiKey, baseURL }).generate({
      model: 'qwen/qwen3-32b',
      messages,
      providerOptions: {
        groq: {
          reasoningFormat: 'parsed',
          reasoningEffort: 'default',
          topLogprobs: 2,
          search_settings: { x: 1 },
        },
      },
    })
    expect(requests[0]!.body).toMatchObject({
      reasoning_format: 'parsed',
      reasoning_effort: 'default',
      top_logprobs: 2,
      search_settings: { x: 1 },
    })
    expect(requests[0]!.body.reasoningFormat).toBeUndefined()
    expect(result.providerMetadata?.groq).toMatchObject({ requestId: 'req_01k88s34gqebz95rb4y58dd523' })
  })
})
