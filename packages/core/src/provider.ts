import {
  AbortedError,
  InvalidRequestError,
  ModelplexError,
  StructuredOutputError,
  TimeoutError,
  UnsupportedCapabilityError,
} from './errors.js'
import { callHooks, type Hooks, type Operation } from './hooks.js'
import { loadSchemas, loadZod, type Schemas, type ZodLike } from './load-schemas.js'
import { computeCost, mergePricing, type PricingTable } from './pricing.js'
import type {
  AdapterRequest,
  AdapterTool,
  BaseSettings,
  CallContext,
  PolicyOptions,
  ProviderAdapter,
  ProviderSpec,
  ResolvedSettings,
} from './provider-spec.js'
import { redactError } from './redact.js'
import { createSettingsResolver } from './resolve-settings.js'
import { defaultRetry, type RetryOptions, retryDelay, sleep } from './retry.js'
import { CoreStream, type OpenedStream, type StreamDriver } from './stream.js'
import type {
  CallOptions,
  Cost,
  EmbedRequest,
  EmbedResult,
  GenerateObjectRequest,
  GenerateObjectResult,
  GenerateRequest,
  GenerateResult,
  Message,
  ModelInfo,
  ModelStream,
  Provider,
  Tool,
  Warning,
} from './types.js'
import { isValidEmbedRequest, isValidGenerateRequest } from './validate.js'

const DEFAULT_TIMEOUT_MS = 600_000

/** What a provider lacks, by capability, as its errors say it. */
const UNSUPPORTED = {
  tools: 'does not support tools',
  vision: 'does not accept image input',
  stream: 'does not support streaming',
  structuredOutput: 'does not support structured output',
  embeddings: 'does not offer embeddings',
  listModels: 'cannot list its models',
}

/** The settings a user passes: the provider's own plus the policies. */
export type ProviderOptions<Settings> = Partial<Settings> & PolicyOptions

/** One attempt's abort scope: the caller's signal plus the attempt's timeout. */
interface AttemptScope {
  signal: AbortSignal
  timedOut: boolean
  timeoutMs: number
  dispose(): void
  /**
   * Settles with `work`, or rejects as soon as the scope aborts: a timeout or an abort holds even
   * when an adapter (or its SDK) ignores the signal it was given.
   */
  race<T>(work: Promise<T>): Promise<T>
}

function openScope(callerSignal: AbortSignal | undefined, timeoutMs: number): AttemptScope {
  const controller = new AbortController()
  const signal = controller.signal
  // The pending `race`, rejected right after the signal's own listeners (the SDK's) have run.
  let rejectRace: ((reason: unknown) => void) | undefined
  const abort = (reason: unknown) => {
    controller.abort(reason)
    rejectRace?.(signal.reason)
  }
  const onAbort = () => abort(callerSignal?.reason)
  if (callerSignal?.aborted) controller.abort(callerSignal.reason)
  else callerSignal?.addEventListener('abort', onAbort, { once: true })
  const timer = setTimeout(() => {
    scope.timedOut = true
    abort(new Error(`timed out after ${timeoutMs} ms`))
  }, timeoutMs)
  const scope: AttemptScope = {
    signal,
    timedOut: false,
    timeoutMs,
    dispose() {
      clearTimeout(timer)
      callerSignal?.removeEventListener('abort', onAbort)
    },
    race(work) {
      if (signal.aborted) return Promise.reject(signal.reason)
      return new Promise((resolve, reject) => {
        rejectRace = reject
        work.then(resolve, reject)
      })
    },
  }
  return scope
}

function isZodSchema(value: unknown): value is { _zod: unknown } {
  return typeof value === 'object' && value !== null && '_zod' in value
}

function hasImage(messages: Message[]): boolean {
  return messages.some(
    (message) =>
      message.role === 'user' &&
      Array.isArray(message.content) &&
      message.content.some((p) => p.type === 'image'),
  )
}

