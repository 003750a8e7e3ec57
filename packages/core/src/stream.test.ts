import { createMockProvider } from '@modelplex/core/testing'
import { describe, expect, it, vi } from 'vitest'
import {
  AbortedError,
  ConnectionError,
  type ModelplexError,
  ServerError,
  StreamInterruptedError,
  TimeoutError,
} from './errors.js'
import { createProvider } from './provider.js'
import type { AdapterStreamEvent, CallContext } from './provider-spec.js'
import { parseToolInput } from './stream.js'
import { eventsOf, fakeSpec, finish, messages, untilAborted, usage } from './test-helpers.js'
import type { ModelStream, StreamEvent } from './types.js'

async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = []
  for await (const event of stream) events.push(event)
  return events
}

/** Collects events until the stream throws; returns both. */
async function collectUntilError(stream: ModelStream): Promise<{ events: StreamEvent[]; error: unknown }> {
  const events: StreamEvent[] = []
  try {
    for await (const event of stream) events.push(event)
  } catch (error) {
    return { events, error }
  }
  throw new Error('the stream did not fail')
}

const texts = (events: StreamEvent[]) => events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : []))

/** A provider whose adapter streams what `open` returns for each attempt. */
function streaming(
  open: (call: number, context: CallContext) => AsyncIterable<AdapterStreamEvent> | Promise<never>,
) {
  const stream = vi.fn(async (_request: unknown, context: CallContext) =>
    open(stream.mock.calls.length, context),
  )
  const provider = createProvider(fakeSpec({ stream: stream as never }), { retry: { initialDelayMs: 1 } })
  return { provider, stream }
}

