import { AbortedError, ModelplexError, StreamInterruptedError } from './errors.js'
import type {
  AdapterContentPart,
  AdapterStreamEvent,
  AdapterToolCall,
  VendorMetadata,
} from './provider-spec.js'
import { keyContent, keyMetadata, keyToolCall, resultMessages } from './result-content.js'
import type {
  Cost,
  FinishReason,
  GenerateResult,
  ModelStream,
  PartialResult,
  StreamEvent,
  ToolCall,
  Usage,
  Warning,
} from './types.js'
import { checkReportedCost, checkUsage } from './usage-check.js'

/** A stream opened by an attempt: its iterator and the first event, read inside the retry loop. */
export interface OpenedStream {
  iterator: AsyncIterator<AdapterStreamEvent>
  first: IteratorResult<AdapterStreamEvent>
  warnings: Warning[]
  /** Clears the attempt's timeout and listeners. */
  dispose(): void
}

export interface StreamDriver {
  /** Opens the stream with retries (only before the first event). */
  open(signal: AbortSignal): Promise<OpenedStream>
  /** Classifies a failure after the stream started. */
  classify(error: unknown): ModelplexError
  cost(model: string, usage: Usage | undefined): Cost | undefined
  onFinish(result: GenerateResult): void
  onError(error: ModelplexError): void
  provider: string
  model: string
  /** The request set `includeRaw`: `result().raw` is the list of raw chunks. */
  includeRaw?: boolean
}

/** How long a finished stream's HTTP body may take to end before its request is aborted. */
const SETTLE_MS = 1_000

interface ToolCallDraft {
  toolCallId: string
  toolName: string
  rawInput: string
  providerMetadata?: VendorMetadata
}

/** A part being assembled, in the order the vendor sent it; a tool call's slot is filled at `finish`. */
type DraftPart =
  | { type: 'text' | 'reasoning'; text: string; providerMetadata?: VendorMetadata; closed?: boolean }
  | { type: 'tool-call'; call: AdapterToolCall }
  | { type: 'tool-slot'; index: number }

function mergeMetadata(
  part: { providerMetadata?: VendorMetadata },
  metadata: VendorMetadata | undefined,
): void {
  if (metadata)
    part.providerMetadata = part.providerMetadata ? { ...part.providerMetadata, ...metadata } : metadata
}

/** Parses tool arguments; `{}` for an empty string, the raw string when it is not JSON. */
export function parseToolInput(rawInput: string): unknown {
  if (rawInput.trim() === '') return {}
  try {
    // Tool arguments are an object on every vendor's API: `null` (Cohere sends "null") means none.
    const input: unknown = JSON.parse(rawInput)
    return input === null ? {} : input
  } catch {
    return rawInput
  }
}

/**
 * The stream a user iterates. One hand-written iterator over the adapter's events: it keeps
 * the running text, assembles tool calls from deltas, adds cost to `finish` and builds the
 * result — no extra async generator per chunk.
 */
export class CoreStream implements ModelStream, AsyncIterator<StreamEvent> {
  private readonly controller = new AbortController()
  private iterator: AsyncIterator<AdapterStreamEvent> | undefined
  private opening: Promise<OpenedStream> | undefined
  private disposeAttempt: (() => void) | undefined
  private queued: StreamEvent[] = []
  private text = ''
  private reasoning = ''
  private readonly toolCalls: ToolCall[] = []
  private readonly drafts = new Map<number, ToolCallDraft>()
  private readonly parts: DraftPart[] = []
  private metadata: VendorMetadata | undefined
  private rawChunks: unknown[] | undefined
  private usage: Usage | undefined
  private responseId: string | undefined
  private responseModel: string | undefined
  private warnings: Warning[] = []
  private events = 0
  private done = false
  private failure: ModelplexError | undefined
  private final: GenerateResult | undefined
  private iterating = false
  private settle: { resolve(result: GenerateResult): void; reject(error: unknown): void } | undefined
  private resultPromise: Promise<GenerateResult> | undefined

