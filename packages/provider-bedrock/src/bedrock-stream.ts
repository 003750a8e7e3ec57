import type { ConverseStreamOutput, TokenUsage } from '@aws-sdk/client-bedrock-runtime'
import { MalformedResponseError, StreamInterruptedError } from '@modelplex/core'
import {
  type AdapterStreamEvent,
  bytesToBase64,
  StreamEventTranslator,
  type VendorMetadata,
} from '@modelplex/core/adapter'
import {
  bedrockMetadata,
  convertBedrockUsage,
  mapBedrockStopReason,
  withCitations,
} from './parse-bedrock-response.js'

/** A modeled exception that arrived as a union member instead of being thrown by the SDK. */
function exceptionOf(event: Record<string, unknown>): Error | undefined {
  for (const key of Object.keys(event)) {
    if (!key.endsWith('Exception')) continue
    const body = event[key] as { message?: string } | undefined
    const error = new Error(body?.message ?? key)
    error.name = key[0]!.toUpperCase() + key.slice(1)
    return error
  }
  return undefined
}

/**
 * Turns the SDK's ConverseStream events into core stream events, one translation step per
 * event: a hand-written iterator, no per-event validation or closures. Tool calls go out as
 * `tool-call-delta` (core assembles them); `finish` goes out when the stream ends, because
 * `metadata` (the usage) follows `messageStop`.
 */
export class BedrockStreamTranslator extends StreamEventTranslator<ConverseStreamOutput> {
  private events = 0
  private stopReason: string | undefined
  private usage: TokenUsage | undefined
  private metadata = false
  private vendorMetadata: VendorMetadata | undefined
  /** `additionalModelResponseFields` of messageStop, which comes before the metadata event. */
  private responseFields: unknown
  private readonly citations: unknown[] = []
  /** Content-block index of the reasoning block whose text is open (no signature yet). */
  private openReasoning: number | undefined
  /** Converse's content-block index → position of the tool call in this reply. */
  private readonly toolIndex = new Map<number, number>()
  private metadataSent = false

  constructor(
    source: AsyncIterable<ConverseStreamOutput>,
    private readonly requestId: string | undefined,
    private readonly name = 'Amazon Bedrock',
    signal?: AbortSignal,
    options?: { includeRaw?: boolean | undefined },
  ) {
    super(source, signal, options)
  }

  /**
   * Queues an event, the response metadata before the first: sent any earlier, it would count as
   * the stream's first event and end core's retry window before Bedrock has said anything.
   */
  private push(event: AdapterStreamEvent): void {
    if (!this.metadataSent) {
      this.metadataSent = true
      if (this.requestId) this.queue.push({ type: 'response-metadata', id: this.requestId })
    }
    this.queue.push(event)
  }

  /** One event in, zero or more events queued. */
  protected translate(event: ConverseStreamOutput): void {
    this.events++
    if (event.contentBlockDelta) {
      const { delta, contentBlockIndex } = event.contentBlockDelta
      if (!delta) return
      if (typeof delta.text === 'string') {
        if (delta.text !== '') this.push({ type: 'text-delta', text: delta.text })
      } else if (delta.toolUse) {
        this.push({
          type: 'tool-call-delta',
          index: this.toolPosition(contentBlockIndex ?? 0),
          argumentsDelta: delta.toolUse.input ?? '',
        })
      } else if (delta.reasoningContent) {
        this.reasoning(delta.reasoningContent, contentBlockIndex ?? 0)
      } else if (delta.citation) {
        this.citations.push(delta.citation)
      }
      return
    }

    if (event.contentBlockStart) {
      const toolUse = event.contentBlockStart.start?.toolUse
      if (toolUse) {
        this.push({
          type: 'tool-call-delta',
          index: this.toolPosition(event.contentBlockStart.contentBlockIndex ?? 0),
          toolCallId: toolUse.toolUseId,
          toolName: toolUse.name,
          argumentsDelta: '',
        })
      }
      return
    }
    if (event.messageStop) {
      this.stopReason = event.messageStop.stopReason
      this.responseFields = event.messageStop.additionalModelResponseFields
      return
    }
    if (event.metadata) {
      this.metadata = true
      this.usage = event.metadata.usage
      this.vendorMetadata = bedrockMetadata(event.metadata as unknown as Record<string, unknown>)
      return
    }
    if (event.messageStart || event.contentBlockStop) return
    const exception = exceptionOf(event as unknown as Record<string, unknown>)
    if (exception) throw exception
  }

  /** A reasoning delta: text, then the signature that closes the block; or a redacted block of its own. */
  private reasoning(
    delta: { text?: string; signature?: string; redactedContent?: Uint8Array },
    index: number,
  ): void {
    if (typeof delta.text === 'string') {
      // An unsigned reasoning block before this one (Nova, DeepSeek) is closed as it was.
      if (this.openReasoning !== undefined && this.openReasoning !== index)
        this.push({ type: 'reasoning-end' })
      this.openReasoning = index
      if (delta.text !== '') this.push({ type: 'reasoning-delta', text: delta.text })
    } else if (typeof delta.signature === 'string') {
      // Closes the open reasoning part; alone (no text before it), core adds a part of its own.
      this.openReasoning = undefined
      this.push({ type: 'reasoning-end', providerMetadata: { signature: delta.signature } })
    } else if (delta.redactedContent) {
      if (this.openReasoning !== undefined) this.push({ type: 'reasoning-end' })
      this.openReasoning = undefined
      // No reasoning part open: core adds an empty one carrying the redacted bytes.
      this.push({
        type: 'reasoning-end',
        providerMetadata: { redactedData: bytesToBase64(delta.redactedContent) },
      })
    }
  }

  private toolPosition(contentBlockIndex: number): number {
    let position = this.toolIndex.get(contentBlockIndex)
    if (position === undefined) {
      position = this.toolIndex.size
      this.toolIndex.set(contentBlockIndex, position)
    }
    return position
  }

  /** The source ended: finish, or leave core to report the interruption. */
  protected end(): void {
    if (this.events === 0) {
      throw new MalformedResponseError(`${this.name}: the stream ended without a single event`, {
        provider: 'bedrock',
      })
    }
    // No messageStop: the stream stopped mid-answer. Ending without `finish` makes core raise
    // StreamInterruptedError with the partial result.
    if (this.stopReason === undefined) return
    // Bedrock always sends `metadata` (the usage) after messageStop: without it the stream was cut,
    // and finishing would report no usage and no cost for a call that was billed.
    if (!this.metadata) {
      throw new StreamInterruptedError(
        `${this.name}: the stream ended after messageStop but before its metadata event (the usage)`,
        { provider: 'bedrock' },
      )
    }
    this.push({
      type: 'finish',
      finishReason: mapBedrockStopReason(this.stopReason),
      rawFinishReason: this.stopReason,
      usage: convertBedrockUsage(this.usage),
      ...this.finishMetadata(),
    })
  }

  /** The metadata event's extras, messageStop's model fields and the citations, for `finish`. */
  private finishMetadata(): { providerMetadata?: VendorMetadata } {
    let metadata = this.vendorMetadata
    if (this.responseFields !== undefined) {
      metadata = { ...metadata, additionalModelResponseFields: this.responseFields }
    }
    metadata = withCitations(metadata, this.citations)
    return metadata ? { providerMetadata: metadata } : {}
  }
}
