import { readFileSync } from 'node:fs'
import {
  type AdapterStreamEvent,
  ContentFilterError,
  MalformedResponseError,
  type ModelplexError,
  ServerError,
} from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import { AnthropicStreamTranslator } from './anthropic-stream.js'

/** The events of an SSE fixture as the SDK yields them: parsed `data`, pings and errors included. */
function fixtureEvents(name: string): unknown[] {
  const text = readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')
  return text
    .split(/\n\n+/)
    .filter((frame) => frame.trim())
    .map((frame) =>
      JSON.parse(
        frame
          .split('\n')
          .find((line) => line.startsWith('data: '))!
          .slice(6),
      ),
    )
}

async function* from(events: unknown[]): AsyncGenerator<unknown> {
  for (const event of events) yield event
}

async function collect(source: AsyncIterable<unknown>, signal?: AbortSignal) {
  const events: AdapterStreamEvent[] = []
  try {
    for await (const event of new AnthropicStreamTranslator(source, { model: 'claude-sonnet-5-5', signal }))
      events.push(event)
    return { events, error: undefined }
  } catch (error) {
    return { events, error: error as ModelplexError }
  }
}

describe('AnthropicStreamTranslator', () => {
  it('translates a text stream: metadata once, text deltas, finish last with usage', async () => {
    const { events, error } = await collect(from(fixtureEvents('stream-text.sse')))
    expect(error).toBeUndefined()
    expect(events).toEqual([
      { type: 'response-metadata', id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY', model: 'claude-sonnet-5-5' },
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: '!' },
      {
        type: 'finish',
        finishReason: 'stop',
        rawFinishReason: 'end_turn',
        // message_start's input tokens, message_delta's output tokens.
        usage: { inputTokens: 25, outputTokens: 15, totalTokens: 40 },
      },
    ])
  })

  it('keys input_json_delta by the content block index, with the id and name on the first delta', async () => {
    const { events } = await collect(from(fixtureEvents('stream-tool-use.sse')))
    const deltas = events.filter((event) => event.type === 'tool-call-delta')
    expect(deltas[0]).toEqual({
      type: 'tool-call-delta',
      index: 1,
      toolCallId: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
      toolName: 'get_weather',
      argumentsDelta: '',
    })
    expect(deltas.every((delta) => delta.type === 'tool-call-delta' && delta.index === 1)).toBe(true)
    const json = deltas
      .map((delta) => (delta.type === 'tool-call-delta' ? delta.argumentsDelta : ''))
      .join('')
    expect(JSON.parse(json)).toEqual({ location: 'San Francisco, CA', unit: 'fahrenheit' })
    expect(events.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: 'tool-calls',
      rawFinishReason: 'tool_use',
    })
  })

  it('turns thinking_delta into reasoning-delta, ignores signatures, and reads cache and thinking usage', async () => {
    const { events } = await collect(from(fixtureEvents('stream-thinking.sse')))
    expect(events.filter((event) => event.type === 'reasoning-delta')).toEqual([
      { type: 'reasoning-delta', text: 'Let me solve this step by step:\n\n1. First break down 27 * 453' },
      { type: 'reasoning-delta', text: '\n2. 453 = 400 + 50 + 3' },
    ])
    expect(events.filter((event) => event.type === 'text-delta')).toEqual([
      { type: 'text-delta', text: '27 * 453 = 12,231' },
    ])
    expect(events.at(-1)).toMatchObject({
      type: 'finish',
      usage: {
        inputTokens: 2078,
        outputTokens: 98,
        totalTokens: 2176,
        cachedInputTokens: 2048,
        reasoningTokens: 71,
      },
    })
  })

  it('throws an error event as a typed error after the text that came before it', async () => {
    const { events, error } = await collect(from(fixtureEvents('stream-error-overloaded.sse')))
    expect(events.filter((event) => event.type === 'text-delta')).toEqual([
      { type: 'text-delta', text: 'Once upon' },
    ])
    expect(ServerError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({
      code: 'overloaded_error',
      status: 529,
      retryable: true,
      provider: 'anthropic',
    })
  })

  it('maps a content-filter error event to ContentFilterError', async () => {
    const { error } = await collect(
      from([
        { type: 'message_start', message: { id: 'msg_1', model: 'm', usage: { input_tokens: 1 } } },
        {
          type: 'error',
          error: {
            details: null,
            type: 'invalid_request_error',
            message: 'Output blocked by content filtering policy',
          },
        },
      ]),
    )
    expect(ContentFilterError.isInstance(error)).toBe(true)
  })

  it('ends without finish when the stream stops mid-answer, so core reports the interruption', async () => {
    const events = fixtureEvents('stream-text.sse').slice(0, 4)
    const result = await collect(from(events))
    expect(result.error).toBeUndefined()
    expect(result.events.some((event) => event.type === 'finish')).toBe(false)
  })

  it('finishes on a stop reason when the final message_stop is missing', async () => {
    const events = fixtureEvents('stream-text.sse').slice(0, -1)
    const result = await collect(from(events))
    expect(result.events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' })
  })

  it('throws MalformedResponseError for an empty stream or an event that is not an object', async () => {
    expect(MalformedResponseError.isInstance((await collect(from([]))).error)).toBe(true)
    expect(MalformedResponseError.isInstance((await collect(from(['oops']))).error)).toBe(true)
  })

  it("rethrows the signal's reason when the SDK ends quietly on abort", async () => {
    const controller = new AbortController()
    const reason = new Error('stop')
    controller.abort(reason)
    const { error } = await collect(from(fixtureEvents('stream-text.sse').slice(0, 2)), controller.signal)
    expect(error).toBe(reason)
  })

  it('closes the source when the consumer returns early', async () => {
    let closed = false
    async function* source() {
      try {
        yield* fixtureEvents('stream-text.sse')
      } finally {
        closed = true
      }
    }
    const translator = new AnthropicStreamTranslator(source())
    await translator.next()
    await translator.return()
    expect(closed).toBe(true)
    expect(await translator.next()).toEqual({ value: undefined, done: true })
  })
})
