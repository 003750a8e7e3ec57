import { createMockProvider } from '@modelplex/core/testing'
import { describe, expect, it, vi } from 'vitest'
import { RateLimitError, ServerError } from './errors.js'
import type { Hooks } from './hooks.js'
import { createProvider } from './provider.js'
import { fakeSpec, messages, textResult, usage } from './test-helpers.js'

function recorder() {
  return {
    onRequest: vi.fn<NonNullable<Hooks['onRequest']>>(),
    onResponse: vi.fn<NonNullable<Hooks['onResponse']>>(),
    onError: vi.fn<NonNullable<Hooks['onError']>>(),
    onRetry: vi.fn<NonNullable<Hooks['onRetry']>>(),
  }
}

const retryable = () => new RateLimitError('busy', { retryAfterMs: 1 })

describe('hooks', () => {
  it('onRequest fires once per attempt, with the attempt number', async () => {
    const hooks = recorder()
    const provider = createMockProvider({
      hooks,
      replies: [{ error: retryable() }, { error: retryable() }, { text: 'third time' }],
    })
    await provider.generate({ messages })
    expect(hooks.onRequest).toHaveBeenCalledTimes(3)
    expect(hooks.onRequest.mock.calls.map(([event]) => event.attempt)).toEqual([1, 2, 3])
    expect(provider.calls).toHaveLength(3)
    expect(hooks.onRequest.mock.calls[0]![0]).toMatchObject({
      provider: 'mock',
      model: 'mock-model',
      operation: 'generate',
    })
  })

  it('onResponse gets usage, cost, latency and the attempt count', async () => {
    const hooks = recorder()
    const provider = createProvider(
      fakeSpec({
        generate: vi
          .fn()
          .mockRejectedValueOnce(retryable())
          .mockImplementationOnce(async () => {
            await new Promise((resolve) => setTimeout(resolve, 25))
            return textResult('slow')
          }),
      }),
      { hooks },
    )
    await provider.generate({ model: 'priced-model', messages })
    expect(hooks.onResponse).toHaveBeenCalledTimes(1)
    const event = hooks.onResponse.mock.calls[0]![0]
    expect(event.usage).toEqual(usage)
    expect(event.cost).toEqual({ input: 0.001, output: 0.001, total: 0.002, currency: 'USD' })
    expect(event.latencyMs).toBeGreaterThanOrEqual(20)
    expect(event.attempts).toBe(2)
    expect(event).toMatchObject({ provider: 'fake', model: 'priced-model', operation: 'generate' })
    expect(hooks.onError).not.toHaveBeenCalled()
  })

  it('onError fires once, after the retries, with the final error', async () => {
    const hooks = recorder()
    const last = new ServerError('still down')
    const provider = createMockProvider({
      hooks,
      retry: { maxRetries: 2, initialDelayMs: 1 },
      replies: [{ error: new ServerError('down') }, { error: new ServerError('down') }, { error: last }],
    })
    await expect(provider.generate({ messages })).rejects.toBe(last)
    expect(hooks.onRetry).toHaveBeenCalledTimes(2)
    expect(hooks.onError).toHaveBeenCalledTimes(1)
    expect(hooks.onError.mock.calls[0]![0]).toMatchObject({ error: last, attempts: 3, operation: 'generate' })
    expect(hooks.onError.mock.calls[0]![0].latencyMs).toBeGreaterThanOrEqual(0)
    expect(hooks.onResponse).not.toHaveBeenCalled()
  })

  it('stream hooks: onResponse after finish with usage and cost', async () => {
    const hooks = recorder()
    const provider = createMockProvider({
      hooks,
      prices: { 'mock-model': { input: 1, output: 2 } },
      replies: [{ text: 'a b c', usage }],
    })
    const stream = provider.stream({ messages })
    await stream.result()
    expect(hooks.onResponse).toHaveBeenCalledTimes(1)
    expect(hooks.onResponse.mock.calls[0]![0]).toMatchObject({
      operation: 'stream',
      usage,
      cost: { total: 0.002 },
      attempts: 1,
    })
  })

  it('stream hooks: onError once when the stream fails', async () => {
    const hooks = recorder()
    const boom = new ServerError('gone', { retryable: false })
    const provider = createMockProvider({
      hooks,
      replies: [{ text: 'a b c', failAfterChunks: { count: 1, error: boom } }],
    })
    await expect(provider.stream({ messages }).result()).rejects.toBe(boom)
    expect(hooks.onError).toHaveBeenCalledTimes(1)
    expect(hooks.onError.mock.calls[0]![0]).toMatchObject({ operation: 'stream', error: boom })
    expect(hooks.onResponse).not.toHaveBeenCalled()
  })

  it('a hook that throws does not break the call, and is reported on stderr', async () => {
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => {})
    const throwing = () => {
      throw new Error('observer bug')
    }
    const provider = createMockProvider({
      hooks: { onRequest: throwing, onResponse: throwing, onRetry: throwing },
      replies: [{ error: retryable() }, { text: 'still fine' }],
    })
    await expect(provider.generate({ messages })).resolves.toMatchObject({ text: 'still fine' })
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining('onRequest hook threw'), expect.any(Error))
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining('onRetry hook threw'), expect.any(Error))
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining('onResponse hook threw'), expect.any(Error))
  })

  it('a throwing onError hook does not replace the error the caller gets', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const failure = new ServerError('down', { retryable: false })
    const provider = createMockProvider({
      hooks: {
        onError: () => {
          throw new Error('observer bug')
        },
      },
      replies: [{ error: failure }],
    })
    await expect(provider.generate({ messages })).rejects.toBe(failure)
  })

  it('embed and listModels report their operation', async () => {
    const hooks = recorder()
    const provider = createMockProvider({ hooks })
    await provider.embed({ input: ['a'] })
    await provider.listModels()
    expect(hooks.onRequest.mock.calls.map(([event]) => event.operation)).toEqual(['embed', 'listModels'])
    expect(hooks.onResponse.mock.calls.map(([event]) => event.operation)).toEqual(['embed', 'listModels'])
  })
})
