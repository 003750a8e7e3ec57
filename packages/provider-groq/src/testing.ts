import type { WireErrorKind, WireKit } from '@modelplex/conformance'
import {
  createOpenAIWireKit,
  type OpenAIWireKitOptions,
  type WireErrorPayload,
} from '@modelplex/provider-openai-compatible/testing'

/** An error as api.groq.com writes it: `{ error: { message, type, code? } }` (https://console.groq.com/docs/errors). */
function groqError(status: number, message: string, type: string, code?: string): WireErrorPayload {
  return { status, body: { error: { message, type, ...(code ? { code } : {}) } } }
}

/** Groq's error bodies, one per canonical kind. */
export function groqErrorPayload(kind: WireErrorKind): WireErrorPayload {
  switch (kind) {
    case 'bad-request':
      return groqError(400, "'temperature' : number must be at most 2", 'invalid_request_error')
    case 'unauthorized':
      return groqError(401, 'Invalid API Key', 'invalid_request_error', 'invalid_api_key')
    case 'forbidden':
      return groqError(
        403,
        'Organization has been restricted.',
        'invalid_request_error',
        'organization_restricted',
      )
    case 'not-found':
      return groqError(
        404,
        'The model `llama-unknown` does not exist or you do not have access to it.',
        'invalid_request_error',
        'model_not_found',
      )
    case 'context-window':
      return {
        status: 400,
        body: {
          error: {
            message: 'Please reduce the length of the messages or completion.',
            type: 'invalid_request_error',
            param: 'messages',
            code: 'context_length_exceeded',
          },
        },
      }
    case 'content-filter':
      // Groq documents no content-policy error; the conformance scenario is skipped. This is OpenAI's.
      return groqError(
        400,
        'The request was rejected by the content filter.',
        'invalid_request_error',
        'content_filter',
      )
    case 'rate-limit':
      return groqError(
        429,
        'Rate limit reached for model `llama-3.3-70b-versatile` in organization `org_modelplex` service tier `on_demand` on tokens per minute (TPM): Limit 12000, Used 11890, Requested 1024. Please try again in 4.57s.',
        'tokens',
        'rate_limit_exceeded',
      )
    case 'server':
      return groqError(500, 'Internal Server Error', 'internal_server_error')
    case 'overloaded':
      return groqError(503, 'Service Unavailable', 'internal_server_error')
  }
}

/** Groq's usage: OpenAI's counts plus its timings, cached tokens only when a prefix was cached. */
function groqUsage(payload: Record<string, unknown>): Record<string, unknown> {
  const cached = (payload.prompt_tokens_details as { cached_tokens?: number } | undefined)?.cached_tokens
  return {
    queue_time: 0.016,
    prompt_tokens: payload.prompt_tokens,
    prompt_time: 0.009,
    completion_tokens: payload.completion_tokens,
    completion_time: 0.021,
    total_tokens: payload.total_tokens,
    total_time: 0.03,
    ...(cached ? { prompt_tokens_details: { cached_tokens: cached } } : {}),
  }
}

/** A wire kit that answers like api.groq.com on a test host: `x_groq` usage, Groq's errors and model list. */
export function createGroqKit(options: OpenAIWireKitOptions = {}): WireKit {
  return createOpenAIWireKit({
    baseURL: 'https://api.groq.modelplex.test/openai/v1',
    apiKey: 'gsk_modelplex_test_0123456789abcdef',
    models: { chat: 'llama-3.3-70b-versatile' },
    streamUsage: 'x_groq',
    reasoningField: 'reasoning',
    retryAfter: 'seconds',
    errorBody: (kind) => groqErrorPayload(kind),
    // Groq reports a failure inside a stream as a data frame holding an `error` object.
    streamError: (kind) => groqErrorPayload(kind).body,
    extendUsage: (payload) => groqUsage(payload),
    modelsBody: (ids) => ({
      object: 'list',
      data: ids.map((id) => ({
        id,
        object: 'model',
        created: 1_733_447_754,
        owned_by: 'Meta',
        active: true,
        context_window: 131_072,
        public_apps: null,
        max_completion_tokens: 32_768,
      })),
    }),
    ...options,
  })
}

/** The default kit of `@modelplex/provider-groq`, used by its conformance test. */
export const kit: WireKit = createGroqKit()
