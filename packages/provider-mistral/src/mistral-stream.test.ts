import {
  MalformedResponseError,
  ServerError,
  type StreamEvent,
  StreamInterruptedError,
} from '@modelplex/core'
import type { AdapterStreamEvent } from '@modelplex/core/adapter'
import { describe, expect, it } from 'vitest'
import { MistralStreamTranslator } from './mistral-stream.js'
import { sseFixture, testProvider } from './mistral-test-helpers.js'

const hello = [{ role: 'user' as const, content: 'Hi' }]

async function collect(stream: AsyncIterable<StreamEvent>) {
  const events: StreamEvent[] = []
  try {
    for await (const event of stream) events.push(event)
    return { events, error: undefined }
  } catch (error) {
    return { events, error: error as Error & { partial?: any } }
  }
}

describe('stream (SSE through the SDK)', () => {
  it('emits text deltas, then one finish with the usage of the finish chunk and its cost', async () => {
    const { provider } = testProvider(() => sseFixture('chunks-text.txt'))
    const stream = provider.stream({ model: 'mistral-small-latest', messages: hello })
    const { events, error } = await collect(stream)
    expect(error).toBeUndefined()
    expect(events.map((event) => event.type)).toEqual(['text-delta', 'text-delta', 'text-delta', 'finish'])
    expect(events.filter((e) => e.type === 'text-delta').map((e: any) => e.text)).toEqual([
      'Le ciel',
      ' est bleu',
      '.',
    ])
    expect(events[3]).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: { inputTokens: 13, outputTokens: 8, totalTokens: 21, cachedInputTokens: 4 },
    })
    // 9 plain × $0.15/M + 4 cached × $0.015/M; 8 × $0.6/M
    expect((events[3] as any).cost).toEqual({
      input: 0.00000141,
      output: 0.0000048,
      total: 0.00000621,
      currency: 'USD',
    })
    const result = await stream.result()
    expect(result.id).toBe('5319bd0299614c679a0068a4f2c8ffd0')
    expect(result.text).toBe('Le ciel est bleu.')
  })

  it('keeps two whole tool calls apart although the SDK gives both index 0', async () => {
    const { provider } = testProvider(() => sseFixture('chunks-tool-call.txt'))
    const result = await provider.stream({ messages: hello }).result()
    expect(result.finishReason).toBe('tool-calls')
    expect(result.toolCalls).toEqual([
      {
        toolCallId: 'gSIMJiOkT',
        toolName: 'get_weather',
        input: { city: 'Lyon' },
        rawInput: '{"city": "Lyon"}',
      },
      {
        toolCallId: 'Xq7LmP2aZ',
        toolName: 'get_time',
        input: { timeZone: 'Europe/Paris' },
        rawInput: '{"timeZone": "Europe/Paris"}',
      },
    ])
  })

  it('assembles an incremental tool call whose later slices have no id and an empty name', async () => {
    const { provider } = testProvider(() => sseFixture('chunks-incremental-tool-call.txt'))
    const result = await provider.stream({ messages: hello }).result()
    expect(result.toolCalls).toEqual([
      {
        toolCallId: 'k3Ty8PqWz',
        toolName: 'search',
        input: { query: 'weather in Berlin' },
        rawInput: '{"query": "weather in Berlin"}',
      },
    ])
    expect(result.usage?.cachedInputTokens).toBe(128)
  })

  it('turns thinking chunks into reasoning deltas', async () => {
    const { provider } = testProvider(() => sseFixture('chunks-thinking.txt'))
    const { events } = await collect(provider.stream({ messages: hello }))
    expect(events.slice(0, 2)).toEqual([
      { type: 'reasoning-delta', text: '2 + 2 is 4.' },
      { type: 'text-delta', text: '4' },
    ])
    expect(events[2]).toMatchObject({ type: 'finish', usage: { reasoningTokens: 12 } })
  })

  it('reports finish_reason "error" as a ServerError keeping the text so far', async () => {
    const { provider } = testProvider(() => sseFixture('chunks-finish-error.txt'))
    const { events, error } = await collect(provider.stream({ messages: hello }))
    expect(ServerError.isInstance(error)).toBe(true)
    expect(error?.partial?.text).toBe('Once upon')
    expect(events.some((event) => event.type === 'finish')).toBe(false)
  })

  it('delivers the text of the chunk that carries finish_reason "error" before failing', async () => {
    async function* source() {
      yield { data: { id: 'e', model: 'm', choices: [{ index: 0, delta: { content: 'Half' } }] } }
      yield {
        data: {
          id: 'e',
          model: 'm',
          choices: [{ index: 0, delta: { content: ' done' }, finishReason: 'error' }],
        },
      }
    }
    const translator = new MistralStreamTranslator(source())
    const events: AdapterStreamEvent[] = []
    const error = await (async () => {
      for await (const event of translator) events.push(event)
    })().catch((e) => e)
    expect(events.filter((event) => event.type === 'text-delta').map((event: any) => event.text)).toEqual([
      'Half',
      ' done',
    ])
    expect(ServerError.isInstance(error)).toBe(true)
  })

  it('reports an error object sent as a stream event as a malformed response', async () => {
    const body =
      'data: {"object":"error","message":"Internal server error","type":"internal_server_error","param":null,"code":null}\n\n'
    const { provider } = testProvider(
      () => new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
    )
    const { error } = await collect(provider.stream({ messages: hello }))
    expect(MalformedResponseError.isInstance(error)).toBe(true)
  })

  it('reports a stream that stops before any finish_reason as interrupted', async () => {
    const lines =
      'data: {"id":"a","model":"m","choices":[{"index":0,"delta":{"content":"Hal"},"finish_reason":null}]}\n\ndata: [DONE]\n\n'
    const { provider } = testProvider(
      () => new Response(lines, { headers: { 'content-type': 'text/event-stream' } }),
    )
    const { events, error } = await collect(provider.stream({ messages: hello }))
    expect(StreamInterruptedError.isInstance(error)).toBe(true)
    expect(events).toEqual([{ type: 'text-delta', text: 'Hal' }])
  })
})

describe('MistralStreamTranslator', () => {
  it('emits response metadata once, from the first chunk', async () => {
    async function* source() {
      yield {
        data: { id: 'one', model: 'mistral-small-2603', choices: [{ index: 0, delta: { content: 'a' } }] },
      }
      yield {
        data: {
          id: 'one',
          model: 'mistral-small-2603',
          choices: [{ index: 0, delta: {}, finishReason: 'stop' }],
        },
      }
    }
    const events: AdapterStreamEvent[] = []
    for await (const event of new MistralStreamTranslator(source())) events.push(event)
    expect(events.filter((event) => event.type === 'response-metadata')).toEqual([
      { type: 'response-metadata', id: 'one', model: 'mistral-small-2603' },
    ])
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop', usage: undefined })
  })

  it('rejects a stream that ends without a chunk', async () => {
    async function* empty() {}
    await expect(new MistralStreamTranslator(empty()).next()).rejects.toThrow(MalformedResponseError)
  })
})
