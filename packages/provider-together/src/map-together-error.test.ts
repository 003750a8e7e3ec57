import {
  AuthenticationError,
  ContextWindowExceededError,
  InvalidRequestError,
  type ModelplexError,
  NotFoundError,
  RateLimitError,
  ServerError,
} from '@modelplex/core'
import type { OpenAIErrorClasses } from '@modelplex/provider-openai-compatible'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { Together } from 'together-ai'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import contextLength from './__fixtures__/error-400-context-length.json' with { type: 'json' }
import inputRequired from './__fixtures__/error-400-input-required.json' with { type: 'json' }
import maxNewTokens from './__fixtures__/error-400-max-new-tokens.json' with { type: 'json' }
import invalidApiKey from './__fixtures__/error-401-invalid-api-key.json' with { type: 'json' }
import modelNotAvailable from './__fixtures__/error-404-model-not-available.json' with { type: 'json' }
import modelRateLimit from './__fixtures__/error-429-model-rate-limit.json' with { type: 'json' }
import { createTogether } from './index.js'
import { mapTogetherError } from './map-together-error.js'

const errors = Together as unknown as OpenAIErrorClasses
const context = { model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', errors }

/** The error together-ai throws for an HTTP error: it keeps the whole body (request id included) in `error`. */
function httpError(status: number, body: unknown, headers: Record<string, string> = {}) {
  return Together.APIError.generate(status, body as object, undefined, new Headers(headers))
}

const map = (status: number, body: unknown, headers?: Record<string, string>) =>
  mapTogetherError(httpError(status, body, headers), context)

describe('mapTogetherError', () => {
  it('401 invalid_api_key → AuthenticationError with the request id from the body', () => {
    const error = map(401, invalidApiKey)
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error).toMatchObject({
      status: 401,
      code: 'invalid_api_key',
      requestId: 'ovq49RB-6Ng1vN-a29afc16eff8a3a1',
      provider: 'together',
      retryable: false,
    })
    expect(error.message).toContain('Invalid API key provided')
  })

  it('an x-request-id header wins over the body id', () => {
    expect(map(401, invalidApiKey, { 'x-request-id': 'req_header' }).requestId).toBe('req_header')
  })

  it('model_not_available → NotFoundError, under 404 and under 400', () => {
    for (const status of [404, 400]) {
      const error = map(status, modelNotAvailable)
      expect(error).toBeInstanceOf(NotFoundError)
      expect(error.code).toBe('model_not_available')
    }
  })

  it('400 without a code: "longer than the model\'s context length" → ContextWindowExceededError', () => {
    const error = map(400, contextLength)
    expect(error).toBeInstanceOf(ContextWindowExceededError)
    expect(error.requestId).toBe('ovq5')
  })

  it('400 without a code: "`inputs` tokens + `max_new_tokens` must be <=" → ContextWindowExceededError', () => {
    expect(map(400, maxNewTokens)).toBeInstanceOf(ContextWindowExceededError)
  })

  it("403 with the context phrase (Together's documented status for it) → ContextWindowExceededError", () => {
    expect(map(403, maxNewTokens)).toBeInstanceOf(ContextWindowExceededError)
  })

  it('403 without it → AuthenticationError; another 400 → InvalidRequestError', () => {
    expect(map(403, inputRequired)).toBeInstanceOf(AuthenticationError)
    const error = map(400, inputRequired)
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect(error).not.toBeInstanceOf(ContextWindowExceededError)
  })

  it('402 (credits exhausted) → RateLimitError that is not retried', () => {
    const error = map(402, {
      id: 'ovq402',
      error: { message: 'Credit limit exceeded', type: 'invalid_request_error', param: null, code: null },
    })
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({ status: 402, retryable: false })
  })

  it('429 model_rate_limit with retry-after → retryable RateLimitError with retryAfterMs', () => {
    const error = map(429, modelRateLimit, { 'retry-after': '2' })
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({ code: 'model_rate_limit', retryable: true, retryAfterMs: 2000 })
  })

  it('503 (engine overloaded) and 524 (gateway timeout) → retryable ServerError', () => {
    for (const status of [503, 524]) {
      const error = map(status, {
        error: { message: 'Engine overloaded', type: 'server_error', param: null, code: null },
      })
      expect(error).toBeInstanceOf(ServerError)
      expect(error.retryable).toBe(true)
    }
  })

  it('an error frame inside a stream (no status) → ServerError', () => {
    const frame = new Together.APIError(
      undefined,
      { message: 'Internal error', type: 'server_error' },
      undefined,
      undefined,
    )
    expect(mapTogetherError(frame, context)).toBeInstanceOf(ServerError)
  })
})

describe('Together errors through together-ai', () => {
  const baseURL = 'https://api.together.modelplex.test/v1'
  const apiKey = 'tgp_v1_secret_key_that_must_not_leak_1234'
  let calls = 0
  let answer: () => Response = () => HttpResponse.json({})
  const server = setupServer(
    http.post(`${baseURL}/chat/completions`, () => {
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
    answer = () => HttpResponse.json(body as object, { status })
    const provider = createTogether({ apiKey, baseURL, retry: { initialDelayMs: 1, maxDelayMs: 2 } })
    const error = (await provider
      .generate({ messages: [{ role: 'user', content: 'Hi' }], maxRetries })
      .catch((caught) => caught)) as ModelplexError
    expect(JSON.stringify(error.toJSON())).not.toContain(apiKey)
    expect(error.message).not.toContain(apiKey)
    return error
  }

  it('a context overflow is not retried and keeps the body request id', async () => {
    const error = await failWith(400, contextLength, 2)
    expect(ContextWindowExceededError.isInstance(error)).toBe(true)
    expect(error.requestId).toBe('ovq5')
    expect(calls).toBe(1)
  })

  it('a 503 is retried', async () => {
    const error = await failWith(503, { error: { message: 'Engine overloaded', type: 'server_error' } }, 1)
    expect(ServerError.isInstance(error)).toBe(true)
    expect(calls).toBe(2)
  })
})
