import { ConfigError } from '@modelplex/core'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import chunks from './__fixtures__/chat-completion-chunks.json' with { type: 'json' }
import reasoning from './__fixtures__/chat-completion-reasoning.json' with { type: 'json' }
import spec, { createXai } from './index.js'

const apiKey = 'xai-unit-test-0123456789'
const requests: Array<{ url: string; headers: Headers; body: any }> = []
let completion: unknown = reasoning
const sse = `${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')}data: [DONE]\n\n`
const server = setupServer(
  // xAI's real host: the default base URL, intercepted by MSW (no request leaves the machine).
  http.post('https://api.x.ai/v1/chat/completions', async ({ request }) => {
    const body = (await request.json()) as any
    requests.push({ url: request.url, headers: request.headers, body })
    if (!body.stream) return HttpResponse.json(completion as object)
    return new HttpResponse(sse, { headers: { 'content-type': 'text/event-stream' } })
  }),
)
const messages = [{ role: 'user' as const, content: 'What is 101 * 3?' }]

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  requests.length = 0
  completion = reasoning
  vi.unstubAllEnvs()
})
afterAll(() => server.close())

describe('xai provider', () => {
  it('declares id, SDK, env variables, default model and capabilities (no embeddings)', () => {
    expect(spec).toMatchObject({
      id: 'xai',
      name: 'xAI',
      sdk: { package: 'openai', range: '^6.0.0' },
      env: { apiKey: ['XAI_API_KEY'], baseURL: ['XAI_BASE_URL'] },
      defaultModel: 'grok-4.3',
      capabilities: {
        stream: true,
        tools: true,
        structuredOutput: 'json-schema',
        embeddings: false,
        vision: true,
        listModels: true,
      },
    })
    expect(spec.defaultEmbeddingModel).toBeUndefined()
  })

  it("sends the request to api.x.ai even when OPENAI_BASE_URL is set (the SDK's own fallback)", async () => {
    vi.stubEnv('OPENAI_BASE_URL', 'https://api.openai.modelplex.test/v1')
    vi.stubEnv('OPENAI_ORG_ID', 'org-must-not-leak')
    await createXai({ apiKey }).generate({ messages })
    expect(requests[0]!.url).toBe('https://api.x.ai/v1/chat/completions')
    expect(requests[0]!.headers.get('authorization')).toBe(`Bearer ${apiKey}`)
    expect(requests[0]!.headers.get('openai-organization')).toBeNull()
  })

  it('sends the OpenAI-shaped body: max_completion_tokens, usage on streams, providerOptions last', async () => {
    await createXai({ apiKey })
      .stream({
        model: 'grok-4.3',
        messages,
        maxOutputTokens: 200,
        providerOptions: { xai: { reasoning_effort: 'low' } },
      })
      .result()
    expect(requests[0]!.body).toMatchInlineSnapshot(`
      {
        "max_completion_tokens": 200,
        "messages": [
          {
            "content": "What is 101 * 3?",
            "role": "user",
          },
        ],
        "model": "grok-4.3",
        "reasoning_effort": "low",
        "stream": true,
        "stream_options": {
          "include_usage": true,
        },
      }
    `)
  })

  it('counts reasoning tokens into the output (xAI leaves them out of completion_tokens)', async () => {
    const result = await createXai({ apiKey }).generate({ messages })
    expect(result.text).toBe('101 multiplied by 3 is 303.')
    expect(result.reasoning).toBe('101 times 3: 100 times 3 is 300, plus 3.')
    // 32 + 9 + 94 = 135: the 94 reasoning tokens are billed as output.
    expect(result.usage).toEqual({
      inputTokens: 32,
      outputTokens: 103,
      totalTokens: 135,
      cachedInputTokens: 6,
      reasoningTokens: 94,
    })
  })

  it("reports the exact charge from cost_in_usd_ticks, split by grok-4.3's price ratio", async () => {
    const { cost } = await createXai({ apiKey }).generate({ messages })
    // 37 756 000 ticks at 10^10 per USD.
    expect(cost?.total).toBe(0.0037756)
    expect(cost?.currency).toBe('USD')
    // The table prices 26 plain + 6 cached input tokens at 0.0000337 and 103 output at 0.0002575.
    expect(cost!.input / cost!.output).toBeCloseTo(0.0000337 / 0.0002575, 6)
    expect(cost!.input + cost!.output).toBeCloseTo(0.0037756, 9)
  })

  it('books the whole charge as input for a model without a listed price', async () => {
    completion = { ...reasoning, model: 'grok-4.7' }
    const { cost } = await createXai({ apiKey }).generate({ model: 'grok-4.7', messages })
    expect(cost).toEqual({ input: 0.0037756, output: 0, total: 0.0037756, currency: 'USD' })
  })

  it('falls back to the price table when a response carries no ticks', async () => {
    const { cost_in_usd_ticks: _, ...usage } = reasoning.usage
    completion = { ...reasoning, usage }
    const { cost } = await createXai({ apiKey }).generate({ messages })
    expect(cost).toEqual({ input: 0.0000337, output: 0.0002575, total: 0.0002912, currency: 'USD' })
  })

  it('streams the chunks and puts the charge of the last one on finish', async () => {
    const stream = createXai({ apiKey }).stream({ messages })
    const events = []
    for await (const event of stream) events.push(event)
    expect(events.map((event) => event.type)).toEqual(['text-delta', 'text-delta', 'finish'])
    expect(events.at(-1)).toMatchObject({
      finishReason: 'stop',
      usage: { inputTokens: 719, outputTokens: 72, totalTokens: 791, cachedInputTokens: 64 },
      cost: { total: 0.00101155, currency: 'USD' },
    })
    const result = await stream.result()
    expect(result.text).toBe('Ahoy there!')
    expect(result.id).toBe('8f3b2c1e-5a6d-4e7f-9b0a-1c2d3e4f5a6b')
  })

  it('reads XAI_API_KEY and XAI_BASE_URL', async () => {
    vi.stubEnv('XAI_API_KEY', 'xai-from-the-environment')
    vi.stubEnv('XAI_BASE_URL', 'https://api.x.ai/v1')
    await createXai().generate({ messages })
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer xai-from-the-environment')
    expect(requests[0]!.body.model).toBe('grok-4.3')
  })

  it('without a key throws ConfigError naming the option and XAI_API_KEY, before any request', async () => {
    vi.stubEnv('XAI_API_KEY', '')
    const error = await createXai()
      .generate({ messages })
      .catch((caught: unknown) => caught)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect((error as Error).message).toMatch(/apiKey.*XAI_API_KEY/)
    expect(requests).toHaveLength(0)
  })
})
