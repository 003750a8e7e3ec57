import {
  AuthenticationError,
  type BaseSettings,
  ConfigError,
  createProvider,
  type Provider,
  type ProviderOptions,
} from '@modelplex/core'
import {
  type CallContext,
  connectionError,
  defineProvider,
  importSdk,
  isNetworkError,
  type ProviderAdapter,
  type ProviderSpec,
} from '@modelplex/core/adapter'
import {
  chatProviderOptions,
  createOpenAIResponsesAdapter,
  OPENAI_RESPONSES_FILE_TYPES,
  type OpenAIProviderOptions,
} from '@modelplex/provider-openai'
import { createOpenAICompatibleAdapter, type OpenAIErrorClasses } from '@modelplex/provider-openai-compatible'
import type { AzureOpenAI, OpenAI } from 'openai'
import { resolveEndpointConfig } from './azure-openai-config.js'
import { azureOpenAIPricing } from './azure-openai-pricing.js'
import { mapAzureOpenAIError } from './map-azure-openai-error.js'

/** `providerOptions['azure-openai']`: OpenAI's options (reasoning, store, serviceTier…), on both APIs. */
export interface AzureOpenAIProviderOptions extends OpenAIProviderOptions {}

declare module '@modelplex/core' {
  interface ProviderOptionsRegistry {
    'azure-openai': AzureOpenAIProviderOptions
  }
}

/** Returns a Microsoft Entra ID access token (e.g. `getBearerTokenProvider` of `@azure/identity`). */
export type AzureADTokenProvider = () => Promise<string>

/** Settings of the Azure OpenAI provider. */
export interface AzureOpenAISettings extends BaseSettings {
  /** `https://<resource>.openai.azure.com`; falls back to `AZURE_OPENAI_ENDPOINT`. */
  endpoint?: string
  /** The resource name, instead of `endpoint`: `https://<resourceName>.openai.azure.com`. */
  resourceName?: string
  /**
   * `2024-10-21` (default: the latest GA dated version), a dated preview such as
   * `2025-04-01-preview`, or `v1` / `preview` for the v1 API. Falls back to
   * `AZURE_OPENAI_API_VERSION`, then `OPENAI_API_VERSION`.
   */
  apiVersion?: string
  /** The deployment a request goes to when it names no model (the request's `model` is a deployment name). */
  deployment?: string
  /** Authenticates with Microsoft Entra ID tokens (sent as `Authorization: Bearer`) instead of a key. */
  azureADTokenProvider?: AzureADTokenProvider
  /** The output-token field; by default `max_completion_tokens` from 2024-12-01-preview and on v1, else `max_tokens`. */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens'
  /**
   * `chat` (default): Chat Completions. `responses`: the Responses API (`/openai/v1/responses` on
   * the v1 API, `/openai/responses?api-version=…` from 2025-03-01-preview), with reasoning
   * summaries, encrypted reasoning items and file inputs.
   */
  api?: 'chat' | 'responses'
}

/** Deployment names are yours; these are the base models Azure deploys most, for autocomplete. */
export type AzureOpenAIDeploymentId =
  | 'gpt-4.1'
  | 'gpt-4.1-mini'
  | 'gpt-4.1-nano'
  | 'gpt-4o'
  | 'gpt-4o-mini'
  | 'o4-mini'
  | 'text-embedding-3-small'
  | 'text-embedding-3-large'
  | (string & {})

const PROVIDER = 'azure-openai'
const NAME = 'Azure OpenAI'
const DEFAULT_MODEL = 'gpt-4o-mini'
/** Core owns timeouts (and aborts through the signal); the SDK's own limit only has to stay out of the way. */
const SDK_TIMEOUT_MS = 24 * 60 * 60 * 1000

/**
 * Wraps the user's token provider so a failure surfaces as a typed error (the SDK wraps whatever
 * it throws, and the adapter's error mapping unwraps ours); every token it hands out joins `tokens`.
 */
