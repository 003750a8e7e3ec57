import { sseResponse } from '@modelplex/conformance'
import {
  AuthenticationError,
  ContentFilterError,
  ContextWindowExceededError,
  InvalidRequestError,
  type ModelplexError,
  NotFoundError,
  RateLimitError,
  ServerError,
  StreamInterruptedError,
} from '@modelplex/core'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import wrongKey from './__fixtures__/error-400-incorrect-api-key.json' with { type: 'json' }
import invalidArgument from './__fixtures__/error-400-invalid-argument.json' with { type: 'json' }
import promptLength from './__fixtures__/error-400-prompt-length.json' with { type: 'json' }
import noCredentials from './__fixtures__/error-401-no-credentials.json' with { type: 'json' }
import noCredits from './__fixtures__/error-403-no-credits.json' with { type: 'json' }
import usageGuidelines from './__fixtures__/error-403-usage-guidelines.json' with { type: 'json' }
import deprecatedModel from './__fixtures__/error-404-deprecated-model.json' with { type: 'json' }
import capacity from './__fixtures__/error-429-capacity.json' with { type: 'json' }
import spendingLimit from './__fixtures__/error-429-spending-limit.json' with { type: 'json' }
import { createXai } from './index.js'

const baseURL = 'https://api.x.modelplex.test/v1'
const apiKey = 'xai-secret-key-that-must-not-leak-1234'
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

/** Answers every request with `status` and xAI's body, and returns what the call threw. */
async function failWith(status: number, body: unknown, headers: Record<string, string> = {}, maxRetries = 0) {
  answer = () =>
    HttpResponse.json(body as object, { status, headers: { 'x-request-id': 'req_xai', ...headers } })
  const provider = createXai({ apiKey, baseURL, retry: { initialDelayMs: 1, maxDelayMs: 2 } })
  const error = (await provider.generate({ messages, maxRetries }).catch((e) => e)) as ModelplexError
  expect(JSON.stringify(error.toJSON())).not.toContain(apiKey)
  expect(error.message).not.toContain(apiKey)
  return error
}

describe('xAI errors through the SDK', () => {
  it('400 "Incorrect API key provided" → AuthenticationError with status 400, not retried', async () => {
    const error = await failWith(400, wrongKey, {}, 2)
    expect(AuthenticationError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ status: 400, provider: 'xai', requestId: 'req_xai', retryable: false })
    expect(error.message).toBe(`xAI: 400 ${wrongKey.error}`)
    expect(calls).toBe(1)
  })

  it('401 without valid credentials → AuthenticationError', async () => {
    const error = await failWith(401, noCredentials)
    expect(AuthenticationError.isInstance(error)).toBe(true)
    expect(error.status).toBe(401)
  })

  it('400 "maximum prompt length" → ContextWindowExceededError', async () => {
    const error = await failWith(400, promptLength)
    expect(ContextWindowExceededError.isInstance(error)).toBe(true)
  })

  it('any other 400 → InvalidRequestError, not a subclass', async () => {
    const error = await failWith(400, invalidArgument)
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    expect(ContextWindowExceededError.isInstance(error) || AuthenticationError.isInstance(error)).toBe(false)
  })

  it('403 "violates usage guidelines" → ContentFilterError', async () => {
    const error = await failWith(403, usageGuidelines)
    expect(ContentFilterError.isInstance(error)).toBe(true)
    expect(error.status).toBe(403)
  })

  it('403 without credits → RateLimitError that is not retried', async () => {
    const error = await failWith(403, noCredits, {}, 2)
    expect(RateLimitError.isInstance(error)).toBe(true)
    expect(error.retryable).toBe(false)
    expect(calls).toBe(1)
  })

  it('429 "spending limit" → RateLimitError that is not retried', async () => {
    const error = await failWith(429, spendingLimit, {}, 2)
    expect(RateLimitError.isInstance(error)).toBe(true)
    expect(error.retryable).toBe(false)
    expect(calls).toBe(1)
  })

  it('429 at capacity → RateLimitError retried after Retry-After', async () => {
    const error = await failWith(429, capacity, { 'retry-after': '0' }, 1)
    expect(RateLimitError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 0, status: 429 })
    expect(calls).toBe(2)
  })

  it('404 for a retired model → NotFoundError', async () => {
    const error = await failWith(404, deprecatedModel)
    expect(NotFoundError.isInstance(error)).toBe(true)
    expect(error.message).toContain('grok-beta was deprecated')
  })

  it('503 → ServerError, retried', async () => {
    const error = await failWith(503, { code: 'The service is currently unavailable', error: 'busy' }, {}, 1)
    expect(ServerError.isInstance(error)).toBe(true)
    expect(calls).toBe(2)
  })

  it('an OpenAI-shaped body (a proxy in front of xAI) falls through to the shared mapping', async () => {
    const error = await failWith(400, {
      error: { message: 'bad', type: 'invalid_request_error', code: 'context_length_exceeded', param: null },
    })
    expect(ContextWindowExceededError.isInstance(error)).toBe(true)
    expect(error.code).toBe('context_length_exceeded')
  })

  it('an error frame inside a stream → ServerError keeping the partial text', async () => {
    const frames = [
      {
        id: 's1',
        object: 'chat.completion.chunk',
        model: 'grok-4.3',
        choices: [{ index: 0, delta: { content: 'Half' } }],
      },
      { code: 'Internal error', error: 'The server encountered an internal error.' },
    ]
    answer = () => sseResponse(frames.map((frame) => ({ data: JSON.stringify(frame) })))
    const stream = createXai({ apiKey, baseURL }).stream({ messages })
    const error = (await stream.result().catch((e) => e)) as ModelplexError
    expect(ServerError.isInstance(error)).toBe(true)
    expect(StreamInterruptedError.isInstance(error)).toBe(false)
    expect(error.partial?.text).toBe('Half')
  })
})
