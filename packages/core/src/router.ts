import { ContextWindowExceededError, ModelplexError } from './errors.js'
import type { ResolvedFallback } from './fallback-policy.js'

/** How one candidate of a call's chain fared. */
export interface RouteCandidate {
  /** `provider:model`. */
  model: string
  provider: string
  outcome: 'served' | 'failed' | 'skipped' | 'not-tried'
  /**
   * Why, e.g. `served`, `error: RateLimitError`, `cooldown (2500 ms left)`,
   * `context window too small (128000 ≤ 128000 tokens)`, `not needed`.
   */
  reason: string
  error?: ModelplexError
}

/** Reported once per call: which candidate served it, and what happened to the others. */
export interface RouteEvent {
  operation: 'generate' | 'stream' | 'generateObject' | 'embed'
  /** The `provider:model` that served the call; undefined when none did. */
  served: string | undefined
  candidates: RouteCandidate[]
  /** The error the call failed with, when no candidate served it. */
  error?: ModelplexError
}

/** One candidate of a chain: the provider, the model it is asked for, and `provider:model`. */
export interface Target {
  providerId: string
  model: string | undefined
  label: string
}

/** What a router needs from its client: the call's fallback, cooldowns, windows and hooks. */
export interface RouterContext {
  fallback: ResolvedFallback
  coolingLeft(providerId: string): number
  cool(providerId: string): void
  warm(providerId: string): void
  windowOf(target: Target): Promise<number | undefined>
  movedOn(from: Target, to: Target, error: ModelplexError): void
  route(event: RouteEvent): void
}

/** Any thrown value as a modelplex error. */
export function toModelplexError(raw: unknown): ModelplexError {
  return ModelplexError.isInstance(raw) ? raw : new ModelplexError(String(raw), { cause: raw })
}

/**
 * One call's walk down its chain: which candidate to try next (skipping those cooling down and,
 * after a context-window error, those no larger), what each failure means, and the route report.
 */
export class Router {
  private readonly candidates: RouteCandidate[]
  private index = -1
  private readonly everyCooling: boolean
  private windowFloor: number | undefined
  private pending: { from: Target; error: ModelplexError } | undefined
  private reported = false

  constructor(
    private readonly operation: RouteEvent['operation'],
    private readonly targets: Target[],
    private readonly context: RouterContext,
  ) {
    this.candidates = targets.map((target) => ({
      model: target.label,
      provider: target.providerId,
      outcome: 'not-tried',
      reason: 'not reached',
    }))
    this.everyCooling = targets.every((target) => context.coolingLeft(target.providerId) > 0)
  }

  /** Tries `attempt` on each candidate in turn until one serves; throws the last failure. */
  async serve<T>(attempt: (target: Target) => Promise<T>): Promise<T> {
    let last: ModelplexError | undefined
    for (let target = await this.next(); target; target = await this.next()) {
      try {
        const value = await attempt(target)
        this.served()
        return value
      } catch (raw) {
        last = toModelplexError(raw)
        if (!(await this.failed(last))) break
      }
    }
    this.gaveUp(last!)
    throw last
  }

  /** True while a candidate after the current one is left to try. */
  get hasMore(): boolean {
    return this.index < this.targets.length - 1
  }

  /** The next candidate to try, or undefined when the chain is spent. */
  async next(): Promise<Target | undefined> {
    while (++this.index < this.targets.length) {
      const target = this.targets[this.index]!
      const candidate = this.candidates[this.index]!
      const left = this.context.coolingLeft(target.providerId)
      if (left > 0 && !this.everyCooling) {
        candidate.outcome = 'skipped'
        candidate.reason = `cooldown (${Math.ceil(left)} ms left)`
        continue
      }
      if (this.windowFloor !== undefined) {
        const window = await this.context.windowOf(target)
        if (window !== undefined && window <= this.windowFloor) {
          candidate.outcome = 'skipped'
          candidate.reason = `context window too small (${window} ≤ ${this.windowFloor} tokens)`
          continue
        }
      }
      if (left > 0) candidate.reason = 'cooldown ignored: every candidate was cooling down'
      if (this.pending) this.context.movedOn(this.pending.from, target, this.pending.error)
      this.pending = undefined
      return target
    }
    return undefined
  }

  /** Records a success of the current candidate and reports the route. */
  served(): void {
    const target = this.targets[this.index]!
    const candidate = this.candidates[this.index]!
    candidate.outcome = 'served'
    candidate.reason = candidate.reason.startsWith('cooldown') ? `served (${candidate.reason})` : 'served'
    this.context.warm(target.providerId)
    for (const later of this.candidates.slice(this.index + 1)) later.reason = 'not needed'
    this.report(target.label, undefined)
  }

  /** Records a failure of the current candidate; true when the call should move on. */
  async failed(error: ModelplexError): Promise<boolean> {
    const target = this.targets[this.index]!
    const candidate = this.candidates[this.index]!
    const { fallback } = this.context
    candidate.outcome = 'failed'
    candidate.reason = `error: ${error.name}`
    candidate.error = error
    if (error.retryable && fallback.cooldownMs > 0 && error.name !== 'AbortedError') {
      this.context.cool(target.providerId)
    }
    const more = this.index < this.targets.length - 1
    if (!more) return false
    if (!fallback.decide(error)) {
      candidate.reason += ' (the fallback policy stops here)'
      return false
    }
    if (ContextWindowExceededError.isInstance(error) && fallback.contextWindow === 'larger') {
      const window = await this.context.windowOf(target)
      if (window !== undefined) this.windowFloor = Math.max(this.windowFloor ?? 0, window)
    }
    this.pending = { from: target, error }
    return true
  }

  /** Reports a call that no candidate served. */
  gaveUp(error: ModelplexError): void {
    this.report(undefined, error)
  }

  private report(served: string | undefined, error: ModelplexError | undefined): void {
    if (this.reported) return
    this.reported = true
    this.context.route({
      operation: this.operation,
      served,
      candidates: this.candidates,
      ...(error ? { error } : {}),
    })
  }
}
