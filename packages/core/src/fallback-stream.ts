import type { ModelplexError } from './errors.js'
import type { GenerateResult, ModelStream, StreamEvent } from './result-types.js'
import { type Router, type Target, toModelplexError } from './router.js'

/** Moves to the next target when a stream fails before its first event. */
export class FallbackStream implements ModelStream, AsyncIterator<StreamEvent> {
  private current: ModelStream | undefined
  private iterator: AsyncIterator<StreamEvent> | undefined
  private delivered = false
  private failure: ModelplexError | undefined
  private resultPromise: Promise<GenerateResult> | undefined
  /** Set by `abort()`; a stream opened after it (abort before the first `next()`) starts aborted. */
  private aborted: { reason: unknown } | undefined

  constructor(
    private readonly route: Router,
    private readonly open: (target: Target) => Promise<ModelStream>,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    return this
  }

  async next(): Promise<IteratorResult<StreamEvent>> {
    for (;;) {
      if (!this.iterator) {
        const target = await this.route.next()
        if (!target) {
          // Every candidate left was skipped: the call ends with the last failure.
          this.route.gaveUp(this.failure!)
          throw this.failure
        }
        try {
          this.current = await this.open(target)
          if (this.aborted) this.current.abort(this.aborted.reason)
          this.iterator = this.current[Symbol.asyncIterator]()
        } catch (raw) {
          if (await this.moveOn(raw)) continue
          throw this.failure
        }
      }
      try {
        const step = await this.iterator.next()
        if (!this.delivered) {
          this.delivered = true
          this.route.served()
        }
        return step
      } catch (raw) {
        if (this.delivered) throw toModelplexError(raw)
        if (await this.moveOn(raw)) continue
        throw this.failure
      }
    }
  }

  /** Records a failure before the first event; true when another candidate should be tried. */
  private async moveOn(raw: unknown): Promise<boolean> {
    this.failure = toModelplexError(raw)
    this.iterator = undefined
    if (await this.route.failed(this.failure)) return true
    this.route.gaveUp(this.failure)
    return false
  }

  async return(): Promise<IteratorResult<StreamEvent>> {
    await this.iterator?.return?.()
    return { value: undefined, done: true }
  }

  result(): Promise<GenerateResult> {
    this.resultPromise ??= (async () => {
      for (;;) {
        const step = await this.next()
        if (step.done) break
      }
      return this.current!.result()
    })()
    return this.resultPromise
  }

  abort(reason?: unknown): void {
    this.aborted ??= { reason }
    this.current?.abort(reason)
  }
}
