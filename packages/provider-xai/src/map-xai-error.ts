import {
  AuthenticationError,
  ContentFilterError,
  ContextWindowExceededError,
  type ModelplexError,
  type ModelplexErrorOptions,
  RateLimitError,
  ServerError,
} from '@modelplex/core'
import { type ErrorContext, errorFromStatus, parseRetryAfter, readHeader } from '@modelplex/core/adapter'

// xAI answers `{ code: <gRPC status description>, error: <message> }`; the openai SDK keeps only
// the `error` string (its `code` is lost), so after the status the message is all there is.
// Each phrase below is one that xAI sends for a case its status does not tell apart.
/** 400 for a wrong key (a missing one is 401): "Incorrect API key provided: xa***sf." */
const WRONG_KEY = /incorrect api key/i
/** 400: "This model's maximum prompt length is 131072 but the request contains 179111 tokens." */
const PROMPT_TOO_LONG = /maximum prompt length/i
/** 403: "Content violates usage guidelines. Failed check: SAFETY_CHECK_TYPE_BIO" */
const USAGE_GUIDELINES = /violates usage guidelines/i
/** 403 or 429: "…has either used all available credits or reached its monthly spending limit." */
const OUT_OF_CREDITS = /credits|spending limit/i

/**
 * Classifies xAI's own error bodies; anything else (network, timeouts, malformed JSON, the
 * OpenAI-shaped bodies of other servers) falls through to the shared OpenAI mapping.
 */
export function mapXaiError(error: unknown, context: ErrorContext): ModelplexError | undefined {
  const apiError = error as { status?: unknown; error?: unknown; headers?: unknown; requestID?: unknown }
  if (!(error instanceof Error) || typeof apiError.error !== 'string' || !('headers' in apiError)) {
    return undefined
  }
  const status = typeof apiError.status === 'number' ? apiError.status : undefined
  const message = apiError.error
  const options: ModelplexErrorOptions = {
    provider: 'xai',
    model: context.model,
    status,
    requestId:
      typeof apiError.requestID === 'string'
        ? apiError.requestID
        : readHeader(apiError.headers, 'x-request-id'),
    cause: error,
  }
  const text = `xAI: ${status ? `${status} ` : ''}${message}`
  if (status === undefined) {
    // An error frame inside a stream has no status: the server failed mid-answer.
    return new ServerError(text, options)
  }
  if (status === 400 && WRONG_KEY.test(message)) return new AuthenticationError(text, options)
  if (status === 400 && PROMPT_TOO_LONG.test(message)) return new ContextWindowExceededError(text, options)
  if (status === 403 && USAGE_GUIDELINES.test(message)) return new ContentFilterError(text, options)
  if ((status === 403 || status === 429) && OUT_OF_CREDITS.test(message)) {
    // No credits left does not pass with a retry: only a purchase or a raised limit helps.
    return new RateLimitError(text, { ...options, retryable: false })
  }
  if (status === 429) {
    return new RateLimitError(text, { ...options, retryAfterMs: parseRetryAfter(apiError.headers) })
  }
  return errorFromStatus(status, text, options)
}
