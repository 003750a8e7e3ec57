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
import { describe, expect, it } from 'vitest'
import { mapMistralError, readMistralErrorBody } from './map-mistral-error.js'
import { fixture, jsonResponse, TEST_KEY, testProvider } from './mistral-test-helpers.js'

const hello = [{ role: 'user' as const, content: 'Hi' }]
const correlation = { 'mistral-correlation-id': '019b98cb-9ba7-7ce1-9414-ce1995670282' }

/** The error a generate call fails with when the API answers `response` (the real SDK throws, we map). */
async function failWith(response: () => Response) {
  const { provider, requests } = testProvider(response)
  const error = await provider.generate({ model: 'mistral-small-latest', messages: hello }).catch((e) => e)
  expect(error).toBeInstanceOf(ModelplexError)
  // Never the key, whatever the error.
  expect(JSON.stringify(error)).not.toContain(TEST_KEY)
  expect(String(error)).not.toContain(TEST_KEY)
  return { error, requests }
}

describe('HTTP errors, classified by status and Mistral code', () => {
  it('400 code 3051 → ContextWindowExceededError', async () => {
    const { error } = await failWith(() =>
      jsonResponse(fixture('error-400-context-length.json'), 400, correlation),
    )
    expect(ContextWindowExceededError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({
      status: 400,
      code: '3051',
      retryable: false,
      requestId: '019b98cb-9ba7-7ce1-9414-ce1995670282',
      provider: 'mistral',
      model: 'mistral-small-latest',
    })
    expect(error.message).toContain('too large for model with 131072 maximum context length')
  })

  it('400 with code null and the phrase "too large for model with N maximum context length" → ContextWindowExceededError', async () => {
    const { error } = await failWith(() =>
      jsonResponse(fixture('error-400-context-length-no-code.json'), 400),
    )
    expect(ContextWindowExceededError.isInstance(error)).toBe(true)
    expect(error.code).toBe('invalid_request_message_error')
  })

  it('400 code 3280 (tool call id) → InvalidRequestError, not retried', async () => {
    const { error } = await failWith(() => jsonResponse(fixture('error-400-tool-call-id.json'), 400))
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    expect(ContextWindowExceededError.isInstance(error) || ContentFilterError.isInstance(error)).toBe(false)
    expect(error).toMatchObject({ status: 400, code: '3280', retryable: false })
    expect(error.message).toBe(
      'Mistral: 400 Tool call id was turn1_0 but must be a-z, A-Z, 0-9, with a length of 9.',
    )
  })

  it('400 type invalid_model → NotFoundError (Mistral answers an unknown model with 400)', async () => {
    const { error } = await failWith(() => jsonResponse(fixture('error-400-invalid-model.json'), 400))
    expect(NotFoundError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ status: 400, code: '1500' })
  })

  it('422 validation error → InvalidRequestError naming the field', async () => {
    const { error } = await failWith(() => jsonResponse(fixture('error-422-validation.json'), 422))
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    expect(error.status).toBe(422)
    expect(error.message).toBe('Mistral: 422 body.temperature: Input should be less than or equal to 1.5')
  })

  it("401 from the gateway → AuthenticationError with the body's request_id", async () => {
    const { error, requests } = await failWith(() =>
      jsonResponse(fixture('error-401-unauthorized.json'), 401),
    )
    expect(AuthenticationError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({
      status: 401,
      retryable: false,
      requestId: 'e3cdc71ad824e913e3a8c805da9d6912',
    })
    expect(requests).toHaveLength(1)
  })

  it('403 → AuthenticationError', async () => {
    const { error } = await failWith(() => jsonResponse({ message: 'Forbidden', request_id: 'r1' }, 403))
    expect(AuthenticationError.isInstance(error)).toBe(true)
    expect(error.status).toBe(403)
  })

  it('403 guardrail_triggered → ContentFilterError', async () => {
    const { error } = await failWith(() => jsonResponse(fixture('error-403-guardrail.json'), 403))
    expect(ContentFilterError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ status: 403, code: 'guardrail_triggered' })
    expect(error.message).toContain('Request blocked due to: violence_and_threats')
  })

  it('404 → NotFoundError', async () => {
    const { error } = await failWith(() => jsonResponse({ detail: 'Not Found' }, 404))
    expect(NotFoundError.isInstance(error)).toBe(true)
    expect(error.message).toBe('Mistral: 404 Not Found')
  })

  it('402 (no credit) → RateLimitError that is not retried', async () => {
    const { error } = await failWith(() => jsonResponse({ message: 'Payment Required' }, 402))
    expect(RateLimitError.isInstance(error)).toBe(true)
    expect(error.retryable).toBe(false)
  })

  it('429 code 3505 with Retry-After → RateLimitError with retryAfterMs', async () => {
    const { error } = await failWith(() =>
      jsonResponse(fixture('error-429-rate-limit.json'), 429, { 'retry-after': '2' }),
    )
    expect(RateLimitError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ status: 429, code: '3505', retryable: true, retryAfterMs: 2000 })
  })

  it('500 and 503 → ServerError, retryable', async () => {
    for (const status of [500, 503]) {
      const { error } = await failWith(() =>
        jsonResponse(
          { object: 'error', message: 'Service unavailable', type: 'server_error', param: null, code: null },
          status,
        ),
      )
      expect(ServerError.isInstance(error)).toBe(true)
      expect(error).toMatchObject({ status, retryable: true })
    }
  })

  it('a 502 HTML page from a proxy → ServerError', async () => {
    const { error } = await failWith(
      () =>
        new Response('<html>Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }),
    )
    expect(ServerError.isInstance(error)).toBe(true)
    expect(error.message).toBe('Mistral: 502 HTTP 502')
  })
})

