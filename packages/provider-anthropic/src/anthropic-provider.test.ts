import { readFileSync } from 'node:fs'
import { Anthropic, APIError } from '@anthropic-ai/sdk'
import { Stream } from '@anthropic-ai/sdk/streaming'
import type { WireReply } from '@modelplex/conformance'
import {
  ConfigError,
  createProvider,
  type Message,
  type Provider,
  type ProviderCallOptions,
  type ServerError,
  type StreamEvent,
  UnsupportedCapabilityError,
} from '@modelplex/core'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import message from './__fixtures__/message-text.json' with { type: 'json' }
import thinking from './__fixtures__/message-thinking-cached.json' with { type: 'json' }
import spec, { createAnthropic } from './index.js'
import { createAnthropicWireKit } from './testing.js'

const baseURL = 'https://api.anthropic.modelplex.test'
const apiKey = 'sk-ant-api03-unit-test-0123456789'
const sse = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')
const requests: Array<{ url: string; headers: Headers; body: any }> = []
const defaultReply = (body: any): Response =>
  body.stream
    ? new HttpResponse(sse('stream-text.sse'), { headers: { 'content-type': 'text/event-stream' } })
    : HttpResponse.json(message)
let reply = defaultReply
const server = setupServer(
  http.post(`${baseURL}/v1/messages`, async ({ request }) => {
    const body = (await request.json()) as any
    requests.push({ url: request.url, headers: request.headers, body })
    return reply(body)
  }),
)
const messages = [{ role: 'user' as const, content: 'Hello' }]

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  requests.length = 0
  reply = defaultReply
  vi.unstubAllEnvs()
})
afterAll(() => server.close())

