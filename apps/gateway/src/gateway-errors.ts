import {
  AbortedError,
  AuthenticationError,
  ConfigError,
  InvalidRequestError,
  ModelplexError,
  NotFoundError,
  RateLimitError,
  ServerError,
  StructuredOutputError,
  TimeoutError,
  UnsupportedCapabilityError,
} from '@modelplex/core'

/** The provider name of errors the gateway raises itself (as opposed to an upstream's). */
export const GATEWAY = 'gateway'

/** What an error becomes on the wire: the status, OpenAI's `type` and `code`, and headers. */
export interface WireError {
  status: number
  type: string
  code: string | null
  message: string
  param: string | null
  headers: Record<string, string>
}

const own = (error: ModelplexError) => error.provider === GATEWAY

/**
 * Maps any thrown value to a status and an OpenAI-style error. The gateway's own auth and limit
 * errors keep their status; an upstream's are translated: its 401 is the gateway's config (502),
 * its 404 an unknown model (404), its 429 passes on with retry-after, the rest is 502/503/504.
 */
export function toWireError(error: unknown): WireError {
  const headers: Record<string, string> = {}
  const base = (status: number, type: string, code: string | null, message: string): WireError => ({
    status,
    type,
    code,
    message,
    param: null,
    headers,
  })
  if (!ModelplexError.isInstance(error)) {
    return base(500, 'server_error', 'internal_error', 'The gateway failed on this request; see its log.')
  }
  const message = error.message
  // Plain booleans: the subclasses are alike in shape, so type guards would narrow `error` to never.
  const is = (type: { isInstance(value: unknown): boolean }): boolean => type.isInstance(error)
  if (is(RateLimitError)) {
    if (error.retryAfterMs !== undefined) {
      headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)))
      headers['retry-after-ms'] = String(Math.ceil(error.retryAfterMs))
    }
    return base(429, 'rate_limit_error', error.code ?? 'rate_limit_exceeded', message)
  }
  if (is(AuthenticationError)) {
    return own(error)
      ? base(401, 'authentication_error', error.code ?? 'invalid_api_key', message)
      : base(
          502,
          'upstream_error',
          'upstream_authentication_failed',
          `The upstream refused the gateway's credentials: ${message}`,
        )
  }
  if (is(NotFoundError)) return base(404, 'invalid_request_error', error.code ?? 'model_not_found', message)
  if (is(InvalidRequestError) || is(UnsupportedCapabilityError) || is(StructuredOutputError)) {
    if (own(error) && error.status === 413)
      return base(413, 'invalid_request_error', 'request_too_large', message)
    if (own(error) && error.status === 403)
      return base(403, 'permission_error', error.code ?? 'model_not_allowed', message)
    return base(400, 'invalid_request_error', error.code ?? null, message)
  }
  if (is(AbortedError)) return base(499, 'client_closed_request', 'aborted', message)
  if (is(TimeoutError)) return base(504, 'upstream_error', 'upstream_timeout', message)
  if (is(ConfigError)) return base(500, 'server_error', 'gateway_misconfigured', message)
  if (is(ServerError) && (error.status === 503 || error.status === 529 || own(error)))
    return base(503, 'upstream_error', error.code ?? 'upstream_unavailable', message)
  return base(502, 'upstream_error', error.code ?? 'upstream_failed', message)
}

/** A JSON error response in OpenAI's shape. */
export function openAIErrorResponse(error: unknown, extraHeaders: Record<string, string> = {}): Response {
  const wire = toWireError(error)
  return Response.json(
    { error: { message: wire.message, type: wire.type, param: wire.param, code: wire.code } },
    { status: wire.status, headers: { ...extraHeaders, ...wire.headers } },
  )
}

/** A JSON error response in Anthropic's shape (`{ type: 'error', error: { type, message } }`). */
export function anthropicErrorResponse(error: unknown, extraHeaders: Record<string, string> = {}): Response {
  const wire = toWireError(error)
  const types: Record<number, string> = {
    400: 'invalid_request_error',
    401: 'authentication_error',
    403: 'permission_error',
    404: 'not_found_error',
    413: 'request_too_large',
    429: 'rate_limit_error',
    503: 'overloaded_error',
  }
  return Response.json(
    { type: 'error', error: { type: types[wire.status] ?? 'api_error', message: wire.message } },
    { status: wire.status, headers: { ...extraHeaders, ...wire.headers } },
  )
}

/** An invalid request raised by the gateway itself. */
export const badRequest = (message: string, status = 400, code?: string): InvalidRequestError =>
  new InvalidRequestError(message, { provider: GATEWAY, status, ...(code ? { code } : {}) })
