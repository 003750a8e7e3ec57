import { randomEventBody, seededRandom } from '@modelplex/conformance'
import { MalformedResponseError, StreamInterruptedError } from '@modelplex/core'
import type { AdapterStreamEvent } from '@modelplex/core/adapter'
import { OpenAI } from 'openai'
import { Stream } from 'openai/streaming'
import { describe, expect, it, vi } from 'vitest'
import deepseekChunks from './__fixtures__/chat-completion-chunks-deepseek-reasoning.json' with {
  type: 'json',
}
import groqChunks from './__fixtures__/chat-completion-chunks-groq.json' with { type: 'json' }
import textChunks from './__fixtures__/chat-completion-chunks-text.json' with { type: 'json' }
import toolChunks from './__fixtures__/chat-completion-chunks-tool-calls.json' with { type: 'json' }
import type { OpenAICompatibleQuirks } from './openai-compatible-quirks.js'
import {
  OpenAIEventSource,
  OpenAIStreamTranslator,
  sdkStreamError,
  translateOpenAIStream,
} from './openai-stream.js'

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
  it('a delta whose content is not text → MalformedResponseError (issue 15)', async () => {
    const chunks = [
      { id: 'c1', model: 'm', choices: [{ index: 0, delta: { content: 'Hel' } }] },
      { id: 'c1', model: 'm', choices: [{ index: 0, delta: { content: 42 } }] },
    ]
    await expect(collect(chunks)).rejects.toThrow(MalformedResponseError)
  })

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
        // The chunks' system_fingerprint, in camelCase.
        providerMetadata: { systemFingerprint: 'fp_44709d6fcb' },
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
      providerMetadata: { systemFingerprint: 'fp_c5b5b3e2a1' },
    })
  })

  it('puts the cost extractCost reads from the usage chunk on finish', async () => {
    const cost = { input: 0.000001, output: 0.000002, total: 0.000003, currency: 'USD' as const }
    const events = await collect(textChunks, {
      extractCost: (chunk) => (chunk.usage ? cost : undefined),
    })
    expect(events.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: { inputTokens: 9, outputTokens: 2, totalTokens: 11 },
      cost,
      providerMetadata: { systemFingerprint: 'fp_44709d6fcb' },
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

/** A Response whose body delivers `pieces` one network read at a time. */
function body(pieces: readonly (string | Uint8Array)[], onCancel?: () => void): Response {
  const encoder = new TextEncoder()
  let index = 0
  return new Response(
    new ReadableStream<Uint8Array>({
      pull(controller) {
        const piece = pieces[index++]
        if (piece === undefined) controller.close()
        else controller.enqueue(typeof piece === 'string' ? encoder.encode(piece) : piece)
      },
      cancel: onCancel,
    }),
  )
}

/** Every byte its own read: the worst split a socket can deliver. */
function byteByByte(text: string): Uint8Array[] {
  return Array.from(new TextEncoder().encode(text), (byte) => Uint8Array.of(byte))
}

const rejectFrames = () => {
  throw new Error('no error frame expected')
}

async function readAll(events: OpenAIEventSource): Promise<unknown[]> {
  const chunks: unknown[] = []
  for (let read = await events.read(); read; read = await events.read()) chunks.push(...read)
  return chunks
}

/** Frames as servers write them, odd ones included. */
const FRAMES = [
  ...textChunks.map((chunk) => `data: ${JSON.stringify(chunk)}`),
  'data: {"choices":[{"index":0,"delta":{"content":"é ✓ 🦊"}}]}',
  ': OPENROUTER PROCESSING',
  'id: 1\nretry: 3000\ndata: {"a":\ndata: 1}',
  '\uFEFFdata: {"after":"a byte order mark"}',
  'event: thread.run.created\ndata: {"id":"run_1"}',
  'event:',
  'data: [DONE]',
  'data: {"error":{"message":"The server had an error","type":"server_error"}}',
  'data: {oops',
]

/** Random frames, line ends and read boundaries, sometimes with an unterminated last event. */
function randomBody(seed: number): Uint8Array[] {
  const next = seededRandom(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!
  const frames = Array.from({ length: 1 + Math.floor(next() * 12) }, () => pick(FRAMES))
  const unterminated = next() < 0.2
  return randomEventBody(frames, next, unterminated ? () => 'data: {"unterminated":true}' : undefined)
}

async function readWithSdk(pieces: readonly Uint8Array[]): Promise<{ chunks: unknown[]; error: unknown }> {
  const chunks: unknown[] = []
  try {
    for await (const chunk of Stream.fromSSEResponse(body(pieces), new AbortController())) chunks.push(chunk)
    return { chunks, error: undefined }
  } catch (error) {
    return { chunks, error }
  }
}

async function readWithSource(pieces: readonly Uint8Array[]): Promise<{ chunks: unknown[]; error: unknown }> {
  const events = new OpenAIEventSource(body(pieces), sdkStreamError(OpenAI))
  const chunks: unknown[] = []
  try {
    for (let read = await events.read(); read; read = await events.read()) chunks.push(...read)
    return { chunks, error: undefined }
  } catch (error) {
    return { chunks, error }
  }
}

function errorFields(error: unknown) {
  if (error === undefined) return undefined
  const { status, error: body } = error as { status?: unknown; error?: unknown }
  return { class: (error as object).constructor, message: (error as Error).message, status, body }
}

describe('OpenAIEventSource', () => {
  const sse = (chunks: readonly unknown[], lineEnd = '\n') =>
    `${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}${lineEnd}${lineEnd}`).join('')}data: [DONE]${lineEnd}${lineEnd}`

  it('reads the chunks whatever the read boundaries and line ends (LF, CRLF, CR)', async () => {
    const chunks = [...textChunks, { choices: [{ index: 0, delta: { content: 'é ✓ 🦊' } }] }]
    for (const lineEnd of ['\n', '\r\n', '\r']) {
      const events = new OpenAIEventSource(body(byteByByte(sse(chunks, lineEnd))), rejectFrames)
      expect(await readAll(events)).toEqual(chunks)
    }
  })

  it('skips comments and other fields, joins multi-line data, ignores everything after [DONE]', async () => {
    const text = [
      ': OPENROUTER PROCESSING',
      '',
      'id: 1',
      'retry: 3000',
      'data: {"a":',
      'data: 1}',
      '',
      'data:{"b":2}',
      '',
      'data: [DONE]',
      '',
      'data: {"c":3}',
      '',
      'data: {"unterminated":true}',
    ].join('\n')
    expect(await readAll(new OpenAIEventSource(body([text]), rejectFrames))).toEqual([{ a: 1 }, { b: 2 }])
  })

  it('delivers the chunks before an error frame, then throws the error the factory builds', async () => {
    const frame = { error: { message: 'The server had an error', type: 'server_error' } }
    const events = new OpenAIEventSource(body([sse([textChunks[0], frame])]), (error) =>
      Object.assign(new Error('frame'), { error }),
    )
    expect(await events.read()).toEqual([textChunks[0]])
    await expect(events.read()).rejects.toMatchObject({ message: 'frame', error: frame.error })
  })

  it('throws a SyntaxError for a frame that is not JSON, after the chunks before it', async () => {
    const text = `data: ${JSON.stringify(textChunks[0])}\n\ndata: {oops\n\n`
    const events = new OpenAIEventSource(body([text]), rejectFrames)
    expect(await events.read()).toEqual([textChunks[0]])
    await expect(events.read()).rejects.toBeInstanceOf(SyntaxError)
  })

  it('cancels the body when closed early', async () => {
    let cancelled = false
    const events = new OpenAIEventSource(
      body([sse([textChunks[0]]), sse([textChunks[1]])], () => {
        cancelled = true
      }),
      rejectFrames,
    )
    expect(await events.read()).toEqual([textChunks[0]])
    await events.cancel()
    expect(cancelled).toBe(true)
  })

  it('translates to the same events as the SDK chunk stream', async () => {
    const fromBody: AdapterStreamEvent[] = []
    const events = new OpenAIEventSource(body(byteByByte(sse(toolChunks))), rejectFrames)
    for await (const event of translateOpenAIStream(events, {}, 'test')) fromBody.push(event)
    expect(fromBody).toEqual(await collect(toolChunks, {}))
  })

  it("yields exactly the SDK Stream's chunks and throws the same error, on 500 random bodies", async () => {
    // The SDK logs a frame that is not JSON before throwing it.
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const thrown = new Set<unknown>()
    for (let seed = 1; seed <= 500; seed++) {
      const pieces = randomBody(seed)
      const fromSdk = await readWithSdk(pieces)
      const fromSource = await readWithSource(pieces)
      expect(fromSource.chunks, `seed ${seed}`).toEqual(fromSdk.chunks)
      expect(errorFields(fromSource.error), `seed ${seed}`).toEqual(errorFields(fromSdk.error))
      thrown.add((fromSdk.error as object | undefined)?.constructor)
    }
    // The bodies reached both kinds of failure, and ended cleanly too.
    expect(thrown).toEqual(new Set([undefined, OpenAI.APIError, SyntaxError]))
  })

  it("builds the SDK's APIError for an error frame", () => {
    class APIError extends Error {
      constructor(
        readonly status: number | undefined,
        readonly error: unknown,
        message: string | undefined,
        readonly headers: Headers | undefined,
      ) {
        super(message ?? 'api error')
      }
    }
    const headers = new Headers({ 'x-request-id': 'req_1' })
    const error = sdkStreamError({ APIError })({ message: 'boom' }, headers)
    expect(error).toBeInstanceOf(APIError)
    expect(error).toMatchObject({ status: undefined, error: { message: 'boom' }, headers })
  })
})

describe('OpenAIStreamTranslator: a required usage chunk (streamUsageRequired)', () => {
  // The documented stream without its last chunk: cut after finish_reason, before the usage.
  const cut = textChunks.slice(0, -1)

  async function run(chunks: readonly unknown[], usageRequired: boolean) {
    const events: AdapterStreamEvent[] = []
    try {
      for await (const event of new OpenAIStreamTranslator(
        source(chunks),
        {},
        'openai',
        undefined,
        usageRequired,
      ))
        events.push(event)
      return { events, error: undefined }
    } catch (error) {
      return { events, error }
    }
  }

  it('a stream that ends after the finish chunk, before the usage chunk → StreamInterruptedError, no finish', async () => {
    const { events, error } = await run(cut, true)
    expect(StreamInterruptedError.isInstance(error)).toBe(true)
    expect((error as Error).message).toBe(
      'openai: the stream ended after its finish chunk but before the usage chunk',
    )
    expect(events.map((event) => event.type)).toEqual(['response-metadata', 'text-delta', 'text-delta'])
  })

  it('finishes with the usage when the usage chunk came', async () => {
    const { events, error } = await run(textChunks, true)
    expect(error).toBeUndefined()
    expect(events.at(-1)).toMatchObject({ type: 'finish', usage: { inputTokens: 9, outputTokens: 2 } })
  })

  it('not required (a compatible server may ignore stream_options): finishes without usage', async () => {
    const { events, error } = await run(cut, false)
    expect(error).toBeUndefined()
    expect(events.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: undefined,
    })
  })
})