describe('anthropic provider', () => {
  it('declares id, SDK, env variables, default model and capabilities', () => {
    expect(spec).toMatchObject({
      id: 'anthropic',
      name: 'Anthropic',
      sdk: { package: '@anthropic-ai/sdk', range: '^1.11.0' },
      env: { apiKey: ['ANTHROPIC_API_KEY'], baseURL: ['ANTHROPIC_BASE_URL'] },
      defaultModel: 'claude-sonnet-5-5',
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
    expect(spec.pricing.models[spec.defaultModel]).toBeDefined()
  })

  it('sends the key, the SDK API version, custom and per-call headers', async () => {
    const provider = createAnthropic({ apiKey, baseURL, headers: { 'anthropic-beta': 'beta-1' } })
    await provider.generate({ messages, headers: { 'x-trace': 'abc' } })
    const { headers, url } = requests[0]!
    expect(url).toBe(`${baseURL}/v1/messages`)
    // @anthropic-ai/sdk 1.x sends the key as a bearer token; the API accepts it beside x-api-key.
    expect(headers.get('x-api-key') ?? headers.get('authorization')?.replace('Bearer ', '')).toBe(apiKey)
    expect(headers.get('anthropic-version')).toBe('2026-10-21')
    expect(headers.get('anthropic-beta')).toBe('beta-1')
    expect(headers.get('x-trace')).toBe('abc')
  })

  it('streams through the SDK: the outgoing body, deltas, usage and cost', async () => {
    const provider = createAnthropic({ apiKey, baseURL })
    const stream = provider.stream({
      messages: [{ role: 'system', content: 'Be brief.' }, ...messages],
      maxOutputTokens: 256,
      stopSequences: ['###'],
    })
    const deltas: string[] = []
    for await (const event of stream) if (event.type === 'text-delta') deltas.push(event.text)
    const result = await stream.result()
    expect(requests[0]!.body).toMatchInlineSnapshot(`
      {
        "max_tokens": 256,
        "messages": [
          {
            "content": "Hello",
            "role": "user",
          },
        ],
        "model": "claude-sonnet-5-5",
        "stop_sequences": [
          "###",
        ],
        "stream": true,
        "system": "Be brief.",
      }
    `)
    expect(deltas).toEqual(['Hello', '!'])
    expect(result).toMatchObject({
      text: 'Hello!',
      finishReason: 'stop',
      id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY',
      model: 'claude-sonnet-5-5',
      usage: { inputTokens: 25, outputTokens: 15, totalTokens: 40 },
      // 25 × $2 + 15 × $10 per million.
      cost: { input: 0.00005, output: 0.00015, total: 0.0002, currency: 'USD' },
    })
  })

  it('streams tool calls assembled from input_json_delta through the SDK', async () => {
    reply = () =>
      new HttpResponse(sse('stream-tool-use.sse'), { headers: { 'content-type': 'text/event-stream' } })
    const provider = createAnthropic({ apiKey, baseURL })
    const result = await provider
      .stream({ messages, tools: [{ name: 'get_weather', parameters: z.object({ location: z.string() }) }] })
      .result()
    expect(result.text).toBe("Okay, let's check the weather for San Francisco, CA:")
    expect(result.toolCalls).toEqual([
      {
        toolCallId: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
        toolName: 'get_weather',
        input: { location: 'San Francisco, CA', unit: 'fahrenheit' },
        rawInput: '{"location": "San Francisco, CA", "unit": "fahrenheit"}',
      },
    ])
    expect(result.finishReason).toBe('tool-calls')
  })

  it('prices cache reads and writes at their own rates', async () => {
    reply = () => HttpResponse.json(thinking)
    const provider = createAnthropic({ apiKey, baseURL })
    const result = await provider.generate({ messages })
    expect(result.usage).toMatchObject({
      inputTokens: 189_307,
      cachedInputTokens: 1200,
      cacheWriteInputTokens: 188_086,
    })
    // Sonnet 5.5: 21 × $2 + 1200 × $0.10 + 188 086 × $2.50 input, 393 × $10 output (per million).
    expect(result.cost).toEqual({ input: 0.470377, output: 0.00393, total: 0.474307, currency: 'USD' })
    expect(result.reasoning).toContain('prime numbers')
  })

  it('reports temperature as a warning under the default API version and sends it under 2023-06-01', async () => {
    const current = await createAnthropic({ apiKey, baseURL }).generate({ messages, temperature: 0.2 })
    expect(current.warnings).toEqual([
      expect.objectContaining({ type: 'unsupported-setting', setting: 'temperature' }),
    ])
    expect(requests[0]!.body).not.toHaveProperty('temperature')

    const pinned = await createAnthropic({ apiKey, baseURL, apiVersion: '2023-06-01' }).generate({
      messages,
      temperature: 0.2,
    })
    expect(pinned.warnings).toEqual([])
    expect(requests[1]!.body.temperature).toBe(0.2)
    expect(requests[1]!.headers.get('anthropic-version')).toBe('2023-06-01')
  })

  it('applies defaultMaxOutputTokens when a request sets no maxOutputTokens', async () => {
    await createAnthropic({ apiKey, baseURL, defaultMaxOutputTokens: 1234 }).generate({ messages })
    expect(requests[0]!.body.max_tokens).toBe(1234)
  })

  it('reads ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL from the environment', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', apiKey)
    vi.stubEnv('ANTHROPIC_BASE_URL', baseURL)
    const result = await createAnthropic().generate({ messages })
    expect(result.text).toBe('Hi! My name is Claude.')
    expect(requests).toHaveLength(1)
  })

  it('without a key, throws ConfigError naming the setting and the variable, before any request', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', '')
    const error = await createAnthropic({ baseURL })
      .generate({ messages })
      .catch((e) => e)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect(error.message).toContain('apiKey')
    expect(error.message).toContain('ANTHROPIC_API_KEY')
    expect(requests).toHaveLength(0)
  })

  it('rejects an unknown setting and an API version that is not a date', async () => {
    const unknown = await createAnthropic({ apiKey, maxTokens: 5 } as never)
      .generate({ messages })
      .catch((e) => e)
    expect(ConfigError.isInstance(unknown)).toBe(true)
    expect(unknown.message).toContain('maxTokens')
    const version = await createAnthropic({ apiKey, apiVersion: 'latest' })
      .generate({ messages })
      .catch((e) => e)
    expect(ConfigError.isInstance(version)).toBe(true)
    expect(version.message).toContain('apiVersion')
  })

  it('throws UnsupportedCapabilityError for embeddings without a request', async () => {
    const error = await createAnthropic({ apiKey, baseURL })
      .embed({ input: 'hello' })
      .catch((e) => e)
    expect(UnsupportedCapabilityError.isInstance(error)).toBe(true)
    expect(requests).toHaveLength(0)
  })
})

