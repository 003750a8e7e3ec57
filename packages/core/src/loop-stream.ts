import type { Telemetry } from './telemetry.js'
import { TELEMETRY_PARENT, type TelemetrySpan } from './telemetry-options.js'
import type {
  AgentRequest,
  AgentResult,
  AgentStream,
  AgentStreamEvent,
  GenerateRequest,
  GenerateResult,
  ModelStream,
  PendingApproval,
} from './types.js'

/**
 * The stream of a tool loop: each step's events as they come (its own `finish` held back), the
 * `tool-result` events of the tools it ran, a `step-finish`, and one `finish` with the totals.
 * One async generator per step, not per chunk; plain streams never pass through here.
 */
export class LoopStream implements AgentStream {
  private readonly controller = new AbortController()
  private readonly events: AsyncGenerator<AgentStreamEvent>
  private final: AgentResult | undefined
  private failure: unknown
  private failed = false
  private iterating = false
  private current: ModelStream | undefined
  private settle: { resolve(result: AgentResult): void; reject(error: unknown): void } | undefined
  private resultPromise: Promise<AgentResult> | undefined

  constructor(
    request: AgentRequest,
    private readonly openStep: (request: GenerateRequest) => ModelStream,
    private readonly provider: string,
    private readonly telemetry?: () => Promise<Telemetry>,
  ) {
    const signal = request.signal
    if (signal) {
      if (signal.aborted) this.controller.abort(signal.reason)
      else signal.addEventListener('abort', () => this.controller.abort(signal.reason), { once: true })
    }
    this.events = this.run({ ...request, signal: this.controller.signal })
  }

  private async *run(request: AgentRequest): AsyncGenerator<AgentStreamEvent> {
    const loop = await import('./tool-loop.js')
    const provider = this.provider
    const state = loop.startLoop(request, provider)
    if (this.telemetry) {
      const spans = await this.telemetry()
      const agent = await spans.agent(request)
      state.telemetry = { spans, agent }
      this.spanState = state.telemetry
      ;(state.base as { [TELEMETRY_PARENT]?: TelemetrySpan })[TELEMETRY_PARENT] = agent
    }
    const { pending: waiting, results } = await loop.resume(state, provider)
    for (const toolResult of results) yield { type: 'tool-result', ...toolResult }
    if (waiting.length) {
      yield* this.finishWith(loop.pausedBeforeCalling(state, waiting))
      return
    }
    for (;;) {
      loop.checkAborted(state, provider)
      const sent = state.messages
      const stream = this.openStep({ ...state.base, messages: sent })
      this.current = stream
      for await (const event of stream) if (event.type !== 'finish') yield event
      const result = await stream.result()
      this.current = undefined
      const step = loop.recordStep(state, result, sent)
      let goOn = false
      let pending: PendingApproval[] = []
      if (result.toolCalls.length) {
        const outcome = await loop.runTools(state, result.toolCalls, sent, provider, undefined)
        step.toolResults = outcome.results
        for (const toolResult of outcome.results) yield { type: 'tool-result', ...toolResult }
        goOn = loop.recordResults(state, outcome)
        pending = outcome.pending
      }
      yield {
        type: 'step-finish',
        stepNumber: step.stepNumber,
        finishReason: step.finishReason,
        usage: step.usage,
        cost: step.cost,
        toolResults: step.toolResults,
      }
      const stop =
        !goOn || state.steps.length >= state.maxSteps || (state.stopWhen && (await state.stopWhen(step)))
      if (stop) {
        yield* this.finishWith(loop.loopResult(state, goOn ? [] : (pending ?? [])))
        return
      }
    }
  }

  private *finishWith(result: AgentResult): Generator<AgentStreamEvent> {
    this.final = result
    this.endSpan(result)
    yield {
      type: 'finish',
      finishReason: result.finishReason,
      rawFinishReason: result.rawFinishReason,
      usage: result.usage,
      cost: result.cost,
      ...(result.providerMetadata ? { providerMetadata: result.providerMetadata } : {}),
      messages: result.messages,
    }
  }

  private spanState: { spans: Telemetry; agent: TelemetrySpan } | undefined
  private endSpan(result: AgentResult | undefined, error?: unknown): void {
    const span = this.spanState
    if (!span) return
    this.spanState = undefined
    if (result) span.spans.recordResult(span.agent, result as unknown as GenerateResult)
    else span.spans.recordError(span.agent, error)
    span.agent.end()
  }

  [Symbol.asyncIterator](): AsyncIterator<AgentStreamEvent> {
    this.iterating = true
    return this
  }

  async next(): Promise<IteratorResult<AgentStreamEvent>> {
    try {
      const step = await this.events.next()
      if (step.done) this.settle?.resolve(this.final!)
      else if (step.value.type === 'finish') this.settle?.resolve(this.final!)
      return step
    } catch (error) {
      this.failed = true
      this.failure = error
      this.endSpan(undefined, error)
      this.settle?.reject(error)
      throw error
    }
  }

  async return(): Promise<IteratorResult<AgentStreamEvent>> {
    if (!this.final && !this.failed) {
      this.controller.abort()
      this.current?.abort()
    }
    await this.events.return(undefined)
    return { value: undefined, done: true }
  }

  result(): Promise<AgentResult> {
    if (!this.resultPromise) {
      this.resultPromise = new Promise<AgentResult>((resolve, reject) => {
        this.settle = { resolve, reject }
      })
      if (this.final) this.settle!.resolve(this.final)
      else if (this.failed) this.settle!.reject(this.failure)
      else if (!this.iterating) {
        this.iterating = true
        const pump = async () => {
          for (;;) if ((await this.next()).done) return
        }
        // A failure already rejected result(); this catch keeps it from surfacing twice.
        pump().catch(() => {})
      }
    }
    return this.resultPromise
  }

  abort(reason?: unknown): void {
    this.controller.abort(reason)
    this.current?.abort(reason)
  }
}
