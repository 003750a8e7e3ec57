import {
  AuthenticationError,
  ConnectionError,
  ContextWindowExceededError,
  InvalidRequestError,
  type ModelplexError,
  NotFoundError,
  RateLimitError,
  ServerError,
} from '@modelplex/core'
import type { OpenAIErrorClasses } from '@modelplex/provider-openai-compatible'
import { Groq } from 'groq-sdk'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import contextLength from './__fixtures__/error-400-context-length.json' with { type: 'json' }
import contextLengthNoCode from './__fixtures__/error-400-context-length-no-code.json' with { type: 'json' }
import decommissioned from './__fixtures__/error-400-model-decommissioned.json' with { type: 'json' }
import invalidApiKey from './__fixtures__/error-401-invalid-api-key.json' with { type: 'json' }
import restricted from './__fixtures__/error-403-organization-restricted.json' with { type: 'json' }
import modelNotFound from './__fixtures__/error-404-model-not-found.json' with { type: 'json' }
import requestTooLarge from './__fixtures__/error-413-request-too-large.json' with { type: 'json' }
import rateLimit from './__fixtures__/error-429-rate-limit.json' with { type: 'json' }
import capacityExceeded from './__fixtures__/error-498-capacity-exceeded.json' with { type: 'json' }
import { createGroq } from './index.js'
import { mapGroqError } from './map-groq-error.js'

const errors = Groq as unknown as OpenAIErrorClasses
const context = { model: 'llama-3.3-70b-versatile', errors }

/** The error groq-sdk throws for an HTTP error: it keeps the whole body in `error`. */
function httpError(status: number, body: unknown, headers: Record<string, string> = {}) {
  return Groq.APIError.generate(
    status,
    body as object,
    undefined,
    new Headers({ 'x-request-id': 'req_01jgroq', ...headers }),
  )
}

const map = (status: number, body: unknown, headers?: Record<string, string>) =>
  mapGroqError(httpError(status, body, headers), context)

describe('mapGroqError', () => {
  it('401 invalid_api_key → AuthenticationError with status, code and request id, not retryable', () => {
    const error = map(401, invalidApiKey)
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error).toMatchObject({
      status: 401,
      code: 'invalid_api_key',
      requestId: 'req_01jgroq',
      provider: 'groq',
      model: 'llama-3.3-70b-versatile',
      retryable: false,
    })
    expect(error.message).toBe('Groq: 401 Invalid API Key')
  })

  it('403 organization_restricted → AuthenticationError', () => {
    expect(map(403, restricted)).toBeInstanceOf(AuthenticationError)
  })

  it('organization_restricted under another status is still AuthenticationError (the code decides)', () => {
    const error = map(400, restricted)
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error.code).toBe('organization_restricted')
  })

  it('404 model_not_found → NotFoundError', () => {
    const error = map(404, modelNotFound)
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error.code).toBe('model_not_found')
  })

  it('400 model_decommissioned → NotFoundError, not retried', () => {
    const error = map(400, decommissioned)
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error).toMatchObject({ status: 400, code: 'model_decommissioned', retryable: false })
  })

  it('400 context_length_exceeded → ContextWindowExceededError', () => {
    expect(map(400, contextLength)).toBeInstanceOf(ContextWindowExceededError)
  })

  it('400 without a code: the phrase "reduce the length of the messages or completion" → ContextWindowExceededError', () => {
    const error = map(400, contextLengthNoCode)
    expect(error).toBeInstanceOf(ContextWindowExceededError)
    expect(error.code).toBe('invalid_request_error')
  })

  it('400 without a code and another message stays InvalidRequestError', () => {
    const error = map(400, {
      error: { message: "'messages' : minimum number of items is 1", type: 'invalid_request_error' },
    })
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect(error).not.toBeInstanceOf(ContextWindowExceededError)
  })

  it('413 rate_limit_exceeded (one request above the TPM limit) → RateLimitError that is not retried', () => {
    const error = map(413, requestTooLarge)
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({ status: 413, code: 'rate_limit_exceeded', retryable: false })
    expect(error.message).toContain('Request too large for model')
  })

  it('413 without a code (the body itself too large) → ContextWindowExceededError', () => {
    const error = map(413, { error: { message: 'Request Entity Too Large', type: 'invalid_request_error' } })
    expect(error).toBeInstanceOf(ContextWindowExceededError)
  })

  it('429 rate_limit_exceeded with retry-after → retryable RateLimitError with retryAfterMs', () => {
    const error = map(429, rateLimit, { 'retry-after': '5' })
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({
      status: 429,
      code: 'rate_limit_exceeded',
      retryable: true,
      retryAfterMs: 5000,
    })
  })

  it('498 capacity_exceeded (flex tier full) → retryable ServerError', () => {
    const error = map(498, capacityExceeded)
    expect(error).toBeInstanceOf(ServerError)
    expect(error).toMatchObject({ status: 498, retryable: true })
  })

  it('500 and 503 → retryable ServerError', () => {
    for (const status of [500, 503]) {
      const error = map(status, { error: { message: 'Service Unavailable', type: 'internal_server_error' } })
      expect(error).toBeInstanceOf(ServerError)
      expect(error.retryable).toBe(true)
    }
  })

  it("an error frame inside a stream (the SDK's APIError without status) → ServerError", () => {
    const frame = new Groq.APIError(
      undefined,
      { message: 'Internal Server Error', type: 'internal_server_error' },
      undefined,
      undefined,
    )
    const error = mapGroqError(frame, context)
    expect(error).toBeInstanceOf(ServerError)
    expect(error.status).toBeUndefined()
    expect(error.message).toContain('Internal Server Error')
  })

  it("the SDK's connection error → ConnectionError", () => {
    const error = mapGroqError(new Groq.APIConnectionError({ cause: new TypeError('fetch failed') }), context)
    expect(error).toBeInstanceOf(ConnectionError)
  })
})

