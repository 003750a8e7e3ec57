import { ConfigError } from '@modelplex/core'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import chunks from './__fixtures__/chat-completion-chunks-reasoning.json' with { type: 'json' }
import reasoning from './__fixtures__/chat-completion-reasoning.json' with { type: 'json' }
import spec, { createDeepSeek } from './index.js'

const apiKey = 'sk-deepseek-unit-test-0123456789'
const requests: Array<{ url: string; headers: Headers; body: any }> = []
let completion: unknown = reasoning
const sse = `${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')}data: [DONE]\n\n`
const server = setupServer(
  // DeepSeek's real host and path (no /v1): the default base URL, intercepted by MSW.
  http.post('https://api.deepseek.com/chat/completions', async ({ request }) => {
    const body = (await request.json()) as any
    requests.push({ url: request.url, headers: request.headers, body })
    if (!body.stream) return HttpResponse.json(completion as object)
    return new HttpResponse(sse, { headers: { 'content-type': 'text/event-stream' } })
  }),
)
const messages = [{ role: 'user' as const, content: 'Which is larger, 9.11 or 9.8?' }]

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  requests.length = 0
  completion = reasoning
  vi.unstubAllEnvs()
})
afterAll(() => server.close())

describe('deepseek provider', () => {
  it('declares id, SDK, env variables, default model and capabilities', () => {
    expect(spec).toMatchObject({
      id: 'deepseek',
      name: 'DeepSeek',
      sdk: { package: 'openai', range: '^6.0.0' },
      env: { apiKey: ['DEEPSEEK_API_KEY'], baseURL: ['DEEPSEEK_BASE_URL'] },
      defaultModel: 'deepseek-flash',
      capabilities: {
        stream: true,
        tools: true,
        structuredOutput: 'json-mode',
        embeddings: false,
        vision: false,
        listModels: true,
      },
    })
  })

  it('sends max_tokens, usage on streams, and an empty reasoning_content on a tool-call turn', async () => {
    const provider = createDeepSeek({ apiKey })
    await provider
      .stream({
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          {
            role: 'assistant',
            content: [
              { type: 'tool-call', toolCallId: 'call_0', toolName: 'get_weather', input: { city: 'Paris' } },
            ],
          },
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: 'call_0', toolName: 'get_weather', output: '21 °C' },
            ],
          },
        ],
        tools: [
          { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
        ],
        maxOutputTokens: 512,
      })
      .result()
    expect(requests[0]!.url).toBe('https://api.deepseek.com/chat/completions')
    expect(requests[0]!.body).toMatchInlineSnapshot(`
      {
        "max_tokens": 512,
        "messages": [
          {
            "content": "Weather in Paris?",
            "role": "user",
          },
          {
            "content": null,
            "reasoning_content": "",
            "role": "assistant",
            "tool_calls": [
              {
                "function": {
                  "arguments": "{"city":"Paris"}",
                  "name": "get_weather",
                },
                "id": "call_0",
                "type": "function",
              },
            ],
          },
          {
            "content": "21 °C",
            "role": "tool",
            "tool_call_id": "call_0",
          },
        ],
        "model": "deepseek-flash",
        "stream": true,
        "stream_options": {
          "include_usage": true,
        },
        "tools": [
          {
            "function": {
              "name": "get_weather",
              "parameters": {
                "properties": {
                  "city": {
                    "type": "string",
                  },
                },
                "type": "object",
              },
            },
            "type": "function",
          },
        ],
      }
    `)
  })

  it('warns that thinking mode ignores temperature and top_p, and stays quiet with thinking disabled', async () => {
    const provider = createDeepSeek({ apiKey })
    const thinking = await provider.generate({ messages, temperature: 0.2, topP: 0.5 })
    expect(thinking.warnings.map((warning) => warning.setting)).toEqual(['temperature', 'topP'])
    expect(requests[0]!.body.temperature).toBe(0.2)
    const plain = await provider.generate({
      messages,
      temperature: 0.2,
      providerOptions: { deepseek: { thinking: { type: 'disabled' } } },
    })
    expect(plain.warnings).toEqual([])
    expect(requests[1]!.body.thinking).toEqual({ type: 'disabled' })
  })

  it('asks for json_object and puts the schema in the prompt for generateObject', async () => {
    completion = {
      ...reasoning,
      choices: [{ ...reasoning.choices[0], message: { role: 'assistant', content: '{"answer":9.8}' } }],
    }
    const { object } = await createDeepSeek({ apiKey }).generateObject({
      messages,
      schema: z.object({ answer: z.number() }),
    })
    expect(object).toEqual({ answer: 9.8 })
    expect(requests[0]!.body.response_format).toEqual({ type: 'json_object' })
    expect(requests[0]!.body.messages[0].role).toBe('system')
    expect(requests[0]!.body.messages[0].content).toContain('"answer"')
  })

  it('parses reasoning_content and the cache split, and prices hits at the cache-hit rate', async () => {
    const result = await createDeepSeek({ apiKey }).generate({ messages })
    expect(result.text).toBe('9.11 is smaller than 9.8.')
    expect(result.reasoning).toBe('Compare the tenths: 1 < 8, so 9.11 < 9.8.')
    // The documented shape carries prompt_cache_hit_tokens only (no prompt_tokens_details).
    expect(result.usage).toEqual({
      inputTokens: 1200,
      outputTokens: 120,
      totalTokens: 1320,
      cachedInputTokens: 1024,
      reasoningTokens: 100,
    })
    // 176 misses at $0.30 and 1 024 hits at $0.006 per million; 120 output tokens at $1.20.
    expect(result.cost).toEqual({ input: 0.000058944, output: 0.000144, total: 0.000202944, currency: 'USD' })
  })

  it('streams reasoning_content as reasoning-delta events, usage from the final chunk', async () => {
    const stream = createDeepSeek({ apiKey }).stream({ messages })
    const events = []
    for await (const event of stream) events.push(event)
    expect(events.map((event) => event.type)).toEqual([
      'reasoning-delta',
      'reasoning-delta',
      'text-delta',
      'finish',
    ])
    const result = await stream.result()
    expect(result.reasoning).toBe('Compare the tenths.')
    expect(result.text).toBe('9.11 < 9.8')
    expect(result.usage).toEqual({ inputTokens: 16, outputTokens: 30, totalTokens: 46, reasoningTokens: 20 })
  })

  it('reads DEEPSEEK_API_KEY and DEEPSEEK_BASE_URL', async () => {
    vi.stubEnv('DEEPSEEK_API_KEY', 'sk-from-the-environment')
    vi.stubEnv('DEEPSEEK_BASE_URL', 'https://api.deepseek.com')
    vi.stubEnv('OPENAI_BASE_URL', 'https://api.openai.modelplex.test/v1')
    await createDeepSeek().generate({ messages })
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer sk-from-the-environment')
  })

  it('without a key throws ConfigError naming the option and DEEPSEEK_API_KEY, before any request', async () => {
    vi.stubEnv('DEEPSEEK_API_KEY', '')
    const error = await createDeepSeek()
      .generate({ messages })
      .catch((caught: unknown) => caught)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect((error as Error).message).toMatch(/apiKey.*DEEPSEEK_API_KEY/)
    expect(requests).toHaveLength(0)
  })
})

