import { readFileSync } from 'node:fs'
import {
  AbortedError,
  AuthenticationError,
  ConnectionError,
  ContentFilterError,
  ContextWindowExceededError,
  InvalidRequestError,
  MalformedResponseError,
  ModelplexError,
  NotFoundError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from '@modelplex/core'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import contentFilter from './__fixtures__/error-400-content-filter.json' with { type: 'json' }
import contextLimit from './__fixtures__/error-400-context-limit.json' with { type: 'json' }
import invalidRequest from './__fixtures__/error-400-invalid-request.json' with { type: 'json' }
import promptTooLong from './__fixtures__/error-400-prompt-too-long.json' with { type: 'json' }
import authentication from './__fixtures__/error-401-authentication.json' with { type: 'json' }
import billing from './__fixtures__/error-402-billing.json' with { type: 'json' }
import permission from './__fixtures__/error-403-permission.json' with { type: 'json' }
import notFound from './__fixtures__/error-404-not-found.json' with { type: 'json' }
import tooLarge from './__fixtures__/error-413-request-too-large.json' with { type: 'json' }
import rateLimit from './__fixtures__/error-429-rate-limit.json' with { type: 'json' }
import apiError from './__fixtures__/error-500-api.json' with { type: 'json' }
import overloaded from './__fixtures__/error-529-overloaded.json' with { type: 'json' }
import { createAnthropic } from './index.js'
import { classifyAnthropicFailure, mapAnthropicError } from './map-anthropic-error.js'

const baseURL = 'https://api.anthropic.modelplex.test'
const apiKey = 'sk-ant-api03-secret-key-that-must-not-leak-1234'
const badGateway = readFileSync(new URL('./__fixtures__/malformed-502-page.txt', import.meta.url), 'utf8')
let answer: () => Response = () => HttpResponse.json({})
let calls = 0
const server = setupServer(
  http.post(`${baseURL}/v1/messages`, () => {
    calls++
    return answer()
  }),
)
const messages = [{ role: 'user' as const, content: 'Hello' }]

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  calls = 0
})
afterAll(() => server.close())

/** Answers every request with `status` and the fixture body, and returns what the call threw. */
async function failWith(status: number, body: unknown, headers: Record<string, string> = {}, maxRetries = 0) {
  answer = () =>
    HttpResponse.json(body as object, {
      status,
      headers: { 'request-id': (body as { request_id: string }).request_id, ...headers },
    })
  const provider = createAnthropic({ apiKey, baseURL, retry: { initialDelayMs: 1, maxDelayMs: 2 } })
  const error = (await provider
    .generate({ model: 'claude-sonnet-5-5', messages, maxRetries })
    .catch((e) => e)) as ModelplexError
  expect(ModelplexError.isInstance(error)).toBe(true)
  expect(JSON.stringify(error.toJSON())).not.toContain(apiKey)
  expect(error.message).not.toContain(apiKey)
  return error
}

