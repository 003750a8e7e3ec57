import type { WireErrorEntry, WireErrorKind, WireKit } from '@modelplex/conformance'
import { computeCost, type PricingTable } from '@modelplex/core'
import {
  createOpenAICompatibleWireKit,
  type OpenAICompatibleWireKitOptions,
} from '@modelplex/provider-openai-compatible/testing'
import contextLength from './__fixtures__/error-400-context-length.json' with { type: 'json' }
import inputRequired from './__fixtures__/error-400-input-required.json' with { type: 'json' }
import userNotFound from './__fixtures__/error-401-user-not-found.json' with { type: 'json' }
import keyNotAllowed from './__fixtures__/error-403-key-not-allowed.json' with { type: 'json' }
import moderation from './__fixtures__/error-403-moderation.json' with { type: 'json' }
import noEndpoints from './__fixtures__/error-404-no-endpoints.json' with { type: 'json' }
import rateLimit from './__fixtures__/error-429-rate-limit.json' with { type: 'json' }
import providerError from './__fixtures__/error-502-provider-error.json' with { type: 'json' }
import noProviders from './__fixtures__/error-503-no-providers.json' with { type: 'json' }
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
export const openRouterErrors: Record<WireErrorKind, WireErrorEntry> = {
  'bad-request': { status: 400, body: inputRequired },
  unauthorized: { status: 401, body: userNotFound },
  forbidden: { status: 403, body: keyNotAllowed },
  'not-found': { status: 404, body: noEndpoints },
  'context-window': { status: 400, body: contextLength },
  'content-filter': { status: 403, body: moderation },
  'rate-limit': { status: 429, body: rateLimit },
  server: { status: 502, body: providerError },
  overloaded: { status: 503, body: noProviders },
}

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
    ...options,
  })
}

/** The default kit of `@modelplex/provider-openrouter`, used by its conformance test. */
export const kit: WireKit = createOpenRouterWireKit()
