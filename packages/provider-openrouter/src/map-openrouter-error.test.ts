import { sseResponse } from '@modelplex/conformance'
import {
  AuthenticationError,
  ContentFilterError,
  ContextWindowExceededError,
  type ModelplexError,
  NotFoundError,
  RateLimitError,
  ServerError,
  StreamInterruptedError,
} from '@modelplex/core'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import userNotFound from './__fixtures__/error-401-user-not-found.json' with { type: 'json' }
import inFlight from './__fixtures__/error-402-in-flight-budget.json' with { type: 'json' }
import noCredits from './__fixtures__/error-402-insufficient-credits.json' with { type: 'json' }
import budget from './__fixtures__/error-403-budget.json' with { type: 'json' }
import moderation from './__fixtures__/error-403-moderation.json' with { type: 'json' }
import noEndpoints from './__fixtures__/error-404-no-endpoints.json' with { type: 'json' }
import { createOpenRouter } from './index.js'
import { openRouterErrorPayload } from './testing.js'

const baseURL = 'https://openrouter.modelplex.test/api/v1'
const apiKey = 'sk-or-v1-secret-that-must-not-leak-1234'
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
  answer = () => HttpResponse.json(body as object, { status, headers })
  const provider = createOpenRouter({ apiKey, baseURL, retry: { initialDelayMs: 1, maxDelayMs: 2 } })
  const error = (await provider.generate({ messages, maxRetries }).catch((e) => e)) as ModelplexError
  expect(JSON.stringify(error.toJSON())).not.toContain(apiKey)
  expect(error.message).not.toContain(apiKey)
  return error
}

// The in-flight-budget and spent-budget messages are not documented; their metadata is.
describe('OpenRouter errors through the SDK', () => {
  it('401 → AuthenticationError, not retried', async () => {
    const error = await failWith(401, userNotFound, {}, 2)
    expect(AuthenticationError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ status: 401, provider: 'openrouter' })
    expect(calls).toBe(1)
  })

  it('402 out of credits → RateLimitError that is not retried (a fallback chain moves on)', async () => {
    const error = await failWith(402, noCredits, {}, 2)
    expect(RateLimitError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ status: 402, retryable: false })
    expect(calls).toBe(1)
  })

  it('402 of the in-flight budget with Retry-After → RateLimitError retried after the wait', async () => {
    const error = await failWith(402, inFlight, { 'retry-after': '0' }, 1)
    expect(RateLimitError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 0, code: 'openrouter_in_flight_budget' })
    expect(calls).toBe(2)
  })

  it('403 with moderation metadata → ContentFilterError', async () => {
    const error = await failWith(403, moderation)
    expect(ContentFilterError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ status: 403, code: 'moderation' })
  })

  it('403 of a spent guardrail budget → RateLimitError that is not retried', async () => {
    const error = await failWith(403, budget, {}, 2)
    expect(RateLimitError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ retryable: false, code: 'openrouter_guardrail_budget' })
    expect(calls).toBe(1)
  })

  it('403 without moderation or budget metadata → AuthenticationError', async () => {
    const error = await failWith(403, openRouterErrorPayload('forbidden').body)
    expect(AuthenticationError.isInstance(error)).toBe(true)
  })

  it('404 "No endpoints found" → NotFoundError', async () => {
    const error = await failWith(404, noEndpoints)
    expect(NotFoundError.isInstance(error)).toBe(true)
  })

  it('400 with the upstream\'s "maximum context length" → ContextWindowExceededError', async () => {
    const error = await failWith(400, openRouterErrorPayload('context-window').body)
    expect(ContextWindowExceededError.isInstance(error)).toBe(true)
  })

  it('408, 502 and 503 → ServerError, retried', async () => {
    for (const status of [408, 502, 503]) {
      calls = 0
      const error = await failWith(status, { error: { code: status, message: 'upstream trouble' } }, {}, 1)
      expect(ServerError.isInstance(error), String(status)).toBe(true)
      expect(calls).toBe(2)
    }
  })

  it('an error chunk after the stream started → ServerError keeping the partial text', async () => {
    const chunk = {
      id: 'gen-1',
      object: 'chat.completion.chunk',
      model: 'openai/gpt-4o-mini',
      choices: [{ index: 0, delta: { content: 'Par' } }],
    }
    const failure = {
      ...chunk,
      error: { code: 'server_error', message: 'Provider disconnected unexpectedly' },
      choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }],
    }
    answer = () => sseResponse([{ data: JSON.stringify(chunk) }, { data: JSON.stringify(failure) }])
    const error = (await createOpenRouter({ apiKey, baseURL })
      .stream({ messages })
      .result()
      .catch((e) => e)) as ModelplexError
    expect(ServerError.isInstance(error)).toBe(true)
    expect(StreamInterruptedError.isInstance(error)).toBe(false)
    expect(error).toMatchObject({ code: 'server_error', partial: { text: 'Par' } })
  })
})
