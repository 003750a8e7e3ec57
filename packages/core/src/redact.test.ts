import { describe, expect, it } from 'vitest'
import { AuthenticationError } from './errors.js'
import { redact, redactError } from './redact.js'

const secret = 'sk-ant-api03-abcdefghijklmnop'

describe('redact', () => {
  it('replaces every occurrence of each secret', () => {
    expect(redact(`key ${secret} and again ${secret}.`, [secret])).toBe(
      'key [redacted] and again [redacted].',
    )
    expect(redact('a 12345678 b abcdefgh', ['12345678', 'abcdefgh'])).toBe('a [redacted] b [redacted]')
  })

  it('ignores empty, undefined and short secrets (a short string would redact ordinary words)', () => {
    expect(redact('the key is abc', ['abc', '', undefined])).toBe('the key is abc')
  })

  it('leaves text without the secret unchanged', () => {
    expect(redact('nothing here', [secret])).toBe('nothing here')
  })
})

describe('redactError', () => {
  it('replaces secrets in the message and the stack, in place', () => {
    const error = new AuthenticationError(`Incorrect API key provided: ${secret}`, { status: 401 })
    expect(error.stack).toContain(secret)
    const same = redactError(error, [secret])
    expect(same).toBe(error)
    expect(error.message).toBe('Incorrect API key provided: [redacted]')
    expect(error.stack).not.toContain(secret)
    expect(error.stack).toContain('[redacted]')
    expect(JSON.stringify(error)).not.toContain(secret)
  })

  it('redacts a stack that holds the secret even when the message does not', () => {
    const error = new AuthenticationError('bad key')
    error.stack = `AuthenticationError: bad key\n    at call (Bearer ${secret})`
    redactError(error, [secret])
    expect(error.message).toBe('bad key')
    expect(error.stack).toBe('AuthenticationError: bad key\n    at call (Bearer [redacted])')
  })
})

describe('redactError over the cause chain', () => {
  /** An SDK error as OpenAI's SDK builds it: the vendor's body quotes the key (issue 15). */
  function sdkError(key: string): Error {
    const error = new Error(`401 Incorrect API key provided: ${key}. You can find your API key at …`)
    Object.assign(error, {
      status: 401,
      error: { message: `Incorrect API key provided: ${key}.`, type: 'invalid_request_error' },
      headers: new Headers({ 'x-echo': `Bearer ${key}` }),
      requestOptions: { headers: { authorization: `Bearer ${key}` } },
    })
    return error
  }

  it('redacts every rendering: message, stack, String, JSON, util.inspect at any depth', async () => {
    const { inspect } = await import('node:util')
    const inner = sdkError(secret)
    const outer = new AuthenticationError(`OpenAI: ${inner.message}`, {
      cause: new Error('wrapped', { cause: inner }),
    })
    redactError(outer, [secret])
    const renderings = [
      outer.message,
      String(outer.stack),
      String(outer),
      JSON.stringify(outer),
      inspect(outer, { depth: Number.POSITIVE_INFINITY }),
      inspect(outer.cause, { depth: 2 }),
      String(inner),
      String(inner.stack),
      JSON.stringify((inner as unknown as { error: unknown }).error),
      JSON.stringify((inner as unknown as { requestOptions: unknown }).requestOptions),
      (inner as unknown as { headers: Headers }).headers.get('x-echo') ?? '',
    ]
    for (const text of renderings) expect(text).not.toContain(secret)
    expect(inner.message).toContain('[redacted]')
    expect(inspect(outer, { depth: Number.POSITIVE_INFINITY })).toContain(
      'Incorrect API key provided: [redacted]',
    )
  })

  it('survives cycles, frozen objects and getters that throw', () => {
    const cause: Record<string, unknown> = { text: `key ${secret}` }
    cause.self = cause
    const frozen = Object.freeze({ text: `frozen ${secret}` })
    const tricky = {}
    Object.defineProperty(tricky, 'boom', {
      enumerable: true,
      get() {
        throw new Error('no')
      },
    })
    const error = new AuthenticationError('bad key', { cause: [cause, frozen, tricky] })
    expect(() => redactError(error, [secret])).not.toThrow()
    expect(cause.text).toBe('key [redacted]')
  })
})
