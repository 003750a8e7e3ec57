import type { z } from 'zod'
import type { ModelplexError } from './errors.js'
import type { Hooks } from './hooks.js'
import type { PricingTable } from './pricing.js'
import type { RetryOptions } from './retry.js'
import type { baseSettingsSchema } from './schemas.js'
import type {
  Capabilities,
  ContentPart,
  Cost,
  FinishReason,
  GenerateRequest,
  ModelInfo,
  StreamEvent,
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
}

/** A tool as adapters receive it: parameters already converted to JSON Schema. */
export interface AdapterTool {
  name: string
  description: string | undefined
  parameters: Record<string, unknown>
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
  /** Push a warning for a setting the vendor cannot honour. */
  warn(warning: Warning): void
}

export interface AdapterGenerateResult {
  text: string
  reasoning?: string
  content: ContentPart[]
  toolCalls: ToolCall[]
  finishReason: FinishReason
  rawFinishReason: string | undefined
  usage: Usage | undefined
  /** The charge the vendor itself reported for this call (OpenRouter, xAI); core prefers it over the pricing table. */
  cost?: Cost
  model: string | undefined
  id: string | undefined
  raw: unknown
}

/** Adapters emit stream events; core adds the cost (unless the vendor reported one), assembles tool calls and the result. */
export type AdapterStreamEvent =
  | Exclude<StreamEvent, { type: 'finish' }>
  | {
      type: 'finish'
      finishReason: FinishReason
      rawFinishReason: string | undefined
      usage: Usage | undefined
      /** The charge the vendor reported for the stream; core prefers it over the pricing table. */
      cost?: Cost
    }
  | { type: 'response-metadata'; id?: string; model?: string }

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
