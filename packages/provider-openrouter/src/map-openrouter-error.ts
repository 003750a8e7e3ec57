import {
  ContentFilterError,
  type ModelplexError,
  type ModelplexErrorOptions,
  RateLimitError,
} from '@modelplex/core'
import { type ErrorContext, parseRetryAfter, readHeader } from '@modelplex/core/adapter'

/**
 * OpenRouter's errors (`{ error: { code: <status>, message, metadata } }`) that the status alone
 * does not classify, told apart by `error.metadata`: a 402 (credits or the in-flight budget) and
 * a 403 (moderation flag or a spent budget). Every other status, and the error events inside a
 * stream, fall through to the shared OpenAI mapping (401 → auth, 404 → not found, 408 and 5xx
 * → server, the "maximum context length" phrase → context window).
 */
export function mapOpenRouterError(error: unknown, context: ErrorContext): ModelplexError | undefined {
  const apiError = error as { status?: unknown; error?: any; headers?: unknown; requestID?: unknown }
  if (!(error instanceof Error) || typeof apiError.status !== 'number') return undefined
  const status = apiError.status
  if (status !== 402 && status !== 403) return undefined
  const body = apiError.error
  const metadata = body?.metadata && typeof body.metadata === 'object' ? body.metadata : {}
  const limitSource = typeof metadata.limit_source === 'string' ? metadata.limit_source : undefined
  const message: string = typeof body?.message === 'string' ? body.message : error.message
  const options: ModelplexErrorOptions = {
    provider: 'openrouter',
    model: context.model,
    status,
    code: limitSource,
    requestId:
      typeof apiError.requestID === 'string'
        ? apiError.requestID
        : readHeader(apiError.headers, 'x-request-id'),
    cause: error,
  }
  const text = `OpenRouter: ${status} ${message}`
  if (status === 402) {
    // The in-flight budget frees up as running requests finish (OpenRouter sends Retry-After);
    // credits that ran out do not come back with a retry.
    const retryAfterMs = parseRetryAfter(apiError.headers)
    if (retryAfterMs !== undefined || limitSource === 'openrouter_in_flight_budget') {
      return new RateLimitError(text, { ...options, retryAfterMs })
    }
    return new RateLimitError(text, { ...options, retryable: false })
  }
  if (Array.isArray(metadata.reasons) || typeof metadata.flagged_input === 'string') {
    return new ContentFilterError(text, { ...options, code: 'moderation' })
  }
  // A spent guardrail, workspace or key budget resets in hours or days: not retried.
  if (limitSource) return new RateLimitError(text, { ...options, retryable: false })
  return undefined
}
