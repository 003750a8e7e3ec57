import { errorTable, type WireErrorEntry, type WireErrorKind, type WireKit } from '@modelplex/conformance'
import {
  createOpenAICompatibleWireKit,
  type OpenAICompatibleWireKitOptions,
  WIRE_LOGPROBS,
} from '@modelplex/provider-openai-compatible/testing'
import contentFilter from './__fixtures__/error-400-content-filter.json' with { type: 'json' }
import contextWindow from './__fixtures__/error-400-context-length.json' with { type: 'json' }
import badRequest from './__fixtures__/error-400-invalid-temperature.json' with { type: 'json' }
import unauthorized from './__fixtures__/error-401-invalid-api-key.json' with { type: 'json' }
import forbidden from './__fixtures__/error-403-organization-restricted.json' with { type: 'json' }
import notFound from './__fixtures__/error-404-model-not-found.json' with { type: 'json' }
import rateLimit from './__fixtures__/error-429-rate-limit.json' with { type: 'json' }
import server from './__fixtures__/error-500-internal-server-error.json' with { type: 'json' }
import overloaded from './__fixtures__/error-503-service-unavailable.json' with { type: 'json' }

/**
 * Groq's error bodies (https://console.groq.com/docs/errors). Groq documents no content-policy
 * error (its conformance scenario is skipped); that body is OpenAI's shape with its code.
 */
export const groqErrors: Record<WireErrorKind, WireErrorEntry> = errorTable({
  badRequest,
  unauthorized,
  forbidden,
  notFound,
  contextWindow,
  contentFilter,
  rateLimit,
  server,
  overloaded,
})

/** The timings `groqUsage` writes, as `providerMetadata.timings` holds them. */
const GROQ_TIMINGS = { queueTime: 0.016, promptTime: 0.009, completionTime: 0.021, totalTime: 0.03 }

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
export function createGroqWireKit(options: OpenAICompatibleWireKitOptions = {}): WireKit {
  return createOpenAICompatibleWireKit({
    baseURL: 'https://api.groq.modelplex.test/openai/v1',
    apiKey: 'gsk_modelplex_test_0123456789abcdef',
    models: { chat: 'llama-3.3-70b-versatile' },
    streamUsage: 'x_groq',
    reasoningField: 'reasoning',
    retryAfter: 'seconds',
    // Groq reports a failure inside a stream as a data frame holding the same `error` body.
    errors: groqErrors,
    extendUsage: (payload) => groqUsage(payload),
    // A completion names its request in `x_groq.id` (recorded in __fixtures__/chat-completion.json).
    metadataPayload: (payload, kind) =>
      kind === 'completion' ? { ...payload, x_groq: { id: 'req_01k88s34gqebz95rb4y58dd523' } } : payload,
    // Groq names its tiers on_demand, flex and performance (__fixtures__/chat-completion.json).
    transformPayload: (payload) =>
      'service_tier' in payload ? { ...payload, service_tier: 'on_demand' } : payload,
    metadata: {
      generate: {
        systemFingerprint: 'fp_modelplex',
        serviceTier: 'on_demand',
        logprobs: WIRE_LOGPROBS,
        requestId: 'req_01k88s34gqebz95rb4y58dd523',
        timings: GROQ_TIMINGS,
      },
      stream: { systemFingerprint: 'fp_modelplex', serviceTier: 'on_demand', timings: GROQ_TIMINGS },
    },
    v2: { reasoningOptions: { reasoningFormat: 'parsed' }, reasoningReturn: 'none' },
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
export const kit: WireKit = createGroqWireKit()
