import { MalformedResponseError, type Usage } from '@modelplex/core'
import { ServerSentEventReader, StreamEventTranslator } from '@modelplex/core/adapter'
import {
  blockedPromptError,
  convertGoogleUsage,
  googleMetadata,
  mapGoogleFinishReason,
  modelOf,
  type ParseContext,
  signatureMetadata,
  toolCallIdOf,
  toToolCall,
} from './parse-google-response.js'

/** The SDK's `ApiError` class, built as `new ApiError({ message, status })`. */
export type GoogleApiErrorClass = abstract new (...args: any[]) => Error

/**
 * Reads `streamGenerateContent?alt=sse` frames straight off the HTTP body with the shared SSE
 * reader and the SDK's semantics on top: each `data` is one `GenerateContentResponse` (invalid JSON
 * throws a SyntaxError); a frame holding `{ error: { code: 4xx/5xx } }` is thrown as the SDK's
 * `ApiError`, with the message the SDK writes (`got status: STATUS. {json}`); empty data is skipped.
 */
export class GoogleEventSource extends ServerSentEventReader<unknown> {
  constructor(response: Response, ApiError?: GoogleApiErrorClass) {
    super(response.body, (_event, data) => {
      if (data === '') return undefined
      const chunk = JSON.parse(data)
      const error = chunk?.error
      if (error !== null && typeof error === 'object' && typeof error.code === 'number') {
        if (error.code >= 400 && error.code < 600) throw streamError(chunk, ApiError)
      }
      return chunk
    })
  }
}

function streamError(chunk: { error: { code: number; status?: unknown } }, ApiError?: GoogleApiErrorClass) {
  const message = `got status: ${chunk.error.status}. ${JSON.stringify(chunk)}`
  const status = chunk.error.code
  if (ApiError) return new (ApiError as unknown as new (options: object) => Error)({ message, status })
  return Object.assign(new Error(message), { name: 'ApiError', status })
}

/**
 * Turns `GenerateContentResponse` chunks (the `data:` frames of `streamGenerateContent?alt=sse`,
 * read by a `GoogleEventSource`, or the SDK's stream) into core stream events, one translation step per chunk: a
 * hand-written iterator, no per-chunk validation, closures or nested generators. Gemini sends each
 * function call whole, so it becomes one `tool-call` event. `usageMetadata` is cumulative on every
 * chunk, so the last one is the call's usage; `finish` is emitted when the stream ends, with the
 * metadata of the last chunk (per-modality tokens, grounding, safety ratings).
 *
 * Thought signatures: a thought part that carries one closes the open reasoning part with it
 * (`reasoning-end`; Gemini sends it on the last thought chunk, or alone on an empty thought part);
 * on a text part it goes to that text part, on a function call to the tool call.
 */
export class GoogleStreamTranslator extends StreamEventTranslator<unknown> {
  private chunks = 0
  private toolCalls = 0
  private responseId: string | undefined
  private model: string | undefined
  private finishReason: string | undefined
  private usage: Usage | undefined
  /** The last `usageMetadata`, `modelVersion` and candidate seen, read once at the end for the metadata. */
  private usageMetadata: unknown
  private modelVersion: unknown
  private lastCandidate: any
  private codeExecution: unknown[] | undefined

  constructor(
    source: AsyncIterable<unknown> | GoogleEventSource,
    private readonly context: ParseContext,
    signal?: AbortSignal,
    options?: { includeRaw?: boolean | undefined },
  ) {
    super(source, signal, options)
  }

  /** One chunk in, zero or more events queued. */
  protected translate(chunk: any): void {
    if (!chunk || typeof chunk !== 'object') {
      throw new MalformedResponseError(`${this.context.name}: a stream chunk is not a JSON object`, {
        provider: this.context.provider,
        model: this.context.model,
      })
    }
    if (this.chunks++ === 0) {
      this.responseId = typeof chunk.responseId === 'string' ? chunk.responseId : undefined
      this.model = modelOf(chunk.modelVersion)
      if (this.responseId || this.model) {
        this.queue.push({ type: 'response-metadata', id: this.responseId, model: this.model })
      }
    }
    const blocked = blockedPromptError(chunk, this.context)
    if (blocked) throw blocked
    if (chunk.usageMetadata) {
      this.usageMetadata = chunk.usageMetadata
      this.usage = convertGoogleUsage(chunk.usageMetadata)
    }
    if (chunk.modelVersion !== undefined) this.modelVersion = chunk.modelVersion
    const candidate = chunk.candidates?.[0]
    if (!candidate) return
    this.lastCandidate = candidate
    const parts = candidate.content?.parts
    if (Array.isArray(parts)) {
      for (const part of parts) {
        if (!part || typeof part !== 'object') continue
        if (part.executableCode || part.codeExecutionResult) {
          this.codeExecution ??= []
          this.codeExecution.push(part)
        } else if (part.functionCall) {
          const toolCallId = toolCallIdOf(part.functionCall, this.responseId, this.toolCalls++)
          this.queue.push({ type: 'tool-call', toolCall: toToolCall(part.functionCall, toolCallId, part) })
        } else if (typeof part.text === 'string') {
          this.textPart(part)
        }
      }
    }
    if (typeof candidate.finishReason === 'string') this.finishReason = candidate.finishReason
  }

  private textPart(part: { text: string; thought?: unknown; thoughtSignature?: unknown }): void {
    const providerMetadata = signatureMetadata(part)
    if (part.thought) {
      if (part.text !== '') this.queue.push({ type: 'reasoning-delta', text: part.text })
      if (providerMetadata) this.queue.push({ type: 'reasoning-end', providerMetadata })
    } else if (providerMetadata) {
      // A signed part stays a part of its own: Gemini says never to merge it with the text after it.
      if (part.text !== '') this.queue.push({ type: 'text-delta', text: part.text })
      this.queue.push({ type: 'text-end', providerMetadata })
    } else if (part.text !== '') {
      this.queue.push({ type: 'text-delta', text: part.text })
    }
  }

  /** The source ended: finish, or leave core to report the interruption. */
  protected end(): void {
    if (this.chunks === 0) {
      throw new MalformedResponseError(`${this.context.name}: the stream ended without a single chunk`, {
        provider: this.context.provider,
        model: this.context.model,
      })
    }
    // No finishReason: the server stopped mid-answer. Ending without `finish` makes core raise
    // StreamInterruptedError with the partial result.
    if (this.finishReason === undefined) return
    this.queue.push({
      type: 'finish',
      finishReason: mapGoogleFinishReason(this.finishReason, this.toolCalls > 0),
      rawFinishReason: this.finishReason,
      usage: this.usage,
      ...this.metadata(),
    })
  }

  /** The stream's metadata: the last usage breakdowns and the last candidate's extras (grounding, ratings). */
  private metadata(): { providerMetadata?: Record<string, unknown> } {
    const providerMetadata = googleMetadata(
      { usageMetadata: this.usageMetadata, modelVersion: this.modelVersion, responseId: this.responseId },
      this.lastCandidate,
      this.codeExecution,
    )
    return providerMetadata ? { providerMetadata } : {}
  }
}
