import { MalformedResponseError, type Usage } from '@modelplex/core'
import { StreamEventTranslator } from '@modelplex/core/adapter'
import {
  blockedPromptError,
  convertGoogleUsage,
  mapGoogleFinishReason,
  modelOf,
  type ParseContext,
  toolCallIdOf,
  toToolCall,
} from './parse-google-response.js'

/**
 * Turns the SDK's stream of `GenerateContentResponse` chunks (the `data:` frames of
 * `streamGenerateContent?alt=sse`) into core stream events, one translation step per chunk: a
 * hand-written iterator, no per-chunk validation, closures or nested generators. Gemini sends each
 * function call whole, so it becomes one `tool-call` event. `usageMetadata` is cumulative on every
 * chunk, so the last one is the call's usage; `finish` is emitted when the stream ends.
 */
export class GoogleStreamTranslator extends StreamEventTranslator<unknown> {
  private chunks = 0
  private toolCalls = 0
  private responseId: string | undefined
  private model: string | undefined
  private finishReason: string | undefined
  private usage: Usage | undefined

  constructor(
    source: AsyncIterable<unknown>,
    private readonly context: ParseContext,
    signal?: AbortSignal,
  ) {
    super(source, signal)
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
    if (chunk.usageMetadata) this.usage = convertGoogleUsage(chunk.usageMetadata)
    const candidate = chunk.candidates?.[0]
    if (!candidate) return
    const parts = candidate.content?.parts
    if (Array.isArray(parts)) {
      for (const part of parts) {
        if (part?.functionCall) {
          const toolCallId = toolCallIdOf(part.functionCall, this.responseId, this.toolCalls++)
          if (typeof part.thoughtSignature === 'string') {
            this.context.rememberSignature?.(
              toolCallId,
              part.thoughtSignature,
              this.model ?? this.context.model,
            )
          }
          this.queue.push({ type: 'tool-call', toolCall: toToolCall(part.functionCall, toolCallId) })
        } else if (typeof part?.text === 'string' && part.text !== '') {
          this.queue.push({ type: part.thought ? 'reasoning-delta' : 'text-delta', text: part.text })
        }
      }
    }
    if (typeof candidate.finishReason === 'string') this.finishReason = candidate.finishReason
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
    })
  }
}
