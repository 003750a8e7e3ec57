import type { ModelplexError } from './errors.js'

const REDACTED = '[redacted]'

/** Replaces every occurrence of each secret (8 characters or more) in `text`. */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text
  for (const secret of secrets) {
    if (secret && secret.length >= 8 && out.includes(secret)) out = out.split(secret).join(REDACTED)
  }
  return out
}

/** Removes secrets from an error's message and stack, in place; returns it. */
export function redactError<E extends ModelplexError>(
  error: E,
  secrets: ReadonlyArray<string | undefined>,
): E {
  const message = redact(error.message, secrets)
  if (message !== error.message) {
    error.message = message
  }
  if (error.stack) error.stack = redact(error.stack, secrets)
  return error
}
