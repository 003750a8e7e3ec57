import { describe, expect, it } from 'vitest'
import {
  AbortedError,
  AuthenticationError,
  ConfigError,
  ConnectionError,
  ContentFilterError,
  ContextWindowExceededError,
  InvalidRequestError,
  MalformedResponseError,
  MissingDependencyError,
  ModelplexError,
  NotFoundError,
  RateLimitError,
  ServerError,
  StreamInterruptedError,
  StructuredOutputError,
  TimeoutError,
  UnsupportedCapabilityError,
} from './errors.js'

type AnyErrorClass = (typeof classes)[number]['type']

/** Every class, built the simplest way, with its parent and its default `retryable`. */
const classes = [
  { type: ModelplexError, make: () => new ModelplexError('m'), parent: undefined, retryable: false },
  { type: ConfigError, make: () => new ConfigError('m'), parent: ModelplexError, retryable: false },
  {
    type: MissingDependencyError,
    make: () => new MissingDependencyError('pkg', 'm'),
    parent: ModelplexError,
    retryable: false,
  },
  {
    type: UnsupportedCapabilityError,
    make: () => new UnsupportedCapabilityError('tools', 'm'),
    parent: ModelplexError,
    retryable: false,
  },
  {
    type: InvalidRequestError,
    make: () => new InvalidRequestError('m'),
    parent: ModelplexError,
    retryable: false,
  },
  {
    type: ContextWindowExceededError,
    make: () => new ContextWindowExceededError('m'),
    parent: InvalidRequestError,
    retryable: false,
  },
  {
    type: ContentFilterError,
    make: () => new ContentFilterError('m'),
    parent: InvalidRequestError,
    retryable: false,
  },
  {
    type: AuthenticationError,
    make: () => new AuthenticationError('m'),
    parent: ModelplexError,
    retryable: false,
  },
  { type: NotFoundError, make: () => new NotFoundError('m'), parent: ModelplexError, retryable: false },
  { type: RateLimitError, make: () => new RateLimitError('m'), parent: ModelplexError, retryable: true },
  { type: ServerError, make: () => new ServerError('m'), parent: ModelplexError, retryable: true },
  { type: TimeoutError, make: () => new TimeoutError('m'), parent: ModelplexError, retryable: true },
  { type: AbortedError, make: () => new AbortedError('m'), parent: ModelplexError, retryable: false },
  { type: ConnectionError, make: () => new ConnectionError('m'), parent: ModelplexError, retryable: true },
  {
    type: MalformedResponseError,
    make: () => new MalformedResponseError('m'),
    parent: ModelplexError,
    retryable: false,
  },
  {
    type: StreamInterruptedError,
    make: () => new StreamInterruptedError('m'),
    parent: ModelplexError,
    retryable: false,
  },
  {
    type: StructuredOutputError,
    make: () => new StructuredOutputError('m', { text: '{' }),
    parent: ModelplexError,
    retryable: false,
  },
] as const

