export interface RetryOptions {
  /** Retries after the first attempt (default 2). */
  maxRetries?: number
  /** First backoff ceiling in ms (default 500); doubles each retry. */
  initialDelayMs?: number
  /** Largest backoff ceiling in ms (default 8 000). */
  maxDelayMs?: number
  /**
   * Largest wait honoured from `retry-after-ms` / `Retry-After` (default 60 000); a longer advice
   * is waited this long. In a client's fallback chain a target advising more is not retried: the
   * chain moves on to its next target at once, and the advice stays on `error.retryAfterMs`.
   */
  maxRetryAfterMs?: number
}

export const defaultRetry: Required<RetryOptions> = {
  maxRetries: 2,
  initialDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
}

/** The longest advice kept on `error.retryAfterMs` (a day); a longer or non-finite one is read as this. */
export const MAX_ADVISED_WAIT_MS = 86_400_000

/** A vendor's advised wait as a sane number: finite, whole, 0 to a day; `undefined` when it is no number. */
export function saneRetryAfter(ms: unknown): number | undefined {
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms < 0) return undefined
  return Math.min(Math.ceil(ms), MAX_ADVISED_WAIT_MS)
}

/** Delay before retry number `retry` (0-based): the vendor's advice when given, else full jitter. */
export function retryDelay(
  options: Required<RetryOptions>,
  retry: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(retryAfterMs, options.maxRetryAfterMs)
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** retry)
  return Math.floor(random() * ceiling)
}

/**
 * Reads `retry-after-ms` (milliseconds) or `Retry-After` (seconds or an HTTP date).
 * Accepts a Headers object or a plain record, as SDKs expose either.
 */
export function parseRetryAfter(headers: unknown, now: number = Date.now()): number | undefined {
  const get = (name: string): string | null | undefined => {
    if (!headers || typeof headers !== 'object') return undefined
    if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name)
    const record = headers as Record<string, unknown>
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() === name) return String(record[key])
    }
    return undefined
  }
  const ms = get('retry-after-ms')
  if (ms != null && ms !== '') {
    const value = Number(ms)
    if (Number.isFinite(value) && value >= 0) return saneRetryAfter(value)
  }
  const after = get('retry-after')
  if (after == null || after === '') return undefined
  const seconds = Number(after)
  // A number is seconds; a negative one is invalid, not a date (V8 parses "-1" as a year).
  if (Number.isFinite(seconds)) return seconds >= 0 ? saneRetryAfter(seconds * 1000) : undefined
  const date = Date.parse(after)
  return Number.isNaN(date) ? undefined : saneRetryAfter(Math.max(0, date - now))
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
