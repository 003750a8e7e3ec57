import { afterEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import {
  type ClientOptions,
  createClient,
  type FallbackEvent,
  type FallbackOn,
  fallbackCovers,
  type RouteEvent,
  shouldFallback,
} from './client.js'
import {
  AbortedError,
  AuthenticationError,
  ConfigError,
  ConnectionError,
  ContentFilterError,
  ContextWindowExceededError,
  InvalidRequestError,
  MalformedResponseError,
  MissingDependencyError,
  type ModelplexError,
  ModelplexError as ModelplexErrorClass,
  NotFoundError,
  RateLimitError,
  ServerError,
  TimeoutError,
  UnsupportedCapabilityError,
} from './errors.js'
import { registerProvider, unregisterProvider } from './load-provider.js'
import type { AdapterRequest } from './provider-spec.js'
import { eventsOf, fakeSpec, finish, messages, textResult } from './test-helpers.js'

afterEach(() => {
  unregisterProvider('alpha')
})

/** A spec named `id` whose generate answers `<id>:<model>`, or throws what `fail` returns. */
function answering(id: string, fail?: (request: AdapterRequest) => unknown) {
  const generate = vi.fn(async (request: AdapterRequest) => {
    const error = fail?.(request)
    if (error) throw error
    return textResult(`${id}:${request.model}`)
  })
  return { spec: fakeSpec({ generate }, { id, defaultModel: `${id}-default` }), generate }
}

const noRetry: Pick<ClientOptions, 'retry'> = { retry: { maxRetries: 0 } }

describe('routing', () => {
  it("routes 'provider:model' to that provider with the bare model", async () => {
    const a = answering('a')
    const b = answering('b')
    const client = createClient({ providers: { a: a.spec, b: b.spec } })
    expect((await client.generate({ model: 'b:model-x', messages })).text).toBe('b:model-x')
    expect(a.generate).not.toHaveBeenCalled()
    expect(b.generate.mock.calls[0]![0].model).toBe('model-x')
  })

  it("keeps colons after the first in the model ('ollama:llama3.2:1b')", async () => {
    const ollama = answering('ollama')
    const client = createClient({ providers: { ollama: ollama.spec, other: answering('other').spec } })
    expect((await client.generate({ model: 'ollama:llama3.2:1b', messages })).text).toBe('ollama:llama3.2:1b')
  })

  it('a bare model goes to the only provider', async () => {
    const a = answering('a')
    const client = createClient({ providers: { a: a.spec } })
    expect((await client.generate({ model: 'gpt-4o-mini', messages })).text).toBe('a:gpt-4o-mini')
    // With one provider, a colon that names no provider is part of the model id.
    expect((await client.generate({ model: 'ft:gpt-4o:org', messages })).text).toBe('a:ft:gpt-4o:org')
  })

  it("a provider id alone uses that provider's default model", async () => {
    const client = createClient({ providers: { a: answering('a').spec, b: answering('b').spec } })
    expect((await client.generate({ model: 'b', messages })).text).toBe('b:b-default')
  })

  it('no model: the only provider, else defaultModel', async () => {
    expect((await createClient({ providers: { a: answering('a').spec } }).generate({ messages })).text).toBe(
      'a:a-default',
    )
    const two = createClient({
      providers: { a: answering('a').spec, b: answering('b').spec },
      defaultModel: 'b:m',
    })
    expect((await two.generate({ messages })).text).toBe('b:m')
  })

  it('a bare model with several providers → InvalidRequestError naming model, no request', async () => {
    const a = answering('a')
    const client = createClient({ providers: { a: a.spec, b: answering('b').spec } })
    const error = await client.generate({ model: 'gpt-4o-mini', messages }).catch((e: unknown) => e)
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    expect((error as InvalidRequestError).field).toBe('model')
    expect((error as InvalidRequestError).message).toContain('openai:gpt-4o-mini')
    expect(a.spec.connect).not.toHaveBeenCalled()
  })

  it('no model and several providers → InvalidRequestError', async () => {
    const client = createClient({ providers: { a: answering('a').spec, b: answering('b').spec } })
    await expect(client.generate({ messages })).rejects.toSatisfy((e) => InvalidRequestError.isInstance(e))
  })

  it('loads each provider once, on first use', async () => {
    const a = answering('a')
    const b = answering('b')
    const client = createClient({ providers: { a: a.spec, b: b.spec } })
    await client.generate({ model: 'a:x', messages })
    await client.generate({ model: 'a:y', messages })
    expect(a.spec.connect).toHaveBeenCalledTimes(1)
    expect(b.spec.connect).not.toHaveBeenCalled()
    expect((await client.provider('a')).id).toBe('a')
  })

  it('embed, generateObject, stream and listModels route too', async () => {
    const spec = fakeSpec(
      {
        generate: async () => textResult('{"ok":true}'),
        embed: async (request) => ({ embeddings: [[1]], usage: undefined, model: request.model, raw: null }),
        listModels: async () => [{ id: 'm1' }],
        stream: async () => eventsOf([{ type: 'text-delta', text: 'streamed' }, finish]),
      },
      { id: 'a' },
    )
    const client = createClient({ providers: { a: spec, b: answering('b').spec } })
    expect((await client.embed({ model: 'a:e', input: 'x' })).model).toBe('e')
    expect(
      (await client.generateObject({ model: 'a:m', messages, schema: z.object({ ok: z.boolean() }) })).object,
    ).toEqual({
      ok: true,
    })
    expect((await client.stream({ model: 'a:m', messages }).result()).text).toBe('streamed')
    expect(await client.listModels('a')).toEqual([{ id: 'm1' }])
  })
})

describe('provider entries', () => {
  it('a spec object', async () => {
    const client = createClient({ providers: { a: answering('a').spec } })
    expect((await client.generate({ model: 'a:m', messages })).provider).toBe('a')
  })

  it('a function returning the module (the bundler thunk)', async () => {
    const { spec } = answering('a')
    const load = vi.fn(async () => ({ default: spec }))
    const client = createClient({ providers: { a: load } })
    expect((await client.generate({ model: 'a:m', messages })).text).toBe('a:m')
    expect(load).toHaveBeenCalledTimes(1)
  })

  it('settings with a `load` thunk: the settings reach connect', async () => {
    const { spec } = answering('a')
    const client = createClient({
      providers: { a: { apiKey: 'sk-from-settings-123', load: async () => ({ default: spec }) } },
    })
    await client.generate({ model: 'a:m', messages })
    expect(spec.connect.mock.calls[0]![0]).toMatchObject({ apiKey: 'sk-from-settings-123' })
    expect(spec.connect.mock.calls[0]![0]).not.toHaveProperty('load')
  })

  it('settings alone load the registered or installed provider by id', async () => {
    const { spec } = answering('alpha')
    registerProvider(spec)
    const client = createClient({ providers: { alpha: { apiKey: 'sk-alpha-12345678' } } })
    expect((await client.generate({ model: 'alpha:m', messages })).text).toBe('alpha:m')
    expect(spec.connect.mock.calls[0]![0]).toMatchObject({ apiKey: 'sk-alpha-12345678' })
  })

  it('a thunk whose module has no spec → ConfigError', async () => {
    const client = createClient({ providers: { a: async () => ({ something: 1 }) } })
    await expect(client.generate({ model: 'a:m', messages })).rejects.toSatisfy((e) =>
      ConfigError.isInstance(e),
    )
  })

  it('a missing provider package → MissingDependencyError with the npm i line', async () => {
    const client = createClient({ providers: { acmeai: { from: '/nonexistent-app-dir' } } })
    const error = await client.generate({ model: 'acmeai:command-r', messages }).catch((e: unknown) => e)
    expect(MissingDependencyError.isInstance(error)).toBe(true)
    expect((error as MissingDependencyError).message).toContain('npm i @modelplex/provider-acmeai')
  })

  it('client retry, timeout and hooks apply to every provider', async () => {
    const onRequest = vi.fn()
    const { spec, generate } = answering('a', () => new ServerError('down'))
    const client = createClient({
      providers: { a: spec },
      retry: { maxRetries: 1, initialDelayMs: 1 },
      hooks: { onRequest },
    })
    await expect(client.generate({ model: 'a:m', messages })).rejects.toSatisfy((e) =>
      ServerError.isInstance(e),
    )
    expect(generate).toHaveBeenCalledTimes(2)
    expect(onRequest).toHaveBeenCalledTimes(2)
  })
})

describe('fallback', () => {
  it('the first provider failing with RateLimitError after its retries → the next serves', async () => {
    const a = answering('a', () => new RateLimitError('429', { retryAfterMs: 1 }))
    const b = answering('b')
    const onFallback = vi.fn<(event: FallbackEvent) => void>()
    const client = createClient({
      providers: { a: a.spec, b: b.spec },
      retry: { maxRetries: 2 },
      fallback: ['a:fast', 'b:steady'],
      hooks: { onFallback },
    })
    const result = await client.generate({ messages })
    expect(result.text).toBe('b:steady')
    expect(result.provider).toBe('b')
    expect(a.generate).toHaveBeenCalledTimes(3)
    expect(onFallback).toHaveBeenCalledTimes(1)
    const event = onFallback.mock.calls[0]![0]
    expect(event.from).toBe('a:fast')
    expect(event.to).toBe('b:steady')
    expect(RateLimitError.isInstance(event.error)).toBe(true)
  })

  it('the requested model starts the chain; the rest of the list follows', async () => {
    const a = answering('a', () => new ServerError('down'))
    const b = answering('b', () => new ServerError('down'))
    const c = answering('c')
    const onFallback = vi.fn<(event: FallbackEvent) => void>()
    const client = createClient({
      providers: { a: a.spec, b: b.spec, c: c.spec },
      ...noRetry,
      fallback: ['a:1', 'b:2', 'c:3'],
      hooks: { onFallback },
    })
    expect((await client.generate({ model: 'b:2', messages })).text).toBe('c:3')
    expect(a.generate).not.toHaveBeenCalled()
    expect(onFallback.mock.calls.map(([e]) => `${e.from}→${e.to}`)).toEqual(['b:2→c:3'])
  })

  it('an InvalidRequestError does not fall back', async () => {
    const a = answering('a', () => new InvalidRequestError('bad tool schema', { status: 400 }))
    const b = answering('b')
    const onFallback = vi.fn()
    const client = createClient({
      providers: { a: a.spec, b: b.spec },
      fallback: ['a:1', 'b:2'],
      hooks: { onFallback },
    })
    await expect(client.generate({ messages })).rejects.toSatisfy((e) => InvalidRequestError.isInstance(e))
    expect(b.generate).not.toHaveBeenCalled()
    expect(onFallback).not.toHaveBeenCalled()
  })

  it('a ContextWindowExceededError falls back (the next model may have a larger window)', async () => {
    const a = answering('a', () => new ContextWindowExceededError('too long', { status: 400 }))
    const b = answering('b')
    const client = createClient({ providers: { a: a.spec, b: b.spec }, fallback: ['a:small', 'b:large'] })
    expect((await client.generate({ messages })).text).toBe('b:large')
    expect(a.generate).toHaveBeenCalledTimes(1)
  })

  it('the last error is thrown when every model fails', async () => {
    const last = new ServerError('b down too')
    const client = createClient({
      providers: {
        a: answering('a', () => new ServerError('a down')).spec,
        b: answering('b', () => last).spec,
      },
      ...noRetry,
      fallback: ['a:1', 'b:2'],
    })
    await expect(client.generate({ messages })).rejects.toBe(last)
  })

  it('a provider that cannot load falls back to the next', async () => {
    const b = answering('b')
    const client = createClient({
      providers: { gone: { from: '/nonexistent-app-dir' }, b: b.spec },
      fallback: ['gone:m', 'b:m'],
    })
    expect((await client.generate({ messages })).text).toBe('b:m')
  })

  it('an abort does not fall back', async () => {
    const b = answering('b')
    const a = answering('a')
    a.generate.mockImplementation(async () => {
      throw new Error('unreachable')
    })
    const client = createClient({ providers: { a: a.spec, b: b.spec }, fallback: ['a:1', 'b:2'] })
    const error = await client.generate({ messages, signal: AbortSignal.abort() }).catch((e: unknown) => e)
    expect(AbortedError.isInstance(error)).toBe(true)
    expect(b.generate).not.toHaveBeenCalled()
  })

  it('stream().abort() before the first next() sends nothing and falls back to nothing (issue 15)', async () => {
    const streams = { a: vi.fn(async () => eventsOf([finish])), b: vi.fn(async () => eventsOf([finish])) }
    const client = createClient({
      providers: {
        a: fakeSpec({ stream: streams.a }, { id: 'a' }),
        b: fakeSpec({ stream: streams.b }, { id: 'b' }),
      },
      fallback: ['a:1', 'b:2'],
    })
    const stream = client.stream({ messages })
    stream.abort(new Error('user pressed stop'))
    const error = await stream[Symbol.asyncIterator]()
      .next()
      .catch((e: unknown) => e)
    expect(AbortedError.isInstance(error)).toBe(true)
    expect(streams.a).not.toHaveBeenCalled()
    expect(streams.b).not.toHaveBeenCalled()
  })

  it('a primary advising retry-after: 999999 is not waited on: the secondary answers at once (issue 15)', async () => {
    const a = answering('a', () => new RateLimitError('429', { retryAfterMs: 999_999_000 }))
    const b = answering('b')
    const client = createClient({ providers: { a: a.spec, b: b.spec }, fallback: ['a:1', 'b:2'] })
    // Were the advice slept on (or capped at maxRetryAfterMs, 60 s), this call would not return in the test's time.
    expect((await client.generate({ messages })).text).toBe('b:2')
    expect(a.generate).toHaveBeenCalledTimes(1)
  })

  it('per-call `fallback` overrides the client chain, and [] disables it', async () => {
    const a = answering('a', () => new ServerError('down'))
    const b = answering('b')
    const c = answering('c')
    const client = createClient({
      providers: { a: a.spec, b: b.spec, c: c.spec },
      ...noRetry,
      fallback: ['a:1', 'b:2'],
    })
    expect((await client.generate({ model: 'a:1', messages, fallback: ['c:3'] })).text).toBe('c:3')
    expect(b.generate).not.toHaveBeenCalled()
    await expect(client.generate({ model: 'a:1', messages, fallback: [] })).rejects.toSatisfy((e) =>
      ServerError.isInstance(e),
    )
    expect(c.generate).toHaveBeenCalledTimes(1)
  })

  it('`fallbackOn` replaces the policy', async () => {
    const a = answering('a', () => new ContentFilterError('refused', { status: 400 }))
    const b = answering('b')
    const fallbackOn = vi.fn((error: ModelplexError) => ContentFilterError.isInstance(error))
    const client = createClient({ providers: { a: a.spec, b: b.spec }, fallback: ['a:1', 'b:2'], fallbackOn })
    expect((await client.generate({ messages })).text).toBe('b:2')
    expect(fallbackOn).toHaveBeenCalledTimes(1)

    const never = createClient({
      providers: { a: answering('a', () => new RateLimitError('429', { retryAfterMs: 0 })).spec, b: b.spec },
      ...noRetry,
      fallback: ['a:1', 'b:2'],
      fallbackOn: () => false,
    })
    await expect(never.generate({ messages })).rejects.toSatisfy((e) => RateLimitError.isInstance(e))
  })

  it('a throwing onFallback hook does not stop the fallback', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const client = createClient({
      providers: { a: answering('a', () => new ServerError('down')).spec, b: answering('b').spec },
      ...noRetry,
      fallback: ['a:1', 'b:2'],
      hooks: {
        onFallback: () => {
          throw new Error('observer bug')
        },
      },
    })
    expect((await client.generate({ messages })).text).toBe('b:2')
  })

  it('generateObject and embed fall back too', async () => {
    const a = answering('a', () => new ServerError('down'))
    const b = fakeSpec(
      {
        generate: async () => textResult('{"n":1}'),
        embed: async () => ({ embeddings: [[2]], usage: undefined, model: 'e', raw: null }),
      },
      { id: 'b' },
    )
    const aEmbed = fakeSpec({ embed: async () => Promise.reject(new ServerError('down')) }, { id: 'a' })
    const client = createClient({ providers: { a: a.spec, b }, ...noRetry, fallback: ['a:1', 'b:2'] })
    expect((await client.generateObject({ messages, schema: z.object({ n: z.number() }) })).object).toEqual({
      n: 1,
    })
    const embedClient = createClient({ providers: { a: aEmbed, b }, ...noRetry, fallback: ['a:1', 'b:2'] })
    expect((await embedClient.embed({ input: 'x' })).embeddings).toEqual([[2]])
  })
})

