/**
 * A prompt-cache breakpoint (platform.claude.com/docs/en/build-with-claude/prompt-caching): the
 * prefix up to and including the block it is on is cached. `ttl` defaults to 5 minutes on the API.
 */
export interface AnthropicCacheControl {
  type: 'ephemeral'
  /** The cache lifetime: `5m` (the API's default) or `1h` (written at 2× the input price). */
  ttl?: '5m' | '1h'
}

/**
 * `providerOptions.anthropic`: typed Messages API options, in camelCase, sent in the API's
 * snake_case. Keys not listed here reach the API untouched, so new parameters work before they
 * are typed. On a message, a part or a tool only `cacheControl` (and `citations` on a file) apply.
 */
export interface AnthropicProviderOptions {
  /**
   * Extended thinking: `{ type: 'enabled', budgetTokens }` sends `thinking: { type: 'enabled',
   * budget_tokens }` (the budget counts against `max_tokens`, which is raised to leave room for
   * the answer when `maxOutputTokens` is unset); `{ type: 'disabled' }` turns it off.
   */
  thinking?: { type: 'enabled'; budgetTokens: number } | { type: 'disabled' }
  /** A cache breakpoint on the system message, message, part or tool that carries it (`cache_control`). */
  cacheControl?: AnthropicCacheControl
  /** On a file part: `citations: { enabled }` of its `document` block, so the answer cites it. */
  citations?: { enabled: boolean }
  /** `top_k`: sample from the K likeliest tokens (API versions before 2026-10-21 only). */
  topK?: number
  /** `metadata`: `userId` becomes `user_id`, an opaque id of the end user for abuse detection. */
  metadata?: { userId?: string }
  /** `tool_choice.disable_parallel_tool_use`: at most one tool call per answer. */
  disableParallelToolUse?: boolean
  /** `service_tier`: `auto` (priority capacity when available) or `standard_only`. */
  serviceTier?: 'auto' | 'standard_only'
  /** `container`: the id of a code-execution container to reuse. */
  container?: string
  /** Beta features, sent as the `anthropic-beta` header (comma-separated), e.g. `['extended-cache-ttl-2025-04-11']`. */
  anthropicBeta?: string[]
}

declare module '@modelplex/core' {
  interface ProviderOptionsRegistry {
    anthropic: AnthropicProviderOptions
  }
}

/** `providerOptions[providerId]` of a part, message or tool, typed. */
export function anthropicOptionsOf(
  providerOptions: Record<string, Record<string, unknown> | undefined> | undefined,
  providerId: string,
): (AnthropicProviderOptions & Record<string, unknown>) | undefined {
  return providerOptions?.[providerId] as (AnthropicProviderOptions & Record<string, unknown>) | undefined
}

/** `cacheControl` as the wire's `cache_control`: `ttl` only when given. */
export function toWireCacheControl(cacheControl: AnthropicCacheControl): {
  type: 'ephemeral'
  ttl?: '5m' | '1h'
} {
  const { type, ttl, ...rest } = cacheControl as AnthropicCacheControl & Record<string, unknown>
  return { ...rest, type: type ?? 'ephemeral', ...(ttl ? { ttl } : {}) } as {
    type: 'ephemeral'
    ttl?: '5m' | '1h'
  }
}

const snakeCase = (key: string): string => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)

/** An object's keys in snake_case, one level deep (`budgetTokens` → `budget_tokens`). */
export function snakeKeys(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key in value) out[snakeCase(key)] = value[key]
  return out
}

/** The `anthropic-beta` header value of the request's options, if any. */
export function anthropicBetaHeader(providerOptions: Record<string, unknown>): string | undefined {
  const beta = providerOptions.anthropicBeta
  if (Array.isArray(beta) && beta.length > 0) return beta.join(',')
  if (typeof beta === 'string' && beta) return beta
  return undefined
}
