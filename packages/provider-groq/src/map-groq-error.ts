import {
  AuthenticationError,
  ContextWindowExceededError,
  type ModelplexError,
  type ModelplexErrorOptions,
  NotFoundError,
  RateLimitError,
  ServerError,
} from '@modelplex/core'
import {
  mapOpenAIError,
  type OpenAIErrorClasses,
  openAIErrorObject,
} from '@modelplex/provider-openai-compatible'

export interface MapGroqErrorContext {
  model: string | undefined
  /** The `groq-sdk` error classes (statics of the Groq class), for `instanceof`. */
  errors?: OpenAIErrorClasses
}

// Groq's message for a prompt over the context window, sent with `code: context_length_exceeded`
// and in older answers without any code; the phrase is read only when the code is missing.
const CONTEXT_PHRASE = /reduce the length of the messages or completion/i

/**
 * Classifies what `groq-sdk` threw: the shared OpenAI mapping first (status, `code`, `type`,
 * `x-request-id`, `retry-after`), then the codes and statuses only Groq sends
 * (https://console.groq.com/docs/errors).
 */
export function mapGroqError(error: unknown, context: MapGroqErrorContext): ModelplexError {
  const mapped = mapOpenAIError(error, {
    provider: 'groq',
    name: 'Groq',
    model: context.model,
    errors: context.errors,
  })
  const status = mapped.status
  if (status === undefined) return mapped
  const body = openAIErrorObject(error)
  const code = typeof body?.code === 'string' ? body.code : undefined
  const options: ModelplexErrorOptions = {
    provider: mapped.provider,
    model: mapped.model,
    status,
    code: mapped.code,
    requestId: mapped.requestId,
    retryAfterMs: mapped.retryAfterMs,
    cause: error,
  }
  // One request above the tier's tokens-per-minute limit: waiting cannot make it fit, a smaller request or a higher tier can.
  if (status === 413 && code === 'rate_limit_exceeded') {
    return new RateLimitError(mapped.message, { ...options, retryable: false })
  }
  // Flex tier at capacity: Groq's own status, answered fast so the caller can retry or fall back.
  if (status === 498) return new ServerError(mapped.message, options)
  // A retired model id is as unknown as a mistyped one.
  if (code === 'model_decommissioned') return new NotFoundError(mapped.message, options)
  // The whole organization is blocked: no request with this key can succeed.
  if (code === 'organization_restricted') return new AuthenticationError(mapped.message, options)
  if (
    status === 400 &&
    code === undefined &&
    typeof body?.message === 'string' &&
    CONTEXT_PHRASE.test(body.message)
  ) {
    return new ContextWindowExceededError(mapped.message, options)
  }
  return mapped
}