  constructor(
    private readonly driver: StreamDriver,
    signal: AbortSignal | undefined,
  ) {
    if (signal) {
      if (signal.aborted) this.controller.abort(signal.reason)
      else signal.addEventListener('abort', () => this.controller.abort(signal.reason), { once: true })
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    this.iterating = true
    return this
  }

  async next(): Promise<IteratorResult<StreamEvent>> {
    for (;;) {
      if (this.queued.length > 0) {
        const event = this.queued.shift()!
        if (event.type === 'finish') this.complete()
        return { value: event, done: false }
      }
      if (this.done) {
        if (this.failure) throw this.failure
        return { value: undefined, done: true }
      }
      let step: IteratorResult<AdapterStreamEvent>
      try {
        if (this.iterator) {
          step = await this.iterator.next()
        } else {
          this.opening ??= this.driver.open(this.controller.signal)
          const opened = await this.opening
          this.iterator = opened.iterator
          this.disposeAttempt = opened.dispose
          this.warnings = opened.warnings
          step = opened.first
        }
      } catch (error) {
        throw this.fail(error)
      }
      if (step.done) {
        throw this.fail(
          new StreamInterruptedError(
            `${this.driver.provider}: the stream ended after ${this.events} events without finishing`,
            { provider: this.driver.provider, model: this.driver.model },
          ),
        )
      }
      const event = this.accept(step.value)
      if (event) return { value: event, done: false }
    }
  }

  async return(): Promise<IteratorResult<StreamEvent>> {
    if (!this.done) {
      this.controller.abort()
      this.fail(
        new AbortedError(`${this.driver.provider}: the stream was closed before it finished`, {
          provider: this.driver.provider,
          model: this.driver.model,
        }),
      )
    }
    return { value: undefined, done: true }
  }

  /** The last part if it is an open part of this type, else a new one. */
  private openPart(type: 'text' | 'reasoning'): Extract<DraftPart, { type: 'text' | 'reasoning' }> {
    const last = this.parts[this.parts.length - 1]
    if (last !== undefined && last.type === type && !last.closed) return last
    const part: Extract<DraftPart, { type: 'text' | 'reasoning' }> = { type, text: '' }
    this.parts.push(part)
    return part
  }

  /** The event as the user sees it: vendor metadata filed under the provider's id. */
  private keyed<E extends { providerMetadata?: VendorMetadata }>(event: E): StreamEvent {
    if (event.providerMetadata === undefined) return event as unknown as StreamEvent
    return {
      ...event,
      providerMetadata: keyMetadata(this.driver.provider, event.providerMetadata),
    } as unknown as StreamEvent
  }

  /** Records one adapter event; returns the event to deliver, or undefined to read on. */
  private accept(event: AdapterStreamEvent): StreamEvent | undefined {
    this.events++
    switch (event.type) {
      case 'text-delta': {
        this.text += event.text
        const part = this.openPart('text')
        part.text += event.text
        if (event.providerMetadata === undefined) return event as StreamEvent
        mergeMetadata(part, event.providerMetadata)
        return this.keyed(event)
      }
      case 'reasoning-delta': {
        this.reasoning += event.text
        const part = this.openPart('reasoning')
        part.text += event.text
        if (event.providerMetadata === undefined) return event as StreamEvent
        mergeMetadata(part, event.providerMetadata)
        return this.keyed(event)
      }
      case 'reasoning-end':
      case 'text-end': {
        const part = this.openPart(event.type === 'text-end' ? 'text' : 'reasoning')
        mergeMetadata(part, event.providerMetadata)
        part.closed = true
        return this.keyed(event)
      }
      case 'tool-call-delta': {
        let draft = this.drafts.get(event.index)
        if (!draft) {
          draft = { toolCallId: event.toolCallId ?? '', toolName: event.toolName ?? '', rawInput: '' }
          this.drafts.set(event.index, draft)
          this.parts.push({ type: 'tool-slot', index: event.index })
        }
        if (event.toolCallId) draft.toolCallId = event.toolCallId
        if (event.toolName) draft.toolName = event.toolName
        draft.rawInput += event.argumentsDelta
        if (event.providerMetadata === undefined) return event as StreamEvent
        mergeMetadata(draft, event.providerMetadata)
        return this.keyed(event)
      }
      case 'tool-call': {
        const toolCall = keyToolCall(this.driver.provider, event.toolCall)
        this.toolCalls.push(toolCall)
        this.parts.push({ type: 'tool-call', call: event.toolCall })
        return toolCall === event.toolCall ? (event as StreamEvent) : { type: 'tool-call', toolCall }
      }
      case 'raw':
        if (this.rawChunks) this.rawChunks.push(event.value)
        else this.rawChunks = [event.value]
        return undefined
      case 'response-metadata':
        if (event.id) this.responseId = event.id
        if (event.model) this.responseModel = event.model
        if (event.providerMetadata) this.metadata = { ...this.metadata, ...event.providerMetadata }
        return undefined
      case 'finish': {
        const calls = new Map<number, AdapterToolCall>()
        for (const [index, draft] of this.drafts) {
          const call: AdapterToolCall = { ...draft, input: parseToolInput(draft.rawInput) }
          calls.set(index, call)
          const toolCall = keyToolCall(this.driver.provider, call)
          this.toolCalls.push(toolCall)
          this.queued.push({ type: 'tool-call', toolCall })
        }
        this.drafts.clear()
        if (event.providerMetadata) this.metadata = { ...this.metadata, ...event.providerMetadata }
        const checked = checkUsage(event.usage)
        if (checked.warning) this.warnings = [...this.warnings, checked.warning]
        this.usage = checked.usage
        const model = this.responseModel ?? this.driver.model
        const cost = checked.priceable
          ? (checkReportedCost(event.cost) ?? this.driver.cost(model, checked.usage))
          : undefined
        this.final = this.buildResult(event.finishReason, event.rawFinishReason, cost, model, calls)
        const finish: StreamEvent = {
          type: 'finish',
          finishReason: event.finishReason,
          rawFinishReason: event.rawFinishReason,
          usage: checked.usage,
          cost,
          ...(this.final.providerMetadata ? { providerMetadata: this.final.providerMetadata } : {}),
          messages: this.final.messages,
        }
        this.queued.push(finish)
        return undefined
      }
      default:
        return undefined
    }
  }

  private buildResult(
    finishReason: FinishReason,
    rawFinishReason: string | undefined,
    cost: Cost | undefined,
    model: string,
    calls: Map<number, AdapterToolCall>,
  ): GenerateResult {
    const parts: AdapterContentPart[] = []
    for (const part of this.parts) {
      if (part.type === 'tool-slot') {
        const call = calls.get(part.index)
        if (call) parts.push({ type: 'tool-call', ...call })
      } else if (part.type === 'tool-call') {
        parts.push({ type: 'tool-call', ...part.call })
      } else if (part.text !== '' || part.providerMetadata !== undefined) {
        parts.push(
          part.providerMetadata === undefined
            ? { type: part.type, text: part.text }
            : { type: part.type, text: part.text, providerMetadata: part.providerMetadata },
        )
      }
    }
    const provider = this.driver.provider
    const content = keyContent(provider, parts)
    const providerMetadata = keyMetadata(provider, this.metadata)
    return {
      text: this.text,
      ...(this.reasoning ? { reasoning: this.reasoning } : {}),
      content,
      toolCalls: this.toolCalls,
      finishReason,
      rawFinishReason,
      usage: this.usage,
      cost,
      model,
      provider,
      id: this.responseId,
      warnings: this.warnings,
      raw: this.driver.includeRaw ? (this.rawChunks ?? []) : undefined,
      ...(providerMetadata ? { providerMetadata } : {}),
      messages: resultMessages(content),
    }
  }

  /** The finish event went out: let the request end and settle `result()`. */
  private complete(): void {
    this.done = true
    this.settleAdapter()
    const final = this.final!
    this.driver.onFinish(final)
    this.settle?.resolve(final)
  }

  /**
   * Reads the adapter's stream to its end in the background instead of closing it. An adapter
   * may send `finish` before its HTTP body has ended (Anthropic's `message_stop`): closing it
   * then aborts the request, which destroys the keep-alive socket (a new TLS handshake on the
   * next call) and costs an AbortError. A body that has not ended within SETTLE_MS is aborted.
   */
  private settleAdapter(): void {
    const iterator = this.iterator
    if (!iterator) {
      this.release()
      return
    }
    this.iterator = undefined
    let settled = false
    const settle = () => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      this.disposeAttempt?.()
      this.disposeAttempt = undefined
    }
    const timer: any = setTimeout(() => {
      // The attempt still listens to this signal until settle() disposes it.
      this.controller.abort()
      iterator.return?.().catch(() => {})
      settle()
    }, SETTLE_MS)
    timer.unref?.()
    const drain = async () => {
      for (;;) if (settled || (await iterator.next()).done) return
    }
    // Events after `finish` are not delivered; a failure now is irrelevant.
    drain().then(settle, settle)
  }

