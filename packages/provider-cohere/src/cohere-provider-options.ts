/**
 * `providerOptions.cohere` of a call, in camelCase as `cohere-ai` takes them; the SDK writes
 * Cohere's snake_case wire (`thinking.tokenBudget` → `token_budget`, docs.cohere.com/reference/chat).
 * Keys not listed here reach the SDK, and from there the body, untouched.
 */
export interface CohereProviderOptions {
  /** `thinking`: reasoning of command-a-reasoning; on by default, `{ type: 'disabled' }` turns it off. */
  thinking?: {
    type: 'enabled' | 'disabled'
    /** `token_budget`: the most tokens the model may think for before it answers. */
    tokenBudget?: number
  }
  /** `documents`: grounding documents for RAG (strings or `{ id?, data: { … } }`); answers then carry citations. */
  documents?: Array<string | { id?: string; data: Record<string, unknown> }>
  /** `citation_options`: `{ mode: 'FAST' | 'ACCURATE' | 'OFF' }` (`'ENABLED'` / `'DISABLED'` on newer models). */
  citationOptions?: { mode?: 'FAST' | 'ACCURATE' | 'OFF' | 'ENABLED' | 'DISABLED' | (string & {}) }
  /** `safety_mode`: `'CONTEXTUAL'`, `'STRICT'` or `'OFF'`. */
  safetyMode?: 'CONTEXTUAL' | 'STRICT' | 'OFF'
  /** `strict_tools`: tool calls follow the tool schemas exactly. */
  strictTools?: boolean
  /** `logprobs`: return the log probability of each generated token (in `providerMetadata.cohere.logprobs`). */
  logprobs?: boolean
  /** `priority`: 0 (highest) to 999; lower-priority requests are dropped first under load. */
  priority?: number
}

/** What a reasoning part carries for Cohere: `toolPlan` marks the plan written before tool calls. */
export interface CohereReasoningMetadata {
  /** True when the part is the turn's `tool_plan`, sent back as `tool_plan` rather than as thinking. */
  toolPlan?: boolean
}

declare module '@modelplex/core' {
  interface ProviderOptionsRegistry {
    cohere: CohereProviderOptions
  }
}
