import type { z } from 'zod'
import type { ModelplexError } from './errors.js'
import type { Hooks } from './hooks.js'
import type { PricingTable } from './pricing.js'
import type { RetryOptions } from './retry.js'
import type { baseSettingsSchema } from './schemas.js'
import type { TelemetryOptions } from './telemetry-options.js'
import type {
  Capabilities,
  Cost,
  FinishReason,
  GenerateRequest,
  ModelInfo,
  ToolCall,
  Usage,
  Warning,
} from './types.js'

/** Settings every provider accepts (`apiKey`, `baseURL`, `headers`, `sdk`, `fetch`). */
export type BaseSettings = z.infer<typeof baseSettingsSchema>

/** Policies that any provider or client takes beside its settings. */
export interface PolicyOptions {
  retry?: RetryOptions
  /** Per-attempt time limit in milliseconds (default 600 000). */
  timeoutMs?: number
  hooks?: Hooks
  /** Extra or overriding prices, merged over the provider's table. */
  pricing?: Partial<PricingTable> | PricingTable['models']
  /** OpenTelemetry spans (GenAI semantic conventions) for every call; needs `@opentelemetry/api`. */
  telemetry?: TelemetryOptions
}

/** A tool as adapters receive it: parameters already converted to JSON Schema. */
export interface AdapterTool {
  name: string
  description: string | undefined
  parameters: Record<string, unknown>
  /** The tool's `providerOptions` as given (e.g. a cache breakpoint), keyed by provider id. */
  providerOptions?: Record<string, Record<string, unknown> | undefined>
}

/** A validated request with the model resolved and the tools converted. */
export interface AdapterRequest extends Omit<GenerateRequest, 'tools' | 'model' | 'signal' | 'headers'> {
  model: string
  tools: AdapterTool[] | undefined
}

export interface AdapterEmbedRequest {
  model: string
  input: string[]
  dimensions: number | undefined
}

/** What the adapter gets for each attempt. */
export interface CallContext {
  /** Aborts on the caller's signal and on the attempt's timeout. Pass it to the SDK. */
  signal: AbortSignal
  headers: Record<string, string>
  /** `providerOptions[spec.id]`, passed to the vendor untouched. */
  providerOptions: Record<string, unknown>
  /** The request set `includeRaw`: a stream adapter emits `{ type: 'raw' }` events with each vendor chunk. */
  includeRaw?: boolean
  /** Push a warning for a setting the vendor cannot honour. */
  warn(warning: Warning): void
}

/**
 * What a vendor sent with a part or a result, as the adapter reads it: not keyed by provider, as
 * core files it under the provider's id (`providerMetadata[spec.id]`) for the user.
 */
export type VendorMetadata = Record<string, unknown>

/** A tool call as an adapter returns it. */
export type AdapterToolCall = Omit<ToolCall, 'providerMetadata'> & { providerMetadata?: VendorMetadata }

/** A part of an adapter's result, in the order the vendor sent them. */
export type AdapterContentPart =
  | { type: 'text'; text: string; providerMetadata?: VendorMetadata }
  /** `providerMetadata` holds what the vendor needs back (a signature, redacted data, an encrypted item). */
  | { type: 'reasoning'; text: string; providerMetadata?: VendorMetadata }
  | ({ type: 'tool-call' } & AdapterToolCall)

export interface AdapterGenerateResult {
  text: string
  reasoning?: string
  content: AdapterContentPart[]
  toolCalls: AdapterToolCall[]
  finishReason: FinishReason
  rawFinishReason: string | undefined
  usage: Usage | undefined
  /** The charge the vendor itself reported for this call (OpenRouter, xAI); core prefers it over the pricing table. */
  cost?: Cost
  model: string | undefined
  id: string | undefined
  raw: unknown
  /** What the vendor sent beyond the common result; core files it under the provider's id. */
  providerMetadata?: VendorMetadata
}

/** Adapters emit stream events; core adds the cost (unless the vendor reported one), assembles tool calls and the result. */
export type AdapterStreamEvent =
  /** `providerMetadata` is merged into the part the delta belongs to. */
  | { type: 'text-delta'; text: string; providerMetadata?: VendorMetadata }
  | { type: 'reasoning-delta'; text: string; providerMetadata?: VendorMetadata }
  /** Closes the current reasoning part with what the vendor sent for it; without one open, adds an empty part (redacted reasoning). */
  | { type: 'reasoning-end'; providerMetadata?: VendorMetadata }
  /** Closes the current text part with what the vendor sent for it, so text after it starts a new part. */
  | { type: 'text-end'; providerMetadata?: VendorMetadata }
  | {
      type: 'tool-call-delta'
      index: number
      toolCallId?: string
      toolName?: string
      argumentsDelta: string
      providerMetadata?: VendorMetadata
    }
  | { type: 'tool-call'; toolCall: AdapterToolCall }
  | {
      type: 'finish'
      finishReason: FinishReason
      rawFinishReason: string | undefined
      usage: Usage | undefined
      /** The charge the vendor reported for the stream; core prefers it over the pricing table. */
      cost?: Cost
      /** What the vendor sent beyond the common result; merged over what `response-metadata` sent. */
      providerMetadata?: VendorMetadata
    }
  | { type: 'response-metadata'; id?: string; model?: string; providerMetadata?: VendorMetadata }
  /** One vendor chunk as it came, sent only when `context.includeRaw` (collected on `result().raw`). */
  | { type: 'raw'; value: unknown }

