import type { WireErrorKind, WireKit } from '@modelplex/conformance'
import { computeCost, type PricingTable } from '@modelplex/core'
import {
  createOpenAIWireKit,
  type OpenAIWireKitOptions,
  type WireErrorPayload,
} from '@modelplex/provider-openai-compatible/testing'

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
export function openRouterErrorPayload(kind: WireErrorKind): WireErrorPayload {
  const error = (status: number, message: string, metadata?: Record<string, unknown>): WireErrorPayload => ({
    status,
    body: { error: { code: status, message, ...(metadata ? { metadata } : {}) } },
  })
  switch (kind) {
    case 'bad-request':
      return error(400, 'Input required: specify "prompt" or "messages"')
    case 'unauthorized':
      return error(401, 'User not found.')
    case 'forbidden':
      return error(403, 'This API key is not allowed to use this model.')
    case 'not-found':
      return error(404, 'No endpoints found for openai/gpt-unknown.')
    case 'context-window':
      return error(
        400,
        'This endpoint\'s maximum context length is 128000 tokens. However, you requested about 131072 tokens (131072 of text input). Please reduce the length of either one, or use the "middle-out" transform to compress your prompt automatically.',
      )
    case 'content-filter':
      return error(
        403,
        'openai/gpt-4o-mini requires moderation on OpenAI. Your input was flagged for "harassment". No credits were charged.',
        {
          reasons: ['harassment'],
          flagged_input: 'You are the worst...',
          provider_name: 'OpenAI',
          model_slug: 'openai/gpt-4o-mini',
        },
      )
    case 'rate-limit':
      return error(429, 'Rate limit exceeded: free-models-per-min.', {
        headers: {
          'X-RateLimit-Limit': '20',
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset': '1763700060000',
        },
      })
    case 'server':
      return error(502, 'Provider returned error', {
        raw: '{"error":{"message":"The server had an error while processing your request."}}',
        provider_name: 'OpenAI',
      })
    case 'overloaded':
      return error(503, 'No allowed providers are available for the selected model.')
  }
}

/** A wire kit that answers like openrouter.ai/api/v1, on a test host. */
export function createOpenRouterKit(options: OpenAIWireKitOptions = {}): WireKit {
  return createOpenAIWireKit({
    baseURL: 'https://openrouter.modelplex.test/api/v1',
    apiKey: 'sk-or-v1-modelplex-test-0123456789abcdef',
    models: { chat: 'openai/gpt-4o-mini', embedding: 'openai/text-embedding-3-small' },
    settings: { pricing: kitPricing },
    errorBody: openRouterErrorPayload,
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
export const kit: WireKit = createOpenRouterKit()
