import { MalformedResponseError } from '@modelplex/core'
import type { AdapterStreamEvent } from '@modelplex/core/adapter'
import { describe, expect, it, vi } from 'vitest'
import textChunks from './__fixtures__/chat-stream-text.json' with { type: 'json' }
import thinkingChunks from './__fixtures__/chat-stream-thinking.json' with { type: 'json' }
import toolChunks from './__fixtures__/chat-stream-tool-calls.json' with { type: 'json' }
import { OllamaStreamError } from './map-ollama-error.js'
import { type OllamaChunkSource, OllamaStreamTranslator } from './ollama-stream.js'

/** A source shaped like the SDK's AbortableAsyncIterator: chunks, then optionally a throw. */
function source(chunks: readonly unknown[], error?: Error): OllamaChunkSource & { abort: () => void } {
  return {
    abort: vi.fn(),
    async *[Symbol.asyncIterator]() {
      for (const chunk of chunks) yield chunk
      if (error) throw error
    },
  }
}

async function collect(input: OllamaChunkSource): Promise<{ events: AdapterStreamEvent[]; error: unknown }> {
  const events: AdapterStreamEvent[] = []
  try {
    for await (const event of new OllamaStreamTranslator(input)) events.push(event)
    return { events, error: undefined }
  } catch (error) {
    return { events, error }
  }
}

describe('OllamaStreamTranslator', () => {
  it('emits metadata once, text deltas, and finish with usage from the done line', async () => {
    const { events, error } = await collect(source(textChunks))
    expect(error).toBeUndefined()
    expect(events).toEqual([
      { type: 'response-metadata', model: 'llama3.2' },
      { type: 'text-delta', text: 'The' },
      { type: 'text-delta', text: ' sky' },
      {
        type: 'finish',
        finishReason: 'stop',
        rawFinishReason: 'stop',
        usage: { inputTokens: 26, outputTokens: 282, totalTokens: 308 },
        // The done line's timings and counts, camelCased.
        providerMetadata: {
          totalDuration: 4883583458,
          loadDuration: 1334875,
          promptEvalCount: 26,
          promptEvalDuration: 342546000,
          evalCount: 282,
          evalDuration: 4535599000,
          doneReason: 'stop',
          createdAt: '2023-08-04T19:22:45.499127Z',
        },
      },
    ])
  })

  it('emits a whole tool call as one tool-call event; the finish says tool-calls', async () => {
    const { events } = await collect(source(toolChunks))
    const calls = events.filter((event) => event.type === 'tool-call')
    expect(calls).toEqual([
      {
        type: 'tool-call',
        toolCall: {
          toolCallId: expect.stringMatching(/^call_[0-9a-f]{8}$/),
          toolName: 'get_current_weather',
          input: { format: 'celsius', location: 'Toronto' },
          rawInput: '{"format":"celsius","location":"Toronto"}',
        },
      },
    ])
    expect(events.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: 'tool-calls',
      rawFinishReason: 'stop',
    })
  })

  it('turns message.thinking into reasoning-delta events', async () => {
    const { events } = await collect(source(thinkingChunks))
    expect(events.filter((event) => event.type === 'reasoning-delta' || event.type === 'text-delta')).toEqual(
      [
        { type: 'reasoning-delta', text: 'Count' },
        { type: 'reasoning-delta', text: " the r's." },
        { type: 'text-delta', text: 'Three.' },
      ],
    )
  })

  it('stops reading at the done line', async () => {
    const { events } = await collect(source([...textChunks, { message: { content: 'after done' } }]))
    expect(events.some((event) => event.type === 'text-delta' && event.text === 'after done')).toBe(false)
  })

  it('re-throws an {"error"} line (a plain Error from the SDK) as OllamaStreamError, after the text', async () => {
    const { events, error } = await collect(
      source(
        textChunks.slice(0, 1),
        new Error('an error was encountered while running the model: unexpected EOF'),
      ),
    )
    expect(events.map((event) => event.type)).toEqual(['response-metadata', 'text-delta'])
    expect(error).toBeInstanceOf(OllamaStreamError)
    expect((error as Error).message).toBe('an error was encountered while running the model: unexpected EOF')
  })

  it('ends without finish when the body ends before done, so core reports the interruption', async () => {
    const { events, error } = await collect(
      source(textChunks.slice(0, 2), new Error('Did not receive done or success response in stream.')),
    )
    expect(error).toBeUndefined()
    expect(events.map((event) => event.type)).toEqual(['response-metadata', 'text-delta', 'text-delta'])
  })

  it('reports a body without a single chat line (the SDK skipped non-JSON lines) as malformed', async () => {
    const { error } = await collect(
      source([], new Error('Did not receive done or success response in stream.')),
    )
    expect(MalformedResponseError.isInstance(error)).toBe(true)
  })

  it('passes a network failure through untouched, for core to classify', async () => {
    const dropped = new TypeError('terminated', {
      cause: Object.assign(new Error('closed'), { code: 'UND_ERR_SOCKET' }),
    })
    const { error } = await collect(source(textChunks.slice(0, 1), dropped))
    expect(error).toBe(dropped)
  })

  it('rejects a line that is not a chat chunk', async () => {
    const { error } = await collect(source([{ model: 'x', message: 'text' }]))
    expect(MalformedResponseError.isInstance(error)).toBe(true)
  })

  it('aborts the SDK request when closed before done, and not after', async () => {
    const early = source(textChunks)
    const translator = new OllamaStreamTranslator(early)
    await translator.next()
    await translator.return()
    expect(early.abort).toHaveBeenCalledTimes(1)

    // Core closes the iterator after the finish event too: the request is complete, nothing to abort.
    const finished = source(textChunks)
    const complete = new OllamaStreamTranslator(finished)
    while (!(await complete.next()).done) {}
    await complete.return()
    expect(finished.abort).not.toHaveBeenCalled()
  })
})
