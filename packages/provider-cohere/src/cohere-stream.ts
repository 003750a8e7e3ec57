import { MalformedResponseError, ServerError } from '@modelplex/core'
import { StreamEventTranslator } from '@modelplex/core/adapter'
import { cohereMetadata, convertCohereUsage, mapCohereFinishReason } from './parse-cohere-response.js'

/**
 * Turns the SDK's stream of v2 chat events into core stream events, one translation step per
 * event: a hand-written iterator, no per-event validation, closures or nested generators.
 * `finish` goes out on `message-end`, which carries the finish reason and the usage.
 */
export class CohereStreamTranslator extends StreamEventTranslator<unknown> {
  private events = 0
  private lastToolIndex = -1
  /** The kind of the content block open at each index (`text` or `thinking`), from content-start. */
  private readonly blockKinds = new Map<number, string>()
  private readonly citations: unknown[] = []
  private readonly logprobs: unknown[] = []
  /** A tool plan is being streamed (closed as its own reasoning part when the tool calls start). */
  private planOpen = false

  constructor(
    source: AsyncIterable<unknown>,
    private readonly provider = 'cohere',
    signal?: AbortSignal,
    options?: { includeRaw?: boolean | undefined },
  ) {
    super(source, signal, options)
  }

  /** One event in, zero or more core events queued. */
  protected translate(event: any): void {
    if (!event || typeof event !== 'object') {
      throw new MalformedResponseError(`${this.provider}: a stream event is not a JSON object`, {
        provider: this.provider,
      })
    }
    this.events++
    switch (event.type) {
      case 'message-start':
        if (typeof event.id === 'string' && event.id)
          this.queue.push({ type: 'response-metadata', id: event.id })
        return
      case 'content-start':
      case 'content-delta': {
        // content-start opens a block and may already carry its first text.
        const content = event.delta?.message?.content
        if (
          event.type === 'content-start' &&
          typeof content?.type === 'string' &&
          typeof event.index === 'number'
        )
          this.blockKinds.set(event.index, content.type)
        if (Array.isArray(event.logprobs)) this.logprobs.push(...event.logprobs)
        if (!content) return
        if (typeof content.text === 'string' && content.text !== '')
          this.queue.push({ type: 'text-delta', text: content.text })
        else if (typeof content.thinking === 'string' && content.thinking !== '')
          this.queue.push({ type: 'reasoning-delta', text: content.thinking })
        return
      }
      case 'tool-plan-delta': {
        const plan = event.delta?.message?.toolPlan
        if (typeof plan === 'string' && plan !== '') {
          this.planOpen = true
          this.queue.push({ type: 'reasoning-delta', text: plan, providerMetadata: { toolPlan: true } })
        }
        return
      }
      case 'content-end': {
        // A thinking block ends: close its reasoning part, so that a tool plan after it stays apart.
        if (typeof event.index === 'number' && this.blockKinds.get(event.index) === 'thinking')
          this.queue.push({ type: 'reasoning-end' })
        return
      }
      case 'citation-start': {
        const citation = event.delta?.message?.citations
        if (citation && typeof citation === 'object') this.citations.push(citation)
        return
      }
      case 'tool-call-start': {
        if (this.planOpen) {
          this.planOpen = false
          this.queue.push({ type: 'reasoning-end' })
        }
        const call = event.delta?.message?.toolCalls
        const index = typeof event.index === 'number' ? event.index : this.lastToolIndex + 1
        this.lastToolIndex = index
        this.queue.push({
          type: 'tool-call-delta',
          index,
          toolCallId: call?.id || undefined,
          toolName: call?.function?.name || undefined,
          argumentsDelta: call?.function?.arguments ?? '',
        })
        return
      }
      case 'tool-call-delta': {
        const slice = event.delta?.message?.toolCalls?.function?.arguments
        if (typeof slice !== 'string' || slice === '') return
        const index = typeof event.index === 'number' ? event.index : this.lastToolIndex
        this.queue.push({ type: 'tool-call-delta', index, argumentsDelta: slice })
        return
      }
      case 'message-end': {
        const delta = event.delta ?? {}
        // Cohere reports a failure mid-generation on message-end: an `error` text, no answer.
        if (typeof delta.error === 'string' && delta.error !== '') {
          throw new ServerError(`${this.provider}: the generation failed mid-stream: ${delta.error}`, {
            provider: this.provider,
            ...(typeof delta.finishReason === 'string' ? { code: delta.finishReason } : {}),
          })
        }
        const rawFinishReason = typeof delta.finishReason === 'string' ? delta.finishReason : undefined
        const metadata = cohereMetadata({
          usage: delta.usage,
          citations: this.citations,
          logprobs: this.logprobs,
        })
        this.queue.push({
          type: 'finish',
          finishReason: mapCohereFinishReason(rawFinishReason),
          rawFinishReason,
          usage: convertCohereUsage(delta.usage),
          ...(Object.keys(metadata).length > 0 ? { providerMetadata: metadata } : {}),
        })
        this.stop()
        return
      }
      // tool-call-end, citation-end and debug carry nothing core keeps.
      default:
        return
    }
  }

  /** The source ended before `message-end`: leave core to report the interruption. */
  protected end(): void {
    if (this.events === 0) {
      throw new MalformedResponseError(`${this.provider}: the stream ended without a single event`, {
        provider: this.provider,
      })
    }
    // Ending without `finish` makes core raise StreamInterruptedError with the partial result.
  }
}
