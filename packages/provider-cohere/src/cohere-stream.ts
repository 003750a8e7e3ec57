import { MalformedResponseError, ServerError } from '@modelplex/core'
import { ServerSentEventReader, StreamEventTranslator } from '@modelplex/core/adapter'
import { cohereMetadata, convertCohereUsage, mapCohereFinishReason } from './parse-cohere-response.js'

/** Values the SDK keeps as they came (records of the caller's data): their keys are not renamed. */
const OPAQUE_FIELDS = new Set(['document', 'tool_output', 'toolOutput'])
const SNAKE = /_([a-z0-9])/g

/**
 * `value` with its keys in camelCase, as the SDK's serializers hand a v2 event over (`tool_plan` →
 * `toolPlan`, `finish_reason` → `finishReason`, `billed_units` → `billedUnits`…); a document's or a
 * tool output's own keys are left alone, as the SDK leaves them.
 */
export function camelizeCohereEvent(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelizeCohereEvent)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const key in value) {
    const field = (value as Record<string, unknown>)[key]
    const name = key.includes('_') ? key.replace(SNAKE, (_, letter: string) => letter.toUpperCase()) : key
    out[name] = OPAQUE_FIELDS.has(key) ? field : camelizeCohereEvent(field)
  }
  return out
}

/**
 * Reads v2 chat events straight off the HTTP body with the shared SSE reader and the SDK's
 * semantics on top: each `data` is one event (invalid JSON throws a SyntaxError), named by its
 * `type` (the `event:` field is not read), `[DONE]` ends the events, empty data is skipped, and
 * keys come in camelCase as the SDK gives them (`camelizeCohereEvent`).
 */
export class CohereEventSource extends ServerSentEventReader<unknown> {
  constructor(response: Response) {
    let done = false
    super(response.body, (_event, data) => {
      if (done || data === '') return undefined
      if (data === '[DONE]') {
        done = true
        return undefined
      }
      return camelizeCohereEvent(JSON.parse(data))
    })
  }
}

/**
 * Turns v2 chat events (off the body through a `CohereEventSource`, or the SDK's stream) into core stream events, one translation step per
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
    source: AsyncIterable<unknown> | CohereEventSource,
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
