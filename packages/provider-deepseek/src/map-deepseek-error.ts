import {
  ContentFilterError,
  type ModelplexError,
  type ModelplexErrorOptions,
  NotFoundError,
  RateLimitError,
} from '@modelplex/core'
import type { ErrorContext } from '@modelplex/core/adapter'
import { readHeader } from '@modelplex/core/adapter'

// DeepSeek puts `code: "invalid_request_error"` on nearly every error, so its status and, where
// the status is a plain 400, its message are what tell the cases apart. Each phrase is tested.
/** 400 when the input or output trips DeepSeek's content review. */
const CONTENT_RISK = /content exists risk/i
/** 400 (not 404) for a model id DeepSeek does not serve. */
const MODEL_NOT_EXIST = /model not exist/i

/**
 * Classifies the DeepSeek errors its status alone does not: 402 (balance), the content review
 * and an unknown model. Everything else (401, 422, 429, 500, 503, context length) falls
 * through to the shared OpenAI mapping.
 */
export function mapDeepSeekError(error: unknown, context: ErrorContext): ModelplexError | undefined {
  const apiError = error as { status?: unknown; error?: any; headers?: unknown; requestID?: unknown }
  if (!(error instanceof Error) || typeof apiError.status !== 'number' || !('headers' in apiError)) {
    return undefined
  }
  const status = apiError.status
  const body = apiError.error
  const message: string = typeof body?.message === 'string' ? body.message : error.message
  const options: ModelplexErrorOptions = {
    provider: 'deepseek',
    model: context.model,
    status,
    code: typeof body?.code === 'string' ? body.code : undefined,
    requestId:
      typeof apiError.requestID === 'string'
        ? apiError.requestID
        : readHeader(apiError.headers, 'x-request-id'),
    cause: error,
  }
  const text = `DeepSeek: ${status} ${message}`
  if (status === 402) {
    // An empty balance does not pass with a retry: only a top-up helps.
    return new RateLimitError(text, { ...options, retryable: false })
  }
  if (status === 400 && CONTENT_RISK.test(message)) return new ContentFilterError(text, options)
  if (status === 400 && MODEL_NOT_EXIST.test(message)) return new NotFoundError(text, options)
  return undefined
}
