import {
  AbortedError,
  AuthenticationError,
  ConnectionError,
  ContextWindowExceededError,
  InvalidRequestError,
  MalformedResponseError,
  ModelplexError,
  NotFoundError,
  RateLimitError,
  ServerError,
} from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import doesNotSupportTools from './__fixtures__/error-400-does-not-support-tools.json' with { type: 'json' }
import inputTooLong from './__fixtures__/error-400-input-too-long.json' with { type: 'json' }
import unauthorized from './__fixtures__/error-401-unauthorized.json' with { type: 'json' }
import modelNotFound from './__fixtures__/error-404-model-not-found.json' with { type: 'json' }
import usageLimit from './__fixtures__/error-429-usage-limit.json' with { type: 'json' }
import runnerTerminated from './__fixtures__/error-500-runner-terminated.json' with { type: 'json' }
import serverBusy from './__fixtures__/error-503-server-busy.json' with { type: 'json' }
import { mapOllamaError, OllamaStreamError, readOllamaHttpError } from './map-ollama-error.js'

/** What the adapter's fetch throws for an error answer: read from a real Response. */
function httpError(status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body)
  return readOllamaHttpError(new Response(text, { status, statusText: 'Status Text', headers }))
}

/** The `ollama` SDK's own ResponseError, as its checkOk throws it. */
function sdkResponseError(message: string, status: number): Error {
  return Object.assign(new Error(message), { name: 'ResponseError', error: message, status_code: status })
}

const context = { provider: 'ollama', model: 'llama3.2', host: 'http://127.0.0.1:11434' }

describe('mapOllamaError', () => {
  it('400 → InvalidRequestError with the vendor text, not retryable', async () => {
    const error = mapOllamaError(await httpError(400, doesNotSupportTools), context)
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    expect(ContextWindowExceededError.isInstance(error)).toBe(false)
    expect(error).toMatchObject({ status: 400, retryable: false, provider: 'ollama', model: 'llama3.2' })
    expect(error.message).toBe('Ollama: 400 registry.ollama.ai/library/gemma:latest does not support tools')
  })

  it('phrase: 400 "the input length exceeds the context length" → ContextWindowExceededError', async () => {
    const error = mapOllamaError(await httpError(400, inputTooLong), context)
    expect(ContextWindowExceededError.isInstance(error)).toBe(true)
    expect(error.status).toBe(400)
  })

  it('phrase: the same text on a stream error line → ContextWindowExceededError', () => {
    const error = mapOllamaError(new OllamaStreamError(inputTooLong.error), context)
    expect(ContextWindowExceededError.isInstance(error)).toBe(true)
  })

  it('401 and 403 (an empty body) → AuthenticationError, not retryable', async () => {
    const denied = mapOllamaError(await httpError(401, unauthorized), context)
    expect(AuthenticationError.isInstance(denied)).toBe(true)
    expect(denied).toMatchObject({ status: 401, retryable: false })
    const forbidden = mapOllamaError(await httpError(403, undefined), context)
    expect(AuthenticationError.isInstance(forbidden)).toBe(true)
    expect(forbidden.message).toBe('Ollama: 403 Status Text')
  })

  it('404 → NotFoundError, keeping the hint to pull the model', async () => {
    const error = mapOllamaError(await httpError(404, modelNotFound), context)
    expect(NotFoundError.isInstance(error)).toBe(true)
    expect(error.message).toContain("model 'llama9' not found, try pulling it first")
  })

  it('429 → RateLimitError, retryable, with Retry-After when a gateway sends one', async () => {
    const advised = mapOllamaError(await httpError(429, usageLimit, { 'retry-after': '7' }), context)
    expect(RateLimitError.isInstance(advised)).toBe(true)
    expect(advised).toMatchObject({ status: 429, retryable: true, retryAfterMs: 7000 })
    const plain = mapOllamaError(await httpError(429, usageLimit), context)
    expect(plain.retryAfterMs).toBeUndefined()
  })

  it('500 (runner died) and 503 (queue full) → ServerError, retryable', async () => {
    for (const [status, body] of [
      [500, runnerTerminated],
      [503, serverBusy],
    ] as const) {
      const error = mapOllamaError(await httpError(status, body), context)
      expect(ServerError.isInstance(error)).toBe(true)
      expect(error).toMatchObject({ status, retryable: true })
    }
  })

  it("classifies the SDK's own ResponseError by its status_code", () => {
    const error = mapOllamaError(sdkResponseError(modelNotFound.error, 404), context)
    expect(NotFoundError.isInstance(error)).toBe(true)
    expect(error.status).toBe(404)
  })

  it('an {"error"} line inside a stream → ServerError without a status', () => {
    const error = mapOllamaError(
      new OllamaStreamError('an error was encountered while running the model'),
      context,
    )
    expect(ServerError.isInstance(error)).toBe(true)
    expect(error.status).toBeUndefined()
  })

  it('connection refused → ConnectionError telling the user to start Ollama or set OLLAMA_HOST', () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:11434'), { code: 'ECONNREFUSED' }),
    })
    const error = mapOllamaError(refused, context)
    expect(ConnectionError.isInstance(error)).toBe(true)
    expect(error.retryable).toBe(true)
    expect(error.message).toContain('http://127.0.0.1:11434')
    expect(error.message).toContain('ECONNREFUSED')
    expect(error.message).toContain('ollama serve')
    expect(error.message).toContain('OLLAMA_HOST')
  })

  it('a reset or dropped socket → ConnectionError', () => {
    const dropped = new TypeError('terminated', {
      cause: Object.assign(new Error('closed'), { code: 'UND_ERR_SOCKET' }),
    })
    expect(ConnectionError.isInstance(mapOllamaError(dropped, context))).toBe(true)
  })

  it('a 200 body that is not JSON → MalformedResponseError', () => {
    const error = mapOllamaError(new SyntaxError('Unexpected token < in JSON at position 0'), context)
    expect(MalformedResponseError.isInstance(error)).toBe(true)
  })

  it("an abort of the SDK's own request → AbortedError", () => {
    const error = mapOllamaError(new DOMException('This operation was aborted', 'AbortError'), context)
    expect(AbortedError.isInstance(error)).toBe(true)
  })

  it('anything else → a ModelplexError of this provider; a ModelplexError passes through', () => {
    const error = mapOllamaError(new Error('something odd'), context)
    expect(error).toBeInstanceOf(ModelplexError)
    expect(error).toMatchObject({ provider: 'ollama', message: 'Ollama: something odd' })
    const typed = new NotFoundError('x', { provider: 'ollama' })
    expect(mapOllamaError(typed, context)).toBe(typed)
  })
})

describe('readOllamaHttpError', () => {
  it('reads Ollama\'s {"error"} body, the status and the headers', async () => {
    const error = await httpError(503, serverBusy, { 'retry-after': '2' })
    expect(error).toMatchObject({ status: 503, message: serverBusy.error })
    expect(error.headers.get('retry-after')).toBe('2')
  })

  it("keeps a proxy's text body, cut to a readable length", async () => {
    const error = await httpError(502, `<html>${'x'.repeat(1000)}</html>`)
    expect(error.message.startsWith('<html>xxx')).toBe(true)
    expect(error.message.length).toBeLessThanOrEqual(301)
  })
})
