import { MalformedResponseError, type ModelInfo } from '@modelplex/core'
import type { OpenAIUsagePayload } from '@modelplex/provider-openai-compatible'

/**
 * Together's usage: top-level `usage` on a completion or the last stream chunk, inside
 * `choices[0]` for some models (Kimi), and cached input as a top-level `cached_tokens` for
 * others (Qwen) rather than OpenAI's `prompt_tokens_details.cached_tokens`.
 */
export function readTogetherUsage(payload: any): OpenAIUsagePayload | undefined {
  const usage = payload?.usage ?? payload?.choices?.[0]?.usage
  if (!usage || typeof usage !== 'object') return undefined
  if (typeof usage.cached_tokens === 'number' && usage.prompt_tokens_details == null) {
    return { ...usage, prompt_tokens_details: { cached_tokens: usage.cached_tokens } }
  }
  return usage
}

/** Reads Together's `GET /models`: a plain array (not `{ data }`) with organization and context length. */
export function parseTogetherModels(body: unknown, provider: string): ModelInfo[] {
  const list = Array.isArray(body) ? body : (body as { data?: unknown } | null)?.data
  if (!Array.isArray(list)) {
    throw new MalformedResponseError(`${provider}: the response is not a model list (no array)`, {
      provider,
    })
  }
  return list.map((model: any): ModelInfo => {
    const info: ModelInfo = { id: String(model?.id) }
    if (typeof model?.organization === 'string') info.ownedBy = model.organization
    if (typeof model?.created === 'number' && model.created > 0)
      info.createdAt = new Date(model.created * 1000)
    if (typeof model?.context_length === 'number') info.contextWindow = model.context_length
    return info
  })
}
