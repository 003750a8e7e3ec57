import {
  AbortedError,
  AuthenticationError,
  ConnectionError,
  ContentFilterError,
  ContextWindowExceededError,
  InvalidRequestError,
  MalformedResponseError,
  ModelplexError,
  type ModelplexErrorOptions,
  NotFoundError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from '@modelplex/core'
import { errorFromStatus, isNetworkError, parseRetryAfter, readHeader } from '@modelplex/core/adapter'

/** Names put on a mapped error. */
export interface MapAnthropicErrorContext {
  /** Provider id put on the error (default `anthropic`). */
  provider?: string
  /** Display name that prefixes messages (default `Anthropic`). */
  name?: string
  model?: string | undefined
}

/** An Anthropic error as the API writes it: `{ type: 'error', error: { type, message }, request_id }`. */
export interface AnthropicErrorBody {
  type?: string
  error?: { type?: string; message?: string; details?: { error_code?: string } | null }
  request_id?: string | null
}

/** The fields one Anthropic failure is classified by, whether it came as an HTTP error or a stream event. */
export interface AnthropicFailure {
  status: number | undefined
  /** `error.type`, e.g. `overloaded_error`. */
  type: string | undefined
  message: string
  /** `error.details.error_code`, the finer cause the API gives for some errors. */
  errorCode?: string | undefined
  headers?: unknown
  requestId?: string | undefined
}

// Anthropic gives no distinct type for these: the 400 `invalid_request_error` message is the only signal.
const CONTEXT_PHRASES = [/prompt is too long/i, /exceed context limit/i]
const CONTENT_FILTER_PHRASE = /content filtering policy/i

const TYPE_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
}

function isSdkError(error: unknown, name: string): boolean {
  for (let c: any = (error as object | null)?.constructor; c && c !== Error; c = Object.getPrototypeOf(c)) {
    if (c.name === name || c._errorName === name) return true
  }
  return (error as { name?: string } | null)?.name === name
}

/**
 * Classifies one Anthropic failure by its `error.type` first, then its HTTP status; the message
 * text is read only inside `invalid_request_error`, where Anthropic gives nothing finer.
 */
export function classifyAnthropicFailure(
  failure: AnthropicFailure,
  context: MapAnthropicErrorContext & { cause?: unknown } = {},
): ModelplexError {
  const provider = context.provider ?? 'anthropic'
  const name = context.name ?? 'Anthropic'
  const { type, message } = failure
  const status = failure.status ?? (type ? TYPE_STATUS[type] : undefined)
  const options: ModelplexErrorOptions = {
    provider,
    model: context.model,
    status,
    code: failure.errorCode ?? type,
    requestId: failure.requestId,
    cause: context.cause,
  }
  const text = `${name}: ${status ? `${status} ` : ''}${type ? `${type}: ` : ''}${message}`
  switch (type) {
    case 'invalid_request_error':
      if (CONTEXT_PHRASES.some((phrase) => phrase.test(message)))
        return new ContextWindowExceededError(text, options)
      if (CONTENT_FILTER_PHRASE.test(message)) return new ContentFilterError(text, options)
      return status !== undefined && status !== 400
        ? errorFromStatus(status, text, options)
        : new InvalidRequestError(text, options)
    case 'authentication_error':
    case 'permission_error':
      return new AuthenticationError(text, options)
    case 'not_found_error':
      return new NotFoundError(text, options)
    case 'request_too_large':
      return new ContextWindowExceededError(text, options)
    case 'rate_limit_error':
      return new RateLimitError(text, { ...options, retryAfterMs: parseRetryAfter(failure.headers) })
    case 'billing_error':
      // Credit or billing trouble does not pass with time: a rate limit that is never retried.
      return new RateLimitError(text, { ...options, retryable: false })
    case 'api_error':
    case 'overloaded_error':
    case 'timeout_error':
      return new ServerError(text, options)
  }
  if (status === 429) {
    return new RateLimitError(text, { ...options, retryAfterMs: parseRetryAfter(failure.headers) })
  }
  // An `error` event of an unknown type inside a stream carries no status: a server-side failure.
  if (status === undefined) return new ServerError(text, options)
  return errorFromStatus(status, text, options)
}

/** Reads a failure out of an error body (`{ type: 'error', error: { type, message } }`). */
export function failureFromBody(
  body: unknown,
  status: number | undefined,
  headers?: unknown,
): AnthropicFailure | undefined {
  if (!body || typeof body !== 'object') return undefined
  const error = (body as AnthropicErrorBody).error
  if (!error || typeof error !== 'object') return undefined
  const errorCode = error.details?.error_code
  return {
    status,
    type: typeof error.type === 'string' ? error.type : undefined,
    message: typeof error.message === 'string' ? error.message : JSON.stringify(error),
    errorCode: typeof errorCode === 'string' ? errorCode : undefined,
    headers,
    requestId:
      readHeader(headers, 'request-id') ??
      (typeof (body as AnthropicErrorBody).request_id === 'string'
        ? ((body as AnthropicErrorBody).request_id as string)
        : undefined),
  }
}

/**
 * Classifies anything the `@anthropic-ai/sdk` client threw (HTTP errors, `error` events inside a
 * stream, connection failures, bodies that are not JSON) into the core taxonomy. Keeps `status`,
 * the vendor's type as `code`, `requestId` and `retryAfterMs`; never puts the key in a message.
 */
export function mapAnthropicError(error: unknown, context: MapAnthropicErrorContext = {}): ModelplexError {
  if (ModelplexError.isInstance(error)) return error
  const provider = context.provider ?? 'anthropic'
  const name = context.name ?? 'Anthropic'
  const base: ModelplexErrorOptions = { provider, model: context.model, cause: error }

  // Invalid JSON in a 200 body or in a stream frame.
  if (error instanceof SyntaxError) {
    return new MalformedResponseError(`${name}: the response is not valid JSON (${error.message})`, base)
  }
  if (isSdkError(error, 'APIConnectionTimeoutError')) {
    return new TimeoutError(`${name}: the request timed out`, base)
  }
  if (isSdkError(error, 'APIUserAbortError')) {
    // Core checks its own signals before asking the adapter; an abort that reaches here is the SDK's own.
    return new AbortedError(`${name}: the request was aborted`, base)
  }
  if (isSdkError(error, 'APIConnectionError') || isNetworkError(error)) {
    const reason = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message
    return new ConnectionError(`${name}: could not reach the server (${reason})`, base)
  }

  const apiError = error as any
  if (
    isSdkError(error, 'APIError') ||
    (error instanceof Error && 'headers' in apiError && 'error' in apiError)
  ) {
    const status: number | undefined = typeof apiError.status === 'number' ? apiError.status : undefined
    const failure: AnthropicFailure = failureFromBody(apiError.error, status, apiError.headers) ?? {
      status,
      type: typeof apiError.type === 'string' ? apiError.type : undefined,
      // The SDK's message for a body that is not an Anthropic error (a proxy's page, say).
      message: typeof apiError.message === 'string' ? apiError.message : String(error),
      headers: apiError.headers,
    }
    failure.requestId ??= typeof apiError.requestID === 'string' ? apiError.requestID : undefined
    failure.type ??= typeof apiError.type === 'string' ? apiError.type : undefined
    return classifyAnthropicFailure(failure, { ...context, cause: error })
  }

  const message = error instanceof Error ? error.message : String(error)
  return new ModelplexError(`${name}: ${message}`, base)
}
