import type { PartialResult } from './result-types.js'
import { saneRetryAfter } from './retry.js'

/** Fields every modelplex error can carry. */
export interface ModelplexErrorOptions {
  provider?: string
  model?: string
  status?: number
  /** The vendor's own error code or type, e.g. `rate_limit_exceeded`. */
  code?: string
  retryable?: boolean
  retryAfterMs?: number
  requestId?: string
  partial?: PartialResult
  cause?: unknown
}

/**
 * Base of every error modelplex throws. Recognise errors with `XError.isInstance(e)`, which
 * works across two installed copies of core because the marker is a `Symbol.for`.
 */
export class ModelplexError extends Error {
  static readonly marker: symbol = Symbol.for('modelplex.error.ModelplexError')

  /** True when `error` is this class (or a subclass), from any installed copy of core. */
  static isInstance<T extends abstract new (...args: any) => ModelplexError>(
    this: T & { marker: symbol },
    error: unknown,
  ): error is InstanceType<T> {
    // biome-ignore lint/complexity/noThisInStatic: polymorphic on purpose; each subclass checks its own marker.
    return typeof error === 'object' && error !== null && (error as any)[this.marker] === true
  }

  readonly provider: string
  readonly model: string | undefined
  readonly status: number | undefined
  readonly code: string | undefined
  readonly retryable: boolean
  readonly retryAfterMs: number | undefined
  readonly requestId: string | undefined
  /** What a stream delivered before it failed. */
  partial: PartialResult | undefined

  constructor(message: string, options: ModelplexErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.provider = options.provider ?? 'unknown'
    this.model = options.model
    this.status = options.status
    this.code = options.code
    this.retryable = options.retryable ?? false
    this.retryAfterMs = saneRetryAfter(options.retryAfterMs)
    this.requestId = options.requestId
    this.partial = options.partial
    // Every class in the chain marks the instance, so `InvalidRequestError.isInstance` is true
    // for a `ContextWindowExceededError` from another copy of core too.
    for (let c: any = new.target; c && c !== Error; c = Object.getPrototypeOf(c)) {
      if (typeof c.marker === 'symbol') Object.defineProperty(this, c.marker, { value: true })
    }
  }

  /** A plain object safe to log: no cause, no headers, never a key. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      provider: this.provider,
      model: this.model,
      status: this.status,
      code: this.code,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      requestId: this.requestId,
    }
  }
}

/** The configuration is missing or invalid (no API key, a bad base URL, an unknown option). */
export class ConfigError extends ModelplexError {
  static override readonly marker: symbol = Symbol.for('modelplex.error.ConfigError')
}

/** A package that the call needs is not installed; the message holds the `npm i` line. */
export class MissingDependencyError extends ModelplexError {
  static override readonly marker: symbol = Symbol.for('modelplex.error.MissingDependencyError')
  readonly packageName: string
  constructor(packageName: string, message: string, options: ModelplexErrorOptions = {}) {
    super(message, options)
    this.packageName = packageName
  }
}

/** The provider cannot serve this request: a capability or setting it does not have. */
export class UnsupportedCapabilityError extends ModelplexError {
  static override readonly marker: symbol = Symbol.for('modelplex.error.UnsupportedCapabilityError')
  readonly capability: string
  constructor(capability: string, message: string, options: ModelplexErrorOptions = {}) {
    super(message, options)
    this.capability = capability
  }
}

/** The request is invalid (ours before sending, or the vendor's 400/422). */
export class InvalidRequestError extends ModelplexError {
  static override readonly marker: symbol = Symbol.for('modelplex.error.InvalidRequestError')
  /** Dotted path of the offending field when known, e.g. `messages.0.role`. */
  readonly field: string | undefined
  constructor(message: string, options: ModelplexErrorOptions & { field?: string } = {}) {
    super(message, options)
    this.field = options.field
  }
}

/** The prompt (plus the requested output) does not fit the model's context window. */
export class ContextWindowExceededError extends InvalidRequestError {
  static override readonly marker: symbol = Symbol.for('modelplex.error.ContextWindowExceededError')
}

/** The vendor refused the input or output under its content policy. */
export class ContentFilterError extends InvalidRequestError {
  static override readonly marker: symbol = Symbol.for('modelplex.error.ContentFilterError')
}

/** The key is missing, wrong or lacks permission (401, 403). */
export class AuthenticationError extends ModelplexError {
  static override readonly marker: symbol = Symbol.for('modelplex.error.AuthenticationError')
}

/** The model or resource does not exist (404). */
export class NotFoundError extends ModelplexError {
  static override readonly marker: symbol = Symbol.for('modelplex.error.NotFoundError')
}

/** Too many requests (429). `retryAfterMs` holds the vendor's advice when it gave one. */
export class RateLimitError extends ModelplexError {
  static override readonly marker: symbol = Symbol.for('modelplex.error.RateLimitError')
  constructor(message: string, options: ModelplexErrorOptions = {}) {
    super(message, { retryable: true, ...options })
  }
}

/** The vendor failed or is overloaded (5xx, 529). */
export class ServerError extends ModelplexError {
  static override readonly marker: symbol = Symbol.for('modelplex.error.ServerError')
  constructor(message: string, options: ModelplexErrorOptions = {}) {
    super(message, { retryable: true, ...options })
  }
}

/** The call took longer than its `timeoutMs`. */
export class TimeoutError extends ModelplexError {
  static override readonly marker: symbol = Symbol.for('modelplex.error.TimeoutError')
  constructor(message: string, options: ModelplexErrorOptions = {}) {
    super(message, { retryable: true, ...options })
  }
}

/** The caller aborted the call through its `signal`. Never retried. */
export class AbortedError extends ModelplexError {
  static override readonly marker: symbol = Symbol.for('modelplex.error.AbortedError')
}

/** The connection failed or was reset before a response arrived. */
export class ConnectionError extends ModelplexError {
  static override readonly marker: symbol = Symbol.for('modelplex.error.ConnectionError')
  constructor(message: string, options: ModelplexErrorOptions = {}) {
    super(message, { retryable: true, ...options })
  }
}

/** The vendor answered with something that is not the documented shape. */
export class MalformedResponseError extends ModelplexError {
  static override readonly marker: symbol = Symbol.for('modelplex.error.MalformedResponseError')
}

/** A stream ended before it finished; `partial` keeps what arrived. */
export class StreamInterruptedError extends ModelplexError {
  static override readonly marker: symbol = Symbol.for('modelplex.error.StreamInterruptedError')
}

/** The model's reply did not parse or did not match the schema. */
export class StructuredOutputError extends ModelplexError {
  static override readonly marker: symbol = Symbol.for('modelplex.error.StructuredOutputError')
  readonly text: string
  readonly issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>
  constructor(
    message: string,
    options: ModelplexErrorOptions & {
      text: string
      issues?: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>
    },
  ) {
    super(message, options)
    this.text = options.text
    this.issues = options.issues ?? []
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues }
  }
}
