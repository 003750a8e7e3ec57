import {
  AuthenticationError,
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
import contextLength from './__fixtures__/error-400-context-length.json' with { type: 'json' }
import authorizationFailed from './__fixtures__/error-403-authorization-failed.json' with { type: 'json' }
import functionNotFound from './__fixtures__/error-404-function-not-found.json' with { type: 'json' }
import { createNvidia } from './index.js'
import { nvidiaErrorPayload } from './testing.js'

const baseURL = 'https://integrate.api.nvidia.modelplex.test/v1'
const apiKey = 'nvapi-secret-that-must-not-leak-1234'
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
  const provider = createNvidia({ apiKey, baseURL, retry: { initialDelayMs: 1, maxDelayMs: 2 } })
  const error = (await provider.generate({ messages, maxRetries }).catch((e) => e)) as ModelplexError
  expect(JSON.stringify(error.toJSON())).not.toContain(apiKey)
  expect(error.message).not.toContain(apiKey)
  return error
}

// The gateway's problem details carry no `error` key, so the SDK keeps only the status: NIM's
// errors are classified by status, and by the shared context-length phrase for the model server's.
describe('NVIDIA NIM errors through the SDK', () => {
  it('403 "Authorization failed" (a wrong key) → AuthenticationError, not retried', async () => {
    const error = await failWith(403, authorizationFailed, {}, 2)
    expect(AuthenticationError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ status: 403, provider: 'nvidia' })
    expect(calls).toBe(1)
  })

  it('404 for a model the account cannot use → NotFoundError', async () => {
    const error = await failWith(404, functionNotFound)
    expect(NotFoundError.isInstance(error)).toBe(true)
  })

  it('400 "maximum context length" in the model server\'s body → ContextWindowExceededError', async () => {
    const error = await failWith(400, contextLength)
    expect(ContextWindowExceededError.isInstance(error)).toBe(true)
    expect(error.message).toContain('maximum context length is 196608 tokens')
  })

  it('another 400 → InvalidRequestError, not a subclass; a 422 likewise', async () => {
    const error = await failWith(400, nvidiaErrorPayload('bad-request').body)
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    expect(ContextWindowExceededError.isInstance(error)).toBe(false)
    const unprocessable = await failWith(422, { detail: [{ loc: ['body', 'temperature'], msg: 'bad' }] })
    expect(InvalidRequestError.isInstance(unprocessable)).toBe(true)
  })

  it('429 → RateLimitError, retried', async () => {
    const error = await failWith(429, nvidiaErrorPayload('rate-limit').body, { 'retry-after': '0' }, 1)
    expect(RateLimitError.isInstance(error)).toBe(true)
    expect(calls).toBe(2)
  })

  it('503 → ServerError, retried', async () => {
    const error = await failWith(503, nvidiaErrorPayload('overloaded').body, {}, 1)
    expect(ServerError.isInstance(error)).toBe(true)
    expect(calls).toBe(2)
  })
})
