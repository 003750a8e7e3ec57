import {
  AuthenticationError,
  ConnectionError,
  ContextWindowExceededError,
  InvalidRequestError,
  ModelplexError,
  type ModelplexErrorOptions,
  NotFoundError,
  RateLimitError,
  ServerError,
} from './errors.js'

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
])

/** True for fetch/undici/socket failures (reset, refused, `terminated`, `fetch failed`), through causes. */
export function isNetworkError(error: unknown): boolean {
  for (let e: any = error, depth = 0; e && depth < 5; e = e.cause, depth++) {
    if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true
    if (e instanceof TypeError && /^(fetch failed|failed to fetch|terminated|network error)/i.test(e.message))
      return true
    if (e.name === 'APIConnectionError' || e.name === 'FetchError') return true
  }
  return false
}

/** Classifies by HTTP status when the vendor gave nothing more specific. */
export function errorFromStatus(
  status: number | undefined,
  message: string,
  options: ModelplexErrorOptions,
): ModelplexError {
  const opts = { ...options, status }
  if (status === 401 || status === 403) return new AuthenticationError(message, opts)
  if (status === 404) return new NotFoundError(message, opts)
  if (status === 413) return new ContextWindowExceededError(message, opts)
  if (status === 408) return new ServerError(message, opts)
  if (status === 409) return new ServerError(message, opts)
  if (status === 429) return new RateLimitError(message, opts)
  if (status !== undefined && status >= 500) return new ServerError(message, opts)
  if (status !== undefined && status >= 400) return new InvalidRequestError(message, opts)
  return new ModelplexError(message, opts)
}

/** Wraps a network failure in a ConnectionError. */
export function connectionError(error: unknown, options: ModelplexErrorOptions): ConnectionError {
  const reason = error instanceof Error ? error.message : String(error)
  return new ConnectionError(`Could not reach ${options.provider ?? 'the provider'}: ${reason}`, {
    ...options,
    cause: error,
  })
}
