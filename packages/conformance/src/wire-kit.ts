import type { HttpHandler } from 'msw'

/** Token counts as the suite scripts them; the kit writes them in the vendor's usage shape. */
export interface WireUsage {
  inputTokens: number
  outputTokens: number
  /** Input tokens served from the prompt cache (part of inputTokens). */
  cachedInputTokens?: number
}

/** One piece of a scripted stream, written by the kit as the vendor's chunk or event. */
export type WireStreamPart =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  /** One slice of a tool call's arguments; the first slice of a call carries id and name. */
  | { type: 'tool-call'; index: number; id?: string; name?: string; argumentsDelta: string }

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
      toolCalls?: Array<{ id: string; name: string; arguments: string }>
      finishReason: WireFinishReason
      usage: WireUsage
      model?: string
      id?: string
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
  }>
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
}