describe('stream', () => {
  it('delivers text deltas in order and a finish with usage and cost', async () => {
    const provider = createMockProvider({
      prices: { 'mock-model': { input: 1, output: 2 } },
      replies: [{ text: 'Hello there, world', chunks: ['Hel', 'lo there', ', world'], usage }],
    })
    const events = await collect(provider.stream({ messages }))
    expect(events).toEqual([
      { type: 'text-delta', text: 'Hel' },
      { type: 'text-delta', text: 'lo there' },
      { type: 'text-delta', text: ', world' },
      {
        type: 'finish',
        finishReason: 'stop',
        rawFinishReason: undefined,
        usage,
        cost: { input: 0.001, output: 0.001, total: 0.002, currency: 'USD' },
        messages: [{ role: 'assistant', content: [{ type: 'text', text: 'Hello there, world' }] }],
      },
    ])
  })

  it('result() without iterating consumes the stream and aggregates it', async () => {
    const provider = createMockProvider({ replies: [{ text: 'one two three', reasoning: 'thinking' }] })
    const result = await provider.stream({ messages }).result()
    expect(result.text).toBe('one two three')
    expect(result.reasoning).toBe('thinking')
    expect(result.content).toEqual([
      { type: 'reasoning', text: 'thinking', providerMetadata: { mock: {} } },
      { type: 'text', text: 'one two three' },
    ])
    expect(result.messages).toEqual([{ role: 'assistant', content: result.content }])
    expect(result.finishReason).toBe('stop')
    expect(result.usage).toEqual({ inputTokens: 10, outputTokens: 5, totalTokens: 15 })
    expect(result.cost).toEqual({ input: 0, output: 0, total: 0, currency: 'USD' })
    expect(result.provider).toBe('mock')
    expect(result.model).toBe('mock-model')
    expect(provider.calls).toHaveLength(1)
  })

  it('result() after iterating returns the same aggregate, without a second request', async () => {
    const provider = createMockProvider({ replies: [{ text: 'a b' }] })
    const stream = provider.stream({ messages })
    const events = await collect(stream)
    const result = await stream.result()
    expect(texts(events).join('')).toBe(result.text)
    expect(result.text).toBe('a b')
    expect(await stream.result()).toBe(result)
    expect(provider.calls).toHaveLength(1)
  })

  it('result() while iterating settles when the finish event goes out', async () => {
    const provider = createMockProvider({ replies: [{ text: 'x y z' }] })
    const stream = provider.stream({ messages })
    const iterator = stream[Symbol.asyncIterator]()
    await iterator.next()
    let settled = false
    const pending = stream.result().then((r) => {
      settled = true
      return r
    })
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(settled).toBe(false)
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) {}
    expect((await pending).text).toBe('x y z')
  })

  it('a finished stream stays done', async () => {
    const stream = createMockProvider({ replies: [{ text: 'a' }] }).stream({ messages })
    await collect(stream)
    const iterator = stream[Symbol.asyncIterator]()
    expect(await iterator.next()).toEqual({ value: undefined, done: true })
  })

  it('assembles tool calls from argument deltas split over several chunks', async () => {
    const { provider } = streaming(() =>
      eventsOf([
        { type: 'tool-call-delta', index: 0, toolCallId: 'call_a', toolName: 'weather', argumentsDelta: '' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '{"ci' },
        {
          type: 'tool-call-delta',
          index: 1,
          toolCallId: 'call_b',
          toolName: 'time',
          argumentsDelta: '{"tz":',
        },
        { type: 'tool-call-delta', index: 0, argumentsDelta: 'ty":"Par' },
        { type: 'tool-call-delta', index: 1, argumentsDelta: '"UTC"}' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: 'is é"}' },
        { type: 'tool-call-delta', index: 2, toolCallId: 'call_c', toolName: 'noop', argumentsDelta: '' },
        { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls', usage },
      ]),
    )
    const stream = provider.stream({ messages })
    const events = await collect(stream)
    const calls = events.flatMap((e) => (e.type === 'tool-call' ? [e.toolCall] : []))
    expect(calls).toEqual([
      {
        toolCallId: 'call_a',
        toolName: 'weather',
        rawInput: '{"city":"Paris é"}',
        input: { city: 'Paris é' },
      },
      { toolCallId: 'call_b', toolName: 'time', rawInput: '{"tz":"UTC"}', input: { tz: 'UTC' } },
      { toolCallId: 'call_c', toolName: 'noop', rawInput: '', input: {} },
    ])
    // The assembled calls go out after the deltas, right before finish.
    expect(events.map((e) => e.type).slice(-4)).toEqual(['tool-call', 'tool-call', 'tool-call', 'finish'])
    expect(events.filter((e) => e.type === 'tool-call-delta')).toHaveLength(7)
    const result = await stream.result()
    expect(result.toolCalls).toEqual(calls)
    expect(result.finishReason).toBe('tool-calls')
    expect(result.rawFinishReason).toBe('tool_calls')
    expect(result.content).toEqual(calls.map((call) => ({ type: 'tool-call', ...call })))
  })

  it('passes whole tool-call events through', async () => {
    const toolCall = { toolCallId: 'c1', toolName: 'f', input: { a: 1 }, rawInput: '{"a":1}' }
    const { provider } = streaming(() => eventsOf([{ type: 'tool-call', toolCall }, finish]))
    const result = await provider.stream({ messages }).result()
    expect(result.toolCalls).toEqual([toolCall])
  })

  it('response metadata sets the id and the model that cost is computed for', async () => {
    const { provider } = streaming(() =>
      eventsOf([
        { type: 'response-metadata', id: 'chatcmpl-9', model: 'priced-model-2025-06-01' },
        { type: 'text-delta', text: 'hi' },
        finish,
      ]),
    )
    const stream = provider.stream({ model: 'priced-model', messages })
    const events = await collect(stream)
    expect(events.map((e) => e.type)).toEqual(['text-delta', 'finish'])
    expect(events.at(-1)).toMatchObject({ cost: { input: 0.001, output: 0.001, total: 0.002 } })
    const result = await stream.result()
    expect(result.id).toBe('chatcmpl-9')
    expect(result.model).toBe('priced-model-2025-06-01')
  })

  it('a cost the vendor reported on finish wins over the pricing table', async () => {
    const reported = { input: 0.01, output: 0.02, total: 0.03, currency: 'USD' as const }
    const { provider } = streaming(() =>
      eventsOf([{ type: 'text-delta', text: 'x' }, { ...finish, cost: reported } as AdapterStreamEvent]),
    )
    const stream = provider.stream({ model: 'priced-model', messages })
    const events = await collect(stream)
    expect(events.at(-1)).toMatchObject({ type: 'finish', cost: reported })
    expect((await stream.result()).cost).toEqual(reported)
  })

  it('finish has no cost for an unpriced model', async () => {
    const { provider } = streaming(() => eventsOf([{ type: 'text-delta', text: 'x' }, finish]))
    const events = await collect(provider.stream({ model: 'mystery', messages }))
    expect(events.at(-1)).toMatchObject({ type: 'finish', usage, cost: undefined })
  })
})

