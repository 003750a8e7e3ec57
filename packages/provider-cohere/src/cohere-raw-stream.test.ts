import { describe, expect, it } from 'vitest'
import { camelizeCohereEvent } from './cohere-stream.js'
import { createCohere } from './index.js'

// The stream is read off the raw body by core's SSE reader: these are the hostile loads of issue 16,
// as correctness checks (the figures are printed by tooling/stream-probe.ts, never asserted).

const encoder = new TextEncoder()
const request = { model: 'command-a-03-2025', messages: [{ role: 'user' as const, content: 'Hi' }] }

/** A body of `bytes` in pieces of `size`, one read each. */
function body(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let start = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (start >= bytes.length) return controller.close()
      controller.enqueue(bytes.subarray(start, start + size))
      start += size
    },
  })
}

const frame = (event: { type: string }) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`
const start = { type: 'message-start', id: 'raw-1', delta: { message: { role: 'assistant' } } }
const delta = (text: string) => ({
  type: 'content-delta',
  index: 0,
  delta: { message: { content: { text } } },
})
const end = {
  type: 'message-end',
  delta: {
    finish_reason: 'COMPLETE',
    usage: {
      billed_units: { input_tokens: 3, output_tokens: 5 },
      tokens: { input_tokens: 10, output_tokens: 5 },
    },
  },
}

function provider(text: string, size: number) {
  const bytes = encoder.encode(text)
  const fetch = (async () =>
    new Response(body(bytes, size), {
      headers: { 'content-type': 'text/event-stream' },
    })) as typeof globalThis.fetch
  return createCohere({ apiKey: 'co-raw-stream-test-0123456789', fetch })
}

describe('camelizeCohereEvent', () => {
  it("renames keys as the SDK's serializers do, but not a document's or a tool output's own keys", () => {
    const event = {
      type: 'citation-start',
      delta: {
        message: {
          citations: {
            content_index: 0,
            sources: [
              { type: 'document', document: { snippet_id: 'a' } },
              { type: 'tool', tool_output: { row_count: 2 } },
            ],
          },
        },
      },
    }
    expect(camelizeCohereEvent(event)).toEqual({
      type: 'citation-start',
      delta: {
        message: {
          citations: {
            contentIndex: 0,
            sources: [
              { type: 'document', document: { snippet_id: 'a' } },
              { type: 'tool', toolOutput: { row_count: 2 } },
            ],
          },
        },
      },
    })
  })
})

describe('Cohere streams off the raw body', () => {
  it('reads the usage of message-end as the SDK hands it over', async () => {
    const result = await provider(frame(start) + frame(delta('Hi')) + frame(end), 1 << 16)
      .stream(request)
      .result()
    expect(result.text).toBe('Hi')
    expect(result.usage).toEqual({ inputTokens: 3, outputTokens: 5, totalTokens: 8 })
    expect(result.providerMetadata?.cohere).toMatchObject({
      billedUnits: { inputTokens: 3, outputTokens: 5 },
    })
  })

  it('200,000 tiny events give the right text', async () => {
    const frames = [frame(start)]
    for (let index = 0; index < 200_000; index++) frames.push(frame(delta(String(index % 10))))
    frames.push(frame(end))
    const result = await provider(frames.join(''), 65_536).stream(request).result()
    expect(result.text.length).toBe(200_000)
    expect(result.text.slice(0, 12)).toBe('012345678901')
    expect(result.finishReason).toBe('stop')
  })

  it('a 20 MB single line parses', async () => {
    const text = 'é'.repeat(10 * 1024 * 1024)
    const result = await provider(frame(start) + frame(delta(text)) + frame(end), 65_536)
      .stream(request)
      .result()
    expect(result.text.length).toBe(text.length)
    expect(result.text === text).toBe(true)
  })

  it('a body split at every byte boundary parses', async () => {
    const text = frame(start) + frame(delta('héllo ✓ ')) + frame(delta('🦊')) + frame(end)
    const result = await provider(text, 1).stream(request).result()
    expect(result.text).toBe('héllo ✓ 🦊')
    expect(result.usage).toEqual({ inputTokens: 3, outputTokens: 5, totalTokens: 8 })
  })
})
