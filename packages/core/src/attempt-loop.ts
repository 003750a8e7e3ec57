import { type AttemptScope, openScope } from './attempt-scope.js'
import { AbortedError, ModelplexError, TimeoutError } from './errors.js'
import { callHooks, type Hooks, type Operation } from './hooks.js'
import type { CallContext, ProviderAdapter } from './provider-spec.js'
import { redactError } from './redact.js'
import { type RetryOptions, retryDelay, sleep } from './retry.js'
import { CALL_HOOKS } from './telemetry-options.js'
import type { CallOptions, GenerateResult, Warning } from './types.js'

/**
 * Set by the client on a request that has another fallback target after this one: a wait the
 * vendor advises past `maxRetryAfterMs` is then not slept on (the chain moves on at once).
 */
export const FALLBACK_PENDING: unique symbol = Symbol.for('modelplex.fallbackPending')

/** What one provider's attempt loop needs from it. */
export interface AttemptLoopOptions {
  /** The spec's id. */
  provider: string
  /** The spec's display name, for error messages. */
  name: string
  retry: Required<RetryOptions>
  /** The time limit of an attempt when the call gives none. */
  timeoutMs: number
  hooks: readonly Hooks[]
  /** The adapter once connected, synchronously: calls after the first skip the promise. */
  connected(): ProviderAdapter | undefined
  /** Connects (once), resolving the settings first. */
  connect(): Promise<ProviderAdapter>
  /** The secret setting values to redact from every error. */
  secrets(): readonly string[]
}

/** A successful attempt, with its scope still open (a stream reads on within it). */
export interface AttemptOutcome<T> {
  value: T
  attempts: number
  warnings: Warning[]
  scope: AttemptScope
  adapter: ProviderAdapter
}

/** Timeout, abort, retries, hooks and error classification, once for every operation of a provider. */
export interface AttemptLoop {
  /** Turns anything thrown into the core taxonomy, with the provider and model named and secrets redacted. */
  classify(
    raw: unknown,
    adapter: ProviderAdapter | undefined,
    scope: AttemptScope | undefined,
    callerSignal: AbortSignal | undefined,
    model: string | undefined,
    streaming: boolean,
  ): ModelplexError
  /** Runs one operation with timeout, abort and retries; keeps the last scope open. */
  attempt<T>(
    operation: Operation,
    model: string | undefined,
    call: CallOptions,
    run: (adapter: ProviderAdapter, context: CallContext, scope: AttemptScope) => Promise<T>,
  ): Promise<AttemptOutcome<T>>
  /** Runs a whole non-streaming operation and reports it to the hooks. */
  observed<T>(
    operation: Operation,
    model: string | undefined,
    call: CallOptions,
    run: (adapter: ProviderAdapter, context: CallContext) => Promise<T>,
    report: (value: T) => Pick<GenerateResult, 'usage' | 'cost'>,
  ): Promise<{ value: T; warnings: Warning[] }>
}

/** Builds a provider's attempt loop. */
export function createAttemptLoop(options: AttemptLoopOptions): AttemptLoop {
  const { provider, name, retry, hooks } = options

  const classify: AttemptLoop['classify'] = (raw, adapter, scope, callerSignal, model, streaming) => {
    let error: ModelplexError
    if (scope?.timedOut) {
      error = new TimeoutError(`${name}: no complete answer within ${scope.timeoutMs} ms (timeoutMs)`, {
        provider,
        model,
        cause: raw,
      })
    } else if (callerSignal?.aborted) {
      error = new AbortedError(`${name}: the call was aborted`, { provider, model, cause: raw })
    } else if (ModelplexError.isInstance(raw)) {
      error = raw
    } else if (adapter) {
      error = adapter.mapError(raw, { model, streaming })
    } else {
      const message = raw instanceof Error ? raw.message : String(raw)
      error = new ModelplexError(`${name}: ${message}`, { provider, model, cause: raw })
    }
    const fields = error as { provider: string; model: string | undefined }
    if (fields.provider === 'unknown') fields.provider = provider
    fields.model ??= model
    const runtimeSecrets = (adapter ?? options.connected())?.secrets?.() ?? []
    return redactError(error, [...options.secrets(), ...runtimeSecrets])
  }

  async function attempt<T>(
    operation: Operation,
    model: string | undefined,
    call: CallOptions,
    run: (adapter: ProviderAdapter, context: CallContext, scope: AttemptScope) => Promise<T>,
  ): Promise<AttemptOutcome<T>> {
    const maxRetries = call.maxRetries ?? retry.maxRetries
    const limit = call.timeoutMs ?? options.timeoutMs
    for (let attempts = 1; ; attempts++) {
      const scope = openScope(call.signal, limit)
      const warnings: Warning[] = []
      let adapter: ProviderAdapter | undefined
      try {
        adapter = options.connected() ?? (await options.connect())
        if (scope.signal.aborted) throw scope.signal.reason
        callHooks(hooks, 'onRequest', { provider, model, operation, attempt: attempts })
        const context: CallContext = {
          signal: scope.signal,
          headers: call.headers ?? {},
          providerOptions: (call.providerOptions?.[provider] as Record<string, unknown> | undefined) ?? {},
          warn: (warning) => warnings.push(warning),
          ...((call as { includeRaw?: boolean }).includeRaw === true ? { includeRaw: true } : {}),
        }
        const value = await scope.race(run(adapter, context, scope))
        return { value, attempts, warnings, scope, adapter }
      } catch (raw) {
        scope.dispose()
        const error = classify(raw, adapter, scope, call.signal, model, false)
        if (!error.retryable || attempts > maxRetries) throw Object.assign(error, { attempts })
        // In a fallback chain, advice past the caller's budget is not slept on: the next target is tried at once.
        if (
          (call as { [FALLBACK_PENDING]?: boolean })[FALLBACK_PENDING] === true &&
          error.retryAfterMs !== undefined &&
          error.retryAfterMs > retry.maxRetryAfterMs
        ) {
          throw Object.assign(error, { attempts })
        }
        const delayMs = retryDelay(retry, attempts - 1, error.retryAfterMs)
        const own = (call as { [CALL_HOOKS]?: Hooks })[CALL_HOOKS]
        callHooks(own ? [...hooks, own] : hooks, 'onRetry', {
          provider,
          model,
          operation,
          error,
          attempt: attempts,
          delayMs,
        })
        try {
          await sleep(delayMs, call.signal)
        } catch (reason) {
          throw new AbortedError(`${name}: the call was aborted while waiting to retry`, {
            provider,
            model,
            cause: reason,
          })
        }
      }
    }
  }

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
      callHooks(hooks, 'onResponse', {
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
      callHooks(hooks, 'onError', {
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

  return { classify, attempt, observed }
}
