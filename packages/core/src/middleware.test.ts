import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { AuthenticationError } from './errors.js'
import { defaultSettings, type Middleware, wrapProvider } from './middleware.js'
import { cache, extractReasoning, type LogEntry, logging, memoryStore } from './middleware-builtins.js'
import { createProvider } from './provider.js'
import type { AdapterRequest, AdapterStreamEvent } from './provider-spec.js'
import { eventsOf, fakeSpec, textResult, usage } from './test-helpers.js'
import type { StreamEvent } from './types.js'

const messages = [{ role: 'user' as const, content: 'Hi' }]

function recorded(text = 'ok') {
  const seen: AdapterRequest[] = []
  const generate = vi.fn(async (request: AdapterRequest) => {
    seen.push(request)
    return textResult(text)
  })
  return { seen, generate }
}

function streamOf(deltas: string[]): AdapterStreamEvent[] {
  return [
    ...deltas.map((text): AdapterStreamEvent => ({ type: 'text-delta', text })),
    { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop', usage },
  ]
}

async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = []
  for await (const event of stream) events.push(event)
  return events
}

describe('wrapProvider', () => {
  it('runs middlewares first-outermost and returns a Provider', async () => {
    const { seen, generate } = recorded()
    const order: string[] = []
    const layer = (name: string): Middleware => ({
      transformRequest: (request) => {
        order.push(`transform ${name}`)
        return request
      },
      async wrapGenerate({ request, next }) {
        order.push(`before ${name}`)
        const result = await next(request)
        order.push(`after ${name}`)
        return { ...result, text: `${result.text}+${name}` }
      },
    })
    const p = wrapProvider(createProvider(fakeSpec({ generate })), layer('a'), layer('b'))
    const r = await p.generate({ messages })
    expect(order).toEqual(['transform a', 'transform b', 'before a', 'before b', 'after b', 'after a'])
    expect(r.text).toBe('ok+b+a')
    expect(p.id).toBe('fake')
    expect(seen).toHaveLength(1)
  })

  it('defaultSettings fills what the request leaves out and merges providerOptions', async () => {
    const { seen, generate } = recorded()
    const p = wrapProvider(
      createProvider(fakeSpec({ generate })),
      defaultSettings({ temperature: 0, maxOutputTokens: 100, providerOptions: { fake: { a: 1, b: 1 } } }),
    )
    await p.generate({ messages, temperature: 0.7, providerOptions: { fake: { b: 2 } } })
    expect(seen[0]).toMatchObject({
      temperature: 0.7,
      maxOutputTokens: 100,
      providerOptions: { fake: { a: 1, b: 2 } },
    })
  })

  it('runs a tool loop above the middlewares: each model call passes through them', async () => {
    let calls = 0
    const generate = vi.fn(async () => {
      calls++
      return calls === 1
        ? {
            ...textResult(''),
            content: [
              { type: 'tool-call' as const, toolCallId: 'c1', toolName: 'now', input: {}, rawInput: '{}' },
            ],
            toolCalls: [{ toolCallId: 'c1', toolName: 'now', input: {}, rawInput: '{}' }],
            finishReason: 'tool-calls' as const,
          }
        : textResult('noon')
    })
    const wrapped = vi.fn()
    const p = wrapProvider(createProvider(fakeSpec({ generate })), {
      async wrapGenerate({ request, next }) {
        wrapped(request.messages.length)
        return next(request)
      },
    })
    const r = await p.generate({
      messages,
      tools: [{ name: 'now', parameters: z.object({}), execute: () => '12:00' }],
      maxSteps: 2,
    })
    expect(r.text).toBe('noon')
    expect(wrapped.mock.calls).toEqual([[1], [3]])
  })
})

describe('extractReasoning', () => {
  it('moves <think> out of a generated text into a reasoning part', async () => {
    const { generate } = recorded('<think>The user greets me.</think>\n\nHello!')
    const p = wrapProvider(createProvider(fakeSpec({ generate })), extractReasoning({ tag: 'think' }))
    const r = await p.generate({ messages })
    expect(r.text).toBe('Hello!')
    expect(r.reasoning).toBe('The user greets me.')
    expect(r.content).toEqual([
      { type: 'reasoning', text: 'The user greets me.', providerMetadata: { fake: {} } },
      { type: 'text', text: 'Hello!' },
    ])
    expect(r.messages[0]!.content).toEqual(r.content)
  })

  it('splits a stream whose tags are cut across deltas', async () => {
    const deltas = ['<th', 'ink>The user', ' greets me.</th', 'ink>\n\nHel', 'lo!']
    const stream = vi.fn(async () => eventsOf(streamOf(deltas)))
    const p = wrapProvider(createProvider(fakeSpec({ stream })), extractReasoning({ tag: 'think' }))
    const s = p.stream({ messages })
    const events = await collect(s)
    const join = (type: string) =>
      events
        .filter((event) => event.type === type)
        .map((event) => (event as { text: string }).text)
        .join('')
    expect(join('reasoning-delta')).toBe('The user greets me.')
    expect(join('text-delta')).toBe('Hello!')
    expect(events.map((event) => event.type)).toContain('reasoning-end')
    const r = await s.result()
    expect(r.text).toBe('Hello!')
    expect(r.reasoning).toBe('The user greets me.')
    const finish = events.at(-1) as Extract<StreamEvent, { type: 'finish' }>
    expect(finish.messages[0]!.content[0]).toMatchObject({ type: 'reasoning', text: 'The user greets me.' })
  })
})