describe('Anthropic HTTP errors through the SDK, by error.type', () => {
  it('400 invalid_request_error → InvalidRequestError, not retried', async () => {
    const error = await failWith(400, invalidRequest, {}, 2)
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    expect(ContextWindowExceededError.isInstance(error) || ContentFilterError.isInstance(error)).toBe(false)
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid_request_error',
      requestId: 'req_011CSHoEeqs5C35K2UUqR7Fy',
      provider: 'anthropic',
      model: 'claude-sonnet-5-5',
      retryable: false,
    })
    expect(error.message).toContain('text content blocks must be non-empty')
    expect(calls).toBe(1)
  })

  it('400 "prompt is too long" → ContextWindowExceededError', async () => {
    const error = await failWith(400, promptTooLong)
    expect(ContextWindowExceededError.isInstance(error)).toBe(true)
    expect(error.status).toBe(400)
  })

  it('400 "input length and `max_tokens` exceed context limit" → ContextWindowExceededError', async () => {
    const error = await failWith(400, contextLimit)
    expect(ContextWindowExceededError.isInstance(error)).toBe(true)
  })

  it('400 "Output blocked by content filtering policy" → ContentFilterError', async () => {
    const error = await failWith(400, contentFilter)
    expect(ContentFilterError.isInstance(error)).toBe(true)
    expect(error.retryable).toBe(false)
  })

  it('401 authentication_error → AuthenticationError, not retried', async () => {
    const error = await failWith(401, authentication, {}, 2)
    expect(AuthenticationError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ status: 401, code: 'authentication_error', retryable: false })
    expect(calls).toBe(1)
  })

  it('402 billing_error → RateLimitError that is never retried', async () => {
    const error = await failWith(402, billing, {}, 2)
    expect(RateLimitError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ status: 402, code: 'billing_error', retryable: false })
    expect(calls).toBe(1)
  })

  it('403 permission_error → AuthenticationError', async () => {
    const error = await failWith(403, permission)
    expect(AuthenticationError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ status: 403, code: 'permission_error' })
  })

  it('404 not_found_error → NotFoundError', async () => {
    const error = await failWith(404, notFound)
    expect(NotFoundError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ status: 404, code: 'not_found_error' })
  })

  it('413 request_too_large → ContextWindowExceededError', async () => {
    const error = await failWith(413, tooLarge)
    expect(ContextWindowExceededError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ status: 413, code: 'request_too_large' })
  })

  it('429 rate_limit_error with retry-after (seconds) → RateLimitError with retryAfterMs, retried', async () => {
    const error = await failWith(429, rateLimit, { 'retry-after': '0' }, 1)
    expect(RateLimitError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ status: 429, code: 'rate_limit_error', retryable: true, retryAfterMs: 0 })
    expect(calls).toBe(2)
    expect((await failWith(429, rateLimit, { 'retry-after': '7' })).retryAfterMs).toBe(7000)
  })

  it('500 api_error → ServerError, retried by core only (SDK retries are off)', async () => {
    const error = await failWith(500, apiError, {}, 1)
    expect(ServerError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ status: 500, code: 'api_error', retryable: true })
    // One core retry; the SDK's own two retries per attempt would make this 6.
    expect(calls).toBe(2)
  })

  it('529 overloaded_error → ServerError, retried', async () => {
    const error = await failWith(529, overloaded, {}, 1)
    expect(ServerError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ status: 529, code: 'overloaded_error', retryable: true })
    expect(calls).toBe(2)
  })

  it('a 502 page from a proxy (no Anthropic body) → ServerError by status', async () => {
    answer = () => new HttpResponse(badGateway, { status: 502, headers: { 'content-type': 'text/html' } })
    const provider = createAnthropic({ apiKey, baseURL })
    const error = (await provider.generate({ messages, maxRetries: 0 }).catch((e) => e)) as ModelplexError
    expect(ServerError.isInstance(error)).toBe(true)
    expect(error.status).toBe(502)
  })

  it('a 200 whose body is not JSON → MalformedResponseError, not retried', async () => {
    answer = () =>
      new HttpResponse(badGateway, { status: 200, headers: { 'content-type': 'application/json' } })
    const provider = createAnthropic({ apiKey, baseURL })
    const error = (await provider.generate({ messages, maxRetries: 2 }).catch((e) => e)) as ModelplexError
    expect(MalformedResponseError.isInstance(error)).toBe(true)
    expect(calls).toBe(1)
  })

  it('a 200 text page → MalformedResponseError', async () => {
    answer = () => new HttpResponse(badGateway, { status: 200, headers: { 'content-type': 'text/html' } })
    const provider = createAnthropic({ apiKey, baseURL })
    const error = (await provider.generate({ messages, maxRetries: 0 }).catch((e) => e)) as ModelplexError
    expect(MalformedResponseError.isInstance(error)).toBe(true)
  })
})

describe('mapAnthropicError without HTTP', () => {
  class APIConnectionError extends Error {}
  class APIConnectionTimeoutError extends APIConnectionError {}
  class APIUserAbortError extends Error {}

  it('classifies the SDK connection, timeout and abort errors by class name', () => {
    expect(ConnectionError.isInstance(mapAnthropicError(new APIConnectionError('Connection error.')))).toBe(
      true,
    )
    expect(
      TimeoutError.isInstance(mapAnthropicError(new APIConnectionTimeoutError('Request timed out.'))),
    ).toBe(true)
    expect(AbortedError.isInstance(mapAnthropicError(new APIUserAbortError('Request was aborted.')))).toBe(
      true,
    )
  })

  it('classifies a socket failure as ConnectionError and invalid JSON as MalformedResponseError', () => {
    const socket = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' })
    expect(
      ConnectionError.isInstance(mapAnthropicError(new TypeError('terminated', { cause: socket }))),
    ).toBe(true)
    expect(MalformedResponseError.isInstance(mapAnthropicError(new SyntaxError('Unexpected token <')))).toBe(
      true,
    )
  })

  it('keeps a ModelplexError as it is and wraps anything else with the provider named', () => {
    const original = new ServerError('x', { provider: 'anthropic' })
    expect(mapAnthropicError(original)).toBe(original)
    const wrapped = mapAnthropicError('weird', { model: 'claude-sonnet-5-5' })
    expect(wrapped).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-5-5' })
    expect(wrapped.message).toBe('Anthropic: weird')
  })

  it('reads the status of an error event from its type, and treats an unknown type as a server failure', () => {
    const overloaded = classifyAnthropicFailure({
      status: undefined,
      type: 'overloaded_error',
      message: 'Overloaded',
    })
    expect(overloaded).toMatchObject({ status: 529, retryable: true })
    const unknown = classifyAnthropicFailure({ status: undefined, type: 'brand_new_error', message: '?' })
    expect(ServerError.isInstance(unknown)).toBe(true)
    expect(unknown.code).toBe('brand_new_error')
  })

  it('prefers the finer error_code from error.details as the code', () => {
    const error = classifyAnthropicFailure({
      status: 400,
      type: 'invalid_request_error',
      message: 'Anthropic has disabled the organization.',
      errorCode: 'organization_on_hold',
    })
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    expect(error.code).toBe('organization_on_hold')
  })
})