function checkedTokenProvider(provider: AzureADTokenProvider, tokens: Set<string>): AzureADTokenProvider {
  return async () => {
    let token: unknown
    try {
      token = await provider()
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause)
      if (isNetworkError(cause)) throw connectionError(cause, { provider: PROVIDER })
      throw new AuthenticationError(`${NAME}: azureADTokenProvider failed: ${reason}`, {
        provider: PROVIDER,
        cause,
      })
    }
    if (typeof token !== 'string' || token === '') {
      throw new AuthenticationError(`${NAME}: azureADTokenProvider returned no token`, { provider: PROVIDER })
    }
    tokens.add(token)
    // Tokens refresh for as long as the process runs; the last few cover the calls still in flight.
    if (tokens.size > 4) tokens.delete(tokens.values().next().value!)
    return token
  }
}

const chatCapabilities = {
  stream: true,
  tools: true,
  structuredOutput: 'json-schema' as const,
  embeddings: true,
  vision: true,
  listModels: true,
}

/** Azure OpenAI through the `openai` SDK's `AzureOpenAI` class (or its `OpenAI` class on the v1 API). */
const azureOpenAISpec = (api: 'chat' | 'responses') =>
  defineProvider<AzureOpenAISettings>({
    id: PROVIDER,
    name: NAME,
    sdk: { package: 'openai', range: '^6.0.0' },
    settingsSchema: (z, base) =>
      base
        .extend({
          endpoint: z.string().url().optional(),
          resourceName: z
            .string()
            .regex(/^[a-zA-Z0-9][a-zA-Z0-9-]*$/, 'a resource name holds letters, digits and "-"')
            .optional(),
          apiVersion: z
            .string()
            .regex(
              /^(v1|preview|\d{4}-\d{2}-\d{2}(-preview)?)$/,
              'an API version is "v1", "preview" or a date such as "2024-10-21" or "2025-04-01-preview"',
            )
            .optional(),
          deployment: z.string().min(1).optional(),
          azureADTokenProvider: z
            .custom<AzureADTokenProvider>((value) => typeof value === 'function', {
              message: 'azureADTokenProvider must be a function that resolves to a Microsoft Entra ID token',
            })
            .optional(),
          maxTokensField: z.enum(['max_tokens', 'max_completion_tokens']).optional(),
          api: z.enum(['chat', 'responses']).optional(),
        })
        .strict()
        // `deployment` is Azure's name for core's `defaultModel` setting: a request naming no model goes there.
        .transform((settings) => ({
          ...settings,
          defaultModel: settings.defaultModel ?? settings.deployment,
        })),
    // AZURE_OPENAI_ENDPOINT is an endpoint, not a base URL: `/openai` (and `/v1`) are added to it.
    env: {
      apiKey: ['AZURE_OPENAI_API_KEY'],
      endpoint: ['AZURE_OPENAI_ENDPOINT'],
      apiVersion: ['AZURE_OPENAI_API_VERSION', 'OPENAI_API_VERSION'],
    },
    // A token provider replaces the key, so connect checks the credentials itself.
    requiresApiKey: false,
    defaultModel: DEFAULT_MODEL,
    defaultEmbeddingModel: 'text-embedding-3-small',
    capabilities:
      api === 'responses'
        ? { ...chatCapabilities, files: OPENAI_RESPONSES_FILE_TYPES, reasoning: true }
        : chatCapabilities,
    pricing: azureOpenAIPricing,
    async connect(settings, context) {
      const tokens = new Set<string>()
      const tokenProvider = settings.azureADTokenProvider
        ? checkedTokenProvider(settings.azureADTokenProvider, tokens)
        : undefined
      if (!tokenProvider && !settings.apiKey) {
        throw new ConfigError(
          `${NAME}: no credentials. Pass the apiKey setting or set AZURE_OPENAI_API_KEY, or pass azureADTokenProvider (Microsoft Entra ID).`,
          { provider: PROVIDER },
        )
      }
      const config = resolveEndpointConfig(settings, context?.fromEnvironment)
      const sdk: any = await importSdk('openai', settings.sdk, () => import('openai'), PROVIDER)
      const exported = sdk?.AzureOpenAI ? sdk : sdk?.default
      if (typeof exported?.AzureOpenAI !== 'function' || typeof exported?.OpenAI !== 'function') {
        throw new ConfigError(
          `${NAME}: the sdk setting must be the openai module (import * as openai from 'openai')`,
          {
            provider: PROVIDER,
          },
        )
      }
      const shared = {
        baseURL: config.baseURL,
        // null, not undefined: the SDK would read OPENAI_ORG_ID, OPENAI_PROJECT_ID and OPENAI_ADMIN_KEY.
        organization: null,
        project: null,
        adminAPIKey: null,
        defaultHeaders: settings.headers,
        maxRetries: 0,
        timeout: SDK_TIMEOUT_MS,
        // Resolved per call, so a fetch patched after the client was built (mocks, tracing) is honoured.
        fetch: settings.fetch ?? ((input: any, init: any) => globalThis.fetch(input, init)),
      }
      let client: OpenAI
      if (config.api === 'v1') {
        // The v1 API is OpenAI's own shape: Microsoft documents the OpenAI class for it (key or token as Bearer).
        const OpenAIClass: typeof OpenAI = exported.OpenAI
        client = new OpenAIClass({
          ...shared,
          apiKey: tokenProvider ?? settings.apiKey,
          ...(config.v1Query ? { defaultQuery: config.v1Query } : {}),
        })
      } else {
        const AzureOpenAIClass: typeof AzureOpenAI = exported.AzureOpenAI
        client = new AzureOpenAIClass({
          ...shared,
          apiVersion: config.apiVersion,
          // A token provider wins over a key (which may come from the environment); null stops the
          // SDK from reading AZURE_OPENAI_API_KEY itself and refusing both.
          ...(tokenProvider
            ? { azureADTokenProvider: tokenProvider, apiKey: null as unknown as undefined }
            : { apiKey: settings.apiKey }),
        })
      }
      const errors = client.constructor as unknown as OpenAIErrorClasses
      const adapter: ProviderAdapter = createOpenAICompatibleAdapter({
        provider: PROVIDER,
        name: NAME,
        client,
        quirks: {
          maxTokensField: config.maxTokensField,
          streamUsage: config.streamUsage,
          jsonSchema: config.jsonSchema,
          mapError: (error, context) => mapAzureOpenAIError(error, { model: context.model, errors }),
        },
      })
      // Entra ID tokens are secrets too, though no setting holds them: core redacts what the adapter lists.
      const secrets = () => [...tokens]
      if ((settings.api ?? api) === 'responses') {
        const responses = createOpenAIResponsesAdapter({
          provider: PROVIDER,
          name: NAME,
          client,
          base: adapter,
        })
        responses.secrets = secrets
        return responses
      }
      // Typed `providerOptions` keys in Chat Completions' names, unknown keys as given.
      const translate = (callContext: CallContext): CallContext => ({
        ...callContext,
        providerOptions: chatProviderOptions(callContext.providerOptions),
      })
      const chat: ProviderAdapter = {
        ...adapter,
        generate: (request, callContext) => adapter.generate(request, translate(callContext)),
        stream: (request, callContext) => adapter.stream!(request, translate(callContext)),
      }
      chat.secrets = secrets
      return chat
    },
  })

/** Azure OpenAI through Chat Completions (the default). */
export const azureOpenAIChat: ProviderSpec<AzureOpenAISettings> = azureOpenAISpec('chat')

/** Azure OpenAI through the Responses API (`api: 'responses'`). */
export const azureOpenAIResponses: ProviderSpec<AzureOpenAISettings> = azureOpenAISpec('responses')

const azureOpenAI = azureOpenAIChat

export default azureOpenAI

/**
 * Creates the Azure OpenAI provider, e.g. `createAzureOpenAI({ endpoint, apiKey })` or
 * `createAzureOpenAI({ resourceName, azureADTokenProvider })`; requests name a deployment as `model`.
 */
export function createAzureOpenAI(settings: ProviderOptions<AzureOpenAISettings> = {}): Provider {
  return createProvider(settings.api === 'responses' ? azureOpenAIResponses : azureOpenAIChat, settings)
}
