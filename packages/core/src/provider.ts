import { createAttemptLoop } from './attempt-loop.js'
import type { AttemptScope } from './attempt-scope.js'
import { deferredStream } from './deferred-stream.js'
import { callHooks, type Hooks } from './hooks.js'
import { needsLoop } from './loop-check.js'
import { LoopStream } from './loop-stream.js'
import { createRequestPreparer, takePreparedWarnings } from './prepare-request.js'
import { computeCost, mergePricing, type PricingTable } from './pricing.js'
import type { BaseSettings, PolicyOptions, ProviderAdapter, ProviderSpec } from './provider-spec.js'
import { createSettingsResolver } from './resolve-settings.js'
import { keyContent, keyMetadata, keyToolCall, resultMessages } from './result-content.js'
import { defaultRetry, type RetryOptions } from './retry.js'
import { CoreStream, type OpenedStream, type StreamDriver } from './stream.js'
import { type ObjectStream, ObjectStreamImpl } from './stream-object.js'
import type { Telemetry } from './telemetry.js'
import type { TelemetryOptions } from './telemetry-options.js'
import type {
  AgentRequest,
  AgentResult,
  AgentStream,
  CallOptions,
  Cost,
  EmbedRequest,
  EmbedResult,
  GenerateObjectRequest,
  GenerateObjectResult,
  GenerateRequest,
  GenerateResult,
  ModelInfo,
  ModelStream,
  Provider,
} from './types.js'
import { type CheckedUsage, checkReportedCost, checkUsage } from './usage-check.js'
import { isValidEmbedRequest } from './validate.js'

export { toJsonSchema } from './json-schema.js'

const DEFAULT_TIMEOUT_MS = 600_000

/** The settings a user passes: the provider's own plus the policies. */
export type ProviderOptions<Settings> = Partial<Settings> & PolicyOptions

/**
 * Builds the `Provider` a user calls from a spec: settings are resolved and validated on the
 * first call (resolve-settings.ts), the SDK is connected once, requests are checked before the
 * network (prepare-request.ts) and every policy (timeout, abort, retry, hooks) runs in the
 * attempt loop (attempt-loop.ts), once, for every provider; cost is added here.
 */
