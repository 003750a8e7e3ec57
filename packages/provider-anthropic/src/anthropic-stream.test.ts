import { readFileSync } from 'node:fs'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Anthropic, APIError } from '@anthropic-ai/sdk'
import { Stream } from '@anthropic-ai/sdk/streaming'
import { randomEventBody, seededRandom } from '@modelplex/conformance'
import {
  AbortedError,
  ContentFilterError,
  MalformedResponseError,
  type ModelplexError,
  ServerError,
} from '@modelplex/core'
import type { AdapterStreamEvent } from '@modelplex/core/adapter'
import { describe, expect, it } from 'vitest'
import { createAnthropic } from './anthropic-provider.js'
import { AnthropicEventSource, AnthropicStreamTranslator, sdkStreamError } from './anthropic-stream.js'
import { mapAnthropicError } from './map-anthropic-error.js'

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

async function collect(source: AsyncIterable<unknown> | AnthropicEventSource, signal?: AbortSignal) {
  const events: AdapterStreamEvent[] = []
  try {
    for await (const event of new AnthropicStreamTranslator(source, {
      model: 'claude-sonnet-5-5',
      signal,
    }))
      events.push(event)
    return { events, error: undefined }
  } catch (error) {
    return { events, error: error as ModelplexError }
  }
}

