import {
  AbortedError,
  AuthenticationError,
  ConfigError,
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
} from '@modelplex/core'
import { errorFromStatus, isNetworkError, parseRetryAfter } from '@modelplex/core/adapter'

export interface MapBedrockErrorContext {
  name?: string
  model?: string | undefined
  /** What to set when no credentials resolve; named in the ConfigError. */
  credentialsHint?: string
}

/** Exception names (`error.name`, the `x-amzn-errortype` of the response) that mean bad or missing credentials. */
const AUTH_EXCEPTIONS = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'ExpiredTokenException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
])

const SERVER_EXCEPTIONS = new Set([
  'InternalServerException',
  'ServiceUnavailableException',
  'ModelNotReadyException',
  'ModelErrorException',
  'ModelStreamErrorException',
  'ModelTimeoutException',
  'ConflictException',
])

// ValidationException carries no finer code, so these phrases are the only signal; each has a test.
/** Bedrock's "Input is too long for requested model.", "too many input tokens", Anthropic's "prompt is too long", Mistral/Llama's "maximum context length". */
const CONTEXT_PHRASE = /input is too long|too many input tokens|prompt is too long|maximum context length/i
/** Amazon models: "This request has been blocked by our content filters." */
const CONTENT_FILTER_PHRASE = /blocked by (?:our )?content filters/i
/** "The provided model identifier is invalid." — an unknown model id answered with 400. */
const UNKNOWN_MODEL_PHRASE = /model identifier is invalid/i
/** What the SDK's event-stream decoder throws on bytes that are not AWS event-stream frames. */
const FRAMING_PHRASE = /truncated event message|checksum.*(?:did|does) not match/i

/** The HTTP status the SDK attaches to what it throws: `$metadata.httpStatusCode`, else the raw `$response`. */
function httpStatusOf(raw: any): number | undefined {
  const status = raw?.$metadata?.httpStatusCode ?? raw?.$response?.statusCode
  return typeof status === 'number' ? status : undefined
}

function isCredentialsError(error: any): boolean {
  return error?.name === 'CredentialsProviderError' || error?.name === 'TokenProviderError'
}

/**
 * Classifies anything the AWS SDK threw into the core taxonomy: by the exception name (the
 * response's `x-amzn-errortype`) and `$metadata.httpStatusCode` first, message text only where
 * a `ValidationException` gives nothing finer. Keeps `status`, the exception name as `code`, the
 * request id and any `Retry-After`. Core redacts the spec's secret settings from the message.
 */
export function mapBedrockError(error: unknown, context: MapBedrockErrorContext = {}): ModelplexError {
  if (ModelplexError.isInstance(error)) return error
  const name = context.name ?? 'Amazon Bedrock'
  const base: ModelplexErrorOptions = { provider: 'bedrock', model: context.model, cause: error }
  const raw = error as any
  const rawMessage = typeof raw?.message === 'string' && raw.message ? raw.message : String(error)

  if (isCredentialsError(raw)) {
    return new ConfigError(
      `${name}: no AWS credentials could be resolved (${rawMessage.split('\n')[0]}). ${context.credentialsHint ?? 'Pass accessKeyId and secretAccessKey, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'}.`,
      base,
    )
  }
  if (/^Region is missing/i.test(rawMessage)) {
    return new ConfigError(`${name}: no AWS Region. Pass the region setting or set AWS_REGION.`, base)
  }
  // The SDK rethrows JSON.parse's SyntaxError for any body that does not parse, with the HTTP
  // status attached: an error status (a proxy's HTML 502) says more than the body does.
  if (raw instanceof SyntaxError || raw?.name === 'SyntaxError') {
    const reason = rawMessage.split('\n')[0]
    const status = httpStatusOf(raw)
    if (status !== undefined && status >= 400) {
      const headers = raw?.$response?.headers
      return errorFromStatus(status, `${name}: ${status} with a body that is not JSON (${reason})`, {
        ...base,
        requestId: raw?.$metadata?.requestId ?? headers?.['x-amzn-requestid'],
        retryAfterMs: parseRetryAfter(headers),
      })
    }
    return new MalformedResponseError(`${name}: the response is not valid JSON (${reason})`, base)
  }
  if (raw?.name === 'AbortError') return new AbortedError(`${name}: the request was aborted`, base)
  if (isNetworkError(error) || raw?.name === 'TimeoutError') {
    const reason = raw?.cause?.message ?? rawMessage
    return new ConnectionError(`${name}: could not reach the server (${String(reason)})`, base)
  }

  const exception: string | undefined = typeof raw?.name === 'string' ? raw.name : undefined
  const status = httpStatusOf(raw)
  // Modeled AWS errors carry `$fault`; an exception from inside a stream at least keeps its name.
  if (raw?.$fault === undefined && !exception?.endsWith('Exception')) {
    if (FRAMING_PHRASE.test(rawMessage)) {
      return new MalformedResponseError(
        `${name}: the stream is not AWS event-stream framing (${rawMessage})`,
        base,
      )
    }
    return new ModelplexError(`${name}: ${rawMessage}`, base)
  }

  const options: ModelplexErrorOptions = {
    ...base,
    status,
    code: exception,
    requestId: raw?.$metadata?.requestId ?? raw?.$response?.headers?.['x-amzn-requestid'],
  }
  const text = `${name}: ${status ? `${status} ` : ''}${exception ? `${exception}: ` : ''}${rawMessage}`

  switch (exception) {
    case 'ThrottlingException':
      return new RateLimitError(text, { ...options, retryAfterMs: parseRetryAfter(raw?.$response?.headers) })
    case 'ServiceQuotaExceededException':
      // Bedrock's per-minute token and request quotas: resubmitting later succeeds.
      return new RateLimitError(text, { ...options, retryAfterMs: parseRetryAfter(raw?.$response?.headers) })
    case 'ResourceNotFoundException':
      return new NotFoundError(text, options)
    case 'ValidationException':
      if (CONTEXT_PHRASE.test(rawMessage)) return new ContextWindowExceededError(text, options)
      if (CONTENT_FILTER_PHRASE.test(rawMessage)) return new ContentFilterError(text, options)
      if (UNKNOWN_MODEL_PHRASE.test(rawMessage)) return new NotFoundError(text, options)
      return new InvalidRequestError(text, options)
  }
  if (exception && AUTH_EXCEPTIONS.has(exception)) return new AuthenticationError(text, options)
  if (exception && SERVER_EXCEPTIONS.has(exception)) return new ServerError(text, options)
  // An exception inside a stream carries no status: a server-side failure unless its name says otherwise.
  if (status === undefined) return new ServerError(text, options)
  return errorFromStatus(status, text, options)
}
