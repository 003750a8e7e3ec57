/**
 * A prompt-cache checkpoint: a Converse `CachePointBlock` placed after the system prompt, a
 * message, a part or a tool that carries it.
 */
export interface BedrockCachePoint {
  /** The only checkpoint type Converse has. */
  type: 'default'
  /** Lifetime of the entry; `1h` only on the models Bedrock extends (Claude 4.5 and later). Default `5m`. */
  ttl?: '5m' | '1h'
}

/** Turns on extended thinking (Claude) or reasoning (Amazon Nova 2). */
export interface BedrockReasoningConfig {
  /** `enabled` turns reasoning on; `disabled` sends it off explicitly. */
  type: 'enabled' | 'disabled'
  /** Claude's thinking budget in tokens (`thinking.budget_tokens`), at least 1024. */
  budgetTokens?: number
  /** Amazon Nova's reasoning effort (`reasoningConfig.maxReasoningEffort`). */
  maxReasoningEffort?: 'low' | 'medium' | 'high'
}

/**
 * `providerOptions.bedrock` of a call, a message, a part or a tool. Converse's own request fields
 * are camelCase already and are sent as given; keys modelplex does not know pass through untouched.
 */
export interface BedrockProviderOptions {
  /** Reasoning: `thinking` for Claude, `reasoningConfig` for Nova, both in `additionalModelRequestFields`. */
  reasoningConfig?: BedrockReasoningConfig
  /** On a system message, a message, a part or a tool: a cache checkpoint after it (at most 4 per request). */
  cachePoint?: BedrockCachePoint
  /** On a file part: Claude cites the document in its answer (`providerMetadata.bedrock.citations`). */
  citations?: { enabled: boolean }
  /** On a file part: context about the document, for the model. */
  context?: string
  /** Model-specific fields, merged over what modelplex derives (top-k, thinking). */
  additionalModelRequestFields?: Record<string, unknown>
  /** JSON pointers of model-specific response fields to return in `additionalModelResponseFields`. */
  additionalModelResponseFieldPaths?: string[]
  /** Latency-optimized inference on the models that offer it. */
  performanceConfig?: { latency: 'standard' | 'optimized' }
  /** The service tier: `priority`, `default` or `flex`. */
  serviceTier?: { type: 'priority' | 'default' | 'flex' }
  /** A guardrail to apply, with `trace: 'enabled'` to get its assessment in `providerMetadata.trace`. */
  guardrailConfig?: {
    guardrailIdentifier: string
    guardrailVersion: string
    trace?: 'enabled' | 'disabled' | 'enabled_full'
  }
  /** Key-value pairs logged with the invocation (model invocation logging). */
  requestMetadata?: Record<string, string>
}

declare module '@modelplex/core' {
  interface ProviderOptionsRegistry {
    bedrock: BedrockProviderOptions
  }
}