describe('stream fallback', () => {
  function streamingSpec(id: string, open: () => AsyncIterable<never> | ReturnType<typeof eventsOf>) {
    const stream = vi.fn(async () => open())
    return { spec: fakeSpec({ stream: stream as never }, { id }), stream }
  }

  it('falls back when the stream fails before its first event', async () => {
    const a = streamingSpec('a', () => eventsOf([], { at: 0, error: new ServerError('overloaded') }))
    const b = streamingSpec('b', () => eventsOf([{ type: 'text-delta', text: 'from b' }, finish]))
    const onFallback = vi.fn<(event: FallbackEvent) => void>()
    const client = createClient({
      providers: { a: a.spec, b: b.spec },
      ...noRetry,
      fallback: ['a:1', 'b:2'],
      hooks: { onFallback },
    })
    const stream = client.stream({ messages })
    const events = []
    for await (const event of stream) events.push(event)
    expect(events[0]).toEqual({ type: 'text-delta', text: 'from b' })
    expect(events.at(-1)?.type).toBe('finish')
    const result = await stream.result()
    expect(result.text).toBe('from b')
    expect(result.provider).toBe('b')
    expect(onFallback.mock.calls[0]![0]).toMatchObject({ from: 'a:1', to: 'b:2' })
  })

  it('result() without iterating falls back too', async () => {
    const a = streamingSpec('a', () => eventsOf([], { at: 0, error: new TimeoutError('slow') }))
    const b = streamingSpec('b', () => eventsOf([{ type: 'text-delta', text: 'ok' }, finish]))
    const client = createClient({ providers: { a: a.spec, b: b.spec }, ...noRetry, fallback: ['a:1', 'b:2'] })
    expect((await client.stream({ messages }).result()).text).toBe('ok')
  })

  it('does not fall back once an event was delivered', async () => {
    const cut = new ServerError('cut', { retryable: false })
    const a = streamingSpec('a', () =>
      eventsOf([{ type: 'text-delta', text: 'partial' }, finish], { at: 1, error: cut }),
    )
    const b = streamingSpec('b', () => eventsOf([{ type: 'text-delta', text: 'from b' }, finish]))
    const client = createClient({ providers: { a: a.spec, b: b.spec }, ...noRetry, fallback: ['a:1', 'b:2'] })
    const seen: string[] = []
    const error = await (async () => {
      for await (const event of client.stream({ messages }))
        if (event.type === 'text-delta') seen.push(event.text)
    })().catch((e: unknown) => e)
    expect(error).toBe(cut)
    expect(seen).toEqual(['partial'])
    expect(b.stream).not.toHaveBeenCalled()
  })

  it('does not fall back on an invalid request', async () => {
    const b = streamingSpec('b', () => eventsOf([finish]))
    const client = createClient({
      providers: { a: fakeSpec({}, { id: 'a' }), b: b.spec },
      fallback: ['a:1', 'b:2'],
    })
    const error = await client
      .stream({ messages: [] })
      .result()
      .catch((e: unknown) => e)
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    expect(b.stream).not.toHaveBeenCalled()
  })
})

