// OpenTelemetry spans with the GenAI semantic conventions. `@opentelemetry/api` is an optional
// peer, imported on the first call of a provider or client that has `telemetry` set, never at
// import. Spans are parented explicitly (a request carries its parent span), so the tree holds
// without a context manager: agent loop → route (client) → chat (one per model call), tools.

import { deferredStream } from './deferred-stream.js'
import { MissingDependencyError, ModelplexError } from './errors.js'
import type { Hooks } from './hooks.js'
import { MappedStream } from './middleware.js'
import type { TelemetryOptions, TelemetrySpan, TelemetryTracer } from './telemetry-options.js'

import { CALL_HOOKS, TELEMETRY_PARENT } from './telemetry-options.js'
import type {
  AgentRequest,
  EmbedRequest,
  EmbedResult,
  GenerateRequest,
  GenerateResult,
  ModelStream,
} from './types.js'

type Api = typeof import('@opentelemetry/api')
const CLIENT = 2 // SpanKind.CLIENT
const INTERNAL = 0 // SpanKind.INTERNAL
const ERROR = 2 // SpanStatusCode.ERROR

let api: Promise<Api> | undefined
function loadApi(): Promise<Api> {
  api ??= import('@opentelemetry/api').catch((cause: unknown) => {
    api = undefined
    throw new MissingDependencyError(
      '@opentelemetry/api',
      'telemetry needs @opentelemetry/api: npm i @opentelemetry/api (or pass telemetry.tracer)',
      { provider: 'telemetry', cause },
    )
  })
  return api
}

type Traced = { [TELEMETRY_PARENT]?: TelemetrySpan; [CALL_HOOKS]?: Hooks }

/** The spans of one provider (or client). */
export class Telemetry {
  constructor(
    readonly options: TelemetryOptions,
    private readonly provider: string,
    /** The model a request that names none gets (a provider's default; a client has none). */
    private readonly defaultModel?: string,
  ) {}

  /** Starts a span under the request's parent (or the active context). */
  async start(
    name: string,
    kind: number,
    attributes: Record<string, unknown>,
    parent: TelemetrySpan | undefined,
  ): Promise<TelemetrySpan> {
    const otel = await loadApi()
    const tracer =
      this.options.tracer ?? (otel.trace.getTracer('@modelplex/core') as unknown as TelemetryTracer)
    const context = parent
      ? otel.trace.setSpan(otel.context.active(), parent as never)
      : otel.context.active()
    return tracer.startSpan(name, { kind, attributes: clean(attributes) }, context)
  }

  private requestAttributes(
    operation: string,
    request: GenerateRequest | EmbedRequest,
  ): Record<string, unknown> {
    const generate = request as GenerateRequest
    return {
      'gen_ai.operation.name': operation,
      'gen_ai.provider.name': this.provider,
      'gen_ai.request.model': request.model ?? this.defaultModel,
      'gen_ai.request.temperature': generate.temperature,
      'gen_ai.request.max_tokens': generate.maxOutputTokens,
      'gen_ai.request.top_p': generate.topP,
      'gen_ai.request.stop_sequences': generate.stopSequences,
      'gen_ai.request.seed': generate.seed,
      ...(this.options.recordContent && generate.messages
        ? { 'gen_ai.input.messages': JSON.stringify(generate.messages) }
        : {}),
    }
  }

  /** A retry or a fallback hop: one event on the call's span. */
  private retryHooks(span: TelemetrySpan): Hooks {
    return {
      onRetry: (event) =>
        span.addEvent('gen_ai.retry', {
          'gen_ai.retry.attempt': event.attempt,
          'error.type': event.error.name,
          'gen_ai.retry.delay_ms': event.delayMs,
        }),
    }
  }

  recordResult(span: TelemetrySpan, result: GenerateResult): void {
    const usage = result.usage
    const attributes = clean({
      'gen_ai.response.model': result.model,
      'gen_ai.response.id': result.id,
      'gen_ai.response.finish_reasons': [result.finishReason],
      'gen_ai.usage.input_tokens': usage?.inputTokens,
      'gen_ai.usage.output_tokens': usage?.outputTokens,
      'gen_ai.usage.cache_read.input_tokens': usage?.cachedInputTokens,
      'gen_ai.usage.cache_creation.input_tokens': usage?.cacheWriteInputTokens,
      'gen_ai.usage.reasoning.output_tokens': usage?.reasoningTokens,
      'modelplex.cost.usd': result.cost?.total,
      ...(this.options.recordContent ? { 'gen_ai.output.messages': JSON.stringify(result.messages) } : {}),
    })
    for (const [key, value] of Object.entries(attributes)) span.setAttribute(key, value)
  }

  recordError(span: TelemetrySpan, error: unknown): void {
    const type = ModelplexError.isInstance(error) ? error.name : error instanceof Error ? error.name : 'Error'
    span.setAttribute('error.type', type)
    span.setStatus({ code: ERROR, message: error instanceof Error ? error.message : String(error) })
  }

  /** The client span of one model call, `{operation} {model}`, under the request's parent span. */
  private openCall(
    operation: 'chat' | 'embeddings',
    request: GenerateRequest | EmbedRequest,
  ): Promise<TelemetrySpan> {
    return this.start(
      `${operation} ${request.model ?? this.defaultModel ?? ''}`.trim(),
      CLIENT,
      this.requestAttributes(operation, request),
      (request as Traced)[TELEMETRY_PARENT],
    )
  }

  /** The request with the hooks that record its retries as events of `span`. */
  private hooked<R extends object>(request: R, span: TelemetrySpan): R {
    return { ...request, [CALL_HOOKS]: this.retryHooks(span) }
  }