describe('cache', () => {
  it('answers the same request from the store, and a different one from the provider', async () => {
    const { generate } = recorded('cached answer')
    const p = wrapProvider(createProvider(fakeSpec({ generate })), cache())
    const first = await p.generate({ messages, temperature: 0 })
    const second = await p.generate({ messages, temperature: 0, signal: new AbortController().signal })
    expect(second.text).toBe(first.text)
    expect(generate).toHaveBeenCalledTimes(1)
    await p.generate({ messages, temperature: 1 })
    expect(generate).toHaveBeenCalledTimes(2)
  })

  it('replays a cached stream as a stream, event for event', async () => {
    const stream = vi.fn(async () => eventsOf(streamOf(['Hel', 'lo', '!'])))
    const p = wrapProvider(createProvider(fakeSpec({ stream })), cache())
    const live = await collect(p.stream({ messages }))
    // The store is written once the first stream's result settles.
    await new Promise((resolve) => setImmediate(resolve))
    const replayed = p.stream({ messages })
    const again = await collect(replayed)
    expect(stream).toHaveBeenCalledTimes(1)
    expect(again).toEqual(live)
    expect(again.filter((event) => event.type === 'text-delta')).toHaveLength(3)
    expect((await replayed.result()).text).toBe('Hello!')
  })

  it('memoryStore evicts the least recently read entry', () => {
    const store = memoryStore({ maxEntries: 2 })
    const entry = { type: 'generate' as const, result: {} as never }
    store.set('a', entry)
    store.set('b', entry)
    store.get('a')
    store.set('c', entry)
    expect(store.get('b')).toBeUndefined()
    expect(store.get('a')).toBe(entry)
    expect(store.size).toBe(2)
  })
})

describe('logging', () => {
  it('logs each call with usage and latency, and content only when asked, redacted', async () => {
    const entries: LogEntry[] = []
    const key = 'sk-proj-abcdefghijklmnopqrstuvwx'
    const { generate } = recorded(`your key is ${key}`)
    const p = wrapProvider(
      createProvider(fakeSpec({ generate })),
      logging({ log: (entry) => entries.push(entry), content: true }),
    )
    await p.generate({ messages: [{ role: 'user', content: `my key: ${key}` }] })
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({ operation: 'generate', provider: 'fake', finishReason: 'stop', usage })
    expect(typeof entries[0]!.latencyMs).toBe('number')
    expect(JSON.stringify(entries)).not.toContain(key)
    expect(entries[0]!.text).toBe('your key is [redacted]')

    const plain: LogEntry[] = []
    const quiet = wrapProvider(
      createProvider(fakeSpec({ generate })),
      logging({ log: (entry) => plain.push(entry) }),
    )
    await quiet.generate({ messages })
    expect(plain[0]!.messages).toBeUndefined()
    expect(plain[0]!.text).toBeUndefined()
  })

  it('logs a failed call with the error name, the secret redacted', async () => {
    const entries: LogEntry[] = []
    const secret = 'live-secret-0123456789'
    const generate = vi.fn(async () => {
      throw new AuthenticationError(`bad key ${secret}`, { provider: 'fake', status: 401 })
    })
    const p = wrapProvider(
      createProvider(fakeSpec({ generate }), { retry: { maxRetries: 0 } }),
      logging({ log: (entry) => entries.push(entry), secrets: [secret] }),
    )
    await expect(p.generate({ messages })).rejects.toThrow()
    expect(entries[0]!.error?.name).toBe('AuthenticationError')
    expect(JSON.stringify(entries)).not.toContain(secret)
  })

  it('logs a stream once it finishes, whether iterated or awaited', async () => {
    const entries: LogEntry[] = []
    const stream = vi.fn(async () => eventsOf(streamOf(['a', 'b'])))
    const p = wrapProvider(
      createProvider(fakeSpec({ stream })),
      logging({ log: (entry) => entries.push(entry) }),
    )
    await collect(p.stream({ messages }))
    await new Promise((resolve) => setImmediate(resolve))
    await p.stream({ messages }).result()
    expect(entries.map((entry) => entry.operation)).toEqual(['stream', 'stream'])
    expect(entries[0]!.usage?.totalTokens).toBe(1_500)
  })
})
