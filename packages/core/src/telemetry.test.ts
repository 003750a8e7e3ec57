import { trace } from '@opentelemetry/api'
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { createClient } from './client.js'
import { RateLimitError, ServerError } from './errors.js'
import { createProvider } from './provider.js'
import type { AdapterGenerateResult } from './provider-spec.js'
import { eventsOf, fakeSpec, textResult } from './test-helpers.js'

const exporter = new InMemorySpanExporter()
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
const tracer = tracerProvider.getTracer('test')
afterEach(() => exporter.reset())

const messages = [{ role: 'user' as const, content: 'Secret plans for Paris' }]
const cachedUsage = {
  inputTokens: 1_000,
  outputTokens: 500,
  totalTokens: 1_500,
  cachedInputTokens: 400,
  cacheWriteInputTokens: 100,
}

const spans = () => exporter.getFinishedSpans()
const named = (name: string) => spans().filter((span) => span.name === name)
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId

describe('telemetry', () => {
  it('a generate call is a chat span with the GenAI attributes, cache tokens and no content by default', async () => {
    const generate = vi.fn(async () =>
      textResult('Bonjour', { usage: cachedUsage, model: 'priced-model-2025', id: 'resp_9' }),
    )
    const p = createProvider(fakeSpec({ generate }), { telemetry: { tracer } })
    await p.generate({ model: 'priced-model', messages, temperature: 0.2, maxOutputTokens: 50 })
    const [span] = spans()
    expect(span!.name).toBe('chat priced-model')
    expect(span!.kind).toBe(2)
    expect(span!.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'fake',
      'gen_ai.request.model': 'priced-model',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.max_tokens': 50,
      'gen_ai.response.model': 'priced-model-2025',
      'gen_ai.response.id': 'resp_9',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 1_000,
      'gen_ai.usage.output_tokens': 500,
      'gen_ai.usage.cache_read.input_tokens': 400,
      'gen_ai.usage.cache_creation.input_tokens': 100,
    })
    expect(JSON.stringify(span!.attributes)).not.toContain('Secret plans')
  })

  it("without a tracer, uses @opentelemetry/api's global tracer provider", async () => {
    trace.setGlobalTracerProvider(tracerProvider)
    try {
      await createProvider(fakeSpec(), { telemetry: {} }).generate({ messages })
      expect(spans().map((span) => [span.name, span.instrumentationScope.name])).toEqual([
        ['chat fake-model', '@modelplex/core'],
      ])
    } finally {
      trace.disable()
    }
  })

  it('records content only with recordContent, and one event per retry; a failure sets error.type', async () => {
    let calls = 0
    const generate = vi.fn(async () => {
      calls++
      if (calls === 1) throw new RateLimitError('slow down', { provider: 'fake', status: 429 })
      return textResult('Bonjour')
    })
    const p = createProvider(fakeSpec({ generate }), {
      telemetry: { tracer, recordContent: true },
      retry: { initialDelayMs: 0, maxDelayMs: 0 },
    })
    await p.generate({ messages })
    const [span] = spans()
    expect(span!.events.map((event) => event.name)).toEqual(['gen_ai.retry'])
    expect(span!.events[0]!.attributes).toMatchObject({
      'gen_ai.retry.attempt': 1,
      'error.type': 'RateLimitError',
    })
    expect(String(span!.attributes['gen_ai.input.messages'])).toContain('Secret plans')
    expect(String(span!.attributes['gen_ai.output.messages'])).toContain('Bonjour')

    exporter.reset()
    const failing = createProvider(
      fakeSpec({
        generate: async () => {
          throw new ServerError('down', { provider: 'fake', status: 500, retryable: false })
        },
      }),
      { telemetry: { tracer } },
    )
    await expect(failing.generate({ messages })).rejects.toThrow()
    expect(spans()[0]!.attributes['error.type']).toBe('ServerError')
    expect(spans()[0]!.status.code).toBe(2)
  })

  it('a stream span ends at the finish with the usage', async () => {
    const stream = vi.fn(async () =>
      eventsOf([
        { type: 'text-delta', text: 'Hi' },
        { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop', usage: cachedUsage },
      ]),
    )
    const p = createProvider(fakeSpec({ stream }), { telemetry: { tracer } })
    const s = p.stream({ messages })
    const kinds: string[] = []
    for await (const event of s) kinds.push(event.type)
    expect(kinds).toEqual(['text-delta', 'finish'])
    expect((await s.result()).text).toBe('Hi')
    await new Promise((resolve) => setImmediate(resolve))
    expect(spans()).toHaveLength(1)
    expect(spans()[0]!.attributes).toMatchObject({
      'gen_ai.usage.output_tokens': 500,
      'gen_ai.response.finish_reasons': ['stop'],
    })
  })

  it('a tool loop is an invoke_agent span whose model calls and tools are its children', async () => {
    let calls = 0
    const toolStep: AdapterGenerateResult = {
      ...textResult(''),
      content: [
        {
          type: 'tool-call',
          toolCallId: 'c1',
          toolName: 'weather',
          input: { city: 'Paris' },
          rawInput: '{"city":"Paris"}',
        },
      ],
      toolCalls: [
        { toolCallId: 'c1', toolName: 'weather', input: { city: 'Paris' }, rawInput: '{"city":"Paris"}' },
      ],
      finishReason: 'tool-calls',
    }
    const generate = vi.fn(async () => (++calls === 1 ? toolStep : textResult('21 °C')))
    const p = createProvider(fakeSpec({ generate }), { telemetry: { tracer } })
    await p.generate({
      messages,
      tools: [
        { name: 'weather', parameters: z.object({ city: z.string() }), execute: async () => ({ tempC: 21 }) },
      ],
      maxSteps: 2,
    })
    const [agent] = named('invoke_agent')
    const chats = named('chat fake-model')
    const [toolSpan] = named('execute_tool weather')
    expect(agent).toBeDefined()
    expect(chats).toHaveLength(2)
    for (const chat of chats) expect(parentOf(chat)).toBe(agent!.spanContext().spanId)
    expect(parentOf(toolSpan!)).toBe(agent!.spanContext().spanId)
    expect(toolSpan!.attributes).toMatchObject({ 'gen_ai.tool.name': 'weather', 'gen_ai.tool.call.id': 'c1' })
    expect(agent!.attributes['gen_ai.usage.input_tokens']).toBe(2_000)
  })

  it('a client records each fallback hop on its route span, the provider calls as children', async () => {
    const down = vi.fn(async () => {
      throw new ServerError('down', { provider: 'a', status: 503 })
    })
    const up = vi.fn(async () => textResult('from b'))
    const client = createClient({
      providers: { a: fakeSpec({ generate: down }, { id: 'a' }), b: fakeSpec({ generate: up }, { id: 'b' }) },
      retry: { maxRetries: 0 },
      fallback: ['a:m1', 'b:m2'],
      telemetry: { tracer },
    })
    await client.generate({ model: 'a:m1', messages })
    const [route] = named('route a:m1')
    expect(route!.events.map((event) => [event.name, event.attributes?.['gen_ai.fallback.to']])).toEqual([
      ['gen_ai.fallback', 'b:m2'],
    ])
    const children = spans().filter((span) => parentOf(span) === route!.spanContext().spanId)
    expect(children.map((span) => [span.name, span.attributes['gen_ai.provider.name']])).toEqual([
      ['chat m1', 'a'],
      ['chat m2', 'b'],
    ])
    expect(children[0]!.attributes['error.type']).toBe('ServerError')
  })

  it("a client's stream records its fallback hop on the route span, which ends with the stream", async () => {
    const down = vi.fn(async () => {
      throw new ServerError('down', { provider: 'a', status: 503 })
    })
    const up = vi.fn(async () =>
      eventsOf([
        { type: 'text-delta', text: 'from b' },
        { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop', usage: cachedUsage },
      ]),
    )
    const client = createClient({
      providers: { a: fakeSpec({ stream: down }, { id: 'a' }), b: fakeSpec({ stream: up }, { id: 'b' }) },
      retry: { maxRetries: 0 },
      fallback: ['a:m1', 'b:m2'],
      telemetry: { tracer },
    })
    const s = client.stream({ model: 'a:m1', messages })
    const texts: string[] = []
    for await (const event of s) if (event.type === 'text-delta') texts.push(event.text)
    expect(texts).toEqual(['from b'])
    expect((await s.result()).text).toBe('from b')
    await new Promise((resolve) => setImmediate(resolve))
    const [route] = named('route a:m1')
    expect(route!.events.map((event) => event.attributes?.['gen_ai.fallback.to'])).toEqual(['b:m2'])
    const children = spans().filter((span) => parentOf(span) === route!.spanContext().spanId)
    expect(children.map((span) => span.name).sort()).toEqual(['chat m1', 'chat m2'])
  })
})
