import { ApiError, GoogleGenAI } from '@google/genai'
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
import apiKeyInvalid from './__fixtures__/error-400-api-key-invalid.json' with { type: 'json' }
import contextWindow from './__fixtures__/error-400-context-window.json' with { type: 'json' }
import failedPrecondition from './__fixtures__/error-400-failed-precondition.json' with { type: 'json' }
import invalidArgument from './__fixtures__/error-400-invalid-argument.json' with { type: 'json' }
import unauthenticated from './__fixtures__/error-401-unauthenticated.json' with { type: 'json' }
import permissionDenied from './__fixtures__/error-403-permission-denied.json' with { type: 'json' }
import notFound from './__fixtures__/error-404-not-found.json' with { type: 'json' }
import resourceExhausted from './__fixtures__/error-429-resource-exhausted.json' with { type: 'json' }
import internal from './__fixtures__/error-500-internal.json' with { type: 'json' }
import unavailable from './__fixtures__/error-503-unavailable.json' with { type: 'json' }
import deadlineExceeded from './__fixtures__/error-504-deadline-exceeded.json' with { type: 'json' }
import { mapGoogleError, parseGoogleDuration, parseGoogleErrorMessage } from './map-google-error.js'

const context = { provider: 'google', name: 'Google Gemini', model: 'gemini-2.5-flash', ApiError }

/** What the SDK throws for an error response: its own ApiError, built by its own code from the body. */
async function sdkError(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<unknown> {
  const isText = typeof body === 'string'
  const fetch = async () =>
    new Response(isText ? body : JSON.stringify(body), {
      status,
      headers: { 'content-type': isText ? 'text/html' : 'application/json; charset=UTF-8', ...headers },
    })
  const client = new GoogleGenAI({ apiKey: 'AIza-test', httpOptions: { fetch } })
  return client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hi' }).catch((error) => error)
}

/** What the SDK throws for Google's error object inside a stream. */
async function sdkStreamError(body: unknown): Promise<unknown> {
  const fetch = async () =>
    new Response(`data: ${JSON.stringify(body)}\r\n\r\n`, {
      headers: { 'content-type': 'text/event-stream' },
    })
  const client = new GoogleGenAI({ apiKey: 'AIza-test', httpOptions: { fetch } })
  try {
    for await (const _ of await client.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'Hi',
    })) {
      // drain
    }
  } catch (error) {
    return error
  }
  throw new Error('the stream did not fail')
}