describe('shouldFallback', () => {
  it.each([
    ['RateLimitError', new RateLimitError('x'), true],
    ['ServerError', new ServerError('x'), true],
    ['TimeoutError', new TimeoutError('x'), true],
    ['AuthenticationError', new AuthenticationError('x'), true],
    ['NotFoundError', new NotFoundError('x'), true],
    ['ConfigError', new ConfigError('x'), true],
    ['MissingDependencyError', new MissingDependencyError('p', 'x'), true],
    ['UnsupportedCapabilityError', new UnsupportedCapabilityError('tools', 'x'), true],
    ['ContextWindowExceededError', new ContextWindowExceededError('x'), true],
    ['InvalidRequestError', new InvalidRequestError('x'), false],
    ['ContentFilterError', new ContentFilterError('x'), false],
    ['AbortedError', new AbortedError('x'), false],
    ['a retryable AbortedError', new AbortedError('x', { retryable: true }), false],
    // A plain list judges failing services by `retryable`; a policy's `on` judges them by class.
    ['a non-retryable ServerError', new ServerError('x', { retryable: false }), false],
    ['a non-retryable RateLimitError', new RateLimitError('x', { retryable: false }), false],
    ['a bare retryable ModelplexError', new ModelplexErrorClass('x', { retryable: true }), true],
    ['a bare ModelplexError', new ModelplexErrorClass('x'), false],
  ] as const)('%s → %s', (_, error, expected) => {
    expect(shouldFallback(error)).toBe(expected)
  })
})