/** Converts a zod schema to JSON Schema (zod 4's `z.toJSONSchema`), without the `$schema` key. */
export async function toJsonSchema(schema: unknown, field?: string): Promise<Record<string, unknown>> {
  if (!isZodSchema(schema)) return schema as Record<string, unknown>
  const { z } = await loadZod()
  let converted: Record<string, unknown>
  try {
    converted = z.toJSONSchema(schema as any) as Record<string, unknown>
  } catch (cause) {
    // e.g. a transform: zod throws a plain Error; the caller gets a typed one naming the field.
    const reason = cause instanceof Error ? cause.message : String(cause)
    throw new InvalidRequestError(`${field ?? 'The schema'} cannot be sent as JSON Schema: ${reason}`, {
      ...(field ? { field } : {}),
      cause,
    })
  }
  const { $schema: _, ...json } = converted
  return json
}

/** Extracts the JSON value from a model's text: plain JSON, or inside a ``` fence. */
function extractJson(text: string): unknown {
  const trimmed = text.trim()
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/.exec(trimmed)
  return JSON.parse(fenced ? fenced[1]! : trimmed)
}

interface Connection<Settings> {
  adapter: ProviderAdapter
  settings: ResolvedSettings<Settings>
}

/**
 * Builds the `Provider` a user calls from a spec: settings are resolved and validated on the
 * first call, the SDK is connected once, and every policy (validation, timeout, abort, retry,
 * hooks, cost) is applied here, once, for every provider.
 */
