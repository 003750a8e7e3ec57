import { describe, expect, it } from 'vitest'
import { testProvider } from './mistral-test-helpers.js'

// The stream is read off the raw body by core's SSE reader: these are the hostile loads of issue 16,
// as correctness checks (the figures are printed by tooling/stream-probe.ts, never asserted).

const encoder = new TextEncoder()
const request = { model: 'mistral-small-latest', messages: [{ role: 'user' as const, content: 'Hi' }] }

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

const frame = (chunk: unknown) => `data: ${JSON.stringify(chunk)}\n\n`
const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra = {}) => ({
  id: 'cmpl-raw',
  object: 'chat.completion.chunk',
  created: 1_750_000_000,
  model: 'mistral-small-latest',
  choices: [{ index: 0, delta, finish_reason: finish }],
  ...extra,
})
const usage = { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 }
const last = chunk({ content: '' }, 'stop', { usage })
const DONE = 'data: [DONE]\n\n'

function provider(text: string, size: number) {
  const bytes = encoder.encode(text)
  return testProvider(
    () => new Response(body(bytes, size), { headers: { 'content-type': 'text/event-stream' } }),
  ).provider
}

describe('Mistral streams off the raw body', () => {
  it('reads the wire chunks (snake_case tool_calls and finish_reason), handed out as raw events', async () => {
    const call = { id: 'call_1', function: { name: 'weather', arguments: '{"city":"Paris"}' }, index: 0 }
    const toolLast = chunk({ content: '' }, 'tool_calls', { usage })
    const text =
      frame(chunk({ role: 'assistant', content: 'Checking. ' })) +
      frame(chunk({ tool_calls: [call] })) +
      frame(toolLast) +
      DONE
    const result = await provider(text, 1 << 16)
      .stream({ ...request, includeRaw: true })
      .result()
    expect(result.text).toBe('Checking. ')
    expect(result.toolCalls).toMatchObject([
      { toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris' } },
    ])
    expect(result.finishReason).toBe('tool-calls')
    expect((result.raw as unknown[])[1]).toEqual(chunk({ tool_calls: [call] }))
  })

  it('200,000 tiny events give the right text', async () => {
    const frames: string[] = []
    for (let index = 0; index < 200_000; index++) frames.push(frame(chunk({ content: String(index % 10) })))
    const result = await provider(frames.join('') + frame(last) + DONE, 65_536)
      .stream(request)
      .result()
    expect(result.text.length).toBe(200_000)
    expect(result.text.slice(0, 12)).toBe('012345678901')
    expect(result.finishReason).toBe('stop')
  })

  it('a 20 MB single line parses', async () => {
    const text = 'é'.repeat(10 * 1024 * 1024)
    const result = await provider(frame(chunk({ content: text })) + frame(last) + DONE, 65_536)
      .stream(request)
      .result()
    expect(result.text.length).toBe(text.length)
    expect(result.text === text).toBe(true)
  })

  it('a body split at every byte boundary parses', async () => {
    const text = frame(chunk({ content: 'héllo ✓ ' })) + frame(chunk({ content: '🦊' })) + frame(last) + DONE
    const result = await provider(text, 1).stream(request).result()
    expect(result.text).toBe('héllo ✓ 🦊')
    expect(result.usage).toMatchObject({ inputTokens: 3, outputTokens: 5, totalTokens: 8 })
  })
})
