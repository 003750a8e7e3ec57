import {
  AbortedError,
  ConnectionError,
  ContentFilterError,
  ContextWindowExceededError,
  InvalidRequestError,
  MalformedResponseError,
  ModelplexError,
  type ModelplexErrorOptions,
  NotFoundError,
  RateLimitError,
  TimeoutError,
} from '@modelplex/core'
import { errorFromStatus, isNetworkError, parseRetryAfter, readHeader } from '@modelplex/core/adapter'

const PROVIDER = 'mistral'
const NAME = 'Mistral'

/** Mistral's code for a prompt longer than the model's context window ("Prompt contains N tokens…"). */
const CONTEXT_WINDOW_CODE = '3051'
/** The code of a request blocked by a `guardrails` moderation rule (HTTP 403). */
const GUARDRAIL_CODE = 'guardrail_triggered'
/**
 * Older responses carry the context-window message with `code: null`; the phrase is Mistral's own
 * wording ("Prompt contains 40960 tokens…, too large for model with 32768 maximum context length").
 */
const CONTEXT_PHRASE = /too large for model with \d+ maximum context length/i

/** What a Mistral error body says, from any of its shapes. */
interface ErrorBody {
  message: string | undefined
  type: string | undefined
  code: string | undefined
  requestId: string | undefined
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** A FastAPI validation list (`[{ loc, msg }]`) as one line. */
function validationMessage(detail: unknown): string | undefined {
  if (!Array.isArray(detail)) return text(detail)
  const first = detail[0]
  if (!first || typeof first !== 'object') return undefined
  const loc = Array.isArray(first.loc) ? first.loc.join('.') : undefined
  const msg = text(first.msg)
  return msg && loc ? `${loc}: ${msg}` : msg
}

/**
 * Reads the error shapes Mistral answers with:
 * - the documented one: `{ object: "error", message, type, param, code }` (a 422 puts
 *   `{ detail: [...] }` in `message`);
 * - the API gateway's: `{ message, request_id }` (401, 403);
 * - a guardrail block: `{ error: { code, message, details } }`;
 * - a bare validation error: `{ detail: [...] }`.
 */
export function readMistralErrorBody(raw: string | undefined): ErrorBody | undefined {
  if (!raw) return undefined
  let body: any
  try {
    body = JSON.parse(raw)
  } catch {
    return undefined
  }
  if (!body || typeof body !== 'object') return undefined
  const nested = body.error && typeof body.error === 'object' ? body.error : undefined
  const message =
    text(body.message) ??
    validationMessage(body.message?.detail) ??
    text(nested?.message) ??
    validationMessage(body.detail)
  const code = body.code ?? nested?.code
  return {
    message,
    type: text(body.type) ?? text(nested?.type),
    code: typeof code === 'number' ? String(code) : text(code),
    requestId: text(body.request_id),
  }
}

function causeMessage(error: unknown): string {
  const cause = (error as { cause?: { message?: string } }).cause
  return cause?.message ?? (error instanceof Error ? error.message : String(error))
}

/** An HTTP error the SDK threw (`SDKError`, `HTTPValidationError`, …): all carry `statusCode` and `body`. */
function fromHttpError(error: any, base: ModelplexErrorOptions): ModelplexError {
  const status: number = error.statusCode
  const body = readMistralErrorBody(typeof error.body === 'string' ? error.body : undefined)
  if (status >= 200 && status < 300) {
    // A 2xx the SDK could not read: the wrong content type, or a body that fails its schema.
    return new MalformedResponseError(
      `${NAME}: the response is not the documented shape (${error.name})`,
      base,
    )
  }
  const message = body?.message ?? `HTTP ${status}`
  const code = body?.code ?? body?.type
  const options: ModelplexErrorOptions = {
    ...base,
    status,
    ...(code ? { code } : {}),
    requestId:
      readHeader(error.headers, 'mistral-correlation-id') ??
      readHeader(error.headers, 'x-kong-request-id') ??
      body?.requestId,
  }
  const summary = `${NAME}: ${status} ${message}`
  if (
    body?.code === CONTEXT_WINDOW_CODE ||
    ((status === 400 || status === 422) && CONTEXT_PHRASE.test(message))
  ) {
    return new ContextWindowExceededError(summary, options)
  }
  if (body?.code === GUARDRAIL_CODE) return new ContentFilterError(summary, options)
  // Mistral answers an unknown model id with 400 `invalid_model` (code 1500), not 404.
  if (body?.type === 'invalid_model') return new NotFoundError(summary, options)
  // 402: the workspace is out of credit; waiting does not help.
  if (status === 402) return new RateLimitError(summary, { ...options, retryable: false })
  if (status === 429) {
    return new RateLimitError(summary, { ...options, retryAfterMs: parseRetryAfter(error.headers) })
  }
  return errorFromStatus(status, summary, options)
}

/** What `mapMistralError` knows about the call, as every provider's error mapper takes it. */
export interface MapMistralErrorContext {
  model?: string | undefined
}

/**
 * Classifies anything the Mistral SDK threw into the core taxonomy: HTTP errors by status and
 * Mistral's `code`/`type` first, the context-window phrase only where the code is missing; the
 * SDK's client errors (abort, timeout, connection) and its validation errors by class name, since
 * the SDK is loaded lazily and its classes are not imported here.
 */
export function mapMistralError(error: unknown, context: MapMistralErrorContext = {}): ModelplexError {
  if (ModelplexError.isInstance(error)) return error
  const base: ModelplexErrorOptions = { provider: PROVIDER, model: context.model, cause: error }
  // Invalid JSON in a 200 body (the SDK's JSON.parse).
  if (error instanceof SyntaxError) {
    return new MalformedResponseError(`${NAME}: the response is not valid JSON (${error.message})`, base)
  }
  const err = error as any
  if (err && typeof err === 'object' && typeof err.statusCode === 'number') return fromHttpError(err, base)
  switch (err?.name) {
    case 'RequestAbortedError':
      return new AbortedError(`${NAME}: the request was aborted`, base)
    case 'RequestTimeoutError':
      return new TimeoutError(`${NAME}: the request timed out`, base)
    case 'ConnectionError':
      return new ConnectionError(`${NAME}: could not reach the server (${causeMessage(error)})`, base)
    case 'SDKValidationError':
      // The SDK checks each request against its schema before sending ("Input validation failed");
      // any other SDKValidationError is a response it could not read.
      if (err.rawMessage === 'Input validation failed') {
        return new InvalidRequestError(`${NAME}: the SDK rejected the request: ${err.message}`, base)
      }
      return new MalformedResponseError(`${NAME}: the response is not the documented shape`, base)
    case 'InvalidRequestError':
      return new InvalidRequestError(`${NAME}: ${err.message}`, base)
    case 'ZodError':
    case '$ZodError':
      // A stream event that is not a chunk (the SDK parses each event with zod).
      return new MalformedResponseError(`${NAME}: a stream event is not the documented shape`, base)
  }
  if (isNetworkError(error)) {
    return new ConnectionError(`${NAME}: could not reach the server (${causeMessage(error)})`, base)
  }
  const message = error instanceof Error ? error.message : String(error)
  return new ModelplexError(`${NAME}: ${message}`, base)
}