describe('fallback policy (per error)', () => {
  it('rateLimit: false stops on a 429 while a server error still falls back', async () => {
    const limited = answering('a', () => new RateLimitError('429', { retryAfterMs: 0 }))
    const down = answering('c', () => new ServerError('down'))
    const b = answering('b')
    const policy = { models: ['a:1', 'b:2'], on: { rateLimit: false } }
    const client = createClient({ providers: { a: limited.spec, b: b.spec }, ...noRetry, fallback: policy })
    await expect(client.generate({ messages })).rejects.toSatisfy((e) => RateLimitError.isInstance(e))
    expect(b.generate).not.toHaveBeenCalled()
    const other = createClient({
      providers: { c: down.spec, b: b.spec },
      ...noRetry,
      fallback: { models: ['c:1', 'b:2'], on: { rateLimit: false } },
    })
    expect((await other.generate({ messages })).text).toBe('b:2')
  })

  it('content filter stops by default and falls back with contentFilter: true', async () => {
    const refused = () => answering('a', () => new ContentFilterError('refused', { status: 400 }))
    const b = answering('b')
    const strict = createClient({
      providers: { a: refused().spec, b: b.spec },
      fallback: { models: ['a:1', 'b:2'] },
    })
    await expect(strict.generate({ messages })).rejects.toSatisfy((e) => ContentFilterError.isInstance(e))
    expect(b.generate).not.toHaveBeenCalled()
    const lenient = createClient({
      providers: { a: refused().spec, b: b.spec },
      fallback: { models: ['a:1', 'b:2'], on: { contentFilter: true } },
    })
    expect((await lenient.generate({ messages })).text).toBe('b:2')
  })

  it('timeout: false and unavailable: false stop; an invalid request never moves on', async () => {
    const b = answering('b')
    const cases: Array<[Error, FallbackOn]> = [
      [new TimeoutError('slow'), { timeout: false }],
      [new AuthenticationError('401', { status: 401 }), { unavailable: false }],
      [new InvalidRequestError('bad', { status: 400 }), {}],
    ]
    for (const [failure, on] of cases) {
      const client = createClient({
        providers: { a: answering('a', () => failure).spec, b: b.spec },
        ...noRetry,
        fallback: { models: ['a:1', 'b:2'], on },
      })
      await expect(client.generate({ messages })).rejects.toBe(failure)
    }
    expect(b.generate).not.toHaveBeenCalled()
  })

  it('a plain list moves on from a non-retryable server error only as a policy object', async () => {
    const broken = () => answering('a', () => new ServerError('501', { status: 501, retryable: false }))
    const b = answering('b')
    const listed = createClient({
      providers: { a: broken().spec, b: b.spec },
      ...noRetry,
      fallback: ['a:1', 'b:2'],
    })
    await expect(listed.generate({ messages })).rejects.toSatisfy((e) => ServerError.isInstance(e))
    expect(b.generate).not.toHaveBeenCalled()
    const policy = createClient({
      providers: { a: broken().spec, b: b.spec },
      ...noRetry,
      fallback: { models: ['a:1', 'b:2'] },
    })
    expect((await policy.generate({ messages })).text).toBe('b:2')
    // A per-call list keeps the client's policy object, so it moves on too.
    expect((await policy.generate({ model: 'a:1', messages, fallback: ['b:3'] })).text).toBe('b:3')
  })

  it('a per-call policy overrides the client one', async () => {
    const a = answering('a', () => new RateLimitError('429', { retryAfterMs: 0 }))
    const b = answering('b')
    const client = createClient({
      providers: { a: a.spec, b: b.spec },
      ...noRetry,
      fallback: { models: ['a:1', 'b:2'], on: { rateLimit: false } },
    })
    const result = await client.generate({ model: 'a:1', messages, fallback: { models: ['b:3'] } })
    expect(result.text).toBe('b:3')
  })

  it.each([
    ['RateLimitError', new RateLimitError('x'), {}, true],
    ['ServerError', new ServerError('x'), {}, true],
    ['ServerError, serverError: false', new ServerError('x'), { serverError: false }, false],
    ['ConnectionError', new ConnectionError('x'), {}, true],
    ['MalformedResponseError', new MalformedResponseError('x'), {}, true],
    ['TimeoutError', new TimeoutError('x'), {}, true],
    ['ContentFilterError', new ContentFilterError('x'), {}, false],
    ['ContextWindowExceededError', new ContextWindowExceededError('x'), {}, true],
    [
      'ContextWindowExceededError, contextWindow: false',
      new ContextWindowExceededError('x'),
      { contextWindow: false },
      false,
    ],
    ['NotFoundError', new NotFoundError('x'), {}, true],
    ['InvalidRequestError', new InvalidRequestError('x'), { contentFilter: true }, false],
    ['AbortedError', new AbortedError('x', { retryable: true }), {}, false],
    ['a bare retryable ModelplexError', new ModelplexErrorClass('x', { retryable: true }), {}, true],
    ['a bare ModelplexError', new ModelplexErrorClass('x'), {}, false],
    ['a non-retryable ServerError', new ServerError('x', { retryable: false }), {}, true],
    [
      'a bare retryable ModelplexError, serverError: false',
      new ModelplexErrorClass('x', { retryable: true }),
      { serverError: false },
      false,
    ],
  ] as const)('fallbackCovers: %s → %s', (_, error, on, expected) => {
    expect(fallbackCovers(error, on as FallbackOn)).toBe(expected)
  })
})