describe('AnthropicStreamTranslator', () => {
  it('a text_delta whose text is not a string → MalformedResponseError (issue 15)', async () => {
    const events = [
      {
        type: 'message_start',
        message: { id: 'msg_1', model: 'm', usage: { input_tokens: 1, output_tokens: 0 } },
      },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 42 } },
    ]
    const { error } = await collect(from(events))
    expect(MalformedResponseError.isInstance(error)).toBe(true)
  })

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

  it('closes a thinking block with its signature, and sends redacted thinking whole', async () => {
    const start = {
      type: 'message_start',
      message: { id: 'msg_1', model: 'claude-sonnet-5-5', usage: { input_tokens: 5, output_tokens: 1 } },
    }
    const { events } = await collect(
      from([
        start,
        {
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'thinking', thinking: '', signature: '' },
        },
        { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Hmm.' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'EqQB' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'CkYI==' } },
        { type: 'content_block_stop', index: 0 },
        {
          type: 'content_block_start',
          index: 1,
          content_block: { type: 'redacted_thinking', data: 'EmwKAhgB' },
        },
        { type: 'content_block_stop', index: 1 },
        {
          type: 'content_block_start',
          index: 2,
          content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} },
        },
        { type: 'content_block_stop', index: 2 },
        { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } },
        { type: 'message_stop' },
      ]),
    )
    expect(events.slice(1, 4)).toEqual([
      { type: 'reasoning-delta', text: 'Hmm.' },
      // Signature deltas are joined, and go out when the block stops.
      { type: 'reasoning-end', providerMetadata: { signature: 'EqQBCkYI==' } },
      { type: 'reasoning-end', providerMetadata: { redactedData: 'EmwKAhgB' } },
    ])
    expect(events[4]).toMatchObject({ type: 'tool-call-delta', toolCallId: 'toolu_1' })
  })

  it('merges citations into their text part and puts the extras on finish', async () => {
    const citation = { type: 'char_location', cited_text: 'Green.', document_index: 0 }
    const { events } = await collect(
      from([
        {
          type: 'message_start',
          message: {
            id: 'msg_2',
            model: 'claude-sonnet-5-5',
            usage: {
              input_tokens: 5,
              output_tokens: 1,
              cache_creation_input_tokens: 40,
              cache_creation: { ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 30 },
              service_tier: 'priority',
            },
          },
        },
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '', citations: [] } },
        { type: 'content_block_delta', index: 0, delta: { type: 'citations_delta', citation } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Green' } },
        { type: 'content_block_stop', index: 0 },
        {
          type: 'message_delta',
          delta: { stop_reason: 'stop_sequence', stop_sequence: '###' },
          usage: { output_tokens: 2, server_tool_use: { web_search_requests: 1 } },
        },
        { type: 'message_stop' },
      ]),
    )
    expect(events[1]).toEqual({ type: 'text-delta', text: '', providerMetadata: { citations: [citation] } })
    expect(events.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'stop',
      rawFinishReason: 'stop_sequence',
      usage: {
        inputTokens: 45,
        outputTokens: 2,
        totalTokens: 47,
        cacheWriteInputTokens: 40,
        cacheWrite1hInputTokens: 30,
      },
      providerMetadata: {
        cacheCreation: { ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 30 },
        serverToolUse: { web_search_requests: 1 },
        serviceTier: 'priority',
        stopSequence: '###',
        citations: [citation],
      },
    })
  })

  it('keeps server tool blocks (web search) out of the tool calls and in the finish metadata', async () => {
    const result = {
      type: 'web_search_tool_result',
      tool_use_id: 'srvtoolu_1',
      content: [{ type: 'web_search_result', url: 'https://example.com', title: 'Example' }],
    }
    const { events } = await collect(
      from([
        { type: 'message_start', message: { id: 'msg_3', usage: { input_tokens: 5, output_tokens: 1 } } },
        {
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} },
        },
        {
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'input_json_delta', partial_json: '{"query":' },
        },
        {
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'input_json_delta', partial_json: '"claude"}' },
        },
        { type: 'content_block_stop', index: 0 },
        { type: 'content_block_start', index: 1, content_block: result },
        { type: 'content_block_stop', index: 1 },
        { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 4 } },
        { type: 'message_stop' },
      ]),
    )
    expect(events.map((event) => event.type)).toEqual(['response-metadata', 'finish'])
    expect(events.at(-1)).toMatchObject({
      providerMetadata: {
        serverToolBlocks: [
          { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'claude' } },
          result,
        ],
      },
    })
  })

  it('queues each event as raw before its translation when includeRaw is set', async () => {
    const source = fixtureEvents('stream-text.sse')
    const events: AdapterStreamEvent[] = []
    for await (const event of new AnthropicStreamTranslator(from(source), { includeRaw: true }))
      events.push(event)
    const raw = events
      .filter((event) => event.type === 'raw')
      .map((event) => (event as { value: unknown }).value)
    expect(raw).toEqual(source)
    expect(events[0]).toEqual({ type: 'raw', value: source[0] })
  })

  it('turns thinking_delta into reasoning-delta, ends the block with its signature, and reads cache and thinking usage', async () => {
    const { events } = await collect(from(fixtureEvents('stream-thinking.sse')))
    expect(events.filter((event) => event.type === 'reasoning-delta')).toEqual([
      { type: 'reasoning-delta', text: 'Let me solve this step by step:\n\n1. First break down 27 * 453' },
      { type: 'reasoning-delta', text: '\n2. 453 = 400 + 50 + 3' },
    ])
    expect(events.filter((event) => event.type === 'reasoning-end')).toEqual([
      {
        type: 'reasoning-end',
        providerMetadata: { signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds...' },
      },
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

/** A Response whose body delivers `pieces` one read at a time, with Anthropic's `request-id`. */
function response(pieces: readonly Uint8Array[], onCancel?: () => void): Response {
  let index = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const piece = pieces[index++]
      if (piece === undefined) controller.close()
      else controller.enqueue(piece)
    },
    cancel: onCancel,
  })
  return new Response(body, {
    headers: { 'content-type': 'text/event-stream', 'request-id': 'req_stream_1' },
  })
}

const client = new Anthropic({ apiKey: 'sk-ant-test' })
const bytesOf = (text: string) => new TextEncoder().encode(text)

/** Everything a reader of the body yields, and what it throws at the end. */
interface Reading {
  events: unknown[]
  error: unknown
}

/** The SDK's own `Stream` over the body: the reference. */
async function readWithSdk(pieces: readonly Uint8Array[]): Promise<Reading> {
  const events: unknown[] = []
  try {
    for await (const event of Stream.fromSSEResponse(response(pieces), new AbortController()))
      events.push(event)
    return { events, error: undefined }
  } catch (error) {
    return { events, error }
  }
}

async function readWithSource(pieces: readonly Uint8Array[]): Promise<Reading> {
  const source = new AnthropicEventSource(response(pieces), sdkStreamError(client))
  const events: unknown[] = []
  try {
    for (let batch = await source.read(); batch; batch = await source.read()) events.push(...batch)
    return { events, error: undefined }
  } catch (error) {
    return { events, error }
  }
}

/** The fields of a thrown error the SDK sets and mapAnthropicError reads. */
function errorFields(error: unknown) {
  if (error === undefined) return undefined
  const { status, error: body, type, requestID, errorCode } = error as Record<string, unknown>
  return {
    class: (error as object).constructor,
    message: (error as Error).message,
    status,
    body,
    type,
    requestID,
    errorCode,
  }
}

/** Frames as a server may write them: the documented events, and the odd ones a proxy or a later API adds. */
const FRAMES = [
  ...['stream-text.sse', 'stream-tool-use.sse', 'stream-thinking.sse'].flatMap((name) =>
    readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')
      .split(/\n\n+/)
      .filter((frame) => frame.trim()),
  ),
  'event: ping\ndata: {"type": "ping"}',
  ': keep-alive',
  'event: content_block_delta\ndata: {"type": "content_block_delta", "index": 0,\ndata:"delta": {"type": "text_delta", "text": "é ✓ 🦊"}}',
  'event: a_future_event\ndata: {"type": "a_future_event", "detail": 1}',
  // Named without data, and data without a name: the SDK skips both.
  'event: message_stop',
  'data: {"type": "message_stop"}',
  // An empty name is a name: without data it is no event, with data it is yielded.
  'event:',
  'event:\ndata: {"type": "content_block_stop", "index": 1}',
  'id: 42\nretry: 1000\nevent: content_block_stop\ndata: {"type": "content_block_stop", "index": 0}',
]
const ERROR_FRAMES = [
  'event: error\ndata: {"type": "error", "error": {"details": null, "type": "overloaded_error", "message": "Overloaded"}}',
  'event: error\ndata: {"type": "error", "error": {"type": "invalid_request_error", "message": "Output blocked by content filtering policy", "details": {"error_code": "output_blocked"}}}',
  'event: error\ndata: upstream connect error',
]

/** A random body: frames (sometimes an error frame among them), line ends and read boundaries. */
function randomBody(seed: number): Uint8Array[] {
  const next = seededRandom(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!
  const frames = Array.from({ length: 1 + Math.floor(next() * 12) }, () => pick(FRAMES))
  if (next() < 0.3) frames.splice(Math.floor(next() * frames.length), 0, pick(ERROR_FRAMES))
  if (next() < 0.2) frames[0] = `\uFEFF${frames[0]}`
  // An unterminated last event, which both must drop.
  const unterminated = next() < 0.2
  return randomEventBody(
    frames,
    next,
    unterminated ? (lineEnd) => `event: message_stop${lineEnd}data: {"type": "message_stop"}` : undefined,
  )
}

describe('AnthropicEventSource', () => {
  it("yields exactly the SDK Stream's events and throws the same error, on 500 random bodies", async () => {
    const thrown = new Set<unknown>()
    for (let seed = 1; seed <= 500; seed++) {
      const pieces = randomBody(seed)
      const [sdk, source] = await Promise.all([readWithSdk(pieces), readWithSource(pieces)])
      expect(source.events, `seed ${seed}`).toEqual(sdk.events)
      expect(errorFields(source.error), `seed ${seed}`).toEqual(errorFields(sdk.error))
      thrown.add((sdk.error as object | undefined)?.constructor)
    }
    // The bodies reached error frames, and ended cleanly too.
    expect(thrown).toEqual(new Set([undefined, APIError]))
  })

  it("throws an error frame as the SDK's APIError, after the events before it", async () => {
    const text = readFileSync(new URL('./__fixtures__/stream-error-overloaded.sse', import.meta.url), 'utf8')
    const { events, error } = await readWithSource([bytesOf(text)])
    expect(events.map((event) => (event as { type: string }).type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
    ])
    expect(error).toBeInstanceOf(APIError)
    expect(error).toMatchObject({
      status: undefined,
      type: 'overloaded_error',
      requestID: 'req_stream_1',
      error: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    })
  })

  it('throws a SyntaxError for data that is not JSON, like the SDK', async () => {
    const { error } = await readWithSource([bytesOf('event: message_start\ndata: {oops\n\n')])
    expect(error).toBeInstanceOf(SyntaxError)
  })

  it('builds an error mapAnthropicError reads when the client has no APIError static', async () => {
    const frame = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }
    const source = new AnthropicEventSource(
      response([bytesOf(`event: error\ndata: ${JSON.stringify(frame)}\n\n`)]),
      sdkStreamError({}),
    )
    const error = await source.read().catch((caught: unknown) => caught)
    expect(error).toMatchObject({ error: frame })
    const mapped = mapAnthropicError(error, { model: 'claude-sonnet-5-5' })
    expect(ServerError.isInstance(mapped)).toBe(true)
    expect(mapped).toMatchObject({ code: 'overloaded_error', status: 529, requestId: 'req_stream_1' })
  })

  it('translates to the same events as the SDK stream, and cancels the body when closed early', async () => {
    for (const name of ['stream-text.sse', 'stream-tool-use.sse', 'stream-thinking.sse']) {
      const bytes = bytesOf(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'))
      const bytewise = Array.from(bytes, (byte) => Uint8Array.of(byte))
      const fromBody = await collect(new AnthropicEventSource(response(bytewise), sdkStreamError(client)))
      const fromSdk = await collect(Stream.fromSSEResponse(response([bytes]), new AbortController()))
      expect(fromBody, name).toEqual(fromSdk)
    }
    let cancelled = false
    const text = readFileSync(new URL('./__fixtures__/stream-text.sse', import.meta.url), 'utf8')
    const translator = new AnthropicStreamTranslator(
      new AnthropicEventSource(
        response(text.split(/(?<=\n\n)/).map(bytesOf), () => {
          cancelled = true
        }),
        sdkStreamError(client),
      ),
    )
    expect(await translator.next()).toMatchObject({ value: { type: 'response-metadata' } })
    await translator.return()
    expect(cancelled).toBe(true)
  })

  it("ends quietly when the caller's signal aborted the body, and reports the signal's reason", async () => {
    const controller = new AbortController()
    const reason = new Error('stop')
    let pulls = 0
    const body = new ReadableStream<Uint8Array>({
      pull(stream) {
        if (pulls++ > 0) {
          controller.abort(reason)
          stream.error(new DOMException('This operation was aborted', 'AbortError'))
          return
        }
        const text = readFileSync(new URL('./__fixtures__/stream-text.sse', import.meta.url), 'utf8')
        stream.enqueue(bytesOf(`${text.split('\n\n').slice(0, 4).join('\n\n')}\n\n`))
      },
    })
    const source = new AnthropicEventSource(new Response(body), sdkStreamError(client))
    const { events, error } = await collect(source, controller.signal)
    expect(events.filter((event) => event.type === 'text-delta')).toEqual([
      { type: 'text-delta', text: 'Hello' },
    ])
    expect(error).toBe(reason)
  })
})

describe('anthropic streams over a socket', () => {
  const text = readFileSync(new URL('./__fixtures__/stream-text.sse', import.meta.url), 'utf8')
  const messages = [{ role: 'user' as const, content: 'Hello' }]

  /** A loopback server answering every request with `answer`; counts the connections it accepted. */
  async function serve(answer: (response: ServerResponse) => void) {
    let connections = 0
    let socketsClosed = 0
    // How each response ended: `finished` once its last byte was flushed, `cut` when the socket
    // went first (the client aborted the body).
    const endings: Array<Promise<'finished' | 'cut'>> = []
    const server = createServer((_request, response) => {
      endings.push(
        new Promise((resolve) =>
          response.on('close', () => resolve(response.writableFinished ? 'finished' : 'cut')),
        ),
      )
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      answer(response)
    })
    server.on('connection', (socket) => {
      connections++
      socket.on('close', () => socketsClosed++)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const provider = createAnthropic({
      apiKey: 'sk-ant-api03-socket-test',
      baseURL: `http://127.0.0.1:${port}`,
    })
    return {
      provider,
      connections: () => connections,
      socketsClosed: () => socketsClosed,
      endings: () => Promise.all(endings),
      close: () => server.close(),
    }
  }

  /** A body that sends the first text delta and never ends: only the client can close it. */
  function answerForever(closed: () => void) {
    return (response: ServerResponse) => {
      response.write(`${text.split('\n\n').slice(0, 4).join('\n\n')}\n\n`)
      response.on('close', closed)
    }
  }

  const within = (promise: Promise<void>, ms: number) =>
    Promise.race([
      promise.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
    ])

  it("the caller's AbortSignal mid-stream ends the stream with AbortedError and closes the body", async () => {
    let closed!: () => void
    const bodyClosed = new Promise<void>((resolve) => {
      closed = resolve
    })
    const { provider, close } = await serve(answerForever(() => closed()))
    try {
      const controller = new AbortController()
      const texts: string[] = []
      const error = await (async () => {
        for await (const event of provider.stream({ messages, signal: controller.signal, maxRetries: 0 })) {
          if (event.type !== 'text-delta') continue
          texts.push(event.text)
          controller.abort()
        }
      })().catch((caught: unknown) => caught)
      expect(AbortedError.isInstance(error)).toBe(true)
      expect(texts).toEqual(['Hello'])
      expect(await within(bodyClosed, 2_000)).toBe(true)
    } finally {
      close()
    }
  })

  it('a consumer that stops early closes the body', async () => {
    let closed!: () => void
    const bodyClosed = new Promise<void>((resolve) => {
      closed = resolve
    })
    const { provider, close } = await serve(answerForever(() => closed()))
    try {
      for await (const event of provider.stream({ messages, maxRetries: 0 }))
        if (event.type === 'text-delta') break
      expect(await within(bodyClosed, 2_000)).toBe(true)
    } finally {
      close()
    }
  })

  it('reads each body to its end after message_stop, so one keep-alive connection serves every stream', async () => {
    // The body ends a little after `message_stop`, as the API's may: closing it at `finish` would abort
    // the request and destroy the socket.
    const { provider, socketsClosed, endings, close } = await serve((response) => {
      response.write(text)
      setTimeout(() => response.end(), 5)
    })
    try {
      for (let call = 0; call < 3; call++) {
        const result = await provider.stream({ messages, maxRetries: 0 }).result()
        expect(result.text).toBe('Hello!')
      }
      // Core reads the rest of each body in the background after `finish`: every response is sent
      // to its end and no socket is destroyed (an aborted body would destroy its socket). Waiting on
      // the responses' own ends, not a clock, keeps this true on a loaded machine.
      expect(await endings()).toEqual(['finished', 'finished', 'finished'])
      expect(socketsClosed()).toBe(0)
    } finally {
      close()
    }
  })
})