describe('stream retries: only before the first event', () => {
  it('retries an adapter that fails on the first next(), and delivers each event once', async () => {
    const { provider, stream } = streaming((call) =>
      call === 1
        ? eventsOf([], { at: 0, error: new ServerError('overloaded', { status: 529 }) })
        : eventsOf([{ type: 'text-delta', text: 'A' }, { type: 'text-delta', text: 'B' }, finish]),
    )
    const events = await collect(provider.stream({ messages }))
    expect(texts(events)).toEqual(['A', 'B'])
    expect(stream).toHaveBeenCalledTimes(2)
  })

  it('retries an HTTP error when the stream opens', async () => {
    const { provider, stream } = streaming((call) =>
      call === 1
        ? Promise.reject(new ServerError('502', { status: 502 }))
        : eventsOf([{ type: 'text-delta', text: 'ok' }, finish]),
    )
    expect((await provider.stream({ messages }).result()).text).toBe('ok')
    expect(stream).toHaveBeenCalledTimes(2)
  })

  it('a failure after an event is thrown with the partial text, not retried', async () => {
    const failure = new ServerError('internal error', { status: 500 })
    const { provider, stream } = streaming(() =>
      eventsOf([{ type: 'text-delta', text: 'Hel' }, { type: 'text-delta', text: 'lo' }, finish], {
        at: 2,
        error: failure,
      }),
    )
    const modelStream = provider.stream({ messages })
    const { events, error } = await collectUntilError(modelStream)
    expect(error).toBe(failure)
    expect(texts(events)).toEqual(['Hel', 'lo'])
    expect((error as ServerError).partial).toMatchObject({ text: 'Hello', toolCalls: [] })
    expect(stream).toHaveBeenCalledTimes(1)
    await expect(modelStream.result()).rejects.toBe(failure)
    // The error is sticky: the next read throws it again instead of reading on.
    await expect(modelStream[Symbol.asyncIterator]().next()).rejects.toBe(failure)
  })

  it('the partial result keeps tool calls still being assembled', async () => {
    const { provider } = streaming(() =>
      eventsOf(
        [
          { type: 'text-delta', text: 'Let me look' },
          {
            type: 'tool-call-delta',
            index: 0,
            toolCallId: 'c1',
            toolName: 'search',
            argumentsDelta: '{"q":"ca',
          },
        ],
        { at: 2, error: new ServerError('cut', { retryable: false }) },
      ),
    )
    const error = (await provider
      .stream({ messages })
      .result()
      .catch((e: unknown) => e)) as ModelplexError
    expect(error.partial?.text).toBe('Let me look')
    expect(error.partial?.toolCalls).toEqual([
      { toolCallId: 'c1', toolName: 'search', rawInput: '{"q":"ca', input: '{"q":"ca' },
    ])
  })

  it('a stream that ends without finish → StreamInterruptedError with the partial text', async () => {
    const { provider, stream } = streaming(() => eventsOf([{ type: 'text-delta', text: 'half a sen' }]))
    const error = await provider
      .stream({ messages })
      .result()
      .catch((e: unknown) => e)
    expect(StreamInterruptedError.isInstance(error)).toBe(true)
    expect((error as StreamInterruptedError).partial?.text).toBe('half a sen')
    expect((error as StreamInterruptedError).provider).toBe('fake')
    expect(stream).toHaveBeenCalledTimes(1)
  })

  it('a ConnectionError after events becomes StreamInterruptedError keeping the cause', async () => {
    const reset = new ConnectionError('socket reset', {
      cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    })
    const { provider, stream } = streaming(() =>
      eventsOf([{ type: 'text-delta', text: 'The answer is' }, finish], { at: 1, error: reset }),
    )
    const { events, error } = await collectUntilError(provider.stream({ messages }))
    expect(StreamInterruptedError.isInstance(error)).toBe(true)
    expect((error as StreamInterruptedError).cause).toBe(reset)
    expect((error as StreamInterruptedError).partial?.text).toBe('The answer is')
    expect((error as StreamInterruptedError).message).toContain('socket reset')
    expect(texts(events)).toEqual(['The answer is'])
    expect(stream).toHaveBeenCalledTimes(1)
  })

  it('a ConnectionError before any event is retried like any retryable error', async () => {
    const { provider, stream } = streaming((call) =>
      call === 1
        ? eventsOf([], { at: 0, error: new ConnectionError('refused') })
        : eventsOf([{ type: 'text-delta', text: 'ok' }, finish]),
    )
    expect((await provider.stream({ messages }).result()).text).toBe('ok')
    expect(stream).toHaveBeenCalledTimes(2)
  })

  it('the mock provider fails mid-stream the same way', async () => {
    const provider = createMockProvider({
      replies: [{ text: 'a b c d', failAfterChunks: { count: 2, error: new ConnectionError('reset') } }],
    })
    const error = await provider
      .stream({ messages })
      .result()
      .catch((e: unknown) => e)
    expect(StreamInterruptedError.isInstance(error)).toBe(true)
    expect((error as StreamInterruptedError).partial?.text).toBe('a b ')
    expect(provider.calls).toHaveLength(1)
  })
})

