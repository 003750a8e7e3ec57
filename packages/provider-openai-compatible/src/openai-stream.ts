import { type Cost, MalformedResponseError, StreamInterruptedError, type Usage } from '@modelplex/core'
import {
  type AdapterStreamEvent,
  type ServerSentEventParser,
  ServerSentEventReader,
  StreamEventTranslator,
  type VendorMetadata,
} from '@modelplex/core/adapter'
import type { OpenAIErrorClasses } from './map-openai-error.js'
import { DEFAULT_REASONING_FIELDS, type OpenAICompatibleQuirks } from './openai-compatible-quirks.js'
import {
  mergeReasoningDetails,
  mergeStreamMetadata,
  readOpenAIMetadata,
  reasoningDetailsText,
} from './openai-metadata.js'
import { convertOpenAIUsage, mapOpenAIFinishReason } from './parse-openai-response.js'

/** Builds the error the SDK throws for an `{"error": ...}` frame, so it is classified as before. */
export type OpenAIStreamErrorFactory = (error: unknown, headers: Headers | undefined) => Error

/** The SDK's own `APIError` for an error frame (what its `Stream` throws), from the client's statics. */
export function sdkStreamError(errors: OpenAIErrorClasses): OpenAIStreamErrorFactory {
  const APIError = errors.APIError as (new (...args: unknown[]) => Error) | undefined
  return (error, headers) => {
    if (APIError) return new APIError(undefined, error, undefined, headers)
    const message = (error as { message?: string } | null)?.message ?? 'the stream reported an error'
    return Object.assign(new Error(message), { error, headers })
  }
}

/**
 * Reads `chat.completion.chunk` objects straight off the HTTP body with the shared SSE reader and
 * the SDK's semantics on top (`[DONE]` ends the chunks, an `{"error"}` frame is thrown as the SDK's
 * `APIError`, `thread.*` events come as `{ event, data }`), without the SDK's per-event generators
 * and per-event buffer copies: several times faster on a busy stream.
 */
export class OpenAIEventSource extends ServerSentEventReader<unknown> {
  constructor(response: Response, errorFrom: OpenAIStreamErrorFactory) {
    super(response.body, openAIChunkParser(response.headers, errorFrom))
  }
}

/** The SDK's reading of one event, for one stream. */
function openAIChunkParser(
  headers: Headers,
  errorFrom: OpenAIStreamErrorFactory,
): ServerSentEventParser<unknown> {
  let done = false
  return (event, data) => {
    // After `[DONE]` the rest of the body is read (keeping the connection) but ignored.
    if (done) return undefined
    if (data.startsWith('[DONE]')) {
      done = true
      return undefined
    }
    const parsed = JSON.parse(data)
    if (event?.startsWith('thread.')) return { event, data: parsed }
    if (parsed?.error) throw errorFrom(parsed.error, headers)
    return parsed
  }
}

/**
 * Turns a stream of `chat.completion.chunk` objects (the SDK's, or an `OpenAIEventSource`
 * reading the raw body) into core stream events, one translation step per chunk: a hand-written
 * iterator, no per-chunk validation, closures or nested generators. `finish` is emitted when the
 * stream ends, because usage arrives in a chunk after the one carrying `finish_reason`.
 */
export class OpenAIStreamTranslator extends StreamEventTranslator<unknown, AdapterStreamEvent> {
  private readonly reasoningFields: readonly string[]
  private readonly extractUsage: OpenAICompatibleQuirks['extractUsage']
  private readonly extractCost: OpenAICompatibleQuirks['extractCost']
  private readonly quirks: OpenAICompatibleQuirks
  private readonly detailsField: string | undefined
  /** `reasoning_details` blocks of the reasoning part still open. */
  private details: Array<Record<string, unknown>> = []
  private reasoningOpen = false
  private metadata: VendorMetadata | undefined
  private chunks = 0
  private metadataSent = false
  private finishReason: string | undefined
  private usage: Usage | undefined
  private cost: Cost | undefined

  constructor(
    source: AsyncIterable<unknown> | OpenAIEventSource,
    quirks: OpenAICompatibleQuirks = {},
    private readonly provider = 'openai-compatible',
    signal?: AbortSignal,
    /** The usage chunk was asked for and the vendor always sends it (`streamUsageRequired`). */
    private readonly usageRequired = false,
    /** `includeRaw`: each chunk is also emitted as a `raw` event. */
    options: { includeRaw?: boolean | undefined } = {},
  ) {
    super(source, signal, options)
    this.quirks = quirks
    this.detailsField = quirks.reasoningDetailsField
    this.reasoningFields = quirks.reasoningFields ?? DEFAULT_REASONING_FIELDS
    this.extractUsage = quirks.extractUsage
    this.extractCost = quirks.extractCost
  }

