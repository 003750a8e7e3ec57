import { errorTable, type WireErrorEntry, type WireErrorKind, type WireKit } from '@modelplex/conformance'
import {
  createOpenAICompatibleWireKit,
  OPENAI_WIRE_METADATA,
  type OpenAICompatibleWireKitOptions,
} from '@modelplex/provider-openai-compatible/testing'
import contextWindow from './__fixtures__/error-400-context-length.json' with { type: 'json' }
import badRequest from './__fixtures__/error-400-input-required.json' with { type: 'json' }
import contentFilter from './__fixtures__/error-400-safety-model.json' with { type: 'json' }
import unauthorized from './__fixtures__/error-401-invalid-api-key.json' with { type: 'json' }
import forbidden from './__fixtures__/error-403-forbidden.json' with { type: 'json' }
import notFound from './__fixtures__/error-404-model-not-available.json' with { type: 'json' }
import rateLimit from './__fixtures__/error-429-model-rate-limit.json' with { type: 'json' }
import server from './__fixtures__/error-500-internal.json' with { type: 'json' }
import overloaded from './__fixtures__/error-503-engine-overloaded.json' with { type: 'json' }

/**
 * Together's error bodies (https://docs.together.ai/docs/error-codes): a request `id` beside
 * OpenAI's `error` object. Together documents no content-policy error (the scenario is skipped).
 */
export const togetherErrors: Record<WireErrorKind, WireErrorEntry> = errorTable({
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

/** A wire kit that answers like api.together.ai on a test host: usage on the finish chunk, a plain model array. */
export function createTogetherWireKit(options: OpenAICompatibleWireKitOptions = {}): WireKit {
  return createOpenAICompatibleWireKit({
    baseURL: 'https://api.together.modelplex.test/v1',
    apiKey: 'tgp_v1_modelplex-test-0123456789abcdef',
    models: { chat: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', embedding: 'BAAI/bge-base-en-v1.5' },
    streamUsage: 'finish-chunk',
    reasoningField: 'reasoning',
    retryAfter: 'seconds',
    // A failure inside a stream arrives as a data frame holding the same error body.
    errors: togetherErrors,
    // Together writes cached input as a top-level `cached_tokens`, not in `prompt_tokens_details`.
    extendUsage: (payload, usage) => ({
      prompt_tokens: payload.prompt_tokens,
      completion_tokens: payload.completion_tokens,
      total_tokens: payload.total_tokens,
      cached_tokens: usage.cachedInputTokens ?? 0,
    }),
    // Together's completions carry the `seed` of each choice (__fixtures__/chat-completion.json).
    metadataPayload: (payload, kind) =>
      kind === 'completion'
        ? {
            ...payload,
            choices: (payload.choices as object[]).map((choice) => ({ ...choice, seed: 2_856_421_553 })),
          }
        : payload,
    metadata: {
      generate: { ...OPENAI_WIRE_METADATA.generate, seed: 2_856_421_553 },
      stream: OPENAI_WIRE_METADATA.stream,
    },
    v2: { reasoningReturn: 'none' },
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
export const kit: WireKit = createTogetherWireKit()
