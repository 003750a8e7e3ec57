// Middleware: `wrapProvider(provider, ...middlewares)` returns a Provider whose every model call
// runs through the middlewares (the first given is the outermost). A tool loop runs above them,
// so each of its model calls is transformed, cached and logged on its own.
import { needsLoop } from './loop-check.js'
import { LoopStream } from './loop-stream.js'
import type { ObjectStream } from './stream-object.js'
import type {
  AgentRequest,
  AgentResult,
  AgentStream,
  EmbedRequest,
  EmbedResult,
  GenerateObjectRequest,
  GenerateRequest,
  GenerateResult,
  ModelStream,
  Provider,
  StreamEvent,
} from './types.js'

export type MiddlewareOperation = 'generate' | 'stream' | 'generateObject' | 'streamObject'

/** One layer around a provider's calls; every member is optional. */
export interface Middleware {
  /** Rewrites the request of every call (generate, stream, generateObject, streamObject). */
  transformRequest?(
    request: GenerateRequest,
    context: { operation: MiddlewareOperation; provider: Provider },
  ): GenerateRequest
  /** Wraps one generate call: call `next` (or not, e.g. on a cache hit) and return its result. */
  wrapGenerate?(call: {
    request: GenerateRequest
    next(request: GenerateRequest): Promise<GenerateResult>
    provider: Provider
  }): Promise<GenerateResult>
  /** Wraps one stream: return `next(request)` as it is, or a stream built over it. */
  wrapStream?(call: {
    request: GenerateRequest
    next(request: GenerateRequest): ModelStream
    provider: Provider
  }): ModelStream
  wrapEmbed?(call: {
    request: EmbedRequest
    next(request: EmbedRequest): Promise<EmbedResult>
    provider: Provider
  }): Promise<EmbedResult>
}

/** A provider whose calls run through `middlewares`, the first one outermost. */
export function wrapProvider(provider: Provider, ...middlewares: Middleware[]): Provider {
  const transform = <R extends GenerateRequest>(request: R, operation: MiddlewareOperation): R => {
    let out = request
    for (const middleware of middlewares)
      if (middleware.transformRequest) out = middleware.transformRequest(out, { operation, provider }) as R
    return out
  }

  let generateOnce = (request: GenerateRequest) => provider.generate(request)
  let streamOnce = (request: GenerateRequest) => provider.stream(request)
  let embed = (request: EmbedRequest) => provider.embed(request)
  // Built inside out, so the first middleware is the outermost.
  for (const middleware of [...middlewares].reverse()) {
    const { wrapGenerate, wrapStream, wrapEmbed } = middleware
    if (wrapGenerate) {
      const next = generateOnce
      generateOnce = (request) => wrapGenerate.call(middleware, { request, next, provider })
    }
    if (wrapStream) {
      const next = streamOnce
      streamOnce = (request) => wrapStream.call(middleware, { request, next, provider })
    }
    if (wrapEmbed) {
      const next = embed
      embed = (request) => wrapEmbed.call(middleware, { request, next, provider })
    }
  }

  async function generate(request: AgentRequest): Promise<GenerateResult | AgentResult> {
    const once = (step: GenerateRequest) => generateOnce(transform(step, 'generate'))
    if (!needsLoop(request)) return once(request as GenerateRequest)
    const { runToolLoop } = await import('./tool-loop.js')
    return runToolLoop(request, once, provider.id)
  }

  function stream(request: AgentRequest): ModelStream | AgentStream {
    const once = (step: GenerateRequest) => streamOnce(transform(step, 'stream'))
    if (!needsLoop(request)) return once(request as GenerateRequest)
    return new LoopStream(request, once, provider.id)
  }

  return {
    id: provider.id,
    name: provider.name,
    defaultModel: provider.defaultModel,
    capabilities: provider.capabilities,
    generate: generate as Provider['generate'],
    stream: stream as Provider['stream'],
    // Structured output asks the provider in its own mode: the request is transformed, the call is the provider's.
    generateObject: <T>(request: GenerateObjectRequest<T>) =>
      provider.generateObject(
        transform(request as GenerateRequest, 'generateObject') as GenerateObjectRequest<T>,
      ),
    streamObject: <T>(request: GenerateObjectRequest<T>): ObjectStream<T> =>
      provider.streamObject(
        transform(request as GenerateRequest, 'streamObject') as GenerateObjectRequest<T>,
      ),
    embed,
    listModels: (options) => provider.listModels(options),
  }
}

/** Settings every request gets unless it sets them itself (`providerOptions` merged per provider). */
export function defaultSettings(settings: Partial<Omit<GenerateRequest, 'messages'>>): Middleware {
  return {
    transformRequest(request) {
      const merged = { ...settings, ...request } as GenerateRequest
      if (settings.providerOptions && request.providerOptions) {
        const options: Record<string, Record<string, unknown> | undefined> = { ...settings.providerOptions }
        for (const [id, value] of Object.entries(request.providerOptions))
          options[id] = { ...options[id], ...value }
        merged.providerOptions = options as GenerateRequest['providerOptions']
      }
      return merged
    },
  }
}

/**
 * A stream over another whose events and result are mapped, one call per event (no extra
 * generator). `flush` adds events before the finish (e.g. text held back at a tag boundary).
 */
export class MappedStream implements ModelStream, AsyncIterator<StreamEvent> {
  private queued: StreamEvent[] = []
  private iterator: AsyncIterator<StreamEvent> | undefined
  constructor(
    private readonly inner: ModelStream,
    private readonly mapEvent: (event: StreamEvent) => StreamEvent[],
    private readonly mapResult: (result: GenerateResult) => GenerateResult,
    private readonly onError?: (error: unknown) => void,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    return this
  }

  async next(): Promise<IteratorResult<StreamEvent>> {
    for (;;) {
      if (this.queued.length) return { value: this.queued.shift()!, done: false }
      this.iterator ??= this.inner[Symbol.asyncIterator]()
      let step: IteratorResult<StreamEvent>
      try {
        step = await this.iterator.next()
      } catch (error) {
        this.onError?.(error)
        throw error
      }
      if (step.done) return step
      this.queued = this.mapEvent(step.value)
    }
  }

  async return(): Promise<IteratorResult<StreamEvent>> {
    await this.iterator?.return?.()
    return { value: undefined, done: true }
  }

  async result(): Promise<GenerateResult> {
    let result: GenerateResult
    try {
      result = await this.inner.result()
    } catch (error) {
      if (!this.iterator) this.onError?.(error)
      throw error
    }
    return this.mapResult(result)
  }

  abort(reason?: unknown): void {
    this.inner.abort(reason)
  }
}
