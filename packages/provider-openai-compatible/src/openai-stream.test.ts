import { type AdapterStreamEvent, MalformedResponseError } from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import deepseekChunks from './__fixtures__/chat-completion-chunks-deepseek-reasoning.json' with {
  type: 'json',
}
import groqChunks from './__fixtures__/chat-completion-chunks-groq.json' with { type: 'json' }
import textChunks from './__fixtures__/chat-completion-chunks-text.json' with { type: 'json' }
import toolChunks from './__fixtures__/chat-completion-chunks-tool-calls.json' with { type: 'json' }
import type { OpenAICompatibleQuirks } from './openai-compatible-quirks.js'
import { translateOpenAIStream } from './openai-stream.js'

async function* source(chunks: readonly unknown[], error?: Error): AsyncGenerator<unknown> {
  for (const chunk of chunks) yield chunk
  if (error) throw error
}

async function collect(
  chunks: readonly unknown[],
  quirks: OpenAICompatibleQuirks = {},
  signal?: AbortSignal,
): Promise<AdapterStreamEvent[]> {
  const events: AdapterStreamEvent[] = []
  for await (const event of translateOpenAIStream(source(chunks), quirks, 'test', signal)) events.push(event)
  return events
}

describe('translateOpenAIStream', () => {
  it('emits metadata once, text deltas, and finish with the usage of the chunk after finish_reason', async () => {
    expect(await collect(textChunks)).toEqual([
      { type: 'response-metadata', id: 'chatcmpl-123', model: 'gpt-4o-mini' },
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: '!' },
      {
        type: 'finish',
        finishReason: 'stop',
        rawFinishReason: 'stop',
        usage: { inputTokens: 9, outputTokens: 2, totalTokens: 11 },
      },
    ])
  })

  it('emits tool-call deltas with index, id and name on the first slice', async () => {
    const events = await collect(toolChunks)
    expect(events.filter((event) => event.type === 'tool-call-delta')).toEqual([
      {
        type: 'tool-call-delta',
        index: 0,
        toolCallId: 'call_DdmO9pD3xa9XTPNJ32zg2hcA',
        toolName: 'get_weather',
        argumentsDelta: '',
      },
      { type: 'tool-call-delta', index: 0, toolCallId: undefined, toolName: undefined, argumentsDelta: '{"' },
      {
        type: 'tool-call-delta',
        index: 0,
        toolCallId: undefined,
        toolName: undefined,
        argumentsDelta: 'location',
      },
      {
        type: 'tool-call-delta',
        index: 0,
        toolCallId: undefined,
        toolName: undefined,
        argumentsDelta: '":"Paris"}',
      },
    ])
    // No usage chunk was sent (include_usage not asked): finish still comes, without usage.
    expect(events.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'tool-calls',
      rawFinishReason: 'tool_calls',
      usage: undefined,
    })
  })

  it("turns DeepSeek's reasoning_content deltas into reasoning-delta events", async () => {
    const events = await collect(deepseekChunks)
    expect(events.filter((event) => event.type !== 'response-metadata')).toEqual([
      { type: 'reasoning-delta', text: 'Compare ' },
      { type: 'reasoning-delta', text: 'tenths.' },
      { type: 'text-delta', text: '9.11 < 9.8' },
      {
        type: 'finish',
        finishReason: 'stop',
        rawFinishReason: 'stop',
        usage: { inputTokens: 16, outputTokens: 30, totalTokens: 46, reasoningTokens: 20 },
      },
    ])
  })

  it("reads groq's x_groq.usage through the extractUsage quirk", async () => {
    const withoutQuirk = await collect(groqChunks)
    expect(withoutQuirk.at(-1)).toMatchObject({ type: 'finish', usage: undefined })
    const events = await collect(groqChunks, { extractUsage: (chunk) => chunk.x_groq?.usage })
    expect(events.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: { inputTokens: 40, outputTokens: 3, totalTokens: 43 },
    })
  })

  it('ends without finish when the server stopped before a finish_reason', async () => {
    const events = await collect(textChunks.slice(0, 2))
    expect(events.map((event) => event.type)).toEqual(['response-metadata', 'text-delta'])
  })

  it('throws MalformedResponseError for a stream without a single chunk', async () => {
    await expect(collect([])).rejects.toBeInstanceOf(MalformedResponseError)
  })

  it('rethrows the abort reason when the SDK ended the stream quietly on abort', async () => {
    const controller = new AbortController()
    const reason = new Error('stop now')
    controller.abort(reason)
    await expect(collect(textChunks.slice(0, 2), {}, controller.signal)).rejects.toBe(reason)
  })

  it('passes the source failure through, after the events before it', async () => {
    const events: AdapterStreamEvent[] = []
    const failure = new TypeError('terminated')
    const iterator = translateOpenAIStream(source(textChunks.slice(0, 2), failure))
    await expect(
      (async () => {
        for await (const event of iterator) events.push(event)
      })(),
    ).rejects.toBe(failure)
    expect(events.map((event) => event.type)).toEqual(['response-metadata', 'text-delta'])
  })

  it('closes the source when the consumer stops early', async () => {
    let closed = false
    async function* tracked() {
      try {
        yield* textChunks
      } finally {
        closed = true
      }
    }
    const iterator = translateOpenAIStream(tracked())
    await iterator.next()
    await iterator.return?.()
    expect(closed).toBe(true)
  })
})