export function createProvider<Settings extends BaseSettings>(
  spec: ProviderSpec<Settings>,
  options: ProviderOptions<Settings> = {},
  inherited: { retry?: RetryOptions; timeoutMs?: number; hooks?: Hooks[] } = {},
): Provider {
  const { retry, timeoutMs, hooks, pricing: pricingOverride, ...given } = options
  const retryOptions = { ...defaultRetry, ...inherited.retry, ...retry }
  const defaultTimeoutMs = timeoutMs ?? inherited.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const hookList: Hooks[] = [...(inherited.hooks ?? []), ...(hooks ? [hooks] : [])]
  const pricing: PricingTable = mergePricing(spec.pricing, pricingOverride)
  const provider = spec.id
  const defaultModel = (given as BaseSettings).defaultModel ?? spec.defaultModel
  let connection: Promise<Connection<Settings>> | undefined
  const settings = createSettingsResolver(spec, given)

  function unsupported(capability: keyof typeof UNSUPPORTED, model?: string): UnsupportedCapabilityError {
    return new UnsupportedCapabilityError(capability, `${spec.name} ${UNSUPPORTED[capability]}`, {
      provider,
      model,
    })
  }

  /** The connection once made: calls after the first skip the promise. */
  let connected: Connection<Settings> | undefined
  function connect(): Promise<Connection<Settings>> {
    if (connection) return connection
    const made = (async () => {
      const resolved = await settings.resolve()
      const adapter = await spec.connect(resolved, { fromEnvironment: settings.fromEnvironment() })
      return { adapter, settings: resolved }
    })()
    connection = made
    made.then(
      (value) => {
        connected = value
      },
      // A failed connection (missing key, missing SDK) is not memoized: the next call tries again.
      () => {
        if (connection === made) connection = undefined
      },
    )
    return made
  }

  function classify(
    raw: unknown,
    adapter: ProviderAdapter | undefined,
    scope: AttemptScope | undefined,
    callerSignal: AbortSignal | undefined,
    model: string | undefined,
    streaming: boolean,
  ): ModelplexError {
    let error: ModelplexError
    if (scope?.timedOut) {
      error = new TimeoutError(`${spec.name}: no complete answer within ${scope.timeoutMs} ms (timeoutMs)`, {
        provider,
        model,
        cause: raw,
      })
    } else if (callerSignal?.aborted) {
      error = new AbortedError(`${spec.name}: the call was aborted`, { provider, model, cause: raw })
    } else if (ModelplexError.isInstance(raw)) {
      error = raw
    } else if (adapter) {
      error = adapter.mapError(raw, { model, streaming })
    } else {
      const message = raw instanceof Error ? raw.message : String(raw)
      error = new ModelplexError(`${spec.name}: ${message}`, { provider, model, cause: raw })
    }
    const fields = error as { provider: string; model: string | undefined }
    if (fields.provider === 'unknown') fields.provider = provider
    fields.model ??= model
    const runtimeSecrets = (adapter ?? connected?.adapter)?.secrets?.() ?? []
    return redactError(error, [...settings.secrets(), ...runtimeSecrets])
  }

  /** toJsonSchema, with this provider named on its error. */
  function convertSchema(schema: unknown, field: string): Promise<Record<string, unknown>> {
    return toJsonSchema(schema, field).catch((error: ModelplexError) => {
      throw Object.assign(error, { provider })
    })
  }

  /**
   * The request as it is when the fast check passes it (synchronously: the common call pays no
   * promise here), else as zod parses it (or its error).
   */
  function validRequest<T>(
    request: T,
    fastCheck: (value: unknown) => boolean,
    schemaOf: (schemas: Schemas) => ZodLike<T>,
    what: string,
  ): T | Promise<T> {
    if (fastCheck(request)) return request
    return loadSchemas().then((schemas) => {
      const parsed = schemaOf(schemas).safeParse(request)
      if (parsed.success) return parsed.data
      throw schemas.invalidRequest(
        what,
        parsed.error.issues,
        provider,
        (request as { model?: string } | undefined)?.model,
      )
    })
  }

  /** The adapter's request; synchronous for a valid request that names its model and has no tools. */
  function prepare(request: GenerateRequest): AdapterRequest | Promise<AdapterRequest> {
    const data = validRequest(request, isValidGenerateRequest, (s) => s.generateRequestSchema, 'request')
    return data instanceof Promise ? data.then(prepareValid) : prepareValid(data)
  }

  function prepareValid(data: GenerateRequest): AdapterRequest | Promise<AdapterRequest> {
    if (data.model === undefined || data.tools?.length) {
      return resolveModelAndTools(data)
    }
    checkRequestCapabilities(data, data.model)
    const { signal: _signal, headers: _headers, tools: _tools, ...rest } = data
    return rest as AdapterRequest
  }

  function checkRequestCapabilities(data: GenerateRequest, model: string): void {
    if (data.tools?.length && !spec.capabilities.tools) {
      throw unsupported('tools', model)
    }
    if (!spec.capabilities.vision && hasImage(data.messages)) {
      throw unsupported('vision', model)
    }
    const choice = data.toolChoice
    if (typeof choice === 'object' && !data.tools?.some((tool) => tool.name === choice.toolName)) {
      throw new InvalidRequestError(`toolChoice names "${choice.toolName}", which is not in tools`, {
        provider,
        model,
        field: 'toolChoice',
      })
    }
  }

  async function resolveModelAndTools(data: GenerateRequest): Promise<AdapterRequest> {
    const { signal: _signal, headers: _headers, tools, model, ...rest } = data
    const resolvedModel = model ?? (await settings.defaultFromSettings('defaultModel')) ?? spec.defaultModel
    checkRequestCapabilities(data, resolvedModel)
    const adapterTools: AdapterTool[] | undefined = tools
      ? await Promise.all(
          tools.map(async (tool: Tool, index: number) => ({
            name: tool.name,
            description: tool.description,
            parameters: await convertSchema(tool.parameters, `tools.${index}.parameters`),
          })),
        )
      : undefined
    return { ...rest, model: resolvedModel, tools: adapterTools }
  }

  /** Runs one operation with timeout, abort and retries; keeps the last scope open when asked. */
  async function attempt<T>(
    operation: Operation,
    model: string | undefined,
    call: CallOptions,
    run: (adapter: ProviderAdapter, context: CallContext, scope: AttemptScope) => Promise<T>,
  ): Promise<{
    value: T
    attempts: number
    warnings: Warning[]
    scope: AttemptScope
    adapter: ProviderAdapter
  }> {
    const maxRetries = call.maxRetries ?? retryOptions.maxRetries
    const limit = call.timeoutMs ?? defaultTimeoutMs
    for (let attempts = 1; ; attempts++) {
      const scope = openScope(call.signal, limit)
      const warnings: Warning[] = []
      let adapter: ProviderAdapter | undefined
      try {
        adapter = (connected ?? (await connect())).adapter
        if (scope.signal.aborted) throw scope.signal.reason
        callHooks(hookList, 'onRequest', { provider, model, operation, attempt: attempts })
        const context: CallContext = {
          signal: scope.signal,
          headers: call.headers ?? {},
          providerOptions: (call.providerOptions?.[provider] as Record<string, unknown> | undefined) ?? {},
          warn: (warning) => warnings.push(warning),
        }
        const value = await scope.race(run(adapter, context, scope))
        return { value, attempts, warnings, scope, adapter }
      } catch (raw) {
        scope.dispose()
        const error = classify(raw, adapter, scope, call.signal, model, false)
        if (!error.retryable || attempts > maxRetries) throw Object.assign(error, { attempts })
        const delayMs = retryDelay(retryOptions, attempts - 1, error.retryAfterMs)
        callHooks(hookList, 'onRetry', { provider, model, operation, error, attempt: attempts, delayMs })
        try {
          await sleep(delayMs, call.signal)
        } catch (reason) {
          throw new AbortedError(`${spec.name}: the call was aborted while waiting to retry`, {
            provider,
            model,
            cause: reason,
          })
        }
      }
    }
  }

  /** Runs a whole non-streaming operation and reports it to the hooks. */
  async function observed<T>(
    operation: Operation,
    model: string | undefined,
    call: CallOptions,
    run: (adapter: ProviderAdapter, context: CallContext) => Promise<T>,
    report: (value: T) => Pick<GenerateResult, 'usage' | 'cost'>,
  ): Promise<{ value: T; warnings: Warning[] }> {
    const started = performance.now()
    try {
      const outcome = await attempt(operation, model, call, run)
      outcome.scope.dispose()
      const { usage, cost } = report(outcome.value)
      callHooks(hookList, 'onResponse', {
        provider,
        model,
        operation,
        usage,
        cost,
        latencyMs: performance.now() - started,
        attempts: outcome.attempts,
      })
      return { value: outcome.value, warnings: outcome.warnings }
    } catch (raw) {
      const error = ModelplexError.isInstance(raw)
        ? raw
        : classify(raw, undefined, undefined, call.signal, model, false)
      callHooks(hookList, 'onError', {
        provider,
        model,
        operation,
        error,
        latencyMs: performance.now() - started,
        attempts: (error as { attempts?: number }).attempts ?? 1,
      })
      throw error
    }
  }

  async function generate(request: GenerateRequest): Promise<GenerateResult> {
    const prepared = await prepare(request)
    let cost: Cost | undefined
    const { value, warnings } = await observed(
      'generate',
      prepared.model,
      request,
      (adapter, context) => adapter.generate(prepared, context),
      (result) => {
        // A charge the vendor reported is the real one; the table is the estimate for everyone else.
        cost = result.cost ?? computeCost(pricing, result.model ?? prepared.model, result.usage)
        return { usage: result.usage, cost }
      },
    )
    const model = value.model ?? prepared.model
    return {
      text: value.text,
      ...(value.reasoning ? { reasoning: value.reasoning } : {}),
      content: value.content,
      toolCalls: value.toolCalls,
      finishReason: value.finishReason,
      rawFinishReason: value.rawFinishReason,
      usage: value.usage,
      cost,
      model,
      provider,
      id: value.id,
      warnings,
      raw: value.raw,
    }
  }

  function stream(request: GenerateRequest): ModelStream {
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
      async open(signal): Promise<OpenedStream> {
        callerSignal = signal
        const prepared = await prepare(request)
        model = prepared.model
        driver.model = model
        if (!spec.capabilities.stream) {
          throw unsupported('stream', model)
        }
        const outcome = await attempt('stream', model, { ...request, signal }, async (connected, context) => {
          if (!connected.stream) {
            throw unsupported('stream', model)
          }
          const iterable = await connected.stream(prepared, context)
          const iterator = iterable[Symbol.asyncIterator]()
          // The first event is read inside the attempt, so a failure before it is retried.
          const first = await iterator.next()
          return { iterator, first }
        })
        scope = outcome.scope
        adapter = outcome.adapter
        attempts = outcome.attempts
        return { ...outcome.value, warnings: outcome.warnings, dispose: () => outcome.scope.dispose() }
      },
      classify: (raw) => classify(raw, adapter, scope, callerSignal, model, true),
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

  async function generateObject<T>(request: GenerateObjectRequest<T>): Promise<GenerateObjectResult<T>> {
    const { schema, schemaName = 'response', schemaDescription, ...rest } = request
    const mode = spec.capabilities.structuredOutput
    const model = rest.model ?? defaultModel
    if (!mode) {
      throw unsupported('structuredOutput', model)
    }
    if (!isZodSchema(schema)) {
      throw new InvalidRequestError('generateObject needs a zod schema in `schema`', {
        provider,
        model,
        field: 'schema',
      })
    }
    const jsonSchema = await convertSchema(schema, 'schema')
    let generateRequest: GenerateRequest
    if (mode === 'json-schema') {
      generateRequest = {
        ...rest,
        responseFormat: {
          type: 'json',
          schema: jsonSchema,
          name: schemaName,
          ...(schemaDescription ? { description: schemaDescription } : {}),
        },
      }
    } else if (mode === 'json-mode') {
      const instruction = `Reply with one JSON value, and nothing else, that matches this JSON Schema:\n${JSON.stringify(jsonSchema)}`
      generateRequest = {
        ...rest,
        messages: [{ role: 'system', content: instruction }, ...rest.messages],
        responseFormat: { type: 'json' },
      }
    } else {
      generateRequest = {
        ...rest,
        tools: [
          {
            name: schemaName,
            description: schemaDescription ?? 'Respond with the result',
            parameters: jsonSchema,
          },
        ],
        toolChoice: { type: 'tool', toolName: schemaName },
      }
    }
    const result = await generate(generateRequest)
    const text = mode === 'tool' ? (result.toolCalls[0]?.rawInput ?? result.text) : result.text
    let value: unknown
    try {
      value = extractJson(text)
    } catch (cause) {
      throw new StructuredOutputError(`${spec.name}: the reply is not valid JSON`, {
        provider,
        model: result.model,
        text,
        cause,
      })
    }
    const checked = (schema as unknown as { safeParse(v: unknown): any }).safeParse(value)
    if (!checked.success) {
      throw new StructuredOutputError(`${spec.name}: the reply does not match the schema`, {
        provider,
        model: result.model,
        text,
        issues: checked.error.issues.map((issue: { path: PropertyKey[]; message: string }) => ({
          path: issue.path,
          message: issue.message,
        })),
        cause: checked.error,
      })
    }
    return { ...result, object: checked.data as T }
  }

  async function embed(request: EmbedRequest): Promise<EmbedResult> {
    const data = await validRequest(
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
      throw unsupported('embeddings', model)
    }
    const input = typeof data.input === 'string' ? [data.input] : data.input
    let cost: Cost | undefined
    const { value, warnings } = await observed(
      'embed',
      model,
      request,
      (adapter, context) => {
        if (!adapter.embed) throw unsupported('embeddings', model)
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
      throw unsupported('listModels')
    }
    const { value } = await observed(
      'listModels',
      undefined,
      options,
      (adapter, context) => {
        if (!adapter.listModels) throw unsupported('listModels')
        return adapter.listModels(context)
      },
      () => ({ usage: undefined, cost: undefined }),
    )
    return value
  }

  return {
    id: spec.id,
    name: spec.name,
    defaultModel,
    capabilities: spec.capabilities,
    generate,
    stream,
    generateObject,
    embed,
    listModels,
  }
}