describe('bodies that are not the documented shape', () => {
  it('a 200 that is not JSON → MalformedResponseError', async () => {
    const { error } = await failWith(() => jsonResponse('<html>oops</html>'))
    expect(MalformedResponseError.isInstance(error)).toBe(true)
  })

  it('a 200 JSON that fails the SDK schema (ResponseValidationError) → MalformedResponseError', async () => {
    const { error } = await failWith(() => jsonResponse({ hello: 'world' }))
    expect(MalformedResponseError.isInstance(error)).toBe(true)
    expect(error.cause?.name).toBe('ResponseValidationError')
  })

  it('a 200 with an unexpected content type (SDKError) → MalformedResponseError', async () => {
    const { error } = await failWith(
      () => new Response('hi', { status: 200, headers: { 'content-type': 'text/plain' } }),
    )
    expect(MalformedResponseError.isInstance(error)).toBe(true)
  })
})

describe('client-side failures', () => {
  it('a reset connection → ConnectionError', async () => {
    const { error } = await failWith(() => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      })
    })
    expect(ConnectionError.isInstance(error)).toBe(true)
    expect(error.retryable).toBe(true)
  })

  it("the SDK's own abort and timeout errors", () => {
    expect(
      AbortedError.isInstance(
        mapMistralError(Object.assign(new Error('x'), { name: 'RequestAbortedError' })),
      ),
    ).toBe(true)
    expect(
      TimeoutError.isInstance(
        mapMistralError(Object.assign(new Error('x'), { name: 'RequestTimeoutError' })),
      ),
    ).toBe(true)
  })

  it('a request the SDK refuses before sending (SDKValidationError) → InvalidRequestError', async () => {
    const { Mistral } = await import('@mistralai/mistralai')
    const client = new Mistral({ apiKey: TEST_KEY, retryConfig: { strategy: 'none' } })
    // A real SDKValidationError: the SDK's schema wants an integer for max_tokens, so nothing is sent.
    const raw = await client.chat
      .complete({ model: 'm', messages: [{ role: 'user', content: 'x' }], maxTokens: 1.5 })
      .catch((e) => e)
    expect(raw.name).toBe('SDKValidationError')
    const error = mapMistralError(raw)
    expect(InvalidRequestError.isInstance(error)).toBe(true)
  })

  it('an SDKValidationError about a response → MalformedResponseError', () => {
    const error = mapMistralError(
      Object.assign(new Error('Response validation failed'), {
        name: 'SDKValidationError',
        rawMessage: 'Response validation failed',
      }),
    )
    expect(MalformedResponseError.isInstance(error)).toBe(true)
  })

  it('a zod error from a stream event → MalformedResponseError', () => {
    const error = mapMistralError(Object.assign(new Error('[]'), { name: 'ZodError', issues: [] }))
    expect(MalformedResponseError.isInstance(error)).toBe(true)
  })

  it('anything else → ModelplexError with the provider and model', () => {
    const error = mapMistralError(new Error('boom'), { model: 'mistral-small-latest' })
    expect(error.constructor).toBe(ModelplexError)
    expect(error).toMatchObject({
      provider: 'mistral',
      model: 'mistral-small-latest',
      message: 'Mistral: boom',
    })
  })

  it('passes a modelplex error through unchanged', () => {
    const original = new ServerError('x', { provider: 'mistral' })
    expect(mapMistralError(original)).toBe(original)
  })
})

describe('readMistralErrorBody', () => {
  it('reads the documented, gateway, guardrail and validation shapes', () => {
    expect(readMistralErrorBody(fixture('error-429-rate-limit.json'))).toEqual({
      message: 'Requests rate limit exceeded',
      type: 'rate_limit_exceeded',
      code: '3505',
      requestId: undefined,
    })
    expect(readMistralErrorBody(fixture('error-403-guardrail.json'))?.code).toBe('guardrail_triggered')
    expect(
      readMistralErrorBody('{"detail":[{"loc":["body","model"],"msg":"Field required"}]}')?.message,
    ).toBe('body.model: Field required')
    expect(readMistralErrorBody('not json')).toBeUndefined()
  })
})