export function createProvider<Settings extends BaseSettings>(
  spec: ProviderSpec<Settings>,
  options: ProviderOptions<Settings> = {},
  inherited: { retry?: RetryOptions; timeoutMs?: number; hooks?: Hooks[]; telemetry?: TelemetryOptions } = {},
): Provider {
  const { retry, timeoutMs, hooks, pricing: pricingOverride, telemetry: ownTelemetry, ...given } = options
  const telemetryOptions = ownTelemetry ?? inherited.telemetry
  let tracing: Promise<Telemetry> | undefined
  /** The spans of this provider, loaded on its first call when `telemetry` is set. */
  const traced = () => {
    tracing ??= import('./telemetry.js').then(
      (module) => new module.Telemetry(telemetryOptions!, provider, defaultModel),
    )
    return tracing
  }
  const hookList: Hooks[] = [...(inherited.hooks ?? []), ...(hooks ? [hooks] : [])]
  const pricing: PricingTable = mergePricing(spec.pricing, pricingOverride)
  const provider = spec.id
  const defaultModel = (given as BaseSettings).defaultModel ?? spec.defaultModel
  const settings = createSettingsResolver(spec, given)

  let connection: Promise<ProviderAdapter> | undefined
  /** The adapter once connected: calls after the first skip the promise. */
  let connected: ProviderAdapter | undefined
  function connect(): Promise<ProviderAdapter> {
    if (connection) return connection
    const made = (async () => {
      const resolved = await settings.resolve()
      return spec.connect(resolved, { fromEnvironment: settings.fromEnvironment() })
    })()
    connection = made
    made.then(
      (adapter) => {
        connected = adapter
      },
      // A failed connection (missing key, missing SDK) is not memoized: the next call tries again.
      () => {
        if (connection === made) connection = undefined
      },
    )
    return made
  }

  const loop = createAttemptLoop({
    provider,
    name: spec.name,
    retry: { ...defaultRetry, ...inherited.retry, ...retry },
    timeoutMs: timeoutMs ?? inherited.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    hooks: hookList,
    connected: () => connected,
    connect,
    secrets: settings.secrets,
  })
  const requests = createRequestPreparer(
    spec,
    async () => (await settings.defaultFromSettings('defaultModel')) ?? spec.defaultModel,
  )

  async function generate(request: AgentRequest): Promise<GenerateResult | AgentResult> {
    if (needsLoop(request)) {
      const { runToolLoop } = await import('./tool-loop.js')
      return runToolLoop(request, tracedGenerate, provider, telemetryOptions && (await traced()))
    }
    return tracedGenerate(request as GenerateRequest)
  }

  /** One model call, in a span when telemetry is on. */
  function tracedGenerate(request: GenerateRequest): Promise<GenerateResult> {
    if (!telemetryOptions) return generateOnce(request)
    return traced().then((telemetry) => telemetry.generate(request, generateOnce))
  }

  function tracedStream(request: GenerateRequest): ModelStream {
    if (!telemetryOptions) return streamOnce(request)
    return deferredStream(async () => (await traced()).stream(request, streamOnce))
  }

  async function generateOnce(request: GenerateRequest): Promise<GenerateResult> {
    const prepared = await requests.prepare(request)
    let cost: Cost | undefined
    let checked: CheckedUsage | undefined
    const { value, warnings } = await loop.observed(
      'generate',
      prepared.model,
      request,
      (adapter, context) => adapter.generate(prepared, context),
      (result) => {
        checked = checkUsage(result.usage)
        // A charge the vendor reported is the real one; the table is the estimate for everyone else.
        cost = checked.priceable
          ? (checkReportedCost(result.cost) ??
            computeCost(pricing, result.model ?? prepared.model, checked.usage))
          : undefined
        return { usage: checked.usage, cost }
      },
    )
    if (checked?.warning) warnings.push(checked.warning)
    const model = value.model ?? prepared.model
    const content = keyContent(provider, value.content)
    const providerMetadata = keyMetadata(provider, value.providerMetadata)
    const dropped = takePreparedWarnings(prepared)
    return {
      text: value.text,
      ...(value.reasoning ? { reasoning: value.reasoning } : {}),
      content,
      toolCalls: value.toolCalls.map((call) => keyToolCall(provider, call)),
      finishReason: value.finishReason,
      rawFinishReason: value.rawFinishReason,
      usage: checked?.usage,
      cost,
      model,
      provider,
      id: value.id,
      warnings: dropped.length ? [...dropped, ...warnings] : warnings,
      raw: value.raw,
      ...(providerMetadata ? { providerMetadata } : {}),
      messages: resultMessages(content),
    }
  }

  function stream(request: AgentRequest): ModelStream | AgentStream {
    if (needsLoop(request))
      return new LoopStream(request, tracedStream, provider, telemetryOptions ? traced : undefined)
    return tracedStream(request as GenerateRequest)
  }

  function streamOnce(request: GenerateRequest): ModelStream {
    // Refined once the request is prepared (a `defaultModel` setting may name it).
    let model = request?.model ?? defaultModel
    const started = performance.now()
    let scope: AttemptScope | undefined
    let adapter: ProviderAdapter | undefined
    let attempts = 0
    let callerSignal: AbortSignal | undefined
    const driver: StreamDriver = {
      provider,
      model,
      includeRaw: request?.includeRaw === true,
      async open(signal): Promise<OpenedStream> {
        callerSignal = signal
        const prepared = await requests.prepare(request)
        model = prepared.model
        driver.model = model
        if (!spec.capabilities.stream) {
          throw requests.unsupported('stream', model)
        }
        const outcome = await loop.attempt(
          'stream',
          model,
          { ...request, signal },
          async (connected, context) => {
            if (!connected.stream) {
              throw requests.unsupported('stream', model)
            }
            const iterable = await connected.stream(prepared, context)
            const iterator = iterable[Symbol.asyncIterator]()
            // The first event is read inside the attempt, so a failure before it is retried.
            const first = await iterator.next()
            return { iterator, first }
          },
        )
        scope = outcome.scope
        adapter = outcome.adapter
        attempts = outcome.attempts
        const dropped = takePreparedWarnings(prepared)
        return {
          ...outcome.value,
          warnings: dropped.length ? [...dropped, ...outcome.warnings] : outcome.warnings,
          dispose: () => outcome.scope.dispose(),
        }
      },
      classify: (raw) => loop.classify(raw, adapter, scope, callerSignal, model, true),
      cost: (resultModel, usage) => computeCost(pricing, resultModel, usage),
      onFinish(result) {
        callHooks(hookList, 'onResponse', {
          provider,
          model,
          operation: 'stream',
          usage: result.usage,
          cost: result.cost,
          latencyMs: performance.now() - started,
          attempts,
        })
      },
      onError(error) {
        callHooks(hookList, 'onError', {
          provider,
          model,
          operation: 'stream',
          error,
          latencyMs: performance.now() - started,
          attempts: attempts || ((error as { attempts?: number }).attempts ?? 1),
        })
      },
    }
    return new CoreStream(driver, request?.signal)
  }

  async function embed(request: EmbedRequest): Promise<EmbedResult> {
    if (!telemetryOptions) return embedOnce(request)
    return (await traced()).embed(request, embedOnce)
  }

  async function embedOnce(request: EmbedRequest): Promise<EmbedResult> {
    const data = await requests.validRequest(
      request,
      isValidEmbedRequest,
      (s) => s.embedRequestSchema,
      'embedding request',
    )
    const model =
      data.model ??
      (await settings.defaultFromSettings('defaultEmbeddingModel')) ??
      spec.defaultEmbeddingModel ??
      spec.defaultModel
    if (!spec.capabilities.embeddings) {
      throw requests.unsupported('embeddings', model)
    }
    const input = typeof data.input === 'string' ? [data.input] : data.input
    let cost: Cost | undefined
    const { value, warnings } = await loop.observed(
      'embed',
      model,
      request,
      (adapter, context) => {
        if (!adapter.embed) throw requests.unsupported('embeddings', model)
        return adapter.embed({ model, input, dimensions: data.dimensions }, context)
      },
      (result) => {
        const usage = result.usage
        cost = computeCost(
          pricing,
          result.model ?? model,
          usage && { inputTokens: usage.inputTokens, outputTokens: 0, totalTokens: usage.inputTokens },
        )
        return { usage: undefined, cost }
      },
    )
    const resultModel = value.model ?? model
    return {
      embeddings: value.embeddings,
      usage: value.usage,
      cost,
      model: resultModel,
      provider,
      warnings,
      raw: value.raw,
    }
  }

  async function listModels(options: CallOptions = {}): Promise<ModelInfo[]> {
    if (!spec.capabilities.listModels) {
      throw requests.unsupported('listModels')
    }
    const { value } = await loop.observed(
      'listModels',
      undefined,
      options,
      (adapter, context) => {
        if (!adapter.listModels) throw requests.unsupported('listModels')
        return adapter.listModels(context)
      },
      () => ({ usage: undefined, cost: undefined }),
    )
    return value
  }

  async function generateObject<T>(request: GenerateObjectRequest<T>): Promise<GenerateObjectResult<T>> {
    // Loaded on the first generateObject call, which loads zod anyway: a plain generate never needs it.
    const { generateObject: generateStructured } = await import('./structured-output.js')
    return generateStructured(request, { spec, defaultModel, requests, generate: tracedGenerate })
  }

  function streamObject<T>(request: GenerateObjectRequest<T>): ObjectStream<T> {
    return new ObjectStreamImpl(request, {
      provider,
      name: spec.name,
      async open(schema, build) {
        const mode = spec.capabilities.structuredOutput
        const model = request.model ?? defaultModel
        if (!mode) throw requests.unsupported('structuredOutput', model)
        if (!spec.capabilities.stream) throw requests.unsupported('stream', model)
        return tracedStream(build(mode, await requests.convertSchema(schema, 'schema')))
      },
    })
  }

  return {
    id: spec.id,
    name: spec.name,
    defaultModel,
    capabilities: spec.capabilities,
    generate: generate as Provider['generate'],
    stream: stream as Provider['stream'],
    generateObject,
    streamObject,
    embed,
    listModels,
  }
}
