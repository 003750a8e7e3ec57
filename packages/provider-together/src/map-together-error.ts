import {
  ContextWindowExceededError,
  type ModelplexError,
  type ModelplexErrorOptions,
  NotFoundError,
  RateLimitError,
} from '@modelplex/core'
import {
  mapOpenAIError,
  type OpenAIErrorClasses,
  openAIErrorObject,
} from '@modelplex/provider-openai-compatible'

export interface MapTogetherErrorContext {
  model: string | undefined
  /** The `together-ai` error classes (statics of the Together class), for `instanceof`. */
  errors?: OpenAIErrorClasses
}

// Together sends these with `code: null`: its only signal that the prompt does not fit. The first
// is its answer to a long prompt, the second to a prompt plus `max_tokens` above the window.
const CONTEXT_PHRASES = [
  /longer than the model's context length/i,
  /`inputs` tokens \+ `max_new_tokens` must be/i,
]

/**
 * Classifies what `together-ai` threw: the shared OpenAI mapping first (status, `code`, `type`,
 * `retry-after`), then Together's own codes and statuses (https://docs.together.ai/docs/error-codes).
 * Together's error bodies carry the request id as a top-level `id`.
 */
export function mapTogetherError(error: unknown, context: MapTogetherErrorContext): ModelplexError {
  const mapped = mapOpenAIError(error, {
    provider: 'together',
    name: 'Together AI',
    model: context.model,
    errors: context.errors,
  })
  const status = mapped.status
  if (status === undefined) return mapped
  const envelope = (error as { error?: { id?: unknown } }).error
  const payload = openAIErrorObject(error)
  const code = typeof payload?.code === 'string' ? payload.code : undefined
  const message = typeof payload?.message === 'string' ? payload.message : ''
  const options: ModelplexErrorOptions = {
    provider: mapped.provider,
    model: mapped.model,
    status,
    code: mapped.code,
    requestId: mapped.requestId ?? (typeof envelope?.id === 'string' ? envelope.id : undefined),
    retryable: mapped.retryable,
    retryAfterMs: mapped.retryAfterMs,
    cause: error,
  }
  if (code === 'model_not_available') return new NotFoundError(mapped.message, options)
  // Out of credits or over the spending limit: waiting does not help, paying does.
  if (status === 402) return new RateLimitError(mapped.message, { ...options, retryable: false })
  // Together's docs list 403 for a prompt plus max_tokens above the context length.
  if (
    (status === 400 || status === 403 || status === 422) &&
    code === undefined &&
    CONTEXT_PHRASES.some((phrase) => phrase.test(message))
  ) {
    return new ContextWindowExceededError(mapped.message, options)
  }
  if (options.requestId === mapped.requestId) return mapped
  // Same class as the shared mapping chose, with the request id from the body.
  const ErrorClass = mapped.constructor as new (
    message: string,
    options: ModelplexErrorOptions,
  ) => ModelplexError
  return new ErrorClass(mapped.message, options)
}
