import { describe, expect, it, vi } from 'vitest'
import {
  AbortedError,
  AuthenticationError,
  InvalidRequestError,
  ModelplexError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from './errors.js'
import { createProvider } from './provider.js'
import { defaultRetry, MAX_ADVISED_WAIT_MS, parseRetryAfter, retryDelay, sleep } from './retry.js'
import { fakeSpec, messages, textResult, untilAborted } from './test-helpers.js'

const options = { maxRetries: 2, initialDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 }

describe('retryDelay: exponential backoff with full jitter', () => {
  it('draws uniformly below a ceiling that doubles each retry', () => {
    const half = () => 0.5
    expect(retryDelay(options, 0, undefined, half)).toBe(50)
    expect(retryDelay(options, 1, undefined, half)).toBe(100)
    expect(retryDelay(options, 2, undefined, half)).toBe(200)
    expect(retryDelay(options, 3, undefined, half)).toBe(400)
  })

  it('caps the ceiling at maxDelayMs', () => {
    expect(retryDelay(options, 4, undefined, () => 0.5)).toBe(500)
    expect(retryDelay(options, 30, undefined, () => 0.999)).toBe(999)
  })

  it('is full jitter: 0 at the bottom, just under the ceiling at the top', () => {
    expect(retryDelay(options, 2, undefined, () => 0)).toBe(0)
    expect(retryDelay(options, 2, undefined, () => 0.9999)).toBe(399)
  })

  it("honours the vendor's retry-after, capped by maxRetryAfterMs, without jitter", () => {
    const random = vi.fn(() => 0.5)
    expect(retryDelay(options, 0, 2_500, random)).toBe(2_500)
    expect(retryDelay(options, 0, 0, random)).toBe(0)
    expect(retryDelay(options, 0, 120_000, random)).toBe(5_000)
    expect(random).not.toHaveBeenCalled()
  })

  it('has documented defaults', () => {
    expect(defaultRetry).toEqual({
      maxRetries: 2,
      initialDelayMs: 500,
      maxDelayMs: 8_000,
      maxRetryAfterMs: 60_000,
    })
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z')

  it('reads retry-after-ms in milliseconds', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '1500' }), now)).toBe(1_500)
    expect(parseRetryAfter({ 'retry-after-ms': '250' }, now)).toBe(250)
  })

  it('reads Retry-After seconds', () => {
    expect(parseRetryAfter(new Headers({ 'Retry-After': '3' }), now)).toBe(3_000)
    expect(parseRetryAfter({ 'Retry-After': '0.5' }, now)).toBe(500)
  })

  it('reads a Retry-After HTTP date relative to now', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:07 GMT' }), now)).toBe(7_000)
    expect(parseRetryAfter({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }, now)).toBe(30_000)
  })

  it('a date in the past means now', () => {
    expect(parseRetryAfter({ 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }, now)).toBe(0)
  })

  it('prefers retry-after-ms over Retry-After', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '120', 'retry-after': '9' }), now)).toBe(120)
  })

  it('matches plain-object keys case-insensitively', () => {
    expect(parseRetryAfter({ 'RETRY-AFTER': '2' }, now)).toBe(2_000)
    expect(parseRetryAfter({ 'Retry-After-Ms': '40' }, now)).toBe(40)
  })

  it('falls back to Retry-After when retry-after-ms is garbage or negative', () => {
    expect(parseRetryAfter({ 'retry-after-ms': 'soon', 'retry-after': '1' }, now)).toBe(1_000)
    expect(parseRetryAfter({ 'retry-after-ms': '-5', 'retry-after': '2' }, now)).toBe(2_000)
  })

  it('is undefined when there is no usable advice', () => {
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined()
    expect(parseRetryAfter({}, now)).toBeUndefined()
    expect(parseRetryAfter({ 'retry-after': 'whenever' }, now)).toBeUndefined()
    expect(parseRetryAfter({ 'retry-after': '' }, now)).toBeUndefined()
    expect(parseRetryAfter({ 'retry-after': '-1' }, now)).toBeUndefined()
    expect(parseRetryAfter(undefined, now)).toBeUndefined()
    expect(parseRetryAfter('retry-after: 3', now)).toBeUndefined()
  })
})

