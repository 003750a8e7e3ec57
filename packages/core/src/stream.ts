import { AbortedError, ModelplexError, StreamInterruptedError } from './errors.js'
import type { AdapterStreamEvent } from './provider-spec.js'
import type {
  ContentPart,
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
}

/** How long a finished stream's HTTP body may take to end before its request is aborted. */
const SETTLE_MS = 1_000

interface ToolCallDraft {
  toolCallId: string
  toolName: string
  rawInput: string
}

/** Parses tool arguments; `{}` for an empty string, the raw string when it is not JSON. */
export function parseToolInput(rawInput: string): unknown {
  if (rawInput.trim() === '') return {}
  try {
    return JSON.parse(rawInput)
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

  /** Records one adapter event; returns the event to deliver, or undefined to read on. */
  private accept(event: AdapterStreamEvent): StreamEvent | undefined {
    this.events++
    switch (event.type) {
      case 'text-delta':
        this.text += event.text
        return event
      case 'reasoning-delta':
        this.reasoning += event.text
        return event
      case 'tool-call-delta': {
        let draft = this.drafts.get(event.index)
        if (!draft) {
          draft = { toolCallId: event.toolCallId ?? '', toolName: event.toolName ?? '', rawInput: '' }
          this.drafts.set(event.index, draft)
        }
        if (event.toolCallId) draft.toolCallId = event.toolCallId
        if (event.toolName) draft.toolName = event.toolName
        draft.rawInput += event.argumentsDelta
        return event
      }
      case 'tool-call':
        this.toolCalls.push(event.toolCall)
        return event
      case 'response-metadata':
        if (event.id) this.responseId = event.id
        if (event.model) this.responseModel = event.model
        return undefined
      case 'finish': {
        for (const draft of this.drafts.values()) {
          const toolCall: ToolCall = { ...draft, input: parseToolInput(draft.rawInput) }
          this.toolCalls.push(toolCall)
          this.queued.push({ type: 'tool-call', toolCall })
        }
        this.drafts.clear()
        this.usage = event.usage
        const model = this.responseModel ?? this.driver.model
        const finish: StreamEvent = {
          type: 'finish',
          finishReason: event.finishReason,
          rawFinishReason: event.rawFinishReason,
          usage: event.usage,
          cost: event.cost ?? this.driver.cost(model, event.usage),
        }
        this.final = this.buildResult(finish.finishReason, finish.rawFinishReason, finish.cost, model)
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
  ): GenerateResult {
    const content: ContentPart[] = []
    if (this.reasoning) content.push({ type: 'reasoning', text: this.reasoning })
    if (this.text) content.push({ type: 'text', text: this.text })
    for (const toolCall of this.toolCalls) content.push({ type: 'tool-call', ...toolCall })
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
      provider: this.driver.provider,
      id: this.responseId,
      warnings: this.warnings,
      raw: undefined,
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
      toolCalls.push({ ...draft, input: parseToolInput(draft.rawInput) })
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