describe('context window routing', () => {
  const tooLong = () => new ContextWindowExceededError('prompt is too long', { status: 400 })
  function windowed(id: string, windows: Record<string, number>, fail?: () => Error) {
    const generate = vi.fn(async (request: AdapterRequest) => {
      const error = fail?.()
      if (error) throw error
      return textResult(`${id}:${request.model}`)
    })
    return { spec: fakeSpec({ generate }, { id, contextWindows: windows }), generate }
  }

  it("skips to a model with a larger window ('larger' is the default), reporting the skip", async () => {
    const small = windowed('a', { small: 8_000 }, tooLong)
    const same = windowed('b', { same: 8_000 })
    const big = windowed('c', { 'big-model': 128_000 })
    const onRoute = vi.fn<(event: RouteEvent) => void>()
    const client = createClient({
      providers: { a: small.spec, b: same.spec, c: big.spec },
      fallback: { models: ['a:small', 'b:same', 'c:big-model-2025-01-31'] },
      hooks: { onRoute },
    })
    expect((await client.generate({ messages })).text).toBe('c:big-model-2025-01-31')
    expect(same.generate).not.toHaveBeenCalled()
    const event = onRoute.mock.calls[0]![0]
    expect(event.served).toBe('c:big-model-2025-01-31')
    expect(event.candidates.map((c) => [c.model, c.outcome, c.reason])).toEqual([
      ['a:small', 'failed', 'error: ContextWindowExceededError'],
      ['b:same', 'skipped', 'context window too small (8000 ≤ 8000 tokens)'],
      ['c:big-model-2025-01-31', 'served', 'served'],
    ])
  })

  it('a model of unknown window is tried; contextWindow: true tries the next whatever its window', async () => {
    const small = () => windowed('a', { small: 8_000 }, tooLong)
    const unknown = windowed('b', {})
    const client = createClient({
      providers: { a: small().spec, b: unknown.spec },
      fallback: { models: ['a:small', 'b:mystery'] },
    })
    expect((await client.generate({ messages })).text).toBe('b:mystery')
    const same = windowed('b', { same: 4_000 })
    const anyway = createClient({
      providers: { a: small().spec, b: same.spec },
      fallback: { models: ['a:small', 'b:same'], on: { contextWindow: true } },
    })
    expect((await anyway.generate({ messages })).text).toBe('b:same')
  })

  it('client contextWindows override the specs; every larger-or-equal miss ends with the window error', async () => {
    const a = windowed('a', {}, tooLong)
    const b = windowed('b', { m: 1_000_000 })
    const client = createClient({
      providers: { a: a.spec, b: b.spec },
      fallback: { models: ['a:m', 'b:m'] },
      contextWindows: { 'a:m': 200_000, 'b:m': 100_000 },
    })
    await expect(client.generate({ messages })).rejects.toSatisfy((e) =>
      ContextWindowExceededError.isInstance(e),
    )
    expect(b.generate).not.toHaveBeenCalled()
  })
})

