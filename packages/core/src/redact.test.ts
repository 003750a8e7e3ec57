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