describe('sleep', () => {
  it('waits about the time asked', async () => {
    const started = performance.now()
    await sleep(30)
    expect(performance.now() - started).toBeGreaterThanOrEqual(25)
  })

  it("rejects with the signal's reason when aborted before or during the wait", async () => {
    const reason = new Error('stop')
    await expect(sleep(10, AbortSignal.abort(reason))).rejects.toBe(reason)
    const controller = new AbortController()
    const waiting = sleep(10_000, controller.signal)
    controller.abort(reason)
    await expect(waiting).rejects.toBe(reason)
  })
})

/** A provider whose adapter throws `errors` in turn, then answers. */
function failing(errors: unknown[], retry: Parameters<typeof createProvider>[1] = {}) {
  const generate = vi.fn(async () => {
    const next = errors.shift()
    if (next) throw next
    return textResult('finally')
  })
  const onRetry = vi.fn()
  const provider = createProvider(fakeSpec({ generate }), { hooks: { onRetry }, ...retry })
  return { provider, generate, onRetry }
}

const rateLimit = (retryAfterMs = 1) => new RateLimitError('slow down', { status: 429, retryAfterMs })

describe('the retry policy', () => {
  it('retries a retryable error and succeeds', async () => {
    const { provider, generate } = failing([rateLimit(), new ServerError('overloaded', { status: 529 })])
    const result = await provider.generate({ messages })
    expect(result.text).toBe('finally')
    expect(generate).toHaveBeenCalledTimes(3)
  })

  it('gives up after maxRetries (default 2) and throws the last error with its attempt count', async () => {
    const { provider, generate } = failing([rateLimit(), rateLimit(), rateLimit(), rateLimit()])
    const error = await provider.generate({ messages }).catch((e: unknown) => e)
    expect(RateLimitError.isInstance(error)).toBe(true)
    expect((error as { attempts?: number }).attempts).toBe(3)
    expect(generate).toHaveBeenCalledTimes(3)
  })

  it.each([
    ['AuthenticationError', new AuthenticationError('bad key', { status: 401 })],
    ['InvalidRequestError', new InvalidRequestError('bad', { status: 400 })],
    ['a non-retryable RateLimitError (quota)', new RateLimitError('quota', { retryable: false })],
    ['a plain ModelplexError', new ModelplexError('odd')],
  ])('does not retry %s', async (_, thrown) => {
    const { provider, generate, onRetry } = failing([thrown])
    await expect(provider.generate({ messages })).rejects.toBe(thrown)
    expect(generate).toHaveBeenCalledTimes(1)
    expect(onRetry).not.toHaveBeenCalled()
  })

  it('retries what the adapter maps to a retryable error', async () => {
    const generate = vi.fn(async () => {
      if (generate.mock.calls.length === 1) throw Object.assign(new Error('boom'), { status: 503 })
      return textResult()
    })
    const spec = fakeSpec({
      generate,
      mapError: (error) =>
        new ServerError((error as Error).message, { status: (error as { status: number }).status }),
    })
    await createProvider(spec, { retry: { initialDelayMs: 1 } }).generate({ messages })
    expect(generate).toHaveBeenCalledTimes(2)
  })

  it('maxRetries per call overrides the provider setting, both ways', async () => {
    const none = failing([rateLimit(), rateLimit()], { retry: { maxRetries: 5 } })
    await expect(none.provider.generate({ messages, maxRetries: 0 })).rejects.toSatisfy((e) =>
      RateLimitError.isInstance(e),
    )
    expect(none.generate).toHaveBeenCalledTimes(1)
    const more = failing([rateLimit(), rateLimit(), rateLimit(), rateLimit()], { retry: { maxRetries: 0 } })
    await expect(more.provider.generate({ messages, maxRetries: 4 })).resolves.toMatchObject({
      text: 'finally',
    })
    expect(more.generate).toHaveBeenCalledTimes(5)
  })

  it('onRetry gets the attempt number, the error and the delay (from retry-after)', async () => {
    const first = rateLimit(3)
    const second = rateLimit(7)
    const { provider, onRetry } = failing([first, second])
    await provider.generate({ messages })
    expect(onRetry).toHaveBeenCalledTimes(2)
    expect(onRetry.mock.calls[0]![0]).toMatchObject({
      attempt: 1,
      delayMs: 3,
      error: first,
      operation: 'generate',
    })
    expect(onRetry.mock.calls[1]![0]).toMatchObject({ attempt: 2, delayMs: 7, error: second })
    expect(onRetry.mock.calls[0]![0]).toMatchObject({ provider: 'fake', model: 'fake-model' })
  })

  it('backs off with full jitter when the vendor gives no advice', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    const { provider, onRetry } = failing([new ServerError('a'), new ServerError('b')], {
      retry: { initialDelayMs: 8, maxDelayMs: 1_000 },
    })
    await provider.generate({ messages })
    expect(onRetry.mock.calls.map(([event]) => event.delayMs)).toEqual([4, 8])
  })

  it('actually sleeps for the advised delay', async () => {
    const { provider } = failing([rateLimit(60)])
    const started = performance.now()
    await provider.generate({ messages })
    expect(performance.now() - started).toBeGreaterThanOrEqual(55)
  })

  it('caps a long Retry-After with maxRetryAfterMs', async () => {
    const { provider, onRetry } = failing([rateLimit(3_600_000)], { retry: { maxRetryAfterMs: 5 } })
    // Uncapped, the call would sleep an hour and the test would hang: the delay itself is the check.
    await provider.generate({ messages })
    expect(onRetry.mock.calls[0]![0].delayMs).toBe(5)
  })

  it('retryAfterMs is a sane finite number: nonsense advice is capped at a day, garbage dropped', () => {
    const now = Date.parse('2025-01-01T00:00:00Z')
    expect(parseRetryAfter({ 'retry-after': '999999' }, now)).toBe(MAX_ADVISED_WAIT_MS)
    expect(parseRetryAfter({ 'retry-after': 'Fri, 31 Dec 9999 23:59:59 GMT' }, now)).toBe(MAX_ADVISED_WAIT_MS)
    expect(parseRetryAfter({ 'retry-after-ms': '1e999', 'retry-after': '2' }, now)).toBe(2_000)
    expect(new RateLimitError('429', { retryAfterMs: Number.POSITIVE_INFINITY }).retryAfterMs).toBe(
      MAX_ADVISED_WAIT_MS,
    )
    expect(new RateLimitError('429', { retryAfterMs: Number.NaN }).retryAfterMs).toBeUndefined()
    expect(new RateLimitError('429', { retryAfterMs: -3 }).retryAfterMs).toBeUndefined()
    expect(new RateLimitError('429', { retryAfterMs: 1.5 }).retryAfterMs).toBe(2)
  })
})