describe('provider cooldown', () => {
  function clock(start = 1_000) {
    let time = start
    return { now: () => time, advance: (ms: number) => (time += ms) }
  }

  it('a provider that failed with a retryable error is skipped until its cooldown ends', async () => {
    let down = true
    const a = answering('a', () => (down ? new ServerError('overloaded', { status: 529 }) : undefined))
    const b = answering('b')
    const time = clock()
    const onRoute = vi.fn<(event: RouteEvent) => void>()
    const client = createClient({
      providers: { a: a.spec, b: b.spec },
      ...noRetry,
      fallback: { models: ['a:1', 'b:2'], cooldownMs: 30_000 },
      now: time.now,
      hooks: { onRoute },
    })
    expect((await client.generate({ messages })).text).toBe('b:2')
    expect(a.generate).toHaveBeenCalledTimes(1)
    time.advance(10_000)
    expect((await client.generate({ messages })).text).toBe('b:2')
    expect(a.generate).toHaveBeenCalledTimes(1)
    expect(onRoute.mock.calls[1]![0].candidates[0]).toMatchObject({
      model: 'a:1',
      outcome: 'skipped',
      reason: 'cooldown (20000 ms left)',
    })
    time.advance(20_001)
    down = false
    expect((await client.generate({ messages })).text).toBe('a:1')
    expect(a.generate).toHaveBeenCalledTimes(2)
  })

  it('a non-retryable failure does not cool the provider; no cooldownMs means no cooldown', async () => {
    const a = answering('a', () => new AuthenticationError('401', { status: 401 }))
    const b = answering('b')
    const client = createClient({
      providers: { a: a.spec, b: b.spec },
      fallback: { models: ['a:1', 'b:2'], cooldownMs: 60_000 },
    })
    await client.generate({ messages })
    await client.generate({ messages })
    expect(a.generate).toHaveBeenCalledTimes(2)
    const c = answering('c', () => new ServerError('down'))
    const plain = createClient({ providers: { c: c.spec, b: b.spec }, ...noRetry, fallback: ['c:1', 'b:2'] })
    await plain.generate({ messages })
    await plain.generate({ messages })
    expect(c.generate).toHaveBeenCalledTimes(2)
  })

  it('when every candidate is cooling down they are tried anyway, and a success ends the cooldown', async () => {
    let failing = true
    const a = answering('a', () => (failing ? new ServerError('down') : undefined))
    const b = answering('b', () => (failing ? new RateLimitError('429', { retryAfterMs: 0 }) : undefined))
    const time = clock()
    const onRoute = vi.fn<(event: RouteEvent) => void>()
    const client = createClient({
      providers: { a: a.spec, b: b.spec },
      ...noRetry,
      fallback: { models: ['a:1', 'b:2'], cooldownMs: 60_000 },
      now: time.now,
      hooks: { onRoute },
    })
    await expect(client.generate({ messages })).rejects.toSatisfy((e) => RateLimitError.isInstance(e))
    failing = false
    expect((await client.generate({ messages })).text).toBe('a:1')
    expect(onRoute.mock.calls[1]![0].candidates[0]!.reason).toBe(
      'served (cooldown ignored: every candidate was cooling down)',
    )
    // a served, so it is no longer cooling: the next call goes straight to it.
    await client.generate({ messages })
    expect(onRoute.mock.calls[2]![0].candidates[0]!.reason).toBe('served')
  })
})

