// What `telemetry` takes, kept apart from telemetry.ts (a lazy chunk) so types and markers cost nothing.
/** The part of an OpenTelemetry `Span` core uses. */
export interface TelemetrySpan {
  setAttribute(key: string, value: any): unknown
  addEvent(name: string, attributes?: any): unknown
  setStatus(status: { code: any; message?: string }): unknown
  end(): void
}

/** The part of an OpenTelemetry `Tracer` core uses (`trace.getTracer(…)` gives one). */
export interface TelemetryTracer {
  startSpan(name: string, options?: any, context?: any): TelemetrySpan
}

export interface TelemetryOptions {
  /** Default: `trace.getTracer('@modelplex/core')` from `@opentelemetry/api`. */
  tracer?: TelemetryTracer
  /** Record messages, outputs and tool arguments on spans (default false: they may hold personal data). */
  recordContent?: boolean
}

/** On a request: the span the call's span hangs under. */
export const TELEMETRY_PARENT = Symbol.for('modelplex.telemetry.parent')
/** On a request: hooks of this one call (its retries), beside the provider's. */
export const CALL_HOOKS = Symbol.for('modelplex.call.hooks')
