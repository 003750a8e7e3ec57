import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime'
import { MalformedResponseError, StreamInterruptedError } from '@modelplex/core'
import type { AdapterStreamEvent } from '@modelplex/core/adapter'
import { describe, expect, it } from 'vitest'
import reasoningEvents from './__fixtures__/converse-stream-reasoning.json' with { type: 'json' }
import toolUseEvents from './__fixtures__/converse-stream-tool-use.json' with { type: 'json' }
import { BedrockStreamTranslator } from './bedrock-stream.js'

async function* source(events: unknown[], error?: Error): AsyncGenerator<ConverseStreamOutput> {
  for (const event of events) yield event as ConverseStreamOutput
  if (error) throw error
}

async function collect(translator: AsyncIterable<AdapterStreamEvent>) {
  const events: AdapterStreamEvent[] = []
  try {
    for await (const event of translator) events.push(event)
    return { events, error: undefined }
  } catch (error) {
    return { events, error }
  }
}

describe('BedrockStreamTranslator', () => {
  it('translates the documented tool-use stream: metadata first, text, tool deltas, finish with usage last', async () => {
    const { events, error } = await collect(new BedrockStreamTranslator(source(toolUseEvents), 'req-7'))
    expect(error).toBeUndefined()
    expect(events).toEqual([
      { type: 'response-metadata', id: 'req-7' },
      { type: 'text-delta', text: "I'll look up the top song on WZPZ." },
      {
        type: 'tool-call-delta',
        index: 0,
        toolCallId: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q',
        toolName: 'top_song',
        argumentsDelta: '',
      },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"sign": ' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '"WZPZ"}' },
      {
        type: 'finish',
        finishReason: 'tool-calls',
        rawFinishReason: 'tool_use',
        usage: { inputTokens: 375, outputTokens: 58, totalTokens: 433 },
        providerMetadata: { metrics: { latencyMs: 1489 } },
      },
    ])
  })

  it('numbers tool calls by their order, whatever their content-block index', async () => {
    const events = [
      { messageStart: { role: 'assistant' } },
      { contentBlockStart: { start: { toolUse: { toolUseId: 'a', name: 'f' } }, contentBlockIndex: 3 } },
      { contentBlockStart: { start: { toolUse: { toolUseId: 'b', name: 'g' } }, contentBlockIndex: 5 } },
      { contentBlockDelta: { delta: { toolUse: { input: '{}' } }, contentBlockIndex: 3 } },
      { messageStop: { stopReason: 'tool_use' } },
    ]
    const { events: out } = await collect(new BedrockStreamTranslator(source(events), undefined))
    const deltas = out.filter((event) => event.type === 'tool-call-delta')
    expect(deltas.map((event) => [event.index, event.toolCallId])).toEqual([
      [0, 'a'],
      [1, 'b'],
      [0, undefined],
    ])
  })

  it('reasoning deltas, the signature closing the block; cached tokens counted in; max_tokens → length', async () => {
    const { events } = await collect(new BedrockStreamTranslator(source(reasoningEvents), undefined))
    expect(events.filter((event) => event.type === 'reasoning-delta').map((event) => event.text)).toEqual([
      '17 * 20 = 340, ',
      'plus 51 is 391.',
    ])
    // The signature delta ends the reasoning part, before the text begins.
    const kinds = events.map((event) => event.type)
    expect(events[kinds.indexOf('reasoning-end')]).toEqual({
      type: 'reasoning-end',
      providerMetadata: { signature: 'EqoBCkgIARABGAIiQHcbUdLZ7tRoO2UjNmZkMmVh' },
    })
    expect(kinds.indexOf('reasoning-end')).toBeLessThan(kinds.indexOf('text-delta'))
    expect(
      events
        .filter((event) => event.type === 'text-delta')
        .map((event) => event.text)
        .join(''),
    ).toBe('17 × 23 = 391.')
    expect(events.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'length',
      rawFinishReason: 'max_tokens',
      usage: { inputTokens: 1064, outputTokens: 64, totalTokens: 1128, cachedInputTokens: 1024 },
      providerMetadata: { metrics: { latencyMs: 980 } },
    })
    expect(events.some((event) => event.type === 'response-metadata')).toBe(false)
  })

  it('redacted reasoning ends as a part of its own; an unsigned block is closed before the next', async () => {
    const events = [
      { contentBlockDelta: { delta: { reasoningContent: { text: 'first' } }, contentBlockIndex: 0 } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { contentBlockDelta: { delta: { reasoningContent: { text: 'second' } }, contentBlockIndex: 1 } },
      { contentBlockStop: { contentBlockIndex: 1 } },
      {
        contentBlockDelta: {
          delta: { reasoningContent: { redactedContent: new Uint8Array([0, 1, 2, 250, 255]) } },
          contentBlockIndex: 2,
        },
      },
      { messageStop: { stopReason: 'end_turn' } },
      { metadata: { usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } } },
    ]
    const { events: out } = await collect(new BedrockStreamTranslator(source(events), undefined))
    expect(out.slice(0, 5)).toEqual([
      { type: 'reasoning-delta', text: 'first' },
      { type: 'reasoning-end' },
      { type: 'reasoning-delta', text: 'second' },
      { type: 'reasoning-end' },
      { type: 'reasoning-end', providerMetadata: { redactedData: 'AAEC+v8=' } },
    ])
  })

  it("finish carries messageStop's additionalModelResponseFields and the streamed citations", async () => {
    const citation = { title: 'notes', location: { documentChar: { documentIndex: 0, start: 0, end: 4 } } }
    const events = [
      { contentBlockDelta: { delta: { text: 'Yes.' }, contentBlockIndex: 0 } },
      { contentBlockDelta: { delta: { citation }, contentBlockIndex: 0 } },
      { messageStop: { stopReason: 'end_turn', additionalModelResponseFields: { stop_sequence: null } } },
      { metadata: { usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, metrics: { latencyMs: 9 } } },
    ]
    const { events: out } = await collect(new BedrockStreamTranslator(source(events), undefined))
    expect(out.at(-1)).toMatchObject({
      type: 'finish',
      providerMetadata: {
        metrics: { latencyMs: 9 },
        additionalModelResponseFields: { stop_sequence: null },
        citations: [citation],
      },
    })
  })

  it('with includeRaw, every SDK event goes out as a raw event before its translation', async () => {
    const events = [
      { contentBlockDelta: { delta: { text: 'Hi' } } },
      { messageStop: { stopReason: 'end_turn' } },
      {
        metadata: {
          usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
          serviceTier: { type: 'flex' },
        },
      },
    ]
    const translator = new BedrockStreamTranslator(source(events), undefined, 'B', undefined, {
      includeRaw: true,
    })
    const { events: out } = await collect(translator)
    expect(out.filter((event) => event.type === 'raw').map((event) => event.value)).toEqual(events)
    expect(out[1]).toEqual({ type: 'text-delta', text: 'Hi' })
    expect(out.at(-1)).toMatchObject({ type: 'finish', providerMetadata: { serviceTier: { type: 'flex' } } })
  })

  it('a stream that ends without messageStop ends without finish (core reports the interruption)', async () => {
    const events = [
      { messageStart: { role: 'assistant' } },
      { contentBlockDelta: { delta: { text: 'Hel' } } },
    ]
    const { events: out, error } = await collect(new BedrockStreamTranslator(source(events), undefined))
    expect(error).toBeUndefined()
    expect(out).toEqual([{ type: 'text-delta', text: 'Hel' }])
  })

  it('a stream cut after messageStop, before the metadata event → StreamInterruptedError, no finish', async () => {
    const events = [
      { messageStart: { role: 'assistant' } },
      { contentBlockDelta: { delta: { text: 'Hello' } } },
      { messageStop: { stopReason: 'end_turn' } },
    ]
    const { events: out, error } = await collect(new BedrockStreamTranslator(source(events), undefined))
    expect(out).toEqual([{ type: 'text-delta', text: 'Hello' }])
    expect(StreamInterruptedError.isInstance(error)).toBe(true)
    expect((error as Error).message).toBe(
      'Amazon Bedrock: the stream ended after messageStop but before its metadata event (the usage)',
    )
  })

  it('a metadata event without usage still finishes (usage undefined)', async () => {
    const events = [
      { contentBlockDelta: { delta: { text: 'Hi' } } },
      { messageStop: { stopReason: 'end_turn' } },
      { metadata: { metrics: { latencyMs: 5 } } },
    ]
    const { events: out, error } = await collect(new BedrockStreamTranslator(source(events), undefined))
    expect(error).toBeUndefined()
    expect(out.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      usage: undefined,
      providerMetadata: { metrics: { latencyMs: 5 } },
    })
  })

  it('an empty stream → MalformedResponseError', async () => {
    const { error } = await collect(new BedrockStreamTranslator(source([]), undefined))
    expect(MalformedResponseError.isInstance(error)).toBe(true)
  })

  it('an exception delivered as a union member is thrown with its PascalCase name', async () => {
    const events = [
      { messageStart: { role: 'assistant' } },
      { throttlingException: { message: 'Too many tokens, please wait before trying again.' } },
    ]
    const { error } = await collect(new BedrockStreamTranslator(source(events), undefined))
    expect((error as Error).name).toBe('ThrottlingException')
    expect((error as Error).message).toBe('Too many tokens, please wait before trying again.')
  })

  it("the SDK's own failure mid-stream propagates after the events before it", async () => {
    const cut = new TypeError('terminated')
    const events = [{ contentBlockDelta: { delta: { text: 'partial' } } }]
    const { events: out, error } = await collect(new BedrockStreamTranslator(source(events, cut), undefined))
    expect(out).toEqual([{ type: 'text-delta', text: 'partial' }])
    expect(error).toBe(cut)
  })

  it("when the source ends after an abort, the signal's reason is thrown instead of a quiet end", async () => {
    const controller = new AbortController()
    const reason = new Error('stop')
    controller.abort(reason)
    const { error } = await collect(
      new BedrockStreamTranslator(
        source([{ messageStop: { stopReason: 'end_turn' } }]),
        undefined,
        'B',
        controller.signal,
      ),
    )
    expect(error).toBe(reason)
  })

  it('return() closes the SDK iterator', async () => {
    let closed = false
    const iterable: AsyncIterable<ConverseStreamOutput> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({
          value: { contentBlockDelta: { delta: { text: 'x' } } } as ConverseStreamOutput,
          done: false,
        }),
        return: async () => {
          closed = true
          return { value: undefined, done: true }
        },
      }),
    }
    const translator = new BedrockStreamTranslator(iterable, undefined)
    await translator.next()
    await translator.return()
    expect(closed).toBe(true)
    expect(await translator.next()).toEqual({ value: undefined, done: true })
  })
})