describe('onRoute', () => {
  it('reports a call no candidate served, with each failure and the error', async () => {
    const a = answering('a', () => new RateLimitError('429', { retryAfterMs: 0 }))
    const b = answering('b', () => new InvalidRequestError('bad schema', { status: 400 }))
    const c = answering('c')
    const onRoute = vi.fn<(event: RouteEvent) => void>()
    const client = createClient({
      providers: { a: a.spec, b: b.spec, c: c.spec },
      ...noRetry,
      fallback: ['a:1', 'b:2', 'c:3'],
      hooks: { onRoute },
    })
    await expect(client.generate({ messages })).rejects.toSatisfy((e) => InvalidRequestError.isInstance(e))
    expect(onRoute).toHaveBeenCalledTimes(1)
    const event = onRoute.mock.calls[0]![0]
    expect(event.operation).toBe('generate')
    expect(event.served).toBeUndefined()
    expect(InvalidRequestError.isInstance(event.error)).toBe(true)
    expect(event.candidates.map((c) => [c.outcome, c.reason])).toEqual([
      ['failed', 'error: RateLimitError'],
      ['failed', 'error: InvalidRequestError (the fallback policy stops here)'],
      ['not-tried', 'not reached'],
    ])
    expect(RateLimitError.isInstance(event.candidates[0]!.error)).toBe(true)
  })

  it('a stream is reported when its first event arrives, naming the candidate that served it', async () => {
    const a = fakeSpec(
      { stream: async () => eventsOf([], { at: 0, error: new ServerError('down') }) },
      { id: 'a' },
    )
    const b = fakeSpec(
      { stream: async () => eventsOf([{ type: 'text-delta', text: 'hi' }, finish]) },
      { id: 'b' },
    )
    const reports: RouteEvent[] = []
    const client = createClient({
      providers: { a, b },
      ...noRetry,
      fallback: ['a:1', 'b:2'],
      hooks: {
        onRoute: (event) =>
          reports.push(
            structuredClone({ ...event, candidates: event.candidates.map(({ error: _, ...c }) => c) }),
          ),
      },
    })
    const stream = client.stream({ messages })
    const iterator = stream[Symbol.asyncIterator]()
    expect(reports).toHaveLength(0)
    expect((await iterator.next()).value).toEqual({ type: 'text-delta', text: 'hi' })
    expect(reports).toEqual([
      {
        operation: 'stream',
        served: 'b:2',
        candidates: [
          { model: 'a:1', provider: 'a', outcome: 'failed', reason: 'error: ServerError' },
          { model: 'b:2', provider: 'b', outcome: 'served', reason: 'served' },
        ],
      },
    ])
    expect((await stream.result()).text).toBe('hi')
    expect(reports).toHaveLength(1)
  })

  it('a stream whose every candidate fails is reported once, with the error', async () => {
    const failing = (id: string) =>
      fakeSpec({ stream: async () => eventsOf([], { at: 0, error: new ServerError(`${id} down`) }) }, { id })
    const onRoute = vi.fn<(event: RouteEvent) => void>()
    const client = createClient({
      providers: { a: failing('a'), b: failing('b') },
      ...noRetry,
      fallback: ['a:1', 'b:2'],
      hooks: { onRoute },
    })
    const error = await client
      .stream({ messages })
      .result()
      .catch((e: unknown) => e)
    expect((error as Error).message).toBe('b down')
    expect(onRoute).toHaveBeenCalledTimes(1)
    expect(onRoute.mock.calls[0]![0].served).toBeUndefined()
  })

  it('a throwing onRoute hook does not change the result', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const client = createClient({
      providers: { a: answering('a').spec },
      hooks: {
        onRoute: () => {
          throw new Error('observer bug')
        },
      },
    })
    expect((await client.generate({ model: 'a:1', messages })).text).toBe('a:1')
    expect(log).toHaveBeenCalledWith('modelplex: the onRoute hook threw; ignored:', expect.any(Error))
  })
})

describe('per-call fallback with a client policy', () => {
  it("a per-call list replaces the models and keeps the client's policy and cooldown", async () => {
    const a = answering('a', () => new RateLimitError('429', { retryAfterMs: 0 }))
    const b = answering('b')
    const c = answering('c')
    const client = createClient({
      providers: { a: a.spec, b: b.spec, c: c.spec },
      ...noRetry,
      fallback: { models: ['a:1', 'b:2'], on: { rateLimit: false } },
    })
    // rateLimit: false still holds with the per-call list: no move to c.
    await expect(client.generate({ model: 'a:1', messages, fallback: ['c:3'] })).rejects.toSatisfy((e) =>
      RateLimitError.isInstance(e),
    )
    expect(c.generate).not.toHaveBeenCalled()
  })
})
