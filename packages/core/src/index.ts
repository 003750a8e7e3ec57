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
export { connectionError, errorFromStatus, isNetworkError } from './common-errors.js'
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
export {
  apportionCost,
  computeCost,
  findPrice,
  type ModelPrice,
  mergePricing,
  type PricingTable,
} from './pricing.js'
export { createProvider, type ProviderOptions, toJsonSchema } from './provider.js'
export {
  type AdapterEmbedRequest,
  type AdapterEmbedResult,
  type AdapterGenerateResult,
  type AdapterRequest,
  type AdapterStreamEvent,
  type AdapterTool,
  type BaseSettings,
  type CallContext,
  type ConnectContext,
  defineProvider,
  type EnvironmentVariables,
  type ErrorContext,
  type PolicyOptions,
  type ProviderAdapter,
  type ProviderDetection,
  type ProviderSpec,
  type ResolvedSettings,
} from './provider-spec.js'
export { redact } from './redact.js'
export { readEnvironment } from './resolve-settings.js'
export { parseRetryAfter, type RetryOptions, retryDelay } from './retry.js'
export { importSdk } from './sdk.js'
export { parseToolInput } from './stream.js'
export type * from './types.js'
