import {
  AbortedError,
  ConnectionError,
  ContextWindowExceededError,
  MalformedResponseError,
  ModelplexError,
  type ModelplexErrorOptions,
  RateLimitError,
  ServerError,
} from '@modelplex/core'
import { errorFromStatus, isNetworkError, parseRetryAfter } from '@modelplex/core/adapter'

/**
 * An `{"error": "..."}` line inside an NDJSON stream. Ollama writes it, without a status, when
 * the runner fails after the answer started; the SDK throws it as a plain `Error`, which the
 * stream translator re-throws as this class so it can be told apart.
 */
export class OllamaStreamError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'OllamaStreamError'
  }
}

/**
 * A non-2xx answer, read by the adapter's fetch before the SDK sees it: the SDK's own
 * `ResponseError` drops the headers (Retry-After) and logs to the console for non-JSON bodies.
 */
export class OllamaHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Headers,
  ) {
    super(message)
    this.name = 'OllamaHttpError'
  }
}

const MAX_MESSAGE_LENGTH = 300

/** Reads an error response: Ollama's `{"error": "..."}`, else the text (a proxy's page), else the status. */
export async function readOllamaHttpError(response: Response): Promise<OllamaHttpError> {
  let text = ''
  try {
    text = await response.text()
  } catch {
    // The body failed mid-read: the status still classifies the error.
  }
  let message = text.trim()
  try {
    const parsed = JSON.parse(text)
    if (typeof parsed?.error === 'string') message = parsed.error
  } catch {
    // Not JSON: keep the text.
  }
  if (message.length > MAX_MESSAGE_LENGTH) message = `${message.slice(0, MAX_MESSAGE_LENGTH)}…`
  if (!message) message = response.statusText || `HTTP ${response.status}`
  return new OllamaHttpError(response.status, message, response.headers)
}

/** What the `ollama` SDK throws for a non-2xx answer: `error` is the body's `error` field. */
interface OllamaResponseError extends Error {
  error: string
  status_code: number
}

export interface MapOllamaErrorContext {
  provider?: string
  model?: string | undefined
  /** The server that was called, named in connection errors. */
  host?: string
}

// Ollama sends no error codes, only `{"error": "<text>"}`: this phrase is the runner's
// errorInputTooLong, returned with 400 by /api/embed and by /api/chat with `truncate: false`.
const CONTEXT_PHRASE = /input length exceeds the context length/i

function isResponseError(error: unknown): error is OllamaResponseError {
  return (
    error instanceof Error &&
    error.name === 'ResponseError' &&
    typeof (error as { status_code?: unknown }).status_code === 'number'
  )
}

/** The first error code in the cause chain (`ECONNREFUSED`, `UND_ERR_SOCKET`, …). */
function networkCode(error: unknown): string | undefined {
  for (let e: any = error, depth = 0; e && depth < 5; e = e.cause, depth++) {
    if (typeof e.code === 'string') return e.code
  }
  return undefined
}

function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { message?: string } }).cause?.message
  const message = error instanceof Error ? error.message : String(error)
  return cause && cause !== message ? `${message}: ${cause}` : message
}

/**
 * Classifies anything the `ollama` SDK (or the stream) threw into the core taxonomy: by HTTP
 * status first; Ollama gives no error codes, so one documented phrase marks a context overflow.
 * A refused connection tells the user to start Ollama or set `OLLAMA_HOST`.
 */
export function mapOllamaError(error: unknown, context: MapOllamaErrorContext = {}): ModelplexError {
  if (ModelplexError.isInstance(error)) return error
  const provider = context.provider ?? 'ollama'
  const base: ModelplexErrorOptions = { provider, model: context.model, cause: error }

  // A 200 whose body is not JSON: `response.json()` throws a SyntaxError.
  if (error instanceof SyntaxError) {
    return new MalformedResponseError(`Ollama: the response is not valid JSON (${error.message})`, base)
  }
  if ((error as { name?: string } | null)?.name === 'AbortError') {
    return new AbortedError('Ollama: the request was aborted', base)
  }
  if (isNetworkError(error)) {
    const where = context.host ? ` at ${context.host}` : ''
    const refused = networkCode(error) === 'ECONNREFUSED'
    const hint = refused
      ? 'Nothing is listening there: start Ollama (`ollama serve` or the desktop app), or set OLLAMA_HOST (or the baseURL setting) to where it runs.'
      : 'Is Ollama running? Start it with `ollama serve`, or set OLLAMA_HOST (or the baseURL setting) to where it runs.'
    return new ConnectionError(
      `Ollama: could not reach the server${where} (${reasonOf(error)}). ${hint}`,
      base,
    )
  }
  if (error instanceof OllamaStreamError) {
    const text = `Ollama: ${error.message}`
    if (CONTEXT_PHRASE.test(error.message)) return new ContextWindowExceededError(text, base)
    // Ollama streams no status with the error line; it comes from a failing runner.
    return new ServerError(text, base)
  }
  const http =
    error instanceof OllamaHttpError
      ? { status: error.status, message: error.message, headers: error.headers }
      : isResponseError(error)
        ? { status: error.status_code, message: error.error || error.message, headers: undefined }
        : undefined
  if (http) {
    const { status, message } = http
    const options: ModelplexErrorOptions = { ...base, status }
    const text = `Ollama: ${status} ${message}`
    if (status === 400 && CONTEXT_PHRASE.test(message)) return new ContextWindowExceededError(text, options)
    if (status === 429)
      return new RateLimitError(text, { ...options, retryAfterMs: parseRetryAfter(http.headers) })
    return errorFromStatus(status, text, options)
  }
  const message = error instanceof Error ? error.message : String(error)
  return new ModelplexError(`Ollama: ${message}`, base)
}
