import type { ModelplexError } from './errors.js'

const REDACTED = '[redacted]'
/** How deep `redactError` walks a cause chain and the objects hanging off it (SDK error bodies, headers). */
const MAX_DEPTH = 8

/** Replaces every occurrence of each secret (8 characters or more) in `text`. */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text
  for (const secret of secrets) {
    if (secret && secret.length >= 8 && out.includes(secret)) out = out.split(secret).join(REDACTED)
  }
  return out
}

/** Redacts every string reachable from `value` in place; returns the value (or the redacted string). */
function redactDeep(
  value: unknown,
  secrets: readonly string[],
  seen: WeakSet<object>,
  depth: number,
): unknown {
  if (typeof value === 'string') return redact(value, secrets)
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH || seen.has(value)) return value
  seen.add(value)
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value
  if (typeof Headers !== 'undefined' && value instanceof Headers) {
    for (const [name, text] of [...value.entries()]) {
      const clean = redact(text, secrets)
      if (clean !== text) trySet(() => value.set(name, clean))
    }
    return value
  }
  if (value instanceof Map) {
    for (const [key, entry] of value) {
      const clean = redactDeep(entry, secrets, seen, depth + 1)
      if (clean !== entry) value.set(key, clean)
    }
    return value
  }
  // An Error's message and stack are own but not enumerable; every other field is walked too
  // (an SDK's `error` body, `headers`, `cause`, AggregateError's `errors`).
  const keys = new Set<string>(Object.keys(value))
  if (value instanceof Error) for (const key of ['message', 'stack', 'cause', 'errors']) keys.add(key)
  for (const key of keys) {
    let entry: unknown
    try {
      entry = (value as Record<string, unknown>)[key]
    } catch {
      continue
    }
    const clean = redactDeep(entry, secrets, seen, depth + 1)
    if (clean !== entry) trySet(() => ((value as Record<string, unknown>)[key] = clean))
  }
  return value
}

function trySet(write: () => void): void {
  try {
    write()
  } catch {
    // A frozen object or a getter-only field: nothing to write (its text came from fields walked too).
  }
}

/**
 * Removes secrets from an error in place, and from everything it reaches: its message and stack,
 * its cause chain (the SDK's error, its body, its headers), at any depth `util.inspect` shows.
 */
export function redactError<E extends ModelplexError>(
  error: E,
  secrets: ReadonlyArray<string | undefined>,
): E {
  const usable = secrets.filter((secret): secret is string => Boolean(secret && secret.length >= 8))
  if (usable.length === 0) return error
  redactDeep(error, usable, new WeakSet(), 0)
  return error
}