describe('mapGoogleError', () => {
  it('400 INVALID_ARGUMENT → InvalidRequestError with status and code, not retryable', async () => {
    const error = mapGoogleError(await sdkError(400, invalidArgument), context)
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect(ContextWindowExceededError.isInstance(error)).toBe(false)
    expect(error).toMatchObject({
      status: 400,
      code: 'INVALID_ARGUMENT',
      retryable: false,
      model: 'gemini-2.5-flash',
    })
    expect(error.message).toBe(
      'Google Gemini: 400 * GenerateContentRequest.generation_config.max_output_tokens: max_output_tokens must be positive.\n',
    )
    expect(error.cause).toBeInstanceOf(ApiError)
  })

  it('400 "exceeds the maximum number of tokens" → ContextWindowExceededError (phrase: Google sends no code)', async () => {
    const error = mapGoogleError(await sdkError(400, contextWindow), context)
    expect(error).toBeInstanceOf(ContextWindowExceededError)
    expect(error).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT', retryable: false })
  })

  it('400 with ErrorInfo reason API_KEY_INVALID → AuthenticationError, code from the reason', async () => {
    const error = mapGoogleError(await sdkError(400, apiKeyInvalid), context)
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error).toMatchObject({ status: 400, code: 'API_KEY_INVALID', retryable: false })
  })

  it('400 FAILED_PRECONDITION → InvalidRequestError', async () => {
    const error = mapGoogleError(await sdkError(400, failedPrecondition), context)
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect(error.code).toBe('FAILED_PRECONDITION')
  })

  it('401 UNAUTHENTICATED and 403 PERMISSION_DENIED → AuthenticationError', async () => {
    const unauthorized = mapGoogleError(await sdkError(401, unauthenticated), context)
    expect(unauthorized).toBeInstanceOf(AuthenticationError)
    expect(unauthorized).toMatchObject({ status: 401, code: 'ACCESS_TOKEN_TYPE_UNSUPPORTED' })
    const forbidden = mapGoogleError(await sdkError(403, permissionDenied), context)
    expect(forbidden).toBeInstanceOf(AuthenticationError)
    expect(forbidden).toMatchObject({ status: 403, code: 'PERMISSION_DENIED', retryable: false })
  })

  it('404 NOT_FOUND → NotFoundError', async () => {
    const error = mapGoogleError(await sdkError(404, notFound), context)
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND' })
  })

  it('429 RESOURCE_EXHAUSTED → RateLimitError with retryAfterMs from RetryInfo', async () => {
    const error = mapGoogleError(await sdkError(429, resourceExhausted), context)
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({
      status: 429,
      code: 'RESOURCE_EXHAUSTED',
      retryable: true,
      retryAfterMs: 26_000,
    })
  })

  it('429 without RetryInfo → retryAfterMs from the Retry-After header the adapter captured', async () => {
    const body = {
      error: {
        code: 429,
        message: 'Resource has been exhausted (e.g. check quota).',
        status: 'RESOURCE_EXHAUSTED',
      },
    }
    const error = mapGoogleError(await sdkError(429, body), {
      ...context,
      headers: new Headers({ 'retry-after': '3' }),
    })
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error.retryAfterMs).toBe(3000)
    expect(mapGoogleError(await sdkError(429, body), context).retryAfterMs).toBeUndefined()
  })

  it('500 INTERNAL, 503 UNAVAILABLE, 504 DEADLINE_EXCEEDED → retryable ServerError', async () => {
    for (const [status, body, code] of [
      [500, internal, 'INTERNAL'],
      [503, unavailable, 'UNAVAILABLE'],
      [504, deadlineExceeded, 'DEADLINE_EXCEEDED'],
    ] as const) {
      const error = mapGoogleError(await sdkError(status, body), context)
      expect(error).toBeInstanceOf(ServerError)
      expect(error).toMatchObject({ status, code, retryable: true })
    }
  })

  it('a non-JSON error page (the SDK wraps its text) is classified by the HTTP status', async () => {
    const error = mapGoogleError(await sdkError(502, '<html><body>Bad Gateway</body></html>'), context)
    expect(error).toBeInstanceOf(ServerError)
    expect(error.status).toBe(502)
    expect(error.message).toContain('Bad Gateway')
  })

  it('Google\'s error object inside a stream ("got status: INTERNAL. {…}") → ServerError', async () => {
    const raw = await sdkStreamError(internal)
    expect((raw as Error).message).toMatch(/^got status: INTERNAL\. \{/)
    const error = mapGoogleError(raw, context)
    expect(error).toBeInstanceOf(ServerError)
    expect(error).toMatchObject({ status: 500, code: 'INTERNAL' })
  })

  it('invalid JSON → MalformedResponseError', async () => {
    const fetch = async () =>
      new Response('<html>oops</html>', { headers: { 'content-type': 'application/json' } })
    const client = new GoogleGenAI({ apiKey: 'AIza-test', httpOptions: { fetch } })
    const raw = await client.models.generateContent({ model: 'm', contents: 'Hi' }).catch((error) => error)
    expect(mapGoogleError(raw, context)).toBeInstanceOf(MalformedResponseError)
  })

  it('the SDK\'s "Incomplete JSON segment at the end" (a stream cut inside a frame) → ConnectionError once streaming', async () => {
    // A whole first frame, then the body ends inside the second.
    const frame = (text: string) =>
      `data: ${JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text }] } }] })}\r\n\r\n`
    const body = `${frame('Hello')}${frame(' world').slice(0, 40)}`
    const fetch = async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } })
    const client = new GoogleGenAI({ apiKey: 'AIza-test', httpOptions: { fetch } })
    const texts: string[] = []
    let raw: unknown
    try {
      for await (const chunk of await client.models.generateContentStream({ model: 'm', contents: 'Hi' }))
        texts.push(chunk.text ?? '')
    } catch (error) {
      raw = error
    }
    expect(texts).toEqual(['Hello'])
    // The SDK gives nothing but this message: a plain Error, no code, no cause.
    expect((raw as Error).constructor).toBe(Error)
    expect((raw as Error).message).toBe('Incomplete JSON segment at the end')
    const error = mapGoogleError(raw, { ...context, streaming: true })
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error).toMatchObject({ retryable: true, provider: 'google', model: 'gemini-2.5-flash' })
    expect(error.message).toBe(
      'Google Gemini: the stream was cut inside a frame (Incomplete JSON segment at the end)',
    )
  })

  it('the same cut before any event → MalformedResponseError, not retried like a connection failure', () => {
    const error = mapGoogleError(new Error('Incomplete JSON segment at the end'), context)
    expect(error).toBeInstanceOf(MalformedResponseError)
    expect(error.retryable).toBe(false)
  })

  it("only the SDK's own plain Error with that phrase is a cut frame", () => {
    const other = mapGoogleError(new Error('an Incomplete JSON segment at the end'), {
      ...context,
      streaming: true,
    })
    expect(other.constructor).toBe(ModelplexError)
    const typed = mapGoogleError(new TypeError('Incomplete JSON segment at the end'), {
      ...context,
      streaming: true,
    })
    expect(typed).not.toBeInstanceOf(ConnectionError)
  })

  it("a network failure → ConnectionError; an abort that is not core's → AbortedError", () => {
    const reset = new TypeError('fetch failed', {
      cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    })
    const connection = mapGoogleError(reset, context)
    expect(connection).toBeInstanceOf(ConnectionError)
    expect(connection.retryable).toBe(true)
    expect(connection.message).toContain('ECONNRESET')
    const abort = mapGoogleError(new DOMException('This operation was aborted', 'AbortError'), context)
    expect(abort).toBeInstanceOf(AbortedError)
  })

  it('an ApiError recognised by name when the class is not given; anything else → ModelplexError', () => {
    const error = Object.assign(new Error(JSON.stringify(notFound)), { name: 'ApiError', status: 404 })
    expect(mapGoogleError(error, { provider: 'google', name: 'Google Gemini' })).toBeInstanceOf(NotFoundError)
    const other = mapGoogleError(new Error('model is required and must be a string'), context)
    expect(other.constructor).toBe(ModelplexError)
    expect(other.message).toBe('Google Gemini: model is required and must be a string')
  })

  it('passes a ModelplexError through untouched', () => {
    const original = new RateLimitError('x', { provider: 'google' })
    expect(mapGoogleError(original, context)).toBe(original)
  })
})

describe('parseGoogleErrorMessage / parseGoogleDuration', () => {
  it('reads the JSON body, the stream form and the array form', () => {
    expect(parseGoogleErrorMessage(JSON.stringify(notFound))?.status).toBe('NOT_FOUND')
    expect(parseGoogleErrorMessage(`got status: UNAVAILABLE. ${JSON.stringify(unavailable)}`)?.code).toBe(503)
    expect(parseGoogleErrorMessage(JSON.stringify([internal]))?.status).toBe('INTERNAL')
    expect(parseGoogleErrorMessage('plain text')).toBeUndefined()
    expect(parseGoogleErrorMessage('{ not json')).toBeUndefined()
  })

  it('reads protobuf durations in milliseconds', () => {
    expect(parseGoogleDuration('26s')).toBe(26_000)
    expect(parseGoogleDuration('0.030s')).toBe(30)
    expect(parseGoogleDuration('1.5s')).toBe(1500)
    expect(parseGoogleDuration('soon')).toBeUndefined()
    expect(parseGoogleDuration(5)).toBeUndefined()
  })
})
