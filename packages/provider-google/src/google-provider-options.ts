// The typed `providerOptions.google`. Gemini's own wire form is camelCase (protobuf JSON), so the
// keys below are sent as named; the SDK's config writes each where the API reads it
// (ai.google.dev/api/generate-content#generationconfig, #request-body).

/** Gemini's thinking settings (ai.google.dev/gemini-api/docs/thinking). */
export interface GoogleThinkingConfig {
  /** Return thought summaries as reasoning parts (`thought: true`). */
  includeThoughts?: boolean
  /** Thinking tokens the model may spend (Gemini 2.5): `0` turns thinking off, `-1` lets the model decide. */
  thinkingBudget?: number
  /** How hard the model thinks (Gemini 3): `minimal`, `low`, `medium` or `high`. */
  thinkingLevel?: 'minimal' | 'low' | 'medium' | 'high' | (string & {})
}

/** One safety threshold (ai.google.dev/gemini-api/docs/safety-settings). */
export interface GoogleSafetySetting {
  /** e.g. `HARM_CATEGORY_HARASSMENT`. */
  category: string
  /** e.g. `BLOCK_ONLY_HIGH`, `BLOCK_NONE`, `OFF`. */
  threshold: string
}

/** `providerOptions.google`: Gemini's own request settings; keys not listed pass to the request body untouched. */
export interface GoogleProviderOptions {
  /** Thinking: budget or level, and whether thought summaries come back (`generationConfig.thinkingConfig`). */
  thinkingConfig?: GoogleThinkingConfig
  /** A context cache to read the prompt prefix from, `cachedContents/…` (ai.google.dev/gemini-api/docs/caching). */
  cachedContent?: string
  /** Per-category safety thresholds. */
  safetySettings?: GoogleSafetySetting[]
  /** What the model answers with: `TEXT`, `IMAGE`, `AUDIO`. */
  responseModalities?: Array<'TEXT' | 'IMAGE' | 'AUDIO' | (string & {})>
  /** Resolution of image and video input: `MEDIA_RESOLUTION_LOW`, `_MEDIUM`, `_HIGH`. */
  mediaResolution?: string
  /** Return the log probabilities of the chosen tokens (`logprobsResult` in providerMetadata). */
  responseLogprobs?: boolean
  /** How many top candidates' log probabilities to return per token, with `responseLogprobs`. */
  logprobs?: number
  /** Billing labels, key to value (Vertex AI). */
  labels?: Record<string, string>
  /** Voice settings of audio output. */
  speechConfig?: Record<string, unknown>
  /** Embedding calls: what the vector is for, e.g. `RETRIEVAL_DOCUMENT`. */
  taskType?: string
  /** Embedding calls: the document's title, with `taskType: 'RETRIEVAL_DOCUMENT'`. */
  title?: string
  /** Embedding calls: cut input over the model's limit instead of failing (Vertex AI). */
  autoTruncate?: boolean
}

declare module '@modelplex/core' {
  interface ProviderOptionsRegistry {
    google: GoogleProviderOptions
  }
}

/**
 * The `GenerateContentConfig` keys of `@google/genai` that `providerOptions.google` may set on a
 * generate call; the SDK places each in the body. Any other key is merged into the body as given.
 */
export const GOOGLE_CONFIG_KEYS: ReadonlySet<string> = new Set([
  'thinkingConfig',
  'cachedContent',
  'safetySettings',
  'responseModalities',
  'mediaResolution',
  'responseLogprobs',
  'logprobs',
  'labels',
  'speechConfig',
  'imageConfig',
])
