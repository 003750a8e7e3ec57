import {
  AuthenticationError,
  ConfigError,
  ConnectionError,
  ContentFilterError,
  ContextWindowExceededError,
  InvalidRequestError,
  MalformedResponseError,
  MissingDependencyError,
  type ModelplexError,
  NotFoundError,
  RateLimitError,
  ServerError,
  StreamInterruptedError,
  TimeoutError,
  UnsupportedCapabilityError,
} from './errors.js'

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

/** What one kind of failure does: move on, stop, or move on only when the error is retryable. */
type Rule = boolean | 'if-retryable'

/** The rules of `FallbackOn`, with the kinds a plain list judges by `retryable`. */
type Rules = Record<Exclude<keyof FallbackOn, 'contextWindow'>, Rule> & { contextWindow: boolean }

/** The kind of failure an error is, for the fallback rules. */
function failureKind(error: ModelplexError): keyof FallbackOn | 'never' | 'other' {
  if (error.name === 'AbortedError') return 'never'
  if (ContextWindowExceededError.isInstance(error)) return 'contextWindow'
  if (ContentFilterError.isInstance(error)) return 'contentFilter'
  if (InvalidRequestError.isInstance(error)) return 'never'
  if (RateLimitError.isInstance(error)) return 'rateLimit'
  if (TimeoutError.isInstance(error)) return 'timeout'
  if (
    ServerError.isInstance(error) ||
    ConnectionError.isInstance(error) ||
    MalformedResponseError.isInstance(error) ||
    StreamInterruptedError.isInstance(error)
  ) {
    return 'serverError'
  }
  if (
    AuthenticationError.isInstance(error) ||
    NotFoundError.isInstance(error) ||
    ConfigError.isInstance(error) ||
    MissingDependencyError.isInstance(error) ||
    UnsupportedCapabilityError.isInstance(error)
  ) {
    return 'unavailable'
  }
  return 'other'
}

/** The one fallback decision: whether `error` moves the call on under `rules`. */
function decide(error: ModelplexError, rules: Rules): boolean {
  const kind = failureKind(error)
  if (kind === 'never') return false
  // An error of no known kind moves on when it is retryable, under the server-error rule.
  const rule = kind === 'other' ? (rules.serverError === false ? false : 'if-retryable') : rules[kind]
  return rule === 'if-retryable' ? error.retryable : rule
}

function rulesOf(on: FallbackOn): Rules {
  return {
    rateLimit: on.rateLimit !== false,
    serverError: on.serverError !== false,
    timeout: on.timeout !== false,
    contentFilter: on.contentFilter === true,
    contextWindow: on.contextWindow !== false,
    unavailable: on.unavailable !== false,
  }
}

// A plain list of models predates `on`: failing services move on only when their error is retryable.
const PLAIN_LIST_RULES: Rules = {
  rateLimit: 'if-retryable',
  serverError: 'if-retryable',
  timeout: 'if-retryable',
  contentFilter: false,
  contextWindow: true,
  unavailable: true,
}

/**
 * The default fallback policy: move on when the model is unavailable or failing
 * (retryable errors after their retries, auth, not found, missing package or config,
 * unsupported capability, context window), never for an abort or a bad request.
 */
export function shouldFallback(error: ModelplexError): boolean {
  return decide(error, PLAIN_LIST_RULES)
}

/**
 * The policy behind `fallback: { models, on }`: whether `error` moves the call on. Aborts and
 * invalid requests never do; the rest follow `on` and its defaults.
 */
export function fallbackCovers(error: ModelplexError, on: FallbackOn = {}): boolean {
  return decide(error, rulesOf(on))
}

/** A call's fallback, resolved from the client's and the call's `fallback` options. */
export interface ResolvedFallback {
  models: string[]
  decide(error: ModelplexError): boolean
  contextWindow: boolean | 'larger'
  cooldownMs: number
}

/**
 * Resolves a call's fallback: a per-call list replaces the models and keeps the client's policy,
 * a per-call policy replaces it all, and `fallbackOn` replaces the decision.
 */
export function resolveFallback(
  client: string[] | FallbackPolicy | undefined,
  call: string[] | FallbackPolicy | undefined,
  fallbackOn: ((error: ModelplexError) => boolean) | undefined,
): ResolvedFallback {
  const given = Array.isArray(call) && client && !Array.isArray(client) ? { ...client, models: call } : call
  const chosen = given ?? client
  const policy = policyOf(chosen)
  const on = policy?.on ?? {}
  const rules = chosen === undefined || Array.isArray(chosen) ? PLAIN_LIST_RULES : rulesOf(on)
  return {
    models: policy?.models ?? [],
    decide: fallbackOn ?? ((error) => decide(error, rules)),
    contextWindow: on.contextWindow ?? 'larger',
    cooldownMs: policy?.cooldownMs ?? 0,
  }
}

/** A policy from either form of `fallback`. */
export function policyOf(fallback: string[] | FallbackPolicy | undefined): FallbackPolicy | undefined {
  if (!fallback) return undefined
  return Array.isArray(fallback) ? { models: fallback } : fallback
}