describe('error classes', () => {
  it.each(classes)(
    '$type.name: name, isInstance, parents, retryable default',
    ({ type, make, parent, retryable }) => {
      const error = make()
      expect(error.name).toBe(type.name)
      expect(error).toBeInstanceOf(Error)
      expect((type as AnyErrorClass).isInstance(error)).toBe(true)
      expect(ModelplexError.isInstance(error)).toBe(true)
      if (parent) expect(parent.isInstance(error)).toBe(true)
      expect(error.retryable).toBe(retryable)
      expect(error.provider).toBe('unknown')
    },
  )

  it.each(classes)('$type.name is no instance of an unrelated class', ({ type, make, parent }) => {
    const error = make()
    for (const other of classes) {
      const related = other.type === type || other.type === ModelplexError || other.type === parent
      expect((other.type as AnyErrorClass).isInstance(error)).toBe(related)
    }
  })

  it('a subclass instance is its parent, never the reverse', () => {
    expect(InvalidRequestError.isInstance(new ContextWindowExceededError('too long'))).toBe(true)
    expect(InvalidRequestError.isInstance(new ContentFilterError('refused'))).toBe(true)
    expect(ContextWindowExceededError.isInstance(new InvalidRequestError('bad'))).toBe(false)
    expect(ContentFilterError.isInstance(new ContextWindowExceededError('too long'))).toBe(false)
  })

  it('isInstance rejects non-errors and plain errors', () => {
    for (const value of [
      undefined,
      null,
      'RateLimitError',
      42,
      {},
      new Error('x'),
      { name: 'RateLimitError' },
    ]) {
      expect(ModelplexError.isInstance(value)).toBe(false)
      expect(RateLimitError.isInstance(value)).toBe(false)
    }
  })

  it('recognises an error from a second installed copy of core by its Symbol.for markers', () => {
    // Another copy has other classes, so `instanceof` fails; the global symbols still agree.
    class OtherCopyError extends Error {}
    const foreign = new OtherCopyError('from the other copy')
    for (const name of ['ModelplexError', 'InvalidRequestError', 'ContextWindowExceededError']) {
      Object.defineProperty(foreign, Symbol.for(`modelplex.error.${name}`), { value: true })
    }
    expect(foreign).not.toBeInstanceOf(ModelplexError)
    expect(ModelplexError.isInstance(foreign)).toBe(true)
    expect(InvalidRequestError.isInstance(foreign)).toBe(true)
    expect(ContextWindowExceededError.isInstance(foreign)).toBe(true)
    expect(RateLimitError.isInstance(foreign)).toBe(false)
    expect(ContentFilterError.isInstance(foreign)).toBe(false)
  })

  it('a subclass defined outside core inherits every marker of its chain', () => {
    class VendorQuotaError extends RateLimitError {}
    const error = new VendorQuotaError('quota')
    expect(RateLimitError.isInstance(error)).toBe(true)
    expect(ModelplexError.isInstance(error)).toBe(true)
    expect(error.name).toBe('VendorQuotaError')
    expect(error.retryable).toBe(true)
  })

  it('retryable can be overridden either way', () => {
    expect(new RateLimitError('no more quota this month', { retryable: false }).retryable).toBe(false)
    expect(new ModelplexError('flaky', { retryable: true }).retryable).toBe(true)
  })

  it('keeps every field it is given, and the cause', () => {
    const cause = new Error('socket hang up')
    const error = new RateLimitError('slow down', {
      provider: 'groq',
      model: 'llama',
      status: 429,
      code: 'rate_limit_exceeded',
      retryAfterMs: 1500,
      requestId: 'req_1',
      cause,
    })
    expect(error).toMatchObject({
      message: 'slow down',
      provider: 'groq',
      model: 'llama',
      status: 429,
      code: 'rate_limit_exceeded',
      retryAfterMs: 1500,
      requestId: 'req_1',
    })
    expect(error.cause).toBe(cause)
    expect('cause' in new ModelplexError('no cause')).toBe(false)
  })

  it('MissingDependencyError, UnsupportedCapabilityError and InvalidRequestError keep their own field', () => {
    expect(new MissingDependencyError('openai', 'Run: npm i openai').packageName).toBe('openai')
    expect(new UnsupportedCapabilityError('embeddings', 'no').capability).toBe('embeddings')
    expect(new InvalidRequestError('bad', { field: 'messages.0.role' }).field).toBe('messages.0.role')
    expect(new ContextWindowExceededError('long', { field: 'messages' }).field).toBe('messages')
  })

  it('StructuredOutputError keeps the text and the issues', () => {
    const issues = [{ path: ['city'], message: 'expected string' }]
    const error = new StructuredOutputError('bad object', { text: '{"city":1}', issues })
    expect(error.text).toBe('{"city":1}')
    expect(error.issues).toEqual(issues)
    expect(error.toJSON().issues).toEqual(issues)
    expect(new StructuredOutputError('not json', { text: 'nope' }).issues).toEqual([])
  })
})

describe('toJSON', () => {
  const secret = 'sk-proj-abcdefghijklmnop1234'

  it('holds the public fields, never the cause', () => {
    const cause = Object.assign(new Error(`401 for key ${secret}`), {
      headers: { authorization: `Bearer ${secret}` },
    })
    const error = new AuthenticationError('Invalid API key', { provider: 'openai', status: 401, cause })
    const json = error.toJSON()
    expect(json).toEqual({
      name: 'AuthenticationError',
      message: 'Invalid API key',
      provider: 'openai',
      model: undefined,
      status: 401,
      code: undefined,
      retryable: false,
      retryAfterMs: undefined,
      requestId: undefined,
    })
    expect(json).not.toHaveProperty('cause')
    expect(json).not.toHaveProperty('stack')
    expect(JSON.stringify(error)).not.toContain(secret)
    expect(JSON.stringify(error)).not.toContain('authorization')
  })

  it('has no apiKey or headers key whatever the options held', () => {
    const error = new ConfigError('bad', { provider: 'x', apiKey: secret, headers: { a: 'b' } } as never)
    const json = error.toJSON()
    expect(Object.keys(json)).not.toContain('apiKey')
    expect(Object.keys(json)).not.toContain('headers')
    expect(JSON.stringify(json)).not.toContain(secret)
  })
})
