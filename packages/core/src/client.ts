import {
  AuthenticationError,
  ConfigError,
  ContextWindowExceededError,
  InvalidRequestError,
  MissingDependencyError,
  ModelplexError,
  NotFoundError,
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

export interface ClientHooks extends Hooks {
  /** A call moved down the fallback chain. */
  onFallback?(event: FallbackEvent): void
}

export interface ClientOptions {
  providers?: Record<string, ProviderEntry>
  retry?: RetryOptions
  timeoutMs?: number
  /** `provider:model` ids tried in order when a call fails with a retryable or unavailable error. */
  fallback?: string[]
  /** Decides whether an error moves the call to the next model (default: `shouldFallback`). */
  fallbackOn?: (error: ModelplexError) => boolean
  hooks?: ClientHooks
  /** Used when a request names no model. */
  defaultModel?: string
}

type WithClientModel<R> = R & {
  /** `provider:model`, or a bare model when the client has one provider. */
  model?: string
  /** Overrides the client's fallback chain for this call. */
  fallback?: string[]
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

interface Target {
  providerId: string
  model: string | undefined
  label: string
}

/** Many providers behind one object, each loaded on its first use. */
export function createClient(options: ClientOptions = {}): Client {
  const entries = options.providers ?? {}
  const ids = Object.keys(entries)
  const providers = new Map<string, Promise<Provider>>()
  const hooks = options.hooks
  const fallbackOn = options.fallbackOn ?? shouldFallback
  const inherited = {
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(hooks ? { hooks: [hooks] } : {}),
  }

  async function build(id: string): Promise<Provider> {
    const entry = entries[id]
    if (typeof entry === 'function') {
      return createProvider(specFromModule(await entry(), `the loader of "${id}"`), {}, inherited)
    }
    if (entry && typeof (entry as ProviderSpec).connect === 'function') {
      return createProvider(entry as ProviderSpec, {}, inherited)
    }
    const { load, module, from, ...settings } = (entry ?? {}) as Exclude<
      ProviderEntry,
      Function | ProviderSpec
    >
    const spec = load
      ? specFromModule(await load(), `the loader of "${id}"`)
      : await loadProviderSpec(id, { ...(module ? { module } : {}), ...(from ? { from } : {}) })
    return createProvider(spec, settings as PolicyOptions, inherited)
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
    const id = model ?? options.defaultModel ?? options.fallback?.[0]
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

  function chain(model: string | undefined, override: string[] | undefined): Target[] {
    const list = override ?? options.fallback ?? []
    const first = parse(model)
    const at = list.findIndex((item) => parse(item).label === first.label)
    const rest = at >= 0 ? list.slice(at + 1) : list
    return [first, ...rest.map(parse).filter((target) => target.label !== first.label)]
  }

  function report(from: Target, to: Target, error: ModelplexError): void {
    try {
      hooks?.onFallback?.({ from: from.label, to: to.label, error })
    } catch (hookError) {
      console.error('modelplex: the onFallback hook threw; ignored:', hookError)
    }
  }

  async function run<R extends { model?: string; fallback?: string[] }, T>(
    request: R,
    call: (provider: Provider, request: Omit<R, 'fallback'>) => Promise<T>,
  ): Promise<T> {
    const { fallback, ...rest } = request
    const targets = chain(request.model, fallback)
    for (let i = 0; ; i++) {
      const target = targets[i]!
      try {
        const loaded = await provider(target.providerId)
        return await call(loaded, { ...rest, model: target.model } as Omit<R, 'fallback'>)
      } catch (raw) {
        const error = ModelplexError.isInstance(raw) ? raw : new ModelplexError(String(raw), { cause: raw })
        const next = targets[i + 1]
        if (!next || !fallbackOn(error)) throw error
        report(target, next, error)
      }
    }
  }

  function stream(request: WithClientModel<GenerateRequest>): ModelStream {
    const { fallback, ...rest } = request
    const targets = chain(request.model, fallback)
    return new FallbackStream(
      targets,
      async (target) => {
        const loaded = await provider(target.providerId)
        return loaded.stream({ ...rest, model: target.model } as GenerateRequest)
      },
      fallbackOn,
      report,
    )
  }

  return {
    generate: (request) => run(request, (p, r) => p.generate(r as GenerateRequest)),
    generateObject: (request) => run(request, (p, r) => p.generateObject(r as GenerateObjectRequest<any>)),
    embed: (request) => run(request, (p, r) => p.embed(r as EmbedRequest)),
    stream,
    listModels: async (providerId, callOptions) => (await provider(providerId)).listModels(callOptions),
    provider,
  }
}

/** Moves to the next target when a stream fails before its first event. */
class FallbackStream implements ModelStream, AsyncIterator<StreamEvent> {
  private index = 0
  private current: ModelStream | undefined
  private iterator: AsyncIterator<StreamEvent> | undefined
  private delivered = false
  private resultPromise: Promise<GenerateResult> | undefined

  constructor(
    private readonly targets: Target[],
    private readonly open: (target: Target) => Promise<ModelStream>,
    private readonly fallbackOn: (error: ModelplexError) => boolean,
    private readonly report: (from: Target, to: Target, error: ModelplexError) => void,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    return this
  }

  async next(): Promise<IteratorResult<StreamEvent>> {
    for (;;) {
      try {
        if (!this.iterator) {
          this.current = await this.open(this.targets[this.index]!)
          this.iterator = this.current[Symbol.asyncIterator]()
        }
        const step = await this.iterator.next()
        this.delivered = true
        return step
      } catch (raw) {
        const error = ModelplexError.isInstance(raw) ? raw : new ModelplexError(String(raw), { cause: raw })
        const next = this.targets[this.index + 1]
        if (this.delivered || !next || !this.fallbackOn(error)) throw error
        this.report(this.targets[this.index]!, next, error)
        this.index++
        this.iterator = undefined
      }
    }
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