describe('anthropic listModels', () => {
  it('follows has_more with after_id until the last page', async () => {
    const pages: Array<{ afterId: string | null; limit: string | null }> = []
    server.use(
      http.get(`${baseURL}/v1/models`, ({ request }) => {
        const url = new URL(request.url)
        const afterId = url.searchParams.get('after_id')
        pages.push({ afterId, limit: url.searchParams.get('limit') })
        const ids = afterId ? ['claude-haiku-4-5-20251001'] : ['claude-sonnet-5-5', 'claude-opus-5-5']
        return HttpResponse.json({
          data: ids.map((id) => ({
            type: 'model',
            id,
            display_name: id,
            created_at: '2026-09-28T00:00:00Z',
          })),
          has_more: !afterId,
          first_id: ids[0],
          last_id: ids.at(-1),
        })
      }),
    )
    const models = await createAnthropic({ apiKey, baseURL }).listModels()
    expect(models.map((model) => model.id)).toEqual([
      'claude-sonnet-5-5',
      'claude-opus-5-5',
      'claude-haiku-4-5-20251001',
    ])
    expect(pages).toEqual([
      { afterId: null, limit: '1000' },
      { afterId: 'claude-opus-5-5', limit: '1000' },
    ])
  })
})

describe('structured output through a forced tool', () => {
  it("works when a spec opts into structuredOutput 'tool' (models that still accept a forced tool_choice)", async () => {
    const kit = createAnthropicWireKit({ baseURL: 'https://tool-mode.anthropic.modelplex.test' })
    const bodies: any[] = []
    server.use(
      ...kit.handlers((view) => {
        bodies.push(view.body)
        return {
          type: 'generate',
          toolCalls: [{ id: 'toolu_1', name: 'city_info', arguments: '{"city":"Paris"}' }],
          finishReason: 'tool-calls',
          usage: { inputTokens: 5, outputTokens: 5 },
        }
      }),
    )
    const toolMode = { ...spec, capabilities: { ...spec.capabilities, structuredOutput: 'tool' as const } }
    const provider = createProvider(toolMode, kit.settings as never)
    const { object } = await provider.generateObject({
      model: 'claude-sonnet-4-6',
      messages,
      schema: z.object({ city: z.string() }),
      schemaName: 'city_info',
    })
    expect(object).toEqual({ city: 'Paris' })
    expect(bodies[0].tool_choice).toEqual({ type: 'tool', name: 'city_info' })
    expect(bodies[0].tools[0].name).toBe('city_info')
  })
})

/** The SDK's client with `messages.create` answering a plain promise, as an injected SDK may: its `Stream` is read. */
class SdkStreamAnthropic extends Anthropic {
  constructor(options: ConstructorParameters<typeof Anthropic>[0]) {
    super(options)
    const create = this.messages.create.bind(this.messages) as (...args: unknown[]) => Promise<unknown>
    this.messages.create = ((...args: unknown[]) => create(...args).then((stream) => stream)) as never
  }
}

/** Everything a stream delivered, and how it ended, with the error reduced to what a caller sees. */
async function runStream(provider: Provider) {
  const events: StreamEvent[] = []
  const stream = provider.stream({ messages, maxRetries: 0 })
  try {
    for await (const event of stream) events.push(event)
    return { events, result: await stream.result(), error: undefined }
  } catch (caught) {
    const { name, message, code, status, retryable, requestId, partial, cause } = caught as ServerError
    const error = { name, message, code, status, retryable, requestId, partial, cause: cause?.constructor }
    return { events, result: undefined, error }
  }
}

/**
 * An SSE response with a stream body, as the wire kit sends it: the SDK's `Stream` awaits the body's
 * cancellation after an error event, which never settles for MSW's string bodies.
 */
function eventStream(text: string): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text))
      controller.close()
    },
  })
  return new HttpResponse(body, {
    headers: { 'content-type': 'text/event-stream', 'request-id': 'req_stream_1' },
  })
}

