// What calls return and streams deliver: plain types with no imports, so errors.ts can use
// `PartialResult` without reaching the zod schemas (that import made a circle through types.ts).

export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other'

export interface Usage {
  inputTokens: number
  outputTokens: number
  totalTokens: number
  /** Input tokens read from the vendor's prompt cache (part of `inputTokens`). */
  cachedInputTokens?: number
  /** Input tokens written to the vendor's prompt cache (part of `inputTokens`), all lifetimes. */
  cacheWriteInputTokens?: number
  /** The part of `cacheWriteInputTokens` written for one hour (Anthropic's `ttl: '1h'`); the rest is 5-minute writes. */
  cacheWrite1hInputTokens?: number
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
  /** What the vendor sent with the call (e.g. Gemini's thought signature), keyed by provider id. */
  providerMetadata?: Record<string, Record<string, unknown>>
}

export interface Warning {
  type: 'unsupported-setting' | 'other'
  setting?: string
  message: string
}

/** What a vendor sent beyond the common result, keyed by provider id. */
type Metadata = Record<string, Record<string, unknown>>

export type ContentPart =
  | { type: 'text'; text: string; providerMetadata?: Metadata }
  /** `providerMetadata[provider]` holds what the vendor needs back: a signature, an encrypted item. */
  | { type: 'reasoning'; text: string; providerMetadata?: Metadata }
  | ({ type: 'tool-call' } & ToolCall)

/** An assistant message as `messages` returns it, ready to append to the next request. */
export interface ResultMessage {
  role: 'assistant'
  content: Array<
    | { type: 'text'; text: string; providerMetadata?: Metadata }
    | { type: 'reasoning'; text: string; providerMetadata?: Metadata }
    | { type: 'tool-call'; toolCallId: string; toolName: string; input: unknown; providerMetadata?: Metadata }
  >
}

/** A tool message the tool loop produced: the results of one step's tool calls. */
export interface ResultToolMessage {
  role: 'tool'
  content: Array<{
    type: 'tool-result'
    toolCallId: string
    toolName: string
    output: unknown
    isError?: boolean
  }>
}

/** A tool the loop ran (or refused to run), as the model is told. */
export interface ToolResult {
  toolCallId: string
  toolName: string
  input: unknown
  output: unknown
  /** The tool threw, its input failed validation, it does not exist, or its call was denied. */
  isError?: boolean
}

/** A tool call waiting for the user's approval; the loop paused before running it. */
export interface PendingApproval {
  toolCallId: string
  toolName: string
  input: unknown
}

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
  /** The vendor's answer; for a stream, the list of raw chunks when the request set `includeRaw`. */
  raw: unknown
  /** What the vendor sent beyond the common result (logprobs, citations, service tier…), keyed by provider id. */
  providerMetadata?: Metadata
  /** The assistant message(s) of this answer, exactly as the next request needs them back. */
  messages: ResultMessage[]
}

/** One model call of a tool loop, with the results of the tools it called. */
export interface StepResult extends GenerateResult {
  stepNumber: number
  toolResults: ToolResult[]
}

/** What a tool loop returns: the last step's answer, the totals, every message and every step. */
export interface AgentResult extends Omit<GenerateResult, 'messages'> {
  /** Every assistant and tool message the loop produced, ready to append to the conversation. */
  messages: Array<ResultMessage | ResultToolMessage>
  /** One result per model call. `usage` and `cost` above are their totals. */
  steps: StepResult[]
  /** The tool calls that wait for approval: the loop paused (see `needsApproval`). */
  pendingApprovals?: PendingApproval[]
}

/** What a stream delivered before it failed, kept on the thrown error. */
export interface PartialResult {
  text: string
  reasoning: string
  toolCalls: ToolCall[]
  usage: Usage | undefined
}

export type StreamEvent =
  /** `providerMetadata`, when set, is merged into the text part the delta belongs to. */
  | { type: 'text-delta'; text: string; providerMetadata?: Metadata }
  | { type: 'reasoning-delta'; text: string; providerMetadata?: Metadata }
  /**
   * Closes the current reasoning part (the next `reasoning-delta` starts another); carries what the
   * vendor sent for it (a signature, redacted data). Without an open part it adds an empty one.
   */
  | { type: 'reasoning-end'; providerMetadata?: Metadata }
  /**
   * Closes the current text part (the next `text-delta` starts another) with what the vendor sent
   * for it (e.g. a Gemini thought signature, which must stay on its own part).
   */
  | { type: 'text-end'; providerMetadata?: Metadata }
  | {
      type: 'tool-call-delta'
      /** Position of the call in this reply; deltas of one call share it. */
      index: number
      toolCallId?: string
      toolName?: string
      argumentsDelta: string
      /** Merged into the call's `providerMetadata` (e.g. a thought signature). */
      providerMetadata?: Metadata
    }
  | { type: 'tool-call'; toolCall: ToolCall }
  | {
      type: 'finish'
      finishReason: FinishReason
      rawFinishReason: string | undefined
      usage: Usage | undefined
      cost: Cost | undefined
      providerMetadata?: Metadata
      /** The assistant message(s) of the stream, as `result().messages`. */
      messages: ResultMessage[]
    }

/** What a tool loop's stream delivers: each step's events, then its tool results and `step-finish`. */
export type AgentStreamEvent =
  | Exclude<StreamEvent, { type: 'finish' }>
  /** A tool loop ran a tool (or refused to: `isError`). */
  | ({ type: 'tool-result' } & ToolResult)
  /** A model call of the loop ended (its tools already ran). */
  | {
      type: 'step-finish'
      stepNumber: number
      finishReason: FinishReason
      usage: Usage | undefined
      cost: Cost | undefined
      toolResults: ToolResult[]
    }
  /** The loop ended: the totals, and every message it produced. */
  | (Omit<Extract<StreamEvent, { type: 'finish' }>, 'messages'> & {
      messages: Array<ResultMessage | ResultToolMessage>
    })

/** The stream of a tool loop; `result()` is the loop's result. */
export interface AgentStream extends AsyncIterable<AgentStreamEvent> {
  result(): Promise<AgentResult>
  abort(reason?: unknown): void
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
  /** Media types the provider takes in `file` parts (`audio/*` matches any audio type). Default none. */
  files?: readonly string[]
  /** The provider returns reasoning parts and takes its own back. Default false. */
  reasoning?: boolean
  /** The provider takes prompt-cache breakpoints (`providerOptions[id].cacheControl` on parts). Default false. */
  cacheControl?: boolean
}
