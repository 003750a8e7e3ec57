import {
  AuthenticationError,
  ConfigError,
  ConnectionError,
  ContentFilterError,
  ContextWindowExceededError,
  InvalidRequestError,
  MalformedResponseError,
  MissingDependencyError,
  ModelplexError,
  NotFoundError,
  RateLimitError,
  ServerError,
  StreamInterruptedError,
  TimeoutError,
  UnsupportedCapabilityError,
} from './errors.js'
import type { Hooks } from './hooks.js'
import { type LoadOptions, loadProviderSpec, specFromModule } from './load-provider.js'
import { createProvider, type ProviderOptions } from './provider.js'
import type { BaseSettings, PolicyOptions, ProviderSpec } from './provider-spec.js'
import type { RetryOptions } from './retry.js'
import type {
  CallOptions,
  EmbedRequest,
  EmbedResult,
  GenerateObjectRequest,
  GenerateObjectResult,
  GenerateRequest,
  GenerateResult,
  ModelInfo,
  ModelStream,
  Provider,
  StreamEvent,
} from './types.js'

/** How a client gets one provider: settings (with an optional module name), a spec, or a thunk. */
export type ProviderEntry =
  | (ProviderOptions<BaseSettings & Record<string, unknown>> &
      LoadOptions & {
        /** Bundler path: `() => import('@modelplex/provider-groq')`. */
        load?: () => Promise<unknown>
      })
  | ProviderSpec<any>
  | (() => Promise<unknown>)

export interface FallbackEvent {
  /** The `provider:model` that failed. */
  from: string
  /** The `provider:model` tried next. */
  to: string
  error: ModelplexError
}

/** Which failures move a call down the fallback chain (the defaults in brackets). */
export interface FallbackOn {
  /** 429 after its retries [true]. */
  rateLimit?: boolean
  /** 5xx and overloaded, connection failures, malformed answers, streams cut before their first event [true]. */
  serverError?: boolean
  /** The call's `timeoutMs` ran out [true]. */
  timeout?: boolean
  /** The vendor refused the content [false: another vendor is likely to refuse it too]. */
  contentFilter?: boolean
  /**
   * The prompt does not fit: `'larger'` skips to the next model whose known context window is
   * larger (models of unknown window are tried), `true` tries the next model whatever its window,
   * `false` stops ['larger'].
   */
  contextWindow?: boolean | 'larger'
  /** The model cannot serve at all: auth, not found, missing package or config, unsupported capability [true]. */
  unavailable?: boolean
}

/** A fallback chain with its per-error policy and provider cooldown. */
export interface FallbackPolicy {
  /** `provider:model` ids tried in order after the requested model. */
  models: string[]
  on?: FallbackOn
  /**
   * After a provider fails with a retryable error (rate limit, server error, timeout, connection),
   * skip it for this many milliseconds [0: never skipped]. A call whose every candidate is
   * cooling down tries them anyway: a cooldown never refuses a call by itself.
   */
  cooldownMs?: number
}

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

export interface ClientHooks extends Hooks {
  /** A call moved down the fallback chain. */
  onFallback?(event: FallbackEvent): void
  /** A call was served (for a stream: its first event arrived) or failed for good, with every candidate's fate. */
  onRoute?(event: RouteEvent): void
}

export interface ClientOptions {
  providers?: Record<string, ProviderEntry>
  retry?: RetryOptions
  timeoutMs?: number
  /**
   * `provider:model` ids tried in order when a call fails with a retryable or unavailable error,
   * or a policy: `{ models, on: { rateLimit, serverError, timeout, contentFilter, contextWindow }, cooldownMs }`.
   */
  fallback?: string[] | FallbackPolicy
  /** Decides whether an error moves the call to the next model (replaces the policy's `on`). */
  fallbackOn?: (error: ModelplexError) => boolean
  /** Context windows in tokens by `provider:model`, over those the provider specs declare. */
  contextWindows?: Record<string, number>
  /** The clock of cooldowns, in milliseconds (default `Date.now`); tests pass their own. */
  now?: () => number
  hooks?: ClientHooks
  /** Used when a request names no model. */
  defaultModel?: string
}

