import { describe, expect, it } from 'vitest'
import { connectionError, errorFromStatus, isNetworkError } from './common-errors.js'
import {
  AuthenticationError,
  ConnectionError,
  ContextWindowExceededError,
  InvalidRequestError,
  ModelplexError,
  NotFoundError,
  RateLimitError,
  ServerError,
} from './errors.js'

describe('errorFromStatus', () => {
  it.each([
    [400, InvalidRequestError, false],
    [401, AuthenticationError, false],
    [403, AuthenticationError, false],
    [404, NotFoundError, false],
    [408, ServerError, true],
    [409, ServerError, true],
    [413, ContextWindowExceededError, false],
    [422, InvalidRequestError, false],
    [429, RateLimitError, true],
    [500, ServerError, true],
    [503, ServerError, true],
    [529, ServerError, true],
  ] as const)('%i → %s', (status, type, retryable) => {
    const error = errorFromStatus(status, 'message', { provider: 'p', retryAfterMs: 5 })
    expect(type.isInstance(error)).toBe(true)
    expect(error.name).toBe(type.name)
    expect(error.status).toBe(status)
    expect(error.retryable).toBe(retryable)
    expect(error.provider).toBe('p')
    expect(error.retryAfterMs).toBe(5)
  })

  it('no status → the base class, not retryable', () => {
    const error = errorFromStatus(undefined, 'odd', {})
    expect(error.constructor).toBe(ModelplexError)
    expect(error.retryable).toBe(false)
  })
})

describe('isNetworkError', () => {
  it('recognises socket codes, fetch failures and SDK connection errors, through causes', () => {
    expect(isNetworkError(Object.assign(new Error('read'), { code: 'ECONNRESET' }))).toBe(true)
    expect(
      isNetworkError(
        new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }),
      ),
    ).toBe(true)
    expect(isNetworkError(new TypeError('terminated'))).toBe(true)
    expect(
      isNetworkError(Object.assign(new Error('Connection error.'), { name: 'APIConnectionError' })),
    ).toBe(true)
    expect(
      isNetworkError(
        new Error('wrapper', { cause: Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' }) }),
      ),
    ).toBe(true)
  })

  it('rejects other errors', () => {
    expect(isNetworkError(new Error('400 Bad Request'))).toBe(false)
    expect(isNetworkError(new TypeError('x is not a function'))).toBe(false)
    expect(isNetworkError(Object.assign(new Error('x'), { code: 'ERR_INVALID_ARG_TYPE' }))).toBe(false)
    expect(isNetworkError(undefined)).toBe(false)
  })
})

describe('connectionError', () => {
  it('wraps the failure with its cause, retryable', () => {
    const cause = new TypeError('fetch failed')
    const error = connectionError(cause, { provider: 'groq', model: 'm' })
    expect(ConnectionError.isInstance(error)).toBe(true)
    expect(error.message).toBe('Could not reach groq: fetch failed')
    expect(error.cause).toBe(cause)
    expect(error.retryable).toBe(true)
    expect(error.model).toBe('m')
  })
})
