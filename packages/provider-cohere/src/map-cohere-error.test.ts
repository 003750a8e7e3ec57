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
import { Cohere, CohereError, CohereTimeoutError } from 'cohere-ai'
import { describe, expect, it } from 'vitest'
import error400TooManyTokens from './__fixtures__/error-400-too-many-tokens.json' with { type: 'json' }
import error401 from './__fixtures__/error-401-invalid-api-token.json' with { type: 'json' }
import error402 from './__fixtures__/error-402-billing.json' with { type: 'json' }
import error404 from './__fixtures__/error-404-model.json' with { type: 'json' }
import error429 from './__fixtures__/error-429-trial-key.json' with { type: 'json' }
import { CONTEXT_WINDOW_PHRASES, mapCohereError } from './map-cohere-error.js'

const errors = { CohereError, CohereTimeoutError }
const context = { provider: 'cohere', name: 'Cohere', model: 'command-a-03-2025', errors }

function rawResponse(status: number, headers: Record<string, string> = {}) {
  return {
    headers: new Headers(headers),
    redirected: false,
    status,
    statusText: '',
    type: 'basic' as const,
    url: '',
  }
}

type StatusErrorClass = new (body?: unknown, rawResponse?: any) => CohereError

/** The error cohere-ai throws for a status, built with its own class. */
function sdkError(Class: StatusErrorClass, status: number, body: unknown, headers?: Record<string, string>) {
  return new Class(body, rawResponse(status, headers))
}

const message = (text: string) => ({ id: 'req-1', message: text })

describe('mapCohereError: by status', () => {
  const cases: Array<[string, StatusErrorClass, number, unknown, { isInstance(v: unknown): boolean }]> = [
    [
      '400',
      Cohere.BadRequestError,
      400,
      message('invalid request: temperature must be between 0 and 1.0 inclusive.'),
      InvalidRequestError,
    ],
    ['401', Cohere.UnauthorizedError, 401, error401, AuthenticationError],
    ['403', Cohere.ForbiddenError, 403, message('forbidden'), AuthenticationError],
    ['404', Cohere.NotFoundError, 404, error404, NotFoundError],
    ['422', Cohere.UnprocessableEntityError, 422, message('unprocessable'), InvalidRequestError],
    ['498 (deny-listed token)', Cohere.InvalidTokenError, 498, message('blocked'), ContentFilterError],
    [
      '499 (cancelled by Cohere)',
      Cohere.ClientClosedRequestError,
      499,
      message('request cancelled'),
      ServerError,
    ],
    ['500', Cohere.InternalServerError, 500, message('internal server error'), ServerError],
    ['501', Cohere.NotImplementedError, 501, message('not implemented'), InvalidRequestError],
    ['503', Cohere.ServiceUnavailableError, 503, message('service unavailable'), ServerError],
    ['504', Cohere.GatewayTimeoutError, 504, message('gateway timeout'), ServerError],
  ]
  it.each(cases)('%s', (_, Class, status, body, expected) => {
    const mapped = mapCohereError(sdkError(Class, status, body), context)
    expect(expected.isInstance(mapped)).toBe(true)
    expect(mapped.status).toBe(status)
    expect(mapped.provider).toBe('cohere')
    expect(mapped.model).toBe('command-a-03-2025')
  })

  it('400 with a plain message is neither context window nor content filter, and not retried', () => {
    const mapped = mapCohereError(
      sdkError(Cohere.BadRequestError, 400, message('invalid request: bad')),
      context,
    )
    expect(ContextWindowExceededError.isInstance(mapped) || ContentFilterError.isInstance(mapped)).toBe(false)
    expect(mapped.retryable).toBe(false)
  })

  it('keeps the vendor message, the SDK class as code, the body id as requestId, and the cause', () => {
    const thrown = sdkError(Cohere.NotFoundError, 404, error404)
    const mapped = mapCohereError(thrown, context)
    expect(mapped.message).toBe(`Cohere: 404 ${error404.message}`)
    expect(mapped.code).toBe('NotFoundError')
    expect(mapped.requestId).toBe(error404.id)
    expect(mapped.cause).toBe(thrown)
  })

  it('429 is retryable, with the wait from Retry-After', () => {
    const mapped = mapCohereError(
      sdkError(Cohere.TooManyRequestsError, 429, error429, { 'retry-after': '7' }),
      context,
    )
    expect(RateLimitError.isInstance(mapped)).toBe(true)
    expect(mapped.retryable).toBe(true)
    expect(mapped.retryAfterMs).toBe(7000)
    expect(mapped.message).toContain('Trial key')
  })

  it('402 (billing limit reached) is a rate limit that waiting does not lift: not retried', () => {
    const mapped = mapCohereError(
      new CohereError({ statusCode: 402, body: error402, rawResponse: rawResponse(402) }),
      context,
    )
    expect(RateLimitError.isInstance(mapped)).toBe(true)
    expect(mapped.retryable).toBe(false)
    expect(mapped.status).toBe(402)
  })

  it('a status the SDK has no class for still maps by status (502 → ServerError)', () => {
    const mapped = mapCohereError(
      new CohereError({ statusCode: 502, body: '<html>Bad gateway</html>', rawResponse: rawResponse(502) }),
      context,
    )
    expect(ServerError.isInstance(mapped)).toBe(true)
    expect(mapped.message).toBe('Cohere: 502 <html>Bad gateway</html>')
  })

  it('reads `data`, the field the OpenAPI spec names, when there is no `message`', () => {
    const mapped = mapCohereError(
      sdkError(Cohere.BadRequestError, 400, { data: 'schema must be an object' }),
      context,
    )
    expect(mapped.message).toBe('Cohere: 400 schema must be an object')
  })
})

