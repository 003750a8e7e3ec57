import type { HttpHandler } from 'msw'

/** Token counts as the suite scripts them; the kit writes them in the vendor's usage shape. */
export interface WireUsage {
  inputTokens: number
  outputTokens: number
  /** Input tokens served from the prompt cache (part of inputTokens). */
  cachedInputTokens?: number
  /** Input tokens written to the prompt cache (part of inputTokens), all lifetimes. */
  cacheWriteInputTokens?: number
  /** The part of `cacheWriteInputTokens` written for one hour (Anthropic's `ephemeral_1h_input_tokens`). */
  cacheWrite1hInputTokens?: number
  /** Reasoning tokens (part of outputTokens). */
  reasoningTokens?: number
}

/**
 * One block of reasoning in a reply, written in the vendor's form: Anthropic `thinking` with
 * `signature` (or `redacted_thinking` with `redacted` as its `data`), Bedrock `reasoningContent`,
 * Gemini `thought: true` parts with `thoughtSignature`, OpenAI Responses `reasoning` items with
 * `encrypted_content`, OpenRouter `reasoning_details`, or a plain reasoning field (DeepSeek, Groq…)
 * where the vendor signs nothing (the kit then ignores `signature`).
 */
export interface WireReasoning {
  text: string
  signature?: string
  /** Redacted (encrypted) reasoning with no text, for vendors that have it. */
  redacted?: string
}

/** Reasoning as a request carried it back, read from the vendor's form. */
export interface WireReasoningView {
  text: string
  signature?: string
  redacted?: string
}

/** A file part as a request carried it. */
export interface WireFileView {
  mediaType: string
  /** Base64 of the bytes, when sent inline. */
  data?: string
  url?: string
  filename?: string
}

/** A prompt-cache breakpoint as it reached the wire. */
export interface WireCacheBreakpoint {
  /** `system`, `tools`, or `messages.<n>` (the index among the view's non-system messages). */
  at: string
  /** The lifetime the vendor was asked for, when it takes one (`5m`, `1h`). */
  ttl?: string
}

/** One piece of a scripted stream, written by the kit as the vendor's chunk or event. */
export type WireStreamPart =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  /** One slice of a tool call's arguments; the first slice of a call carries id and name. */
  | { type: 'tool-call'; index: number; id?: string; name?: string; argumentsDelta: string }
  /**
   * Ends the reasoning block the `reasoning` parts before it opened, with the vendor's signature
   * (or, with `redacted`, sends a redacted block of its own). Kits of unsigned vendors write nothing.
   */
  | { type: 'reasoning-end'; signature?: string; redacted?: string }

/** The canonical error cases; the kit answers each with the vendor's status, code and body. */
export type WireErrorKind =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'context-window'
  | 'content-filter'
  | 'rate-limit'
  | 'server'
  | 'overloaded'

export type WireFinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter'

/** What the suite asks the kit to answer one request with. */
export type WireReply =
  | {
      type: 'generate'
      text?: string
      /** Reasoning blocks, written before the text and the tool calls. */
      reasoning?: WireReasoning[]
      toolCalls?: Array<{ id: string; name: string; arguments: string }>
      finishReason: WireFinishReason
      usage: WireUsage
      model?: string
      id?: string
      /** Add the vendor's extras that `kit.metadata.expected` describes (logprobs, service tier…). */
      metadata?: boolean
    }
  | {
      type: 'stream'
      parts: WireStreamPart[]
      finishReason: WireFinishReason
      usage: WireUsage
      model?: string
      /** Destroy the connection after this many parts (no finish, no usage). */
      cutAfter?: number
      /** Send the vendor's in-stream error event (kind 'server' or 'overloaded') after this many parts. */
      errorAfter?: { parts: number; kind: WireErrorKind }
      /** Write the body in slices of this many bytes, splitting frames and UTF-8 sequences. */
      chunkBytes?: number
      /** Add the vendor's extras that `kit.metadata.expected` describes. */
      metadata?: boolean
    }
  | { type: 'embed'; vectors: number[][]; usage: { inputTokens: number }; model?: string }
  | { type: 'models'; ids: string[] }
  | {
      type: 'error'
      kind: WireErrorKind
      /** Advertise a wait in the vendor's header(s) (`retry-after-ms` and/or `Retry-After`). */
      retryAfterMs?: number
    }
  /** 200 with a body that is not the documented shape (not JSON at all). */
  | { type: 'malformed' }
  /** The connection is reset before any response. */
  | { type: 'reset' }
  /** No answer until the request is aborted. */
  | { type: 'hang' }

