import { errorTable, type WireErrorEntry, type WireErrorKind, type WireKit } from '@modelplex/conformance'
import { computeCost, type PricingTable } from '@modelplex/core'
import {
  createOpenAICompatibleWireKit,
  OPENAI_WIRE_METADATA,
  type OpenAICompatibleWireKitOptions,
} from '@modelplex/provider-openai-compatible/testing'
import contextWindow from './__fixtures__/error-400-context-length.json' with { type: 'json' }
import badRequest from './__fixtures__/error-400-input-required.json' with { type: 'json' }
import unauthorized from './__fixtures__/error-401-user-not-found.json' with { type: 'json' }
import forbidden from './__fixtures__/error-403-key-not-allowed.json' with { type: 'json' }
import contentFilter from './__fixtures__/error-403-moderation.json' with { type: 'json' }
import notFound from './__fixtures__/error-404-no-endpoints.json' with { type: 'json' }
import rateLimit from './__fixtures__/error-429-rate-limit.json' with { type: 'json' }
import server from './__fixtures__/error-502-provider-error.json' with { type: 'json' }
import overloaded from './__fixtures__/error-503-no-providers.json' with { type: 'json' }

/**
 * The prices this kit charges in `usage.cost`, also handed to the provider as `pricing` so the
 * suite knows the cost to expect. They are OpenAI's list prices, which OpenRouter passes through.
 */
export const kitPricing: PricingTable = {
  source: 'https://openrouter.ai/openai/gpt-4o-mini',
  readAt: '2026-11-21',
  models: {
    'openai/gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
    'openai/text-embedding-3-small': { input: 0.02, output: 0 },
  },
}

/**
 * OpenRouter's error bodies, `{ error: { code: <status>, message, metadata? } }`
 * (https://openrouter.ai/docs/api/reference/errors-and-debugging). The 403 of `forbidden` is the
 * permission kind (no moderation metadata, no budget); its message is not documented.
 */
export const openRouterErrors: Record<WireErrorKind, WireErrorEntry> = errorTable(
  {
    badRequest,
    unauthorized,
    forbidden,
    notFound,
    contextWindow,
    contentFilter,
    rateLimit,
    server,
    overloaded,
  },
  { 'content-filter': 403, server: 502 },
)

/** OpenRouter's status and body for a kind. */
export function openRouterErrorPayload(kind: WireErrorKind): WireErrorEntry {
  return openRouterErrors[kind]
}

/** A wire kit that answers like openrouter.ai/api/v1, on a test host. */
export function createOpenRouterWireKit(options: OpenAICompatibleWireKitOptions = {}): WireKit {
  return createOpenAICompatibleWireKit({
    baseURL: 'https://openrouter.modelplex.test/api/v1',
    apiKey: 'sk-or-v1-modelplex-test-0123456789abcdef',
    models: { chat: 'openai/gpt-4o-mini', embedding: 'openai/text-embedding-3-small' },
    settings: { pricing: kitPricing },
    errors: openRouterErrors,
    // OpenRouter advertises a wait with the standard Retry-After (seconds) only.
    retryAfter: 'seconds',
    // OpenRouter's model list: slugs with a name, a creation date and the context length, no owner.
    modelsBody: (ids) => ({
      data: ids.map((id) => ({ id, name: id, created: 1_735_689_600, context_length: 128_000 })),
    }),
    // OpenRouter reports an error after the stream started as a chunk with `error` and finish_reason "error".
    streamError: () => ({
      id: 'gen-modelplex-stream-error',
      object: 'chat.completion.chunk',
      created: 1_735_689_600,
      model: 'openai/gpt-4o-mini',
      provider: 'OpenAI',
      error: { code: 'server_error', message: 'Provider disconnected unexpectedly' },
      choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }],
    }),
    // OpenRouter adds the charge in credits (1 credit = 1 USD) and its split to every usage.
    extendUsage: (payload, usage, model) => {
      const cost = computeCost(kitPricing, model, {
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        totalTokens: usage.inputTokens + usage.outputTokens,
        ...(usage.cachedInputTokens ? { cachedInputTokens: usage.cachedInputTokens } : {}),
      })
      if (!cost) return payload
      return {
        ...payload,
        cost: cost.total,
        is_byok: false,
        cost_details: {
          upstream_inference_cost: cost.total,
          upstream_inference_prompt_cost: cost.input,
          upstream_inference_completions_cost: cost.output,
        },
      }
    },
    reasoningField: 'reasoning',
    reasoningDetails: true,
    // Every OpenRouter payload names the upstream provider and its native finish reason.
    metadataPayload: (payload) => ({
      ...payload,
      provider: 'OpenAI',
      choices: (payload.choices as Array<Record<string, unknown>>).map((choice) =>
        choice.finish_reason ? { ...choice, native_finish_reason: choice.finish_reason } : choice,
      ),
    }),
    metadata: {
      generate: {
        ...OPENAI_WIRE_METADATA.generate,
        provider: 'OpenAI',
        nativeFinishReason: 'stop',
        isByok: false,
      },
      stream: {
        ...OPENAI_WIRE_METADATA.stream,
        provider: 'OpenAI',
        nativeFinishReason: 'stop',
        isByok: false,
      },
    },
    // https://openrouter.ai/docs/use-cases/reasoning-tokens#preserving-reasoning-blocks: details go back unchanged.
    v2: { reasoningOptions: { reasoning: { effort: 'high' } }, reasoningReturn: 'signed' },
    ...options,
  })
}

/** The default kit of `@modelplex/provider-openrouter`, used by its conformance test. */
export const kit: WireKit = createOpenRouterWireKit()
