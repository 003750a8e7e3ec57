import type { WireErrorEntry, WireErrorKind, WireKit } from '@modelplex/conformance'
import { computeCost } from '@modelplex/core'
import {
  createOpenAICompatibleWireKit,
  type OpenAICompatibleWireKitOptions,
} from '@modelplex/provider-openai-compatible/testing'
import invalidArgument from './__fixtures__/error-400-invalid-argument.json' with { type: 'json' }
import promptLength from './__fixtures__/error-400-prompt-length.json' with { type: 'json' }
import noCredentials from './__fixtures__/error-401-no-credentials.json' with { type: 'json' }
import chatEndpointDenied from './__fixtures__/error-403-chat-endpoint-denied.json' with { type: 'json' }
import usageGuidelines from './__fixtures__/error-403-usage-guidelines.json' with { type: 'json' }
import deprecatedModel from './__fixtures__/error-404-deprecated-model.json' with { type: 'json' }
import capacity from './__fixtures__/error-429-capacity.json' with { type: 'json' }
import internal from './__fixtures__/error-500-internal.json' with { type: 'json' }
import unavailable from './__fixtures__/error-503-unavailable.json' with { type: 'json' }
import { xaiPricing } from './xai-pricing.js'

/**
 * xAI's error bodies: `{ code: <gRPC status description>, error: <message> }`
 * (https://docs.x.ai/developers/debugging). A key xAI cannot authenticate is a 401; a well-formed
 * wrong key is a 400 (unit-tested). The 500 and 503 messages are not documented.
 */
export const xaiErrors: Record<WireErrorKind, WireErrorEntry> = {
  'bad-request': { status: 400, body: invalidArgument },
  unauthorized: { status: 401, body: noCredentials },
  forbidden: { status: 403, body: chatEndpointDenied },
  'not-found': { status: 404, body: deprecatedModel },
  'context-window': { status: 400, body: promptLength },
  'content-filter': { status: 403, body: usageGuidelines },
  'rate-limit': { status: 429, body: capacity },
  server: { status: 500, body: internal },
  overloaded: { status: 503, body: unavailable },
}

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
    ...options,
  })
}

/** The default kit of `@modelplex/provider-xai`, used by its conformance test. */
export const kit: WireKit = createXaiWireKit()