describe('stream cancellation', () => {
  /** An adapter stream that sends one delta, then waits until its signal aborts. */
  function hanging() {
    const seen: { signal?: AbortSignal; iterable?: ReturnType<typeof eventsOf> } = {}
    const { provider } = streaming((_, context) => {
      seen.signal = context.signal
      const iterable = eventsOf([{ type: 'text-delta', text: 'first' }])
      seen.iterable = iterable
      return {
        returned: false,
        async *[Symbol.asyncIterator]() {
          yield* iterable
          await untilAborted(context.signal)
        },
      }
    })
    return { provider, seen }
  }

  it("breaking out of for await aborts the adapter's signal", async () => {
    const { provider, seen } = hanging()
    const stream = provider.stream({ messages })
    for await (const event of stream) {
      expect(event).toEqual({ type: 'text-delta', text: 'first' })
      break
    }
    expect(seen.signal?.aborted).toBe(true)
    // The adapter's iterator is closed too (fire-and-forget, so it may take a tick).
    await vi.waitFor(() => expect(seen.iterable?.returned).toBe(true))
    await expect(stream.result()).rejects.toSatisfy((e) => AbortedError.isInstance(e))
  })

  it('abort() mid-stream → AbortedError with the partial, the adapter signal aborted', async () => {
    const { provider, seen } = hanging()
    const stream = provider.stream({ messages })
    const iterator = stream[Symbol.asyncIterator]()
    expect(await iterator.next()).toEqual({ value: { type: 'text-delta', text: 'first' }, done: false })
    const pending = iterator.next()
    stream.abort(new Error('user pressed stop'))
    const error = await pending.catch((e: unknown) => e)
    expect(AbortedError.isInstance(error)).toBe(true)
    expect((error as AbortedError).partial?.text).toBe('first')
    expect(seen.signal?.aborted).toBe(true)
  })

  it('abort() before reading → AbortedError, the adapter never called', async () => {
    const { provider, stream: adapterStream } = streaming(() => eventsOf([finish]))
    const stream = provider.stream({ messages })
    stream.abort()
    await expect(stream.result()).rejects.toSatisfy((e) => AbortedError.isInstance(e))
    expect(adapterStream).not.toHaveBeenCalled()
  })

  it("the caller's signal aborts the stream", async () => {
    const { provider, seen } = hanging()
    const controller = new AbortController()
    const stream = provider.stream({ messages, signal: controller.signal })
    const iterator = stream[Symbol.asyncIterator]()
    await iterator.next()
    setTimeout(() => controller.abort(), 5)
    await expect(iterator.next()).rejects.toSatisfy((e) => AbortedError.isInstance(e))
    expect(seen.signal?.aborted).toBe(true)
  })

  it('a stream stalling past timeoutMs → TimeoutError with the partial', async () => {
    const { provider } = hanging()
    const error = await provider
      .stream({ messages, timeoutMs: 30 })
      .result()
      .catch((e: unknown) => e)
    expect(TimeoutError.isInstance(error)).toBe(true)
    expect((error as TimeoutError).partial?.text).toBe('first')
  })
})

describe('parseToolInput', () => {
  it('parses JSON, maps empty arguments to {}, keeps invalid JSON as the raw string', () => {
    expect(parseToolInput('{"a":[1,2]}')).toEqual({ a: [1, 2] })
    expect(parseToolInput('')).toEqual({})
    expect(parseToolInput('  \n')).toEqual({})
    expect(parseToolInput('{"a":')).toBe('{"a":')
    expect(parseToolInput('"text"')).toBe('text')
  })

  it('maps "null" arguments (Cohere) to {}: a tool takes an object (issue 15)', () => {
    expect(parseToolInput('null')).toEqual({})
    expect(parseToolInput(' null ')).toEqual({})
  })
})

describe('after finish', () => {
  /** An adapter stream that sends `finish`, then ends its body after `tail` (or never). */
  function finishing(tail: (signal: AbortSignal) => Promise<unknown>) {
    const seen: { signal?: AbortSignal; ended: boolean } = { ended: false }
    const { provider } = streaming((_, context) => {
      seen.signal = context.signal
      return (async function* () {
        yield { type: 'text-delta', text: 'hi' } as AdapterStreamEvent
        yield finish
        await tail(context.signal)
        seen.ended = true
      })()
    })
    return { provider, seen }
  }

  it('reads the adapter stream to its end instead of aborting it, so the connection is kept', async () => {
    const { provider, seen } = finishing(() => new Promise((resolve) => setTimeout(resolve, 5)))
    const events = await collect(provider.stream({ messages }))
    expect(events.at(-1)?.type).toBe('finish')
    await vi.waitFor(() => expect(seen.ended).toBe(true))
    expect(seen.signal?.aborted).toBe(false)
  })

  it('aborts a request whose body has not ended a second after finish', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const { provider, seen } = finishing((signal) => untilAborted(signal))
      const stream = provider.stream({ messages })
      expect((await stream.result()).text).toBe('hi')
      await vi.advanceTimersByTimeAsync(999)
      expect(seen.signal?.aborted).toBe(false)
      await vi.advanceTimersByTimeAsync(1)
      expect(seen.signal?.aborted).toBe(true)
      expect(seen.ended).toBe(false)
    } finally {
      vi.useRealTimers()
    }
  })
})
