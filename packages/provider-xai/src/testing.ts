import type { WireErrorKind, WireKit } from '@modelplex/conformance'
import { computeCost } from '@modelplex/core'
import {
  createOpenAIWireKit,
  type OpenAIWireKitOptions,
  type WireErrorPayload,
} from '@modelplex/provider-openai-compatible/testing'
import { xaiPricing } from './xai-pricing.js'

/**
 * xAI's error bodies: `{ code: <gRPC status description>, error: <message> }`, as its API
 * answers them (https://docs.x.ai/developers/debugging). The 500 and 503 messages are not
 * documented; their `code` is the gRPC description of the status, as in every other body.
 */
export function xaiErrorPayload(kind: WireErrorKind): WireErrorPayload {
  const error = (status: number, code: string, message: string): WireErrorPayload => ({
    status,
    body: { code, error: message },
  })
  switch (kind) {
    case 'bad-request':
      return error(
        400,
        'Client specified an invalid argument',
        'A maximum of 5 domains can be allowed, but 6 were provided.',
      )
    case 'unauthorized':
      // A key xAI cannot authenticate is a 401; a well-formed wrong key is a 400 (unit-tested).
      return error(
        401,
        'The request does not have valid authentication credentials',
        'No credentials presented. [WKE=unauthenticated:no-credentials]',
      )
    case 'forbidden':
      return error(
        403,
        'The caller does not have permission to execute the specified operation',
        'Access to the chat endpoint is denied',
      )
    case 'not-found':
      return error(
        404,
        'Some requested entity was not found',
        'The model grok-beta was deprecated on 2025-09-15 and is no longer accessible via the API. Please use grok-3 instead.',
      )
    case 'context-window':
      return error(
        400,
        'Client specified an invalid argument',
        "This model's maximum prompt length is 131072 but the request contains 179111 tokens.",
      )
    case 'content-filter':
      return error(
        403,
        'permission-denied',
        'Content violates usage guidelines. Failed check: SAFETY_CHECK_TYPE_BIO',
      )
    case 'rate-limit':
      return error(
        429,
        'Some resource has been exhausted',
        'The service is temporarily at capacity. Please retry your request shortly.',
      )
    case 'server':
      return error(500, 'Internal error', 'The server encountered an internal error.')
    case 'overloaded':
      return error(503, 'The service is currently unavailable', 'The service is currently unavailable.')
  }
}

/** A wire kit that answers like api.x.ai, on a test host. */
export function createXaiKit(options: OpenAIWireKitOptions = {}): WireKit {
  return createOpenAIWireKit({
    baseURL: 'https://api.x.modelplex.test/v1',
    apiKey: 'xai-modelplex-test-0123456789abcdef',
    models: { chat: 'grok-4.3' },
    ownedBy: 'xai',
    errorBody: (kind) => xaiErrorPayload(kind),
    // Not documented: an error inside a stream is written as the same body in a data frame.
    streamError: (kind) => xaiErrorPayload(kind).body,
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
export const kit: WireKit = createXaiKit()