describe('deepseek interface v2', () => {
  it('sends the reasoning_content of r.messages back on the next request of a tool loop', async () => {
    const provider = createDeepSeek({ apiKey })
    const first = await provider.generate({ model: 'deepseek-flash', messages })
    const thought = first.reasoning!
    expect(thought.length).toBeGreaterThan(0)
    const history = [
      ...messages,
      {
        role: 'assistant' as const,
        content: [
          ...first.messages[0]!.content.filter(
            (part) => typeof part !== 'string' && part.type === 'reasoning',
          ),
          { type: 'tool-call' as const, toolCallId: 'call_1', toolName: 'compare', input: {} },
        ],
      },
      {
        role: 'tool' as const,
        content: [{ type: 'tool-result' as const, toolCallId: 'call_1', toolName: 'compare', output: 'ok' }],
      },
    ]
    await provider.generate({
      model: 'deepseek-flash',
      messages: history as never,
      providerOptions: { deepseek: { thinking: { type: 'enabled' }, reasoningEffort: 'max' } },
    })
    const sent = requests[1]!.body
    expect(sent.messages[1]).toMatchObject({ role: 'assistant', reasoning_content: thought })
    expect(sent.thinking).toEqual({ type: 'enabled' })
    expect(sent.reasoning_effort).toBe('max')
  })

  it('reports the cache split in providerMetadata', async () => {
    const result = await createDeepSeek({ apiKey }).generate({ model: 'deepseek-flash', messages })
    expect(result.providerMetadata?.deepseek).toMatchObject({
      promptCacheHitTokens: (reasoning as any).usage.prompt_cache_hit_tokens,
      promptCacheMissTokens: (reasoning as any).usage.prompt_cache_miss_tokens,
    })
  })
})