describe('mapCohereError: the context window, told by its "too many tokens" wording', () => {
  const phrases = [
    error400TooManyTokens.message,
    'too many tokens: total number of tokens in the prompt cannot exceed 4081 - received 4292. Try using a shorter prompt, or enabling prompt truncating.',
    'too many tokens: minimal context could not be added to prompt (size limit exceeded by 280 tokens)',
    'too many tokens: multi-hop prompt is too long even after truncation',
  ]
  it.each(phrases)('%s', (text) => {
    const mapped = mapCohereError(sdkError(Cohere.BadRequestError, 400, message(text)), context)
    expect(ContextWindowExceededError.isInstance(mapped)).toBe(true)
    expect(mapped.status).toBe(400)
  })

  it('has one test per phrase', () => {
    expect(phrases.map((text) => CONTEXT_WINDOW_PHRASES.findIndex((phrase) => phrase.test(text)))).toEqual([
      0, 1, 2, 3,
    ])
  })

  it('a max_tokens above the model limit is an invalid request, not a context window', () => {
    const text =
      'too many tokens: max tokens must be less than or equal to 4096, the maximum output for this model - received 8192.'
    const mapped = mapCohereError(sdkError(Cohere.BadRequestError, 400, message(text)), context)
    expect(InvalidRequestError.isInstance(mapped)).toBe(true)
    expect(ContextWindowExceededError.isInstance(mapped)).toBe(false)
  })

  it('the wording on another status does not count', () => {
    const mapped = mapCohereError(sdkError(Cohere.InternalServerError, 500, error400TooManyTokens), context)
    expect(ServerError.isInstance(mapped)).toBe(true)
  })
})

describe('mapCohereError: failures without a status', () => {
  it("a network failure (the SDK wraps fetch's TypeError) → ConnectionError", () => {
    const fetchFailed = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    })
    const mapped = mapCohereError(
      new CohereError({ message: 'fetch failed', cause: fetchFailed, rawResponse: rawResponse(0) }),
      context,
    )
    expect(ConnectionError.isInstance(mapped)).toBe(true)
    expect(mapped.retryable).toBe(true)
    expect(mapped.message).toContain('connect ECONNREFUSED')
  })

  it('a socket cut while reading a stream (raw TypeError) → ConnectionError', () => {
    const cut = new TypeError('terminated', {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    })
    expect(ConnectionError.isInstance(mapCohereError(cut, context))).toBe(true)
  })

  it("the SDK's own timeout → TimeoutError", () => {
    const mapped = mapCohereError(
      new CohereTimeoutError('Timeout exceeded when calling POST /v2/chat.'),
      context,
    )
    expect(TimeoutError.isInstance(mapped)).toBe(true)
  })

  it("the SDK's abort → AbortedError", () => {
    const abort = new DOMException('This operation was aborted', 'AbortError')
    const mapped = mapCohereError(
      new CohereError({ message: 'The user aborted a request', cause: abort, rawResponse: rawResponse(499) }),
      context,
    )
    expect(AbortedError.isInstance(mapped)).toBe(true)
  })

  it('an error body that is not JSON → MalformedResponseError', () => {
    const mapped = mapCohereError(
      new CohereError({
        message: 'Unexpected token <',
        cause: new SyntaxError('Unexpected token <'),
        rawResponse: rawResponse(0),
      }),
      context,
    )
    expect(MalformedResponseError.isInstance(mapped)).toBe(true)
  })

  it('a stream event that is not JSON (SyntaxError) → MalformedResponseError', () => {
    expect(
      MalformedResponseError.isInstance(mapCohereError(new SyntaxError('Unexpected token <'), context)),
    ).toBe(true)
  })

  it('a request the SDK refuses to serialize (JsonError) → InvalidRequestError', () => {
    class JsonError extends Error {
      errors = [{ path: ['messages'], message: 'Expected list' }]
    }
    expect(
      InvalidRequestError.isInstance(mapCohereError(new JsonError('messages: Expected list'), context)),
    ).toBe(true)
  })

  it('a CohereError recognised by shape when the SDK classes are not at hand', () => {
    const thrown = sdkError(Cohere.UnauthorizedError, 401, error401)
    expect(AuthenticationError.isInstance(mapCohereError(thrown, { provider: 'cohere' }))).toBe(true)
  })

  it('anything else → a plain ModelplexError; a ModelplexError passes through', () => {
    const mapped = mapCohereError(new Error('something odd'), context)
    expect(mapped.name).toBe('ModelplexError')
    expect(mapped.message).toBe('Cohere: something odd')
    const own = new RateLimitError('x', { provider: 'cohere' })
    expect(mapCohereError(own, context)).toBe(own)
    expect(ModelplexError.isInstance(mapCohereError('a string', context))).toBe(true)
  })
})