  private release(): void {
    this.disposeAttempt?.()
    this.disposeAttempt = undefined
    const iterator = this.iterator
    this.iterator = undefined
    // Closing the adapter's iterator releases the HTTP body; its own failure is irrelevant now.
    iterator?.return?.().catch(() => {})
  }

  private partial(): PartialResult {
    const toolCalls = [...this.toolCalls]
    for (const draft of this.drafts.values())
      toolCalls.push(keyToolCall(this.driver.provider, { ...draft, input: parseToolInput(draft.rawInput) }))
    return { text: this.text, reasoning: this.reasoning, toolCalls, usage: this.usage }
  }

  private fail(raw: unknown): ModelplexError {
    if (this.failure) return this.failure
    let error = ModelplexError.isInstance(raw) && this.events === 0 ? raw : this.driver.classify(raw)
    if (this.events > 0 && error.name === 'ConnectionError') {
      error = new StreamInterruptedError(
        `${this.driver.provider}: the stream was cut after ${this.events} events (${error.message}); the partial result is on error.partial`,
        { provider: this.driver.provider, model: this.driver.model, retryable: true, cause: error },
      )
    }
    error.partial = this.partial()
    this.failure = error
    this.done = true
    this.queued = []
    this.release()
    this.driver.onError(error)
    this.settle?.reject(error)
    return error
  }

  result(): Promise<GenerateResult> {
    if (!this.resultPromise) {
      this.resultPromise = new Promise<GenerateResult>((resolve, reject) => {
        this.settle = { resolve, reject }
      })
      if (this.final && this.done) this.settle!.resolve(this.final)
      else if (this.failure) this.settle!.reject(this.failure)
      else if (!this.iterating) this.drain()
    }
    return this.resultPromise
  }

  private drain(): void {
    this.iterating = true
    const pump = async () => {
      for (;;) {
        const step = await this.next()
        if (step.done) return
      }
    }
    // A failure already rejected result(); this catch only keeps it from surfacing twice.
    pump().catch(() => {})
  }

  abort(reason?: unknown): void {
    this.controller.abort(reason)
  }
}
