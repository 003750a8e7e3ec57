import {
  AbortedError,
  ConnectionError,
  ContentFilterError,
  ContextWindowExceededError,
  InvalidRequestError,
  MalformedResponseError,
  ModelplexError,
  type ModelplexErrorOptions,
  RateLimitError,
  ServerError,
  TimeoutError,
} from '@modelplex/core'
import { errorFromStatus, isNetworkError, parseRetryAfter } from '@modelplex/core/adapter'

/** The SDK's error classes, read from the loaded `cohere-ai` module. */
export interface CohereErrorClasses {
  CohereError?: abstract new (...args: any[]) => Error
  CohereTimeoutError?: abstract new (...args: any[]) => Error
}

export interface MapCohereErrorContext {
  /** Provider id put on the error. */
  provider?: string
  /** Display name that prefixes messages. */
  name?: string
  model?: string | undefined
  /** The SDK's classes for `instanceof`; without them, errors are recognised by shape and class name. */
  errors?: CohereErrorClasses
}

/**
 * Cohere's errors carry only a status and a `message`; a prompt that does not fit is a 400 whose
 * message starts "too many tokens:". These are its documented wordings for the context window
 * (https://docs.cohere.com/reference/errors); "too many tokens: max tokens must be …" is not one:
 * it rejects a `max_tokens` above the model's output limit.
 */
export const CONTEXT_WINDOW_PHRASES: readonly RegExp[] = [
  /too many tokens: size limit exceeded/i,
  /too many tokens: total number of tokens in the prompt cannot exceed/i,
  /too many tokens: minimal context could not be added/i,
  /too many tokens: multi-hop prompt is too long/i,
]

function isClass(
  error: unknown,
  cls: (abstract new (...args: any[]) => Error) | undefined,
  name: string,
): boolean {
  if (cls && error instanceof cls) return true
  return (error as { constructor?: { name?: string } })?.constructor?.name === name
}

/** A `CohereError` or one of its status subclasses (`BadRequestError`, `TooManyRequestsError`, …). */
function isCohereError(error: unknown, errors: CohereErrorClasses): boolean {
  if (errors.CohereError && error instanceof errors.CohereError) return true
  return error instanceof Error && 'rawResponse' in error && ('statusCode' in error || 'body' in error)
}

/** The vendor's message: `{ message }` as documented, `{ data }` as the OpenAPI spec has it, or text. */
function bodyMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() ? body.trim().slice(0, 500) : undefined
  if (!body || typeof body !== 'object') return undefined
  const record = body as Record<string, unknown>
  if (typeof record.message === 'string' && record.message) return record.message
  if (typeof record.data === 'string' && record.data) return record.data
  return undefined
}

/**
 * Classifies anything `cohere-ai` threw into the core taxonomy: by HTTP status first (498 is
 * Cohere's status for a request or reply that hit its deny list, 402 an exhausted billing limit),
 * the "too many tokens" wording only to tell a context-window 400 apart. Keeps `status`, the
 * SDK's class name as `code`, the body's `id` as `requestId` and `Retry-After`.
 */
export function mapCohereError(error: unknown, context: MapCohereErrorContext = {}): ModelplexError {
  if (ModelplexError.isInstance(error)) return error
  const { provider = 'cohere', model, errors = {} } = context
  const name = context.name ?? 'Cohere'
  const base: ModelplexErrorOptions = { provider, model, cause: error }

  // Invalid JSON in a stream event (the SDK parses each `data:` line with JSON.parse).
  if (error instanceof SyntaxError) {
    return new MalformedResponseError(`${name}: the response is not valid JSON (${error.message})`, base)
  }
  if (isClass(error, errors.CohereTimeoutError, 'CohereTimeoutError')) {
    return new TimeoutError(`${name}: the request timed out`, base)
  }
  // The SDK validates a request against its schema before sending it.
  if (isClass(error, undefined, 'JsonError') && Array.isArray((error as { errors?: unknown }).errors)) {
    return new InvalidRequestError(
      `${name}: the request does not fit the API schema: ${(error as Error).message}`,
      base,
    )
  }
  if (!isCohereError(error, errors)) {
    if (isNetworkError(error))
      return new ConnectionError(`${name}: could not reach the server (${reason(error)})`, base)
    if ((error as Error)?.name === 'AbortError')
      return new AbortedError(`${name}: the request was aborted`, base)
    return new ModelplexError(`${name}: ${error instanceof Error ? error.message : String(error)}`, base)
  }

  const cohereError = error as Error & {
    statusCode?: number
    body?: unknown
    rawResponse?: { headers?: unknown }
  }
  const status = typeof cohereError.statusCode === 'number' ? cohereError.statusCode : undefined
  if (status === undefined) {
    // No status: the request never got an answer (reset, refused, aborted) or the error body did not parse.
    if (isNetworkError(error))
      return new ConnectionError(`${name}: could not reach the server (${reason(error)})`, base)
    if (cohereError.cause instanceof SyntaxError) {
      return new MalformedResponseError(`${name}: the error response is not valid JSON`, base)
    }
    if ((cohereError.cause as Error | undefined)?.name === 'AbortError') {
      return new AbortedError(`${name}: the request was aborted`, base)
    }
    return new ModelplexError(
      `${name}: ${bodyMessage(cohereError.body) ?? firstLine(cohereError.message)}`,
      base,
    )
  }
  if (status >= 200 && status < 300) {
    return new MalformedResponseError(`${name}: the ${status} response is not the documented shape`, base)
  }

  const message = bodyMessage(cohereError.body) ?? firstLine(cohereError.message)
  const body = cohereError.body as { id?: unknown } | undefined
  const options: ModelplexErrorOptions = {
    ...base,
    status,
    code: errorCode(cohereError),
    ...(typeof body?.id === 'string' ? { requestId: body.id } : {}),
  }
  const text = `${name}: ${status} ${message}`

  if (status === 498) return new ContentFilterError(text, options)
  if (status === 402) {
    // An exhausted billing limit does not pass with time: never retried.
    return new RateLimitError(text, { ...options, retryable: false })
  }
  if (status === 429) {
    return new RateLimitError(text, {
      ...options,
      retryAfterMs: parseRetryAfter(cohereError.rawResponse?.headers),
    })
  }
  if ((status === 400 || status === 422) && CONTEXT_WINDOW_PHRASES.some((phrase) => phrase.test(message))) {
    return new ContextWindowExceededError(text, options)
  }
  // 499: Cohere cancelled the request ("request cancelled"); its docs say to try again.
  if (status === 499) return new ServerError(text, options)
  // 501: a feature the API does not implement; waiting will not change that.
  if (status === 501) return new InvalidRequestError(text, options)
  return errorFromStatus(status, text, options)
}

/** The SDK's class name (`TooManyRequestsError`) names the case better than the bare status. */
function errorCode(error: Error): string | undefined {
  const className = error.constructor?.name
  return className && className !== 'CohereError' && className !== 'Error' ? className : undefined
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message
}

function reason(error: unknown): string {
  for (let e: any = error, depth = 0; e && depth < 5; e = e.cause, depth++) {
    if (e.cause === undefined || e.cause === null) return e.message ?? String(e)
  }
  return String((error as Error)?.message ?? error)
}