describe('Groq errors through groq-sdk', () => {
  const host = 'https://api.groq.modelplex.test'
  const apiKey = 'gsk_secret_key_that_must_not_leak_1234'
  let answer: () => Response = () => HttpResponse.json({})
  let calls = 0
  const server = setupServer(
    http.post(`${host}/openai/v1/chat/completions`, () => {
      calls++
      return answer()
    }),
  )
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => {
    calls = 0
  })
  afterAll(() => server.close())

  async function failWith(status: number, body: unknown, maxRetries: number) {
    answer = () => HttpResponse.json(body as object, { status, headers: { 'x-request-id': 'req_e2e' } })
    const provider = createGroq({ apiKey, baseURL: host, retry: { initialDelayMs: 1, maxDelayMs: 2 } })
    const error = (await provider
      .generate({ messages: [{ role: 'user', content: 'Hi' }], maxRetries })
      .catch((caught) => caught)) as ModelplexError
    expect(JSON.stringify(error.toJSON())).not.toContain(apiKey)
    expect(error.message).not.toContain(apiKey)
    return error
  }

  it('a 413 above the TPM limit is not retried, and keeps the request id', async () => {
    const error = await failWith(413, requestTooLarge, 2)
    expect(RateLimitError.isInstance(error)).toBe(true)
    expect(error.requestId).toBe('req_e2e')
    expect(calls).toBe(1)
  })

  it('a 498 from the flex tier is retried', async () => {
    const error = await failWith(498, capacityExceeded, 1)
    expect(ServerError.isInstance(error)).toBe(true)
    expect(calls).toBe(2)
  })

  it('a 200 that is not JSON → MalformedResponseError', async () => {
    answer = () =>
      new HttpResponse('<html><body>Bad gateway</body></html>', {
        status: 200,
        headers: { 'content-type': 'application/json' },
      })
    const error = await createGroq({ apiKey, baseURL: host })
      .generate({ messages: [{ role: 'user', content: 'Hi' }], maxRetries: 0 })
      .catch((caught) => caught)
    expect(error.name).toBe('MalformedResponseError')
  })
})