export type WireOperation = 'generate' | 'stream' | 'embed' | 'listModels'

/** A vendor request read back into canonical form, so the suite can assert what reached the wire. */
export interface WireRequestView {
  operation: WireOperation
  url: string
  /** All request headers, lower-cased names. */
  headers: Record<string, string>
  /** The API key exactly as the vendor's auth header carried it (without "Bearer "). */
  apiKey: string | undefined
  model: string | undefined
  /** The system prompt(s), joined by "\n". */
  system: string | undefined
  /** Non-system messages, in order. `text` joins the text parts. */
  messages: Array<{
    role: 'user' | 'assistant' | 'tool'
    text: string
    /** Ids of tool calls (assistant) or of the calls a tool result answers (tool). */
    toolCallIds?: string[]
    /** Number of image parts. */
    images?: number
    /** Reasoning the message carried back (assistant), in order. */
    reasoning?: WireReasoningView[]
    /** File parts, in order. */
    files?: WireFileView[]
  }>
  /** Prompt-cache breakpoints, in the order the body has them. */
  cacheBreakpoints?: WireCacheBreakpoint[]
  temperature?: number
  maxOutputTokens?: number
  topP?: number
  stopSequences?: string[]
  seed?: number
  tools?: Array<{ name: string; description?: string; parameters: Record<string, unknown> }>
  /** The JSON Schema sent for structured output, when the vendor has a field for it. */
  responseSchema?: Record<string, unknown>
  /** True when the request asked for JSON output (schema or plain JSON mode). */
  jsonOutput?: boolean
  embedInput?: string[]
  dimensions?: number
  /** The parsed body, for vendor-specific assertions. */
  body: unknown
}

/**
 * A provider's wire kit: the bridge between the suite's canonical scenarios and one vendor's
 * exact wire format. The suite never looks at vendor JSON; the kit never asserts.
 */
export interface WireKit {
  /** Settings that point the provider at the mock (`apiKey`, `baseURL`, vendor extras). */
  settings: Record<string, unknown>
  /** The key in `settings`, which the vendor's auth header must carry. */
  apiKey: string
  /** The base URL in `settings`; the suite also checks an override is honoured. */
  baseURL: string
  models: { chat: string; embedding?: string }
  /**
   * MSW handlers for every endpoint the provider calls under `baseURL` (or `settings`' URL).
   * Each handler reads the request into a view, asks `serve` for the reply and writes it in
   * the vendor's format (JSON, SSE, NDJSON or AWS event-stream).
   */
  handlers(serve: (view: WireRequestView) => WireReply | Promise<WireReply>, baseURL?: string): HttpHandler[]
  /**
   * What `providerMetadata[spec.id]` must hold (a subset, as `toMatchObject` reads it) after a reply
   * scripted with `metadata: true`, on generate and on the stream's finish and `result()`.
   */
  metadata?: { generate: Record<string, unknown>; stream: Record<string, unknown> }
  /** Interface v2 facts the scenarios need about this vendor. */
  v2?: WireKitV2
  /**
   * Settings of `generate.settings` the vendor has no field for (the Responses API's stop sequences,
   * temperature on Anthropic's 2026-10-21 API): the scenario then checks each is warned about by
   * name and kept off the wire, instead of reaching it.
   */
  unsupportedSettings?: ReadonlyArray<'temperature' | 'maxOutputTokens' | 'stopSequences'>
}

/** What the v2 scenarios need to know of a vendor beyond its capabilities. */
export interface WireKitV2 {
  /** `providerOptions[spec.id]` that turn reasoning on (e.g. Anthropic's `thinking`). */
  reasoningOptions?: Record<string, unknown>
  /**
   * What the vendor's documented rule sends back of an earlier assistant turn's reasoning:
   * `signed` (the signature or encrypted item, byte for byte), `text` (the reasoning text),
   * `none` (the vendor says not to send it; DeepSeek outside a tool loop).
   */
  reasoningReturn?: 'signed' | 'text' | 'none'
  /** `providerOptions[spec.id]` of a part that sets a cache breakpoint with this lifetime. */
  cachePoint?(ttl: '5m' | '1h'): Record<string, unknown>
  /** The vendor takes a cache lifetime per breakpoint (Anthropic). */
  cacheTtl?: boolean
  /** The vendor's limit of breakpoints per request; one more must be an InvalidRequestError. */
  maxCacheBreakpoints?: number
  /** The vendor's usage reports cache writes apart from reads (Anthropic, Bedrock). */
  cacheWrites?: boolean
}
