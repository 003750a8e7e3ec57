// What calls return and streams deliver: plain types with no imports, so errors.ts can use
// `PartialResult` without reaching the zod schemas (that import made a circle through types.ts).

export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other'

export interface Usage {
  inputTokens: number
  outputTokens: number
  totalTokens: number
  /** Input tokens read from the vendor's prompt cache (part of `inputTokens`). */
  cachedInputTokens?: number
  /** Input tokens written to the vendor's prompt cache (part of `inputTokens`). */
  cacheWriteInputTokens?: number
  /** Reasoning tokens (part of `outputTokens`). */
  reasoningTokens?: number
}

export interface Cost {
  input: number
  output: number
  total: number
  currency: 'USD'
}

export interface ToolCall {
  toolCallId: string
  toolName: string
  /** The parsed arguments; the raw string when they were not valid JSON. */
  input: unknown
  /** The arguments exactly as the model wrote them. */
  rawInput: string
}

export interface Warning {
  type: 'unsupported-setting' | 'other'
  setting?: string
  message: string
}

export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | ({ type: 'tool-call' } & ToolCall)

export interface GenerateResult {
  text: string
  reasoning?: string
  content: ContentPart[]
  toolCalls: ToolCall[]
  finishReason: FinishReason
  /** The vendor's own finish reason, untranslated. */
  rawFinishReason: string | undefined
  usage: Usage | undefined
  /** Absent for an unpriced model; 0 for local providers. */
  cost: Cost | undefined
  model: string
  provider: string
  id: string | undefined
  warnings: Warning[]
  raw: unknown
}

/** What a stream delivered before it failed, kept on the thrown error. */
export interface PartialResult {
  text: string
  reasoning: string
  toolCalls: ToolCall[]
  usage: Usage | undefined
}

export type StreamEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string }
  | {
      type: 'tool-call-delta'
      /** Position of the call in this reply; deltas of one call share it. */
      index: number
      toolCallId?: string
      toolName?: string
      argumentsDelta: string
    }
  | { type: 'tool-call'; toolCall: ToolCall }
  | {
      type: 'finish'
      finishReason: FinishReason
      rawFinishReason: string | undefined
      usage: Usage | undefined
      cost: Cost | undefined
    }

export interface EmbedResult {
  embeddings: number[][]
  usage: { inputTokens: number } | undefined
  cost: Cost | undefined
  model: string
  provider: string
  warnings: Warning[]
  raw: unknown
}

export interface ModelInfo {
  id: string
  ownedBy?: string
  createdAt?: Date
  contextWindow?: number
}

/** A stream of events that can also be awaited as a whole. */
export interface ModelStream extends AsyncIterable<StreamEvent> {
  /** The aggregated result; consumes the stream when nobody iterates it. */
  result(): Promise<GenerateResult>
  /** Stops the stream and the request behind it. */
  abort(reason?: unknown): void
}

/** How a provider serves `generateObject`. */
export type StructuredOutputMode = 'json-schema' | 'json-mode' | 'tool' | false

export interface Capabilities {
  stream: boolean
  tools: boolean
  structuredOutput: StructuredOutputMode
  embeddings: boolean
  vision: boolean
  listModels: boolean
}
