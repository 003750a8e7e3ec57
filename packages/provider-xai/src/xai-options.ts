import type { ChatCompletionsProviderOptions } from '@modelplex/provider-openai-compatible'

/**
 * `providerOptions.xai`, camelCase, written as xAI's snake_case body fields
 * (https://docs.x.ai/docs/api-reference#chat-completions). Keys not listed reach xAI untouched.
 */
export interface XaiProviderOptions extends ChatCompletionsProviderOptions {
  /** `low` or `high` on the models that take it (`reasoning_effort`). */
  reasoningEffort?: 'low' | 'high' | (string & {})
  /**
   * Live Search (`search_parameters`), written with snake_case keys: `mode` (`auto` | `on` | `off`),
   * `returnCitations`, `maxSearchResults`, `fromDate`, `toDate`, `sources`. Its URLs land in
   * `providerMetadata.citations`.
   */
  searchParameters?: Record<string, unknown>
}

declare module '@modelplex/core' {
  interface ProviderOptionsRegistry {
    xai: XaiProviderOptions
  }
}

/** The xAI keys beyond the shared Chat Completions ones, camelCase → wire name. */
export const XAI_OPTION_KEYS: Record<string, string> = { searchParameters: 'search_parameters' }

/** xAI's extras: the `citations` of a search, the sources it used and the exact charge in ticks. */
export function readXaiMetadata(payload: any): Record<string, unknown> | undefined {
  const metadata: Record<string, unknown> = {}
  if (Array.isArray(payload?.citations)) metadata.citations = payload.citations
  const usage = payload?.usage
  if (typeof usage?.num_sources_used === 'number') metadata.numSourcesUsed = usage.num_sources_used
  if (typeof usage?.cost_in_usd_ticks === 'number') metadata.costInUsdTicks = usage.cost_in_usd_ticks
  return Object.keys(metadata).length > 0 ? metadata : undefined
}
