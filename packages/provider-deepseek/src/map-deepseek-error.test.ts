import {
  AuthenticationError,
  ContentFilterError,
  ContextWindowExceededError,
  InvalidRequestError,
  type ModelplexError,
  NotFoundError,
  RateLimitError,
  ServerError,
} from '@modelplex/core'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import contentRisk from './__fixtures__/error-400-content-exists-risk.json' with { type: 'json' }
import contextLength from './__fixtures__/error-400-context-length.json' with { type: 'json' }
import modelNotExist from './__fixtures__/error-400-model-not-exist.json' with { type: 'json' }
import authFails from './__fixtures__/error-401-authentication-fails.json' with { type: 'json' }
import insufficientBalance from './__fixtures__/error-402-insufficient-balance.json' with { type: 'json' }
import { createDeepSeek } from './index.js'
import { deepSeekErrorPayload } from './testing.js'

const baseURL = 'https://api.deepseek.modelplex.test'
const apiKey = 'sk-deepseek-secret-that-must-not-leak-1234'
let answer: () => Response = () => HttpResponse.json({})
let calls = 0
const server = setupServer(
  http.post(`${baseURL}/chat/completions`, () => {
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

async function failWith(status: number, body: unknown, headers: Record<string, string> = {}, maxRetries = 0) {
  answer = () =>
    HttpResponse.json(body as object, { status, headers: { 'x-request-id': 'req_ds', ...headers } })
  const provider = createDeepSeek({ apiKey, baseURL, retry: { initialDelayMs: 1, maxDelayMs: 2 } })
  const error = (await provider.generate({ messages, maxRetries }).catch((e) => e)) as ModelplexError
  expect(JSON.stringify(error.toJSON())).not.toContain(apiKey)
  expect(error.message).not.toContain(apiKey)
  return error
}

describe('DeepSeek errors through the SDK', () => {
  it('400 "Content Exists Risk" → ContentFilterError', async () => {
    const error = await failWith(400, contentRisk)
    expect(ContentFilterError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ status: 400, code: 'invalid_request_error', requestId: 'req_ds' })
  })

  it('400 "Model Not Exist" → NotFoundError (DeepSeek sends no 404)', async () => {
    const error = await failWith(400, modelNotExist)
    expect(NotFoundError.isInstance(error)).toBe(true)
    expect(error.status).toBe(400)
  })

  it('400 "maximum context length" → ContextWindowExceededError (the shared phrase)', async () => {
    const error = await failWith(400, contextLength)
    expect(ContextWindowExceededError.isInstance(error)).toBe(true)
  })

  it('any other 400 → InvalidRequestError, not a subclass', async () => {
    const error = await failWith(400, deepSeekErrorPayload('bad-request').body)
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    expect(ContentFilterError.isInstance(error) || NotFoundError.isInstance(error)).toBe(false)
  })

  it('401 "Authentication Fails" → AuthenticationError, not retried', async () => {
    const error = await failWith(401, authFails, {}, 2)
    expect(AuthenticationError.isInstance(error)).toBe(true)
    expect(calls).toBe(1)
  })

  it('402 "Insufficient Balance" → RateLimitError that is not retried', async () => {
    const error = await failWith(402, insufficientBalance, {}, 2)
    expect(RateLimitError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ status: 402, retryable: false })
    expect(calls).toBe(1)
  })

  it('422 "Invalid Parameters" → InvalidRequestError', async () => {
    const error = await failWith(422, {
      error: {
        message: 'Invalid Parameters',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_request_error',
      },
    })
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    expect(error.status).toBe(422)
  })

  it('429 → RateLimitError, retried', async () => {
    const error = await failWith(429, deepSeekErrorPayload('rate-limit').body, { 'retry-after': '0' }, 1)
    expect(RateLimitError.isInstance(error)).toBe(true)
    expect(error.retryable).toBe(true)
    expect(calls).toBe(2)
  })

  it('503 "Server Overloaded" → ServerError, retried', async () => {
    const error = await failWith(503, deepSeekErrorPayload('overloaded').body, {}, 1)
    expect(ServerError.isInstance(error)).toBe(true)
    expect(calls).toBe(2)
  })
})
