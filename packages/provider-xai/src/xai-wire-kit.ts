import { errorTable, type WireErrorEntry, type WireErrorKind, type WireKit } from '@modelplex/conformance'
import { computeCost } from '@modelplex/core'
import {
  createOpenAICompatibleWireKit,
  type OpenAICompatibleWireKitOptions,
  WIRE_LOGPROBS,
} from '@modelplex/provider-openai-compatible/testing'
import badRequest from './__fixtures__/error-400-invalid-argument.json' with { type: 'json' }
import contextWindow from './__fixtures__/error-400-prompt-length.json' with { type: 'json' }
import unauthorized from './__fixtures__/error-401-no-credentials.json' with { type: 'json' }
import forbidden from './__fixtures__/error-403-chat-endpoint-denied.json' with { type: 'json' }
import contentFilter from './__fixtures__/error-403-usage-guidelines.json' with { type: 'json' }
import notFound from './__fixtures__/error-404-deprecated-model.json' with { type: 'json' }
import rateLimit from './__fixtures__/error-429-capacity.json' with { type: 'json' }
import server from './__fixtures__/error-500-internal.json' with { type: 'json' }
import overloaded from './__fixtures__/error-503-unavailable.json' with { type: 'json' }
import { xaiPricing } from './xai-pricing.js'

/**
 * xAI's error bodies: `{ code: <gRPC status description>, error: <message> }`
 * (https://docs.x.ai/developers/debugging). A key xAI cannot authenticate is a 401; a well-formed
 * wrong key is a 400 (unit-tested). The 500 and 503 messages are not documented.
 */
export const xaiErrors: Record<WireErrorKind, WireErrorEntry> = errorTable(
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
  { 'content-filter': 403 },
)

const XAI_CITATIONS = ['https://x.ai/news/grok-4', 'https://docs.x.ai/docs/models']

/** A wire kit that answers like api.x.ai, on a test host. */
export function createXaiWireKit(options: OpenAICompatibleWireKitOptions = {}): WireKit {
  return createOpenAICompatibleWireKit({
    baseURL: 'https://api.x.modelplex.test/v1',
    apiKey: 'xai-modelplex-test-0123456789abcdef',
    models: { chat: 'grok-4.3' },
    ownedBy: 'xai',
    // Not documented: an error inside a stream is written as the same body in a data frame.
    errors: xaiErrors,
    // xAI adds the sources searched and the exact charge in ticks (1 USD = 10^10) to the usage.
    extendUsage: (payload, usage, model) => {
      const cost = computeCost(xaiPricing, model, {
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        totalTokens: usage.inputTokens + usage.outputTokens,
        ...(usage.cachedInputTokens ? { cachedInputTokens: usage.cachedInputTokens } : {}),
      })
      return {
        ...payload,
        num_sources_used: 0,
        ...(cost ? { cost_in_usd_ticks: Math.round(cost.total * 10_000_000_000) } : {}),
      }
    },
    // A search's URLs in `citations`, beside the choices (https://docs.x.ai/docs/guides/live-search).
    metadataPayload: (payload) => ({ ...payload, citations: XAI_CITATIONS }),
    metadata: {
      generate: {
        systemFingerprint: 'fp_modelplex',
        logprobs: WIRE_LOGPROBS,
        citations: XAI_CITATIONS,
        numSourcesUsed: 0,
      },
      stream: { systemFingerprint: 'fp_modelplex', citations: XAI_CITATIONS, numSourcesUsed: 0 },
    },
    v2: { reasoningReturn: 'none' },
    ...options,
  })
}

/** The default kit of `@modelplex/provider-xai`, used by its conformance test. */
export const kit: WireKit = createXaiWireKit()
