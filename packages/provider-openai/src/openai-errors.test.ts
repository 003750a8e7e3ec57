import { readFileSync } from 'node:fs'
import {
  AuthenticationError,
  ContentFilterError,
  ContextWindowExceededError,
  MalformedResponseError,
  type ModelplexError,
  RateLimitError,
} from '@modelplex/core'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import contentPolicy from './__fixtures__/error-400-content-policy.json' with { type: 'json' }
import contextLength from './__fixtures__/error-400-context-length.json' with { type: 'json' }
import invalidApiKey from './__fixtures__/error-401-invalid-api-key.json' with { type: 'json' }
import insufficientQuota from './__fixtures__/error-429-insufficient-quota.json' with { type: 'json' }
import rateLimit from './__fixtures__/error-429-rate-limit.json' with { type: 'json' }
import { createOpenAI } from './index.js'

const baseURL = 'https://api.openai.modelplex.test/v1'
const apiKey = 'sk-proj-secret-key-that-must-not-leak-1234'
const badGateway = readFileSync(new URL('./__fixtures__/malformed-502-page.txt', import.meta.url), 'utf8')
let answer: () => Response = () => HttpResponse.json({})
let calls = 0
// Both APIs answer errors with the same documented bodies: each test runs against the Responses API (the default).
const server = setupServer(
  http.post(`${baseURL}/chat/completions`, () => {
    calls++
    return answer()
  }),
  http.post(`${baseURL}/responses`, () => {
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

/** Answers every request with `status` and the documented body, and returns what the call threw. */
async function failWith(status: number, body: unknown, headers: Record<string, string> = {}, maxRetries = 0) {
  answer = () =>
    HttpResponse.json(body as object, { status, headers: { 'x-request-id': 'req_abc', ...headers } })
  const provider = createOpenAI({ apiKey, baseURL, retry: { initialDelayMs: 1, maxDelayMs: 2 } })
  const error = (await provider
    .generate({ model: 'gpt-4o-mini', messages, maxRetries })
    .catch((e) => e)) as ModelplexError
  expect(JSON.stringify(error.toJSON())).not.toContain(apiKey)
  expect(error.message).not.toContain(apiKey)
  return error
}

describe('OpenAI errors through the SDK', () => {
  it('401 invalid_api_key → AuthenticationError, not retried, key absent', async () => {
    const error = await failWith(401, invalidApiKey, {}, 2)
    expect(AuthenticationError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({
      status: 401,
      code: 'invalid_api_key',
      requestId: 'req_abc',
      provider: 'openai',
    })
    expect(calls).toBe(1)
  })

  it('429 with Retry-After → RateLimitError with retryAfterMs, retried until exhausted', async () => {
    const error = await failWith(429, rateLimit, { 'retry-after': '0' }, 1)
    expect(RateLimitError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({
      status: 429,
      code: 'rate_limit_exceeded',
      retryable: true,
      retryAfterMs: 0,
    })
    expect(calls).toBe(2)
  })

  it('429 with retry-after-ms is read in milliseconds', async () => {
    const error = await failWith(429, rateLimit, { 'retry-after-ms': '20', 'retry-after': '1' })
    expect(error.retryAfterMs).toBe(20)
  })

  it('429 insufficient_quota → RateLimitError that is not retried', async () => {
    const error = await failWith(429, insufficientQuota, {}, 2)
    expect(RateLimitError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ code: 'insufficient_quota', retryable: false })
    expect(calls).toBe(1)
  })

  it('400 context_length_exceeded → ContextWindowExceededError', async () => {
    const error = await failWith(400, contextLength)
    expect(ContextWindowExceededError.isInstance(error)).toBe(true)
    expect(error.message).toContain('maximum context length is 128000 tokens')
  })

  it('400 content_policy_violation → ContentFilterError', async () => {
    const error = await failWith(400, contentPolicy)
    expect(ContentFilterError.isInstance(error)).toBe(true)
  })

  it('a 200 proxy page as JSON, or as HTML → MalformedResponseError', async () => {
    answer = () =>
      new HttpResponse(badGateway, { status: 200, headers: { 'content-type': 'application/json' } })
    const provider = createOpenAI({ apiKey, baseURL })
    const asJson = await provider.generate({ messages, maxRetries: 0 }).catch((e) => e)
    expect(MalformedResponseError.isInstance(asJson)).toBe(true)
    answer = () => new HttpResponse(badGateway, { status: 200, headers: { 'content-type': 'text/html' } })
    const asHtml = await provider.generate({ messages, maxRetries: 0 }).catch((e) => e)
    expect(MalformedResponseError.isInstance(asHtml)).toBe(true)
  })
})