describe('anthropic streams read from the raw body', () => {
  const replies: Record<string, () => Response> = {
    text: () => eventStream(sse('stream-text.sse')),
    'tool use': () => eventStream(sse('stream-tool-use.sse')),
    thinking: () => eventStream(sse('stream-thinking.sse')),
    'error event mid-stream': () => eventStream(sse('stream-error-overloaded.sse')),
    'error event that is not JSON': () =>
      eventStream(
        `${sse('stream-text.sse').split('\n\n').slice(0, 4).join('\n\n')}\n\nevent: error\ndata: upstream reset\n\n`,
      ),
    'HTTP 529 before the stream': () =>
      HttpResponse.json(
        { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_1' },
        { status: 529, headers: { 'request-id': 'req_1' } },
      ),
    'HTTP 401 before the stream': () =>
      HttpResponse.json(
        { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } },
        { status: 401 },
      ),
  }

  for (const [name, answer] of Object.entries(replies)) {
    it(`${name}: the same events, result and typed error as through the SDK's Stream, which is not used`, async () => {
      reply = answer
      const fromSSEResponse = vi.spyOn(Stream, 'fromSSEResponse')
      const fromBody = await runStream(createAnthropic({ apiKey, baseURL }))
      expect(fromSSEResponse).not.toHaveBeenCalled()
      const throughSdk = await runStream(createAnthropic({ apiKey, baseURL, sdk: SdkStreamAnthropic }))
      expect(fromSSEResponse).toHaveBeenCalledTimes(name.startsWith('HTTP') ? 0 : 1)
      expect(fromBody).toEqual(throughSdk)
      expect(fromBody.events.length + (fromBody.error ? 1 : 0)).toBeGreaterThan(0)
    })
  }

  it("an error event mid-stream reaches mapError as the SDK's APIError: ServerError with the partial text", async () => {
    reply = replies['error event mid-stream']!
    const { events, error } = await runStream(createAnthropic({ apiKey, baseURL }))
    expect(events.filter((event) => event.type === 'text-delta')).toEqual([
      { type: 'text-delta', text: 'Once upon' },
    ])
    expect(error).toMatchObject({
      name: 'ServerError',
      code: 'overloaded_error',
      status: 529,
      retryable: true,
      requestId: 'req_stream_1',
      partial: { text: 'Once upon' },
      cause: APIError,
    })
  })
})

