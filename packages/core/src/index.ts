export {
  type Client,
  type ClientHooks,
  type ClientOptions,
  createClient,
  type FallbackEvent,
  type FallbackOn,
  type FallbackPolicy,
  fallbackCovers,
  type ProviderEntry,
  type RouteCandidate,
  type RouteEvent,
  shouldFallback,
} from './client.js'
export { tool } from './define-tool.js'
export {
  type DetectOptions,
  detectionOrder,
  detectionVariables,
  detectProvider,
  detectProviderIds,
} from './detect-provider.js'
export {
  AbortedError,
  AuthenticationError,
  ConfigError,
  ConnectionError,
  ContentFilterError,
  ContextWindowExceededError,
  InvalidRequestError,
  MalformedResponseError,
  MissingDependencyError,
  ModelplexError,
  type ModelplexErrorOptions,
  NotFoundError,
  RateLimitError,
  ServerError,
  StreamInterruptedError,
  StructuredOutputError,
  TimeoutError,
  UnsupportedCapabilityError,
} from './errors.js'
export type { Hooks, Operation } from './hooks.js'
export {
  type LoadOptions,
  loadProvider,
  loadProviderSpec,
  registerProvider,
  unregisterProvider,
} from './load-provider.js'
export { defaultSettings, type Middleware, type MiddlewareOperation, wrapProvider } from './middleware.js'
export {
  type CacheEntry,
  type CacheStore,
  cache,
  cacheKey,
  extractReasoning,
  type LogEntry,
  logging,
  memoryStore,
} from './middleware-builtins.js'
export {
  apportionCost,
  computeCost,
  findPrice,
  type ModelPrice,
  mergePricing,
  type PricingTable,
} from './pricing.js'
export { createProvider, type ProviderOptions, toJsonSchema } from './provider.js'
// What a provider package builds on (adapters, translators, helpers) is in `@modelplex/core/adapter`.
export type { BaseSettings, PolicyOptions, ProviderSpec, ResolvedSettings } from './provider-spec.js'
export type { RetryOptions } from './retry.js'
export type { DeepPartial, ObjectStream } from './stream-object.js'
export type { TelemetryOptions, TelemetrySpan, TelemetryTracer } from './telemetry-options.js'
export type * from './types.js'