  /** One chunk in, zero or more events queued. */
  protected translate(chunk: any): void {
    if (!chunk || typeof chunk !== 'object') {
      throw new MalformedResponseError(`${this.provider}: a stream chunk is not a JSON object`, {
        provider: this.provider,
      })
    }
    this.chunks++
    if (!this.metadataSent && (chunk.id || chunk.model)) {
      this.metadataSent = true
      this.queue.push({
        type: 'response-metadata',
        id: chunk.id || undefined,
        model: chunk.model || undefined,
      })
    }
    const usage = this.extractUsage?.(chunk) ?? chunk.usage
    if (usage) this.usage = convertOpenAIUsage(usage)
    if (this.extractCost) {
      const cost = this.extractCost(chunk)
      if (cost) this.cost = cost
    }
    this.metadata = mergeStreamMetadata(this.metadata, readOpenAIMetadata(chunk, 'chunk', this.quirks))
    const choice = chunk.choices?.[0]
    if (!choice) return
    const delta = choice.delta
    if (delta) {
      let reasoningText: string | undefined
      for (const field of this.reasoningFields) {
        const reasoning = delta[field]
        if (typeof reasoning === 'string' && reasoning !== '') {
          reasoningText = reasoning
          break
        }
      }
      const slices = this.detailsField ? delta[this.detailsField] : undefined
      if (Array.isArray(slices) && slices.length > 0) {
        this.reasoningOpen = true
        // Details without a plain reasoning field still carry the text.
        reasoningText ??= reasoningDetailsText(slices) || undefined
        mergeReasoningDetails(this.details, slices)
      }
      if (reasoningText !== undefined) {
        this.reasoningOpen = true
        this.queue.push({ type: 'reasoning-delta', text: reasoningText })
      }
      const content = delta.content
      if (
        content !== undefined &&
        content !== null &&
        typeof content !== 'string' &&
        !Array.isArray(content)
      ) {
        throw new MalformedResponseError(
          `${this.provider}: a stream chunk's "delta.content" is ${typeof content}, not text`,
          { provider: this.provider },
        )
      }
      const toolCalls = delta.tool_calls
      if ((typeof content === 'string' && content !== '') || Array.isArray(toolCalls)) this.closeReasoning()
      if (typeof content === 'string' && content !== '')
        this.queue.push({ type: 'text-delta', text: content })
      if (Array.isArray(toolCalls)) {
        for (let i = 0; i < toolCalls.length; i++) {
          const call = toolCalls[i]
          this.queue.push({
            type: 'tool-call-delta',
            // Some servers send whole calls without an index; their position stands in for it.
            index: typeof call.index === 'number' ? call.index : i,
            toolCallId: call.id || undefined,
            toolName: call.function?.name || undefined,
            argumentsDelta: call.function?.arguments ?? '',
          })
        }
      }
    }
    if (choice.finish_reason) this.finishReason = choice.finish_reason
  }

  /** Ends the open reasoning part, with its `reasoning_details` blocks when the vendor sends them. */
  private closeReasoning(): void {
    if (!this.reasoningOpen) return
    this.reasoningOpen = false
    if (this.details.length === 0) return
    this.queue.push({ type: 'reasoning-end', providerMetadata: { reasoningDetails: this.details } })
    this.details = []
  }

  /** The source ended: finish, or leave core to report the interruption. */
  protected end(): void {
    if (this.chunks === 0) {
      throw new MalformedResponseError(`${this.provider}: the stream ended without a single chunk`, {
        provider: this.provider,
      })
    }
    // No finish_reason: the server stopped mid-answer. Ending without `finish` makes core raise
    // StreamInterruptedError with the partial result.
    if (this.finishReason === undefined) return
    this.closeReasoning()
    // The usage chunk follows the finish chunk: a stream cut between them must not finish without usage.
    if (this.usageRequired && this.usage === undefined) {
      throw new StreamInterruptedError(
        `${this.provider}: the stream ended after its finish chunk but before the usage chunk`,
        { provider: this.provider },
      )
    }
    this.queue.push({
      type: 'finish',
      finishReason: mapOpenAIFinishReason(this.finishReason),
      rawFinishReason: this.finishReason,
      usage: this.usage,
      ...(this.cost ? { cost: this.cost } : {}),
      ...(this.metadata ? { providerMetadata: this.metadata } : {}),
    })
  }
}

/** Wraps an SDK chunk stream into core stream events. */
export function translateOpenAIStream(
  source: AsyncIterable<unknown> | OpenAIEventSource,
  quirks: OpenAICompatibleQuirks = {},
  provider?: string,
  signal?: AbortSignal,
  options: { includeRaw?: boolean | undefined } = {},
): AsyncIterableIterator<AdapterStreamEvent> {
  return new OpenAIStreamTranslator(source, quirks, provider, signal, false, options)
}
