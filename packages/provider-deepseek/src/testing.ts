import type { WireErrorKind, WireKit } from '@modelplex/conformance'
import {
  createOpenAIWireKit,
  type OpenAIWireKitOptions,
  type WireErrorPayload,
} from '@modelplex/provider-openai-compatible/testing'

/** DeepSeek shows a wrong key as its last four characters. */
function maskKey(key: string | undefined): string {
  return `****${(key ?? '').slice(-4)}`
}

/**
 * DeepSeek's error bodies (OpenAI's shape, `code` nearly always `invalid_request_error`), by the
 * statuses of https://api-docs.deepseek.com/quick_start/error_codes. The 429, 500 and 503
 * messages are the titles of that table; DeepSeek documents no 403 at all, so `forbidden` has no
 * wire form, and it answers an unknown model with 400 "Model Not Exist" (not 404).
 */
export function deepSeekErrorPayload(kind: WireErrorKind, apiKey?: string): WireErrorPayload {
  const error = (status: number, message: string, type: string): WireErrorPayload => ({
    status,
    body: { error: { message, type, param: null, code: 'invalid_request_error' } },
  })
  switch (kind) {
    case 'bad-request':
      return error(
        400,
        'Invalid max_tokens value, the valid range of max_tokens is [1, 393216]',
        'invalid_request_error',
      )
    case 'unauthorized':
      return error(
        401,
        `Authentication Fails, Your api key: ${maskKey(apiKey)} is invalid`,
        'authentication_error',
      )
    case 'forbidden':
      throw new Error('deepseek wire kit: DeepSeek documents no 403, so "forbidden" has no wire form')
    case 'not-found':
      return error(400, 'Model Not Exist', 'invalid_request_error')
    case 'context-window':
      return error(
        400,
        "This model's maximum context length is 65536 tokens. However, you requested 70214 tokens (62022 in the messages, 8192 in the completion). Please reduce the length of the messages or completion.",
        'invalid_request_error',
      )
    case 'content-filter':
      return error(400, 'Content Exists Risk', 'invalid_request_error')
    case 'rate-limit':
      return error(429, 'Rate Limit Reached', 'rate_limit_error')
    case 'server':
      return error(500, 'Server Error', 'server_error')
    case 'overloaded':
      return error(503, 'Server Overloaded', 'server_error')
  }
}

/** A wire kit that answers like api.deepseek.com, on a test host. */
export function createDeepSeekKit(options: OpenAIWireKitOptions = {}): WireKit {
  return createOpenAIWireKit({
    // DeepSeek's OpenAI-format base URL has no /v1.
    baseURL: 'https://api.deepseek.modelplex.test',
    apiKey: 'sk-modelplex-deepseek-0123456789abcdef',
    models: { chat: 'deepseek-flash' },
    ownedBy: 'deepseek',
    errorBody: deepSeekErrorPayload,
    // Not documented: an error inside a stream is written as the same body in a data frame.
    streamError: (kind) => deepSeekErrorPayload(kind).body,
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
    ...options,
  })
}

/** The default kit of `@modelplex/provider-deepseek`, used by its conformance test. */
export const kit: WireKit = createDeepSeekKit()
