import {
  AbortedError,
  ConnectionError,
  ContentFilterError,
  ContextWindowExceededError,
  MalformedResponseError,
  ModelplexError,
  type ModelplexErrorOptions,
  RateLimitError,
  ServerError,
  TimeoutError,
} from '@modelplex/core'
import { errorFromStatus, isNetworkError, parseRetryAfter, readHeader } from '@modelplex/core/adapter'

/** The SDK's error classes, read from the loaded `openai` module (the `OpenAI` class carries them). */
export interface OpenAIErrorClasses {
  APIError?: abstract new (...args: any[]) => Error
  APIConnectionError?: abstract new (...args: any[]) => Error
  APIConnectionTimeoutError?: abstract new (...args: any[]) => Error
  APIUserAbortError?: abstract new (...args: any[]) => Error
}

export interface MapOpenAIErrorContext {
  /** Provider id put on the error. */
  provider: string
  /** Display name that prefixes messages (default: the id). */
  name?: string
  model?: string | undefined
  /** The SDK's classes for `instanceof`; without them, errors are recognised by shape and class name. */
  errors?: OpenAIErrorClasses
}

const CONTENT_FILTER_CODES = new Set(['content_filter', 'content_policy_violation'])
const QUOTA_CODES = new Set(['insufficient_quota', 'billing_hard_limit_reached'])
/**
 * How servers that send no code say the prompt does not fit (each phrase tested, source beside it
 * in map-openai-error.test.ts): OpenAI's own wording, which vLLM copied; vLLM's current and V1
 * wordings; llama.cpp's server; LM Studio; Ollama's /v1; TGI; SGLang.
 */
const CONTEXT_PHRASES: readonly RegExp[] = [
  /maximum context length/i,
  /context length (?:is|of) only \d+/i,
  /longer than the (?:model's context length|maximum model length)/i,
  /exceeds? the available context size/i,
  /context size has been exceeded/i,
  /tokens? \+ `?max_new_tokens`? must be <=/i,
  /exceeds? (?:the )?(?:context length|context window|limit of \d+)/i,
]
/** Statuses a server answers a too-long prompt with: 400, 413, TGI's 422, llama.cpp's 500, none in a stream. */
const CONTEXT_STATUSES = new Set([400, 413, 422, 500])

function saysContextExceeded(status: number | undefined, message: string): boolean {
  if (status !== undefined && !CONTEXT_STATUSES.has(status)) return false
  return CONTEXT_PHRASES.some((phrase) => phrase.test(message))
}

function isClass(error: unknown, cls: OpenAIErrorClasses[keyof OpenAIErrorClasses], name: string): boolean {
  if (cls && error instanceof cls) return true
  return (error as { constructor?: { name?: string } })?.constructor?.name === name
}

/**
 * The error object an SDK error carries: `openai` keeps the body's `error`; other Stainless SDKs
 * (`groq-sdk`, `together-ai`) keep the whole body, `{ error: { message, type, code } }`.
 */
export function openAIErrorObject(error: unknown): any {
  const body = (error as { error?: any } | null)?.error
  if (body && typeof body === 'object' && body.error && typeof body.error === 'object') return body.error
  return body
}

function vendorMessage(error: any): string {
  const body = openAIErrorObject(error)
  if (body && typeof body.message === 'string' && body.message) return body.message
  return typeof error.message === 'string' ? error.message : String(error)
}

/**
 * Classifies anything the `openai` SDK (or an OpenAI-shaped server) threw into the core
 * taxonomy: by HTTP status and the vendor's `code`/`type` first, message text only as a
 * documented fallback. Keeps `status`, `code` and `requestId`; never puts a key in a message.
 */
export function mapOpenAIError(error: unknown, context: MapOpenAIErrorContext): ModelplexError {
  if (ModelplexError.isInstance(error)) return error
  const { provider, model, errors = {} } = context
  const name = context.name ?? provider
  const base: ModelplexErrorOptions = { provider, model, cause: error }

  // Invalid JSON in a 200 body or in a stream frame.
  if (error instanceof SyntaxError) {
    return new MalformedResponseError(`${name}: the response is not valid JSON (${error.message})`, base)
  }
  if (isClass(error, errors.APIConnectionTimeoutError, 'APIConnectionTimeoutError')) {
    return new TimeoutError(`${name}: the request timed out`, base)
  }
  if (isClass(error, errors.APIUserAbortError, 'APIUserAbortError')) {
    // Core checks its own signals before asking the adapter; an abort that reaches here is the SDK's own.
    return new AbortedError(`${name}: the request was aborted`, base)
  }
  if (isClass(error, errors.APIConnectionError, 'APIConnectionError') || isNetworkError(error)) {
    const reason = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message
    return new ConnectionError(`${name}: could not reach the server (${reason})`, base)
  }

  const apiError = error as any
  const isApiError =
    isClass(error, errors.APIError, 'APIError') ||
    (error instanceof Error && ('status' in apiError || 'error' in apiError) && 'headers' in apiError)
  if (!isApiError) {
    const message = error instanceof Error ? error.message : String(error)
    return new ModelplexError(`${name}: ${message}`, base)
  }

  const status: number | undefined = typeof apiError.status === 'number' ? apiError.status : undefined
  // Some servers (llama.cpp, vLLM) put the HTTP status in `code` as a number: only strings are codes.
  const payload = openAIErrorObject(apiError)
  const rawCode = apiError.code ?? payload?.code
  const code: string | undefined = typeof rawCode === 'string' ? rawCode : undefined
  const rawType = apiError.type ?? payload?.type
  const type: string | undefined = typeof rawType === 'string' ? rawType : undefined
  const message = vendorMessage(apiError)
  const options: ModelplexErrorOptions = {
    ...base,
    status,
    code: code ?? type,
    requestId: apiError.requestID ?? readHeader(apiError.headers, 'x-request-id'),
  }
  const text = `${name}: ${status ? `${status} ` : ''}${message}`

  // llama.cpp's server says `type: 'exceed_context_size_error'` instead of a code.
  if (
    code === 'context_length_exceeded' ||
    type === 'exceed_context_size_error' ||
    saysContextExceeded(status, message)
  ) {
    return new ContextWindowExceededError(text, options)
  }
  if ((code && CONTENT_FILTER_CODES.has(code)) || (type && CONTENT_FILTER_CODES.has(type))) {
    return new ContentFilterError(text, options)
  }
  if ((code && QUOTA_CODES.has(code)) || (type && QUOTA_CODES.has(type))) {
    // An exhausted quota or budget does not pass with time: never retried.
    return new RateLimitError(text, { ...options, retryable: false })
  }
  if (status === 429 || code === 'rate_limit_exceeded') {
    return new RateLimitError(text, { ...options, retryAfterMs: parseRetryAfter(apiError.headers) })
  }
  if (status === undefined) {
    // An `error` event inside a stream carries no status: a server-side failure unless its code says otherwise.
    return new ServerError(text, options)
  }
  return errorFromStatus(status, text, options)
}
