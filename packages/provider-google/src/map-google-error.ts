import {
  AbortedError,
  AuthenticationError,
  ConnectionError,
  ContextWindowExceededError,
  InvalidRequestError,
  MalformedResponseError,
  ModelplexError,
  type ModelplexErrorOptions,
  NotFoundError,
  RateLimitError,
  ServerError,
} from '@modelplex/core'
import { errorFromStatus, isNetworkError, parseRetryAfter } from '@modelplex/core/adapter'

/** Google's error object, the `error` of `{ error: { code, message, status, details } }`. */
export interface GoogleErrorBody {
  code?: number
  message?: string
  /** The canonical code: `INVALID_ARGUMENT`, `RESOURCE_EXHAUSTED`, … */
  status?: string
  details?: Array<Record<string, unknown>>
}

export interface MapGoogleErrorContext {
  /** Provider id put on the error. */
  provider: string
  /** Display name that prefixes messages. */
  name: string
  model?: string | undefined
  /** The SDK's `ApiError` class; without it, errors are recognised by name and a numeric `status`. */
  ApiError?: abstract new (
    ...args: any[]
  ) => Error
  /** Headers of the failed HTTP response, when the adapter captured them (for `Retry-After`). */
  headers?: Headers | undefined
  /** True once the stream has delivered an event (core's `ErrorContext.streaming`). */
  streaming?: boolean
}

// Google sends no dedicated code for an over-long prompt: a 400 INVALID_ARGUMENT whose message reads
// "The input token count (N) exceeds the maximum number of tokens allowed (M)."
const CONTEXT_PHRASE = /exceeds the maximum number of tokens/i
const AUTH_STATUSES = new Set(['UNAUTHENTICATED', 'PERMISSION_DENIED'])
const INVALID_STATUSES = new Set(['INVALID_ARGUMENT', 'FAILED_PRECONDITION', 'OUT_OF_RANGE'])
const SERVER_STATUSES = new Set(['INTERNAL', 'UNAVAILABLE', 'DEADLINE_EXCEEDED', 'UNKNOWN', 'ABORTED'])
// What the SDK's SSE reader throws, as a plain Error, when the body ends inside a frame: the text is
// the only sign of the cut, so it has its own test.
const CUT_FRAME_PHRASE = /^Incomplete JSON segment at the end/
const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo'
const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo'

/**
 * Reads Google's error object out of an `ApiError` message. The SDK writes the response body as
 * JSON for HTTP errors, and `got status: INTERNAL. {json}` for an error inside a stream; some
 * Google front ends wrap the body in an array.
 */
export function parseGoogleErrorMessage(message: string): GoogleErrorBody | undefined {
  const start = message.search(/[[{]/)
  if (start < 0) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(message.slice(start))
  } catch {
    return undefined
  }
  if (Array.isArray(parsed)) parsed = parsed[0]
  const error = (parsed as { error?: unknown } | null)?.error
  return error && typeof error === 'object' ? (error as GoogleErrorBody) : undefined
}

/** A protobuf Duration in JSON (`"30s"`, `"0.250s"`) in milliseconds. */
export function parseGoogleDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim())
  return match ? Math.round(Number(match[1]) * 1000) : undefined
}

function detail(body: GoogleErrorBody | undefined, type: string): Record<string, unknown> | undefined {
  return body?.details?.find((entry) => entry?.['@type'] === type)
}

function isApiError(
  error: unknown,
  ApiError: MapGoogleErrorContext['ApiError'],
): error is Error & { status: number } {
  if (ApiError && error instanceof ApiError) return true
  return error instanceof Error && error.name === 'ApiError' && typeof (error as any).status === 'number'
}

/**
 * Classifies anything `@google/genai` threw into the core taxonomy: by HTTP status and Google's
 * canonical `status` (and `ErrorInfo.reason`) first; message text only for the context-window case,
 * where Google gives nothing else. Keeps `status`, the vendor `code` and `retryAfterMs`.
 */
export function mapGoogleError(error: unknown, context: MapGoogleErrorContext): ModelplexError {
  if (ModelplexError.isInstance(error)) return error
  const { provider, name, model } = context
  const base: ModelplexErrorOptions = { provider, model, cause: error }

  // Invalid JSON in a 200 body or in a stream frame.
  if (error instanceof SyntaxError) {
    return new MalformedResponseError(`${name}: the response is not valid JSON (${error.message})`, base)
  }
  if (isApiError(error, context.ApiError)) return mapApiError(error, context, base)
  if (error instanceof Error && error.name === 'AbortError') {
    // Core checks its own signals before asking the adapter; an abort that reaches here is not ours.
    return new AbortedError(`${name}: the request was aborted`, base)
  }
  if (error instanceof Error && error.constructor === Error && CUT_FRAME_PHRASE.test(error.message)) {
    // After an event, a ConnectionError becomes StreamInterruptedError with the partial result in
    // core. Before any, nothing usable arrived: like a stream without a single chunk, it is malformed.
    return context.streaming
      ? new ConnectionError(`${name}: the stream was cut inside a frame (${error.message})`, base)
      : new MalformedResponseError(
          `${name}: the stream ended inside its first frame (${error.message})`,
          base,
        )
  }
  if (isNetworkError(error)) {
    const reason = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message
    return new ConnectionError(`${name}: could not reach the server (${reason})`, base)
  }
  const message = error instanceof Error ? error.message : String(error)
  return new ModelplexError(`${name}: ${message}`, base)
}

function mapApiError(
  error: Error & { status: number },
  context: MapGoogleErrorContext,
  base: ModelplexErrorOptions,
): ModelplexError {
  const body = parseGoogleErrorMessage(error.message)
  const status = error.status
  const googleStatus = typeof body?.status === 'string' ? body.status : undefined
  const reason = detail(body, ERROR_INFO)?.reason
  const message = typeof body?.message === 'string' && body.message ? body.message : error.message
  const options: ModelplexErrorOptions = {
    ...base,
    status,
    code: typeof reason === 'string' ? reason : googleStatus,
  }
  const text = `${context.name}: ${status} ${message}`

  if ((status === 400 || googleStatus === 'INVALID_ARGUMENT') && CONTEXT_PHRASE.test(message)) {
    return new ContextWindowExceededError(text, options)
  }
  // A wrong or blocked key is a 400 INVALID_ARGUMENT on the Gemini API; its ErrorInfo says which.
  if (typeof reason === 'string' && reason.startsWith('API_KEY_'))
    return new AuthenticationError(text, options)
  if (googleStatus === 'RESOURCE_EXHAUSTED' || status === 429) {
    const retryAfterMs =
      parseGoogleDuration(detail(body, RETRY_INFO)?.retryDelay) ?? parseRetryAfter(context.headers)
    return new RateLimitError(text, { ...options, retryAfterMs })
  }
  if (googleStatus && AUTH_STATUSES.has(googleStatus)) return new AuthenticationError(text, options)
  if (googleStatus === 'NOT_FOUND') return new NotFoundError(text, options)
  if (googleStatus && INVALID_STATUSES.has(googleStatus)) return new InvalidRequestError(text, options)
  if (googleStatus && SERVER_STATUSES.has(googleStatus)) return new ServerError(text, options)
  return errorFromStatus(status, text, options)
}