type WithClientModel<R> = R & {
  /** `provider:model`, or a bare model when the client has one provider. */
  model?: string
  /** Overrides the client's fallback chain (or whole policy) for this call. */
  fallback?: string[] | FallbackPolicy
}

export interface Client {
  generate(request: WithClientModel<GenerateRequest>): Promise<GenerateResult>
  stream(request: WithClientModel<GenerateRequest>): ModelStream
  generateObject<T>(request: WithClientModel<GenerateObjectRequest<T>>): Promise<GenerateObjectResult<T>>
  embed(request: WithClientModel<EmbedRequest>): Promise<EmbedResult>
  listModels(providerId: string, options?: CallOptions): Promise<ModelInfo[]>
  /** The `Provider` behind an id, loaded on first use. */
  provider(id: string): Promise<Provider>
}

/**
 * The default fallback policy: move on when the model is unavailable or failing
 * (retryable errors after their retries, auth, not found, missing package or config,
 * unsupported capability, context window), never for an abort or a bad request.
 */
export function shouldFallback(error: ModelplexError): boolean {
  if (error.name === 'AbortedError') return false
  if (ContextWindowExceededError.isInstance(error)) return true
  if (InvalidRequestError.isInstance(error)) return false
  return (
    error.retryable ||
    AuthenticationError.isInstance(error) ||
    NotFoundError.isInstance(error) ||
    ConfigError.isInstance(error) ||
    MissingDependencyError.isInstance(error) ||
    UnsupportedCapabilityError.isInstance(error)
  )
}

/**
 * The policy behind `fallback: { models, on }`: whether `error` moves the call on. Aborts and
 * invalid requests never do; the rest follow `on` and its defaults.
 */
export function fallbackCovers(error: ModelplexError, on: FallbackOn = {}): boolean {
  // Read first: the class checks below narrow `error` to never (the subclasses add no members).
  const retryable = error.retryable
  if (error.name === 'AbortedError') return false
  if (ContextWindowExceededError.isInstance(error)) return on.contextWindow !== false
  if (ContentFilterError.isInstance(error)) return on.contentFilter === true
  if (InvalidRequestError.isInstance(error)) return false
  if (RateLimitError.isInstance(error)) return on.rateLimit !== false
  if (TimeoutError.isInstance(error)) return on.timeout !== false
  if (
    ServerError.isInstance(error) ||
    ConnectionError.isInstance(error) ||
    MalformedResponseError.isInstance(error) ||
    StreamInterruptedError.isInstance(error)
  ) {
    return on.serverError !== false
  }
  if (
    AuthenticationError.isInstance(error) ||
    NotFoundError.isInstance(error) ||
    ConfigError.isInstance(error) ||
    MissingDependencyError.isInstance(error) ||
    UnsupportedCapabilityError.isInstance(error)
  ) {
    return on.unavailable !== false
  }
  return retryable && on.serverError !== false
}

/** A snapshot suffix (`2024-08-06`, `20241022`, `latest`), as pricing matches it. */
const SNAPSHOT_SUFFIX = /^(\d{4}-\d{2}-\d{2}|\d{8}|\d{4}|latest)$/

/** A model's window from a table: the exact id, else the longest id it extends with a snapshot suffix. */
function lookupWindow(table: Record<string, number> | undefined, model: string): number | undefined {
  if (!table) return undefined
  if (table[model] !== undefined) return table[model]
  let best: string | undefined
  for (const id of Object.keys(table)) {
    if (
      model.startsWith(`${id}-`) &&
      SNAPSHOT_SUFFIX.test(model.slice(id.length + 1)) &&
      (best === undefined || id.length > best.length)
    ) {
      best = id
    }
  }
  return best === undefined ? undefined : table[best]
}

function toModelplexError(raw: unknown): ModelplexError {
  return ModelplexError.isInstance(raw) ? raw : new ModelplexError(String(raw), { cause: raw })
}

interface Target {
  providerId: string
  model: string | undefined
  label: string
}

/** What a router needs from its client: hooks, cooldowns, windows. */
interface RouterContext {
  decide(error: ModelplexError): boolean
  contextWindow: boolean | 'larger'
  cooldownMs: number
  coolingLeft(providerId: string): number
  cool(providerId: string): void
  warm(providerId: string): void
  windowOf(target: Target): Promise<number | undefined>
  fallback(from: Target, to: Target, error: ModelplexError): void
  route(event: RouteEvent): void
}