  /** One model call as a `chat {model}` client span, retries as its events. */
  async generate(
    request: GenerateRequest,
    next: (request: GenerateRequest) => Promise<GenerateResult>,
  ): Promise<GenerateResult> {
    const span = await this.openCall('chat', request)
    try {
      const result = await next(this.hooked(request, span))
      this.recordResult(span, result)
      return result
    } catch (error) {
      this.recordError(span, error)
      throw error
    } finally {
      span.end()
    }
  }

  /** A stream's span: opened before the request, ended at its finish or failure. */
  stream(request: GenerateRequest, next: (request: GenerateRequest) => ModelStream): ModelStream {
    let span: TelemetrySpan | undefined
    let ended = false
    const end = (result: GenerateResult | undefined, error?: unknown) => {
      if (ended || !span) return
      ended = true
      if (result) this.recordResult(span, result)
      else this.recordError(span, error)
      span.end()
    }
    return deferredStream(async () => {
      span = await this.openCall('chat', request)
      const inner = next(this.hooked(request, span))
      return observed(
        inner,
        (result) => end(result),
        (error) => end(undefined, error),
      )
    })
  }

  async embed(
    request: EmbedRequest,
    next: (request: EmbedRequest) => Promise<EmbedResult>,
  ): Promise<EmbedResult> {
    const span = await this.openCall('embeddings', request)
    try {
      const result = await next(this.hooked(request, span))
      span.setAttribute('gen_ai.response.model', result.model)
      if (result.usage) span.setAttribute('gen_ai.usage.input_tokens', result.usage.inputTokens)
      return result
    } catch (error) {
      this.recordError(span, error)
      throw error
    } finally {
      span.end()
    }
  }

  /** The span of a client's routed call, and the recorder of its fallback hops as events. */
  private async openRoute(request: { model?: string }): Promise<{
    span: TelemetrySpan
    hop: (from: string, to: string, error: ModelplexError) => void
  }> {
    const span = await this.start(
      `route ${request.model ?? ''}`.trim(),
      INTERNAL,
      { 'gen_ai.request.model': request.model },
      (request as Traced)[TELEMETRY_PARENT],
    )
    const hop = (from: string, to: string, error: ModelplexError) =>
      span.addEvent('gen_ai.fallback', {
        'gen_ai.fallback.from': from,
        'gen_ai.fallback.to': to,
        'error.type': error.name,
      })
    return { span, hop }
  }

  /** A client's routed call: the hops down the fallback chain are its events. */
  async route<T>(
    request: { model?: string },
    run: (
      request: Record<PropertyKey, unknown>,
      hop: (from: string, to: string, error: ModelplexError) => void,
    ) => Promise<T>,
  ): Promise<T> {
    const { span, hop } = await this.openRoute(request)
    try {
      return await run({ ...request, [TELEMETRY_PARENT]: span }, hop)
    } catch (error) {
      this.recordError(span, error)
      throw error
    } finally {
      span.end()
    }
  }

  /** A client's routed stream: its span ends when the stream does, hops as events. */
  async routeStream(
    request: { model?: string },
    open: (
      request: Record<PropertyKey, unknown>,
      hop: (from: string, to: string, error: ModelplexError) => void,
    ) => ModelStream,
  ): Promise<ModelStream> {
    const { span, hop } = await this.openRoute(request)
    let ended = false
    const end = (error?: unknown) => {
      if (ended) return
      ended = true
      if (error !== undefined) this.recordError(span, error)
      span.end()
    }
    const stream = open({ ...request, [TELEMETRY_PARENT]: span }, hop)
    return observed(
      stream,
      () => end(),
      (error) => end(error ?? new Error('the stream failed')),
    )
  }

  /** The loop's span (`invoke_agent`); its model calls and tools are its children. */
  async agent(request: AgentRequest): Promise<TelemetrySpan> {
    return this.start(
      'invoke_agent',
      INTERNAL,
      {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.provider.name': this.provider,
        'gen_ai.request.model': request.model,
      },
      (request as Traced)[TELEMETRY_PARENT],
    )
  }

  /** One tool run (`execute_tool {name}`) under the loop's span. */
  async tool<T>(
    parent: TelemetrySpan,
    call: { toolCallId: string; toolName: string; input: unknown },
    run: () => Promise<T>,
  ): Promise<T> {
    const span = await this.start(
      `execute_tool ${call.toolName}`,
      INTERNAL,
      {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': call.toolName,
        'gen_ai.tool.call.id': call.toolCallId,
        ...(this.options.recordContent ? { 'gen_ai.tool.call.arguments': JSON.stringify(call.input) } : {}),
      },
      parent,
    )
    try {
      const result = await run()
      const output = result as { isError?: boolean; output?: unknown }
      if (output?.isError) this.recordError(span, new Error(String(output.output)))
      if (this.options.recordContent)
        span.setAttribute('gen_ai.tool.call.result', JSON.stringify(output?.output ?? null))
      return result
    } catch (error) {
      this.recordError(span, error)
      throw error
    } finally {
      span.end()
    }
  }
}

/**
 * Watches a stream without reading it: `done` once its finish was delivered (or `result()`
 * settled), `failed` when it throws. Calling `result()` early would start a second reader.
 */
function observed(
  stream: ModelStream,
  done: (result: GenerateResult) => void,
  failed: (error: unknown) => void,
): ModelStream {
  return new MappedStream(
    stream,
    (event) => {
      if (event.type === 'finish') stream.result().then(done, failed)
      return [event]
    },
    (result) => {
      done(result)
      return result
    },
    failed,
  )
}

/** Attributes without undefined values (OpenTelemetry drops them with a warning). */
function clean(attributes: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key in attributes) if (attributes[key] !== undefined) out[key] = attributes[key]
  return out
}
