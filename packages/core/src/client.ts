import { FALLBACK_PENDING } from './attempt-loop.js'
import { deferredStream } from './deferred-stream.js'
import { InvalidRequestError, type ModelplexError } from './errors.js'
import { type FallbackPolicy, policyOf, resolveFallback } from './fallback-policy.js'
import { FallbackStream } from './fallback-stream.js'
import type { Hooks } from './hooks.js'
import { type LoadOptions, loadProviderSpec, specFromModule } from './load-provider.js'
import { needsLoop } from './loop-check.js'
import { LoopStream } from './loop-stream.js'
import { findModelEntry } from './pricing.js'
import { createProvider, type ProviderOptions } from './provider.js'
import type { BaseSettings, PolicyOptions, ProviderSpec } from './provider-spec.js'
import type { RetryOptions } from './retry.js'
import { type RouteEvent, Router, type Target } from './router.js'
import type { Telemetry } from './telemetry.js'
import type { TelemetryOptions } from './telemetry-options.js'
import type {
  AgentRequest,
  AgentResult,
  AgentStream,
  CallOptions,
  EmbedRequest,
  EmbedResult,
  GenerateObjectRequest,
  GenerateObjectResult,
  GenerateRequest,
  GenerateResult,
  ModelInfo,
  ModelStream,
  PlainRequest,
  Provider,
} from './types.js'

export {
  type FallbackOn,
  type FallbackPolicy,
  fallbackCovers,
  shouldFallback,
} from './fallback-policy.js'
export type { RouteCandidate, RouteEvent } from './router.js'

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
  /** OpenTelemetry spans for every call, its fallback hops and its tool loops; needs `@opentelemetry/api`. */
  telemetry?: TelemetryOptions
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
  generate(request: WithClientModel<PlainRequest>): Promise<GenerateResult>
  /** A tool loop: each of its model calls is routed (retries, fallback) on its own; no tool runs twice. */
  generate(request: WithClientModel<AgentRequest>): Promise<AgentResult>
  stream(request: WithClientModel<PlainRequest>): ModelStream
  stream(request: WithClientModel<AgentRequest>): AgentStream
  generateObject<T>(request: WithClientModel<GenerateObjectRequest<T>>): Promise<GenerateObjectResult<T>>
  embed(request: WithClientModel<EmbedRequest>): Promise<EmbedResult>
  listModels(providerId: string, options?: CallOptions): Promise<ModelInfo[]>
  /** The `Provider` behind an id, loaded on first use. */
  provider(id: string): Promise<Provider>
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
  let tracing: Promise<Telemetry> | undefined
  /** The client's spans (routes, loops), loaded on its first call when `telemetry` is set. */
  const traced = () => {
    tracing ??= import('./telemetry.js').then((module) => new module.Telemetry(options.telemetry!, 'client'))
    return tracing
  }
  const inherited = {
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(hooks ? { hooks: [hooks] } : {}),
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
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
    hop?: (from: string, to: string, error: ModelplexError) => void,
  ): Router {
    const fallback = resolveFallback(options.fallback, override, options.fallbackOn)
    return new Router(operation, chain(model, fallback.models), {
      fallback,
      coolingLeft: (id) => Math.max(0, (cooldowns.get(id) ?? 0) - now()),
      cool: (id) => cooldowns.set(id, now() + fallback.cooldownMs),
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
        const windows = spec?.contextWindows
        return windows && findModelEntry(windows, target.model ?? spec?.defaultModel ?? '')
      },
      movedOn: (from, to, error) => {
        hop?.(from.label, to.label, error)
        safely('onFallback', () => hooks?.onFallback?.({ from: from.label, to: to.label, error }))
      },
      route: (event) => safely('onRoute', () => hooks?.onRoute?.(event)),
    })
  }

  /** Serves a request on the first candidate of its chain that answers. */
  // async: a request that names no model rejects rather than throws.
  async function run<R extends { model?: string; fallback?: string[] | FallbackPolicy }, T>(
    operation: RouteEvent['operation'],
    request: R,
    call: (provider: Provider, request: Omit<R, 'fallback'>) => Promise<T>,
  ): Promise<T> {
    if (options.telemetry)
      return (await traced()).route(request, (spanned, hop) => routed(operation, spanned as R, call, hop))
    return routed(operation, request, call, undefined)
  }

  function routed<R extends { model?: string; fallback?: string[] | FallbackPolicy }, T>(
    operation: RouteEvent['operation'],
    request: R,
    call: (provider: Provider, request: Omit<R, 'fallback'>) => Promise<T>,
    hop: ((from: string, to: string, error: ModelplexError) => void) | undefined,
  ): Promise<T> {
    const { fallback, ...rest } = request
    const route = router(operation, request.model, fallback, hop)
    return route.serve(async (target) =>
      call(await provider(target.providerId), {
        ...rest,
        model: target.model,
        ...(route.hasMore ? { [FALLBACK_PENDING]: true } : {}),
      } as Omit<R, 'fallback'>),
    )
  }

  async function generate(request: WithClientModel<AgentRequest>): Promise<GenerateResult | AgentResult> {
    const once = (step: WithClientModel<GenerateRequest>) =>
      run('generate', step, (p, r) => p.generate(r as GenerateRequest))
    if (!needsLoop(request)) return once(request as WithClientModel<GenerateRequest>)
    const { runToolLoop } = await import('./tool-loop.js')
    return runToolLoop(request, once, 'client', options.telemetry && (await traced()))
  }

  function stream(request: WithClientModel<AgentRequest>): ModelStream | AgentStream {
    if (needsLoop(request))
      return new LoopStream(
        request,
        (step) => streamOnce(step as WithClientModel<GenerateRequest>),
        'client',
        options.telemetry ? traced : undefined,
      )
    return streamOnce(request as WithClientModel<GenerateRequest>)
  }

  function streamOnce(request: WithClientModel<GenerateRequest>): ModelStream {
    if (!options.telemetry) return routedStream(request, undefined)
    return deferredStream(async () =>
      (await traced()).routeStream(request, (spanned, hop) =>
        routedStream(spanned as WithClientModel<GenerateRequest>, hop),
      ),
    )
  }

  function routedStream(
    request: WithClientModel<GenerateRequest>,
    hop: ((from: string, to: string, error: ModelplexError) => void) | undefined,
  ): ModelStream {
    const { fallback, ...rest } = request
    const route = router('stream', request.model, fallback, hop)
    return new FallbackStream(route, async (target) => {
      const loaded = await provider(target.providerId)
      return loaded.stream({
        ...rest,
        model: target.model,
        ...(route.hasMore ? { [FALLBACK_PENDING]: true } : {}),
      } as GenerateRequest)
    })
  }

  return {
    generate: generate as Client['generate'],
    generateObject: (request) =>
      run('generateObject', request, (p, r) => p.generateObject(r as GenerateObjectRequest<any>)),
    embed: (request) => run('embed', request, (p, r) => p.embed(r as EmbedRequest)),
    stream: stream as Client['stream'],
    listModels: async (providerId, callOptions) => (await provider(providerId)).listModels(callOptions),
    provider,
  }
}