/**
 * One call's walk down its chain: which candidate to try next (skipping those cooling down and,
 * after a context-window error, those no larger), what each failure means, and the route report.
 */
class Router {
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
      if (this.pending) this.context.fallback(this.pending.from, target, this.pending.error)
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
    candidate.outcome = 'failed'
    candidate.reason = `error: ${error.name}`
    candidate.error = error
    if (error.retryable && this.context.cooldownMs > 0 && error.name !== 'AbortedError') {
      this.context.cool(target.providerId)
    }
    const more = this.index < this.targets.length - 1
    if (!more) return false
    if (!this.context.decide(error)) {
      candidate.reason += ' (the fallback policy stops here)'
      return false
    }
    if (ContextWindowExceededError.isInstance(error)) {
      if (this.context.contextWindow === 'larger') {
        const window = await this.context.windowOf(target)
        if (window !== undefined) this.windowFloor = Math.max(this.windowFloor ?? 0, window)
      }
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

/** Many providers behind one object, each loaded on its first use. */
export function createClient(options: ClientOptions = {}): Client {
  const entries = options.providers ?? {}
  const ids = Object.keys(entries)
  const providers = new Map<string, Promise<Provider>>()
  const specs = new Map<string, ProviderSpec<any>>()
  const cooldowns = new Map<string, number>()
  const now = options.now ?? Date.now
  const hooks = options.hooks
  const inherited = {
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(hooks ? { hooks: [hooks] } : {}),
  }

  async function build(id: string): Promise<Provider> {
    const entry = entries[id]
    let spec: ProviderSpec<any>
    let settings: PolicyOptions = {}
    if (typeof entry === 'function') {
      spec = specFromModule(await entry(), `the loader of "${id}"`)
    } else if (entry && typeof (entry as ProviderSpec).connect === 'function') {
      spec = entry as ProviderSpec
    } else {
      const { load, module, from, ...rest } = (entry ?? {}) as Exclude<ProviderEntry, Function | ProviderSpec>
      spec = load
        ? specFromModule(await load(), `the loader of "${id}"`)
        : await loadProviderSpec(id, { ...(module ? { module } : {}), ...(from ? { from } : {}) })
      settings = rest as PolicyOptions
    }
    specs.set(id, spec)
    return createProvider(spec, settings, inherited)
  }

  function provider(id: string): Promise<Provider> {
    let loaded = providers.get(id)
    if (!loaded) {
      loaded = build(id)
      providers.set(id, loaded)
      loaded.catch(() => providers.delete(id))
    }
    return loaded
  }

  function parse(model: string | undefined): Target {
    const id = model ?? options.defaultModel ?? policyOf(options.fallback)?.models[0]
    if (!id) {
      if (ids.length === 1) return { providerId: ids[0]!, model: undefined, label: ids[0]! }
      throw new InvalidRequestError(
        'No model: pass model as "provider:model" (e.g. "openai:gpt-4o-mini") or set defaultModel in createClient',
        { provider: 'client', field: 'model' },
      )
    }
    const colon = id.indexOf(':')
    const prefix = colon > 0 ? id.slice(0, colon) : id
    if (colon > 0 && (prefix in entries || ids.length !== 1)) {
      return { providerId: prefix, model: id.slice(colon + 1) || undefined, label: id }
    }
    if (colon < 0 && prefix in entries) return { providerId: prefix, model: undefined, label: prefix }
    if (ids.length === 1) return { providerId: ids[0]!, model: id, label: `${ids[0]}:${id}` }
    throw new InvalidRequestError(
      `Model "${id}" names no provider: write "provider:model", e.g. "openai:${id}"`,
      { provider: 'client', field: 'model' },
    )
  }

  function chain(model: string | undefined, list: string[]): Target[] {
    const first = parse(model)
    const at = list.findIndex((item) => parse(item).label === first.label)
    const rest = at >= 0 ? list.slice(at + 1) : list
    return [first, ...rest.map(parse).filter((target) => target.label !== first.label)]
  }

  function safely(name: string, call: () => void): void {
    try {
      call()
    } catch (hookError) {
      console.error(`modelplex: the ${name} hook threw; ignored:`, hookError)
    }
  }

  function router(
    operation: RouteEvent['operation'],
    model: string | undefined,
    override: string[] | FallbackPolicy | undefined,
  ): Router {
    const base = options.fallback
    // A per-call list replaces the models and keeps the client's policy; a per-call policy replaces it all.
    const given =
      Array.isArray(override) && base && !Array.isArray(base) ? { ...base, models: override } : override
    const policy = policyOf(given ?? base)
    const on = policy?.on ?? {}
    // A plain list keeps the historical policy (`shouldFallback`); a policy object uses its `on`.
    const decide =
      options.fallbackOn ??
      (policy && !Array.isArray(given ?? base)
        ? (error: ModelplexError) => fallbackCovers(error, on)
        : shouldFallback)
    const cooldownMs = policy?.cooldownMs ?? 0
    return new Router(operation, chain(model, policy?.models ?? []), {
      decide,
      contextWindow: on.contextWindow ?? 'larger',
      cooldownMs,
      coolingLeft: (id) => Math.max(0, (cooldowns.get(id) ?? 0) - now()),
      cool: (id) => cooldowns.set(id, now() + cooldownMs),
      warm: (id) => cooldowns.delete(id),
      windowOf: async (target) => {
        const own = options.contextWindows?.[target.label]
        if (own !== undefined) return own
        try {
          await provider(target.providerId)
        } catch {
          return undefined
        }
        const spec = specs.get(target.providerId)
        return lookupWindow(spec?.contextWindows, target.model ?? spec?.defaultModel ?? '')
      },
      fallback: (from, to, error) =>
        safely('onFallback', () => hooks?.onFallback?.({ from: from.label, to: to.label, error })),
      route: (event) => safely('onRoute', () => hooks?.onRoute?.(event)),
    })
  }

  async function run<R extends { model?: string; fallback?: string[] | FallbackPolicy }, T>(
    operation: RouteEvent['operation'],
    request: R,
    call: (provider: Provider, request: Omit<R, 'fallback'>) => Promise<T>,
  ): Promise<T> {
    const { fallback, ...rest } = request
    const route = router(operation, request.model, fallback)
    let last: ModelplexError | undefined
    for (let target = await route.next(); target; target = await route.next()) {
      try {
        const loaded = await provider(target.providerId)
        const value = await call(loaded, { ...rest, model: target.model } as Omit<R, 'fallback'>)
        route.served()
        return value
      } catch (raw) {
        last = toModelplexError(raw)
        if (!(await route.failed(last))) break
      }
    }
    route.gaveUp(last!)
    throw last
  }

  function stream(request: WithClientModel<GenerateRequest>): ModelStream {
    const { fallback, ...rest } = request
    const route = router('stream', request.model, fallback)
    return new FallbackStream(route, async (target) => {
      const loaded = await provider(target.providerId)
      return loaded.stream({ ...rest, model: target.model } as GenerateRequest)
    })
  }

  return {
    generate: (request) => run('generate', request, (p, r) => p.generate(r as GenerateRequest)),
    generateObject: (request) =>
      run('generateObject', request, (p, r) => p.generateObject(r as GenerateObjectRequest<any>)),
    embed: (request) => run('embed', request, (p, r) => p.embed(r as EmbedRequest)),
    stream,
    listModels: async (providerId, callOptions) => (await provider(providerId)).listModels(callOptions),
    provider,
  }
}

/** A policy from either form of `fallback`. */
function policyOf(fallback: string[] | FallbackPolicy | undefined): FallbackPolicy | undefined {
  if (!fallback) return undefined
  return Array.isArray(fallback) ? { models: fallback } : fallback
}

/** Moves to the next target when a stream fails before its first event. */
class FallbackStream implements ModelStream, AsyncIterator<StreamEvent> {
  private current: ModelStream | undefined
  private iterator: AsyncIterator<StreamEvent> | undefined
  private delivered = false
  private failure: ModelplexError | undefined
  private resultPromise: Promise<GenerateResult> | undefined

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
    this.current?.abort(reason)
  }
}
