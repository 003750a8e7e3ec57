import { errorTable, type WireErrorEntry, type WireErrorKind, type WireKit } from '@modelplex/conformance'
import {
  createOpenAICompatibleWireKit,
  type OpenAICompatibleWireKitOptions,
  WIRE_LOGPROBS,
} from '@modelplex/provider-openai-compatible/testing'
import contentFilter from './__fixtures__/error-400-content-exists-risk.json' with { type: 'json' }
import contextWindow from './__fixtures__/error-400-context-length.json' with { type: 'json' }
import badRequest from './__fixtures__/error-400-invalid-max-tokens.json' with { type: 'json' }
import notFound from './__fixtures__/error-400-model-not-exist.json' with { type: 'json' }
import unauthorized from './__fixtures__/error-401-authentication-fails.json' with { type: 'json' }
import rateLimit from './__fixtures__/error-429-rate-limit-reached.json' with { type: 'json' }
import server from './__fixtures__/error-500-server-error.json' with { type: 'json' }
import overloaded from './__fixtures__/error-503-server-overloaded.json' with { type: 'json' }

/** The kinds DeepSeek has a wire form for: it documents no 403 at all. */
export type DeepSeekErrorKind = Exclude<WireErrorKind, 'forbidden'>

/**
 * DeepSeek's error bodies (OpenAI's shape, `code` nearly always `invalid_request_error`), by the
 * statuses of https://api-docs.deepseek.com/quick_start/error_codes. The 429, 500 and 503
 * messages are the titles of that table; an unknown model is 400 "Model Not Exist" (not 404).
 */
export const deepSeekErrors: Record<DeepSeekErrorKind, WireErrorEntry> = errorTable(
  { badRequest, unauthorized, notFound, contextWindow, contentFilter, rateLimit, server, overloaded },
  { 'not-found': 400 },
)

/** DeepSeek's status and body for a kind. */
export function deepSeekErrorPayload(kind: DeepSeekErrorKind): WireErrorEntry {
  return deepSeekErrors[kind]
}

/** A wire kit that answers like api.deepseek.com, on a test host. */
export function createDeepSeekWireKit(options: OpenAICompatibleWireKitOptions = {}): WireKit {
  return createOpenAICompatibleWireKit({
    // DeepSeek's OpenAI-format base URL has no /v1.
    baseURL: 'https://api.deepseek.modelplex.test',
    apiKey: 'sk-modelplex-deepseek-0123456789abcdef',
    models: { chat: 'deepseek-flash' },
    ownedBy: 'deepseek',
    // Not documented: an error inside a stream is written as the same body in a data frame.
    errors: {
      ...deepSeekErrors,
      forbidden: () => {
        throw new Error('deepseek wire kit: DeepSeek documents no 403, so "forbidden" has no wire form')
      },
    },
    // DeepSeek's usage: the cache split as prompt_cache_hit/miss_tokens beside cached_tokens.
    extendUsage: (_payload, usage) => {
      const hits = usage.cachedInputTokens ?? 0
      return {
        prompt_tokens: usage.inputTokens,
        completion_tokens: usage.outputTokens,
        total_tokens: usage.inputTokens + usage.outputTokens,
        prompt_tokens_details: { cached_tokens: hits },
        prompt_cache_hit_tokens: hits,
        prompt_cache_miss_tokens: usage.inputTokens - hits,
      }
    },
    metadata: {
      generate: {
        systemFingerprint: 'fp_modelplex',
        logprobs: WIRE_LOGPROBS,
        promptCacheHitTokens: 0,
        promptCacheMissTokens: 10,
      },
      stream: { systemFingerprint: 'fp_modelplex', promptCacheHitTokens: 0, promptCacheMissTokens: 10 },
    },
    // https://api-docs.deepseek.com/guides/thinking_mode: reasoning_content goes back (required after tool calls).
    v2: { reasoningOptions: { thinking: { type: 'enabled' } }, reasoningReturn: 'text' },
    ...options,
  })
}

/** The default kit of `@modelplex/provider-deepseek`, used by its conformance test. */
export const kit: WireKit = createDeepSeekWireKit()