describe('a tool loop with extended thinking (interface v2)', () => {
  it('sends every earlier thinking block back byte for byte over three turns, streamed or not', async () => {
    const kit = createAnthropicWireKit({ baseURL: 'https://thinking-loop.anthropic.modelplex.test' })
    const usage = { inputTokens: 20, outputTokens: 10 }
    const first = {
      text: 'The user wants Paris weather; call get_weather.',
      signature: 'EqQBCkYIARgC+sig/one==',
    }
    const second = { text: 'Paris is 21 °C. Now the time there.', signature: 'ErUBCkYIARgC+sig/two==' }
    const redacted = 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP=='
    const replies: WireReply[] = [
      {
        type: 'generate',
        reasoning: [first],
        toolCalls: [{ id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
        finishReason: 'tool-calls',
        usage,
      },
      {
        type: 'stream',
        parts: [
          { type: 'reasoning', text: 'Paris is 21 °C. ' },
          { type: 'reasoning', text: 'Now the time there.' },
          { type: 'reasoning-end', signature: second.signature },
          { type: 'reasoning-end', redacted },
          { type: 'tool-call', index: 0, id: 'toolu_2', name: 'get_time', argumentsDelta: '{"city":' },
          { type: 'tool-call', index: 0, argumentsDelta: '"Paris"}' },
        ],
        finishReason: 'tool-calls',
        usage,
      },
      { type: 'generate', text: 'It is 21 °C and 14:00 in Paris.', finishReason: 'stop', usage },
    ]
    const bodies: any[] = []
    server.use(
      ...kit.handlers((view) => {
        bodies.push(view.body)
        return replies.shift()!
      }),
    )
    const provider = createProvider(spec, kit.settings as never)
    const tools = [
      { name: 'get_weather', parameters: z.object({ city: z.string() }) },
      { name: 'get_time', parameters: z.object({ city: z.string() }) },
    ]
    const thinkingOptions = { anthropic: { thinking: { type: 'enabled' as const, budgetTokens: 1024 } } }
    const history: Message[] = [{ role: 'user', content: 'Weather and time in Paris?' }]
    const toolResult = (id: string, name: string, output: unknown): Message => ({
      role: 'tool',
      content: [{ type: 'tool-result', toolCallId: id, toolName: name, output }],
    })

    const one = await provider.generate({ messages: history, tools, providerOptions: thinkingOptions })
    expect(one.toolCalls.map((call) => call.toolCallId)).toEqual(['toolu_1'])
    history.push(...one.messages, toolResult('toolu_1', 'get_weather', { celsius: 21 }))

    const stream = provider.stream({ messages: history, tools, providerOptions: thinkingOptions })
    for await (const _event of stream) {
      // drained
    }
    const two = await stream.result()
    expect(two.toolCalls.map((call) => call.toolCallId)).toEqual(['toolu_2'])
    history.push(...two.messages, toolResult('toolu_2', 'get_time', '14:00'))

    const three = await provider.generate({ messages: history, tools, providerOptions: thinkingOptions })
    expect(three.text).toBe('It is 21 °C and 14:00 in Paris.')

    const firstBlocks = [
      { type: 'thinking', thinking: first.text, signature: first.signature },
      { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
    ]
    const secondBlocks = [
      { type: 'thinking', thinking: second.text, signature: second.signature },
      { type: 'redacted_thinking', data: redacted },
      { type: 'tool_use', id: 'toolu_2', name: 'get_time', input: { city: 'Paris' } },
    ]
    for (const body of bodies) expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 })
    expect(bodies[1].messages[1]).toEqual({ role: 'assistant', content: firstBlocks })
    expect(bodies[2].messages.map((message: any) => message.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
    ])
    expect(bodies[2].messages[1]).toEqual({ role: 'assistant', content: firstBlocks })
    expect(bodies[2].messages[3]).toEqual({ role: 'assistant', content: secondBlocks })
    // Byte for byte: each block's JSON appears verbatim in the request bodies that follow it.
    for (const block of [firstBlocks[0], secondBlocks[0], secondBlocks[1]]) {
      expect(JSON.stringify(bodies[2])).toContain(JSON.stringify(block))
    }
    expect(JSON.stringify(bodies[1])).toContain(JSON.stringify(firstBlocks[0]))
  })
})

describe('anthropicBeta', () => {
  it('sends the beta list as the anthropic-beta header, not in the body', async () => {
    const provider = createAnthropic({ apiKey, baseURL })
    await provider.generate({
      messages,
      providerOptions: {
        anthropic: { anthropicBeta: ['extended-cache-ttl-2025-04-11', 'files-api-2025-04-14'] },
      },
    })
    expect(requests[0]!.headers.get('anthropic-beta')).toBe(
      'extended-cache-ttl-2025-04-11,files-api-2025-04-14',
    )
    expect(requests[0]!.body).not.toHaveProperty('anthropicBeta')
  })
})

describe('AnthropicProviderOptions', () => {
  it('types providerOptions.anthropic and still takes unknown keys', () => {
    const typed: ProviderCallOptions = {
      anthropic: {
        thinking: { type: 'enabled', budgetTokens: 1024 },
        cacheControl: { type: 'ephemeral', ttl: '1h' },
        future_param: true,
      },
    }
    // @ts-expect-error budgetTokens is a number
    const wrong: ProviderCallOptions = { anthropic: { thinking: { type: 'enabled', budgetTokens: '1024' } } }
    // @ts-expect-error a cache lifetime is '5m' or '1h'
    const badTtl: ProviderCallOptions = { anthropic: { cacheControl: { type: 'ephemeral', ttl: '2h' } } }
    expect([typed, wrong, badTtl].map((options) => Object.keys(options.anthropic ?? {}).length)).toEqual([
      3, 1, 1,
    ])
  })
})
