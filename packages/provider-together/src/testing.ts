import type { WireErrorKind, WireKit } from '@modelplex/conformance'
import {
  createOpenAIWireKit,
  type OpenAIWireKitOptions,
  type WireErrorPayload,
} from '@modelplex/provider-openai-compatible/testing'

let errorCounter = 0

/** An error as api.together.ai writes it: a request `id` beside OpenAI's `error` object. */
function togetherError(
  status: number,
  message: string,
  type: string,
  code: string | null = null,
): WireErrorPayload {
  return {
    status,
    body: { id: `ovq${++errorCounter}-modelplex`, error: { message, type, param: null, code } },
  }
}

/** Together's error bodies, one per canonical kind (https://docs.together.ai/docs/error-codes). */
export function togetherErrorPayload(kind: WireErrorKind): WireErrorPayload {
  switch (kind) {
    case 'bad-request':
      return togetherError(400, 'Input required', 'invalid_request_error')
    case 'unauthorized':
      return togetherError(
        401,
        'Invalid API key provided. You can find your API key at https://api.together.ai/settings/api-keys.',
        'invalid_request_error',
        'invalid_api_key',
      )
    case 'forbidden':
      return togetherError(403, 'Forbidden', 'invalid_request_error')
    case 'not-found':
      return togetherError(
        404,
        'Unable to access model totally-fake-model. Please visit https://api.together.ai/models to view the list of supported models.',
        'invalid_request_error',
        'model_not_available',
      )
    case 'context-window':
      return togetherError(
        400,
        "The input (170071 tokens) is longer than the model's context length (131072 tokens).",
        'invalid_request_error',
      )
    case 'content-filter':
      // Together documents no content-policy error; the conformance scenario is skipped.
      return togetherError(400, 'The request was rejected by the safety model.', 'invalid_request_error')
    case 'rate-limit':
      return togetherError(
        429,
        'You have reached the rate limit specific to this model meta-llama/Llama-3.3-70B-Instruct-Turbo. The maximum rate limit for this model is 600 queries per minute.',
        'model_rate_limit',
      )
    case 'server':
      return togetherError(500, 'An internal server error occurred. Please try again later.', 'server_error')
    case 'overloaded':
      return togetherError(503, 'Engine overloaded. Please try again after a brief wait.', 'server_error')
  }
}

/** A wire kit that answers like api.together.ai on a test host: usage on the finish chunk, a plain model array. */
export function createTogetherKit(options: OpenAIWireKitOptions = {}): WireKit {
  return createOpenAIWireKit({
    baseURL: 'https://api.together.modelplex.test/v1',
    apiKey: 'tgp_v1_modelplex-test-0123456789abcdef',
    models: { chat: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', embedding: 'BAAI/bge-base-en-v1.5' },
    streamUsage: 'finish-chunk',
    reasoningField: 'reasoning',
    retryAfter: 'seconds',
    errorBody: (kind) => togetherErrorPayload(kind),
    // A failure inside a stream arrives as a data frame holding the error object.
    streamError: (kind) => togetherErrorPayload(kind).body,
    // Together writes cached input as a top-level `cached_tokens`, not in `prompt_tokens_details`.
    extendUsage: (payload, usage) => ({
      prompt_tokens: payload.prompt_tokens,
      completion_tokens: payload.completion_tokens,
      total_tokens: payload.total_tokens,
      cached_tokens: usage.cachedInputTokens ?? 0,
    }),
    modelsBody: (ids) =>
      ids.map((id) => ({
        id,
        object: 'model',
        created: 1_733_961_600,
        type: 'chat',
        display_name: id,
        organization: 'Meta',
        context_length: 131_072,
        pricing: { hourly: 0, input: 0.88, output: 0.88, base: 0, finetune: 0 },
      })),
    ...options,
  })
}

/** The default kit of `@modelplex/provider-together`, used by its conformance test. */
export const kit: WireKit = createTogetherKit()