export interface AdapterEmbedResult {
  embeddings: number[][]
  usage: { inputTokens: number } | undefined
  model: string | undefined
  raw: unknown
}

export interface ErrorContext {
  model: string | undefined
  /** True once a stream has delivered an event. */
  streaming: boolean
}

/** The translation a provider package implements: request out, result and stream in, errors mapped. */
export interface ProviderAdapter {
  generate(request: AdapterRequest, context: CallContext): Promise<AdapterGenerateResult>
  /** Sends the request; resolves once the response starts, so HTTP errors reject here. */
  stream?(request: AdapterRequest, context: CallContext): Promise<AsyncIterable<AdapterStreamEvent>>
  embed?(request: AdapterEmbedRequest, context: CallContext): Promise<AdapterEmbedResult>
  listModels?(context: CallContext): Promise<ModelInfo[]>
  /** Classifies anything the SDK threw into the core taxonomy. */
  mapError(error: unknown, context: ErrorContext): ModelplexError
  /** Secrets obtained after connecting (e.g. an Entra ID token); core redacts them from every error. */
  secrets?(): ReadonlyArray<string | undefined>
}

/** Settings after arguments and environment are merged and validated. */
export type ResolvedSettings<Settings> = Settings & BaseSettings

/** Environment variables per setting, read when the argument is absent; the first one set wins. */
export type EnvironmentVariables = {
  apiKey?: readonly string[]
  baseURL?: readonly string[]
} & { readonly [setting: string]: readonly string[] | undefined }

/** What `connect` learns beside the settings. */
export interface ConnectContext {
  /** The variable each setting was read from, for the settings the environment supplied. */
  fromEnvironment: Readonly<Record<string, string>>
}

/** How `detectProvider` tells that a provider is configured. */
export interface ProviderDetection {
  /** Any of these set means configured (default: the `env.apiKey` variables). */
  env?: readonly string[]
  /** A network check, run only when `detectProvider` may probe (e.g. Ollama's `/api/tags`). */
  probe?(env: Readonly<Record<string, string | undefined>>, options: { timeoutMs: number }): Promise<boolean>
}

export interface ProviderSpec<Settings extends BaseSettings = BaseSettings> {
  /** Stable id: the `<id>` of `@modelplex/provider-<id>` and of `'<id>:model'`. */
  id: string
  name: string
  /** The vendor SDK, a required peer of the provider package. */
  sdk: { package: string; range: string }
  /**
   * Extends the base settings schema; receives zod so the package need not import it eagerly.
   * It must accept valid base settings unchanged (add optional keys; do not narrow base ones).
   */
  settingsSchema?: (zod: typeof z, base: typeof baseSettingsSchema) => z.ZodType<Settings>
  /**
   * Zod-free checks of the keys `settingsSchema` adds, key by key: each returns true only when the
   * schema accepts that value unchanged. Settings made only of base keys and checked keys skip
   * zod on the first call (~55 ms); any other key, or a false, is left to `settingsSchema`.
   */
  settingChecks?: Record<string, (value: unknown) => boolean>
  /**
   * Environment variables read for any setting the arguments leave out, first set wins, e.g.
   * `{ apiKey: ['GROQ_API_KEY'], region: ['AWS_REGION', 'AWS_DEFAULT_REGION'] }`. Core reads them;
   * the values are validated like arguments and `connect` learns which setting came from where.
   */
  env: EnvironmentVariables
  /** Settings whose values core redacts from every error (default `['apiKey']`). */
  secrets?: readonly string[]
  /** How `detectProvider` recognises this provider in the environment (default: `env.apiKey` set). */
  detect?: ProviderDetection
  /** False for providers that run without a key (local servers). Default true. */
  requiresApiKey?: boolean
  defaultModel: string
  defaultEmbeddingModel?: string
  capabilities: Capabilities
  pricing: PricingTable
  /** Known context windows in tokens, used by fallback routing. */
  contextWindows?: Record<string, number>
  /** The only place the SDK is imported; called once, on the first request (`context` is absent in direct calls, e.g. warm-ups). */
  connect(
    settings: ResolvedSettings<Settings>,
    context?: ConnectContext,
  ): Promise<ProviderAdapter> | ProviderAdapter
}

/** Declares a provider; identity at runtime, a typed anchor for provider packages. */
export function defineProvider<Settings extends BaseSettings>(
  spec: ProviderSpec<Settings>,
): ProviderSpec<Settings> {
  return spec
}