describe('timeout and abort', () => {
  it('a call that hangs past timeoutMs → TimeoutError naming timeoutMs, the adapter signal aborted', async () => {
    let seen: AbortSignal | undefined
    const generate = vi.fn(async (_: unknown, context: { signal: AbortSignal }) => {
      seen = context.signal
      return untilAborted(context.signal)
    })
    // The provider's own limit is an hour: only the call's 30 ms can end this attempt.
    const provider = createProvider(fakeSpec({ generate }), { timeoutMs: 3_600_000 })
    const error = await provider.generate({ messages, timeoutMs: 30, maxRetries: 0 }).catch((e: unknown) => e)
    expect(TimeoutError.isInstance(error)).toBe(true)
    expect((error as TimeoutError).message).toContain('30 ms')
    expect((error as TimeoutError).message).toContain('timeoutMs')
    expect((error as TimeoutError).provider).toBe('fake')
    expect(seen?.aborted).toBe(true)
  })

  it('an adapter that ignores its signal still ends at timeoutMs, and at the caller abort', async () => {
    const generate = vi.fn(() => new Promise<never>(() => {}))
    const provider = createProvider(fakeSpec({ generate }))
    const timedOut = await provider
      .generate({ messages, timeoutMs: 20, maxRetries: 0 })
      .catch((e: unknown) => e)
    expect(TimeoutError.isInstance(timedOut)).toBe(true)
    const controller = new AbortController()
    const call = provider
      .generate({ messages, signal: controller.signal, maxRetries: 0 })
      .catch((e: unknown) => e)
    setTimeout(() => controller.abort(), 10)
    const aborted = await call
    expect(AbortedError.isInstance(aborted)).toBe(true)
    expect(TimeoutError.isInstance(aborted)).toBe(false)
  })

  it('a timeout is retryable: each attempt gets its own time limit', async () => {
    const generate = vi.fn(async (_: unknown, context: { signal: AbortSignal }) => {
      if (generate.mock.calls.length === 1) return untilAborted(context.signal)
      return textResult('second try')
    })
    const provider = createProvider(fakeSpec({ generate }), { timeoutMs: 30, retry: { initialDelayMs: 1 } })
    await expect(provider.generate({ messages })).resolves.toMatchObject({ text: 'second try' })
    expect(generate).toHaveBeenCalledTimes(2)
  })

  it('the provider timeoutMs applies when the call gives none', async () => {
    const provider = createProvider(
      fakeSpec({ generate: async (_, context) => untilAborted(context.signal) }),
      {
        timeoutMs: 20,
        retry: { maxRetries: 0 },
      },
    )
    await expect(provider.generate({ messages })).rejects.toSatisfy((e) => TimeoutError.isInstance(e))
  })

  it('the caller aborting → AbortedError, not retried', async () => {
    const generate = vi.fn(async (_: unknown, context: { signal: AbortSignal }) =>
      untilAborted(context.signal),
    )
    const provider = createProvider(fakeSpec({ generate }), { retry: { maxRetries: 3 } })
    const controller = new AbortController()
    setTimeout(() => controller.abort(new Error('user left')), 10)
    const error = await provider.generate({ messages, signal: controller.signal }).catch((e: unknown) => e)
    expect(AbortedError.isInstance(error)).toBe(true)
    expect(TimeoutError.isInstance(error)).toBe(false)
    expect(generate).toHaveBeenCalledTimes(1)
  })

  it('an already aborted signal → AbortedError without calling the adapter', async () => {
    const generate = vi.fn(async () => textResult())
    const provider = createProvider(fakeSpec({ generate }))
    const error = await provider.generate({ messages, signal: AbortSignal.abort() }).catch((e: unknown) => e)
    expect(AbortedError.isInstance(error)).toBe(true)
    expect(generate).not.toHaveBeenCalled()
  })

  it('aborting during the retry sleep → AbortedError, without another attempt', async () => {
    const controller = new AbortController()
    // 50 s advised, within the default 60 s budget: were the sleep not cut short, a second attempt would follow.
    const generate = vi.fn(async () => {
      throw rateLimit(50_000)
    })
    const provider = createProvider(fakeSpec({ generate }), {
      hooks: { onRetry: () => setTimeout(() => controller.abort(), 10) },
    })
    const error = await provider.generate({ messages, signal: controller.signal }).catch((e: unknown) => e)
    expect(AbortedError.isInstance(error)).toBe(true)
    expect((error as AbortedError).message).toContain('waiting to retry')
    expect(generate).toHaveBeenCalledTimes(1)
  })
})
