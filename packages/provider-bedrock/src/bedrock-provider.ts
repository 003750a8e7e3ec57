import {
  type BaseSettings,
  ConfigError,
  createProvider,
  type Provider,
  type ProviderOptions,
} from '@modelplex/core'
import { defineProvider, importSdk } from '@modelplex/core/adapter'
import { type BedrockSdk, createBedrockAdapter } from './bedrock-adapter.js'
import { bedrockPricing } from './bedrock-pricing.js'
import { AUDIO_FORMATS, DOCUMENT_FORMATS } from './convert-to-bedrock-request.js'

const nonEmptyString = (value: unknown) => typeof value === 'string' && value.length > 0

/** Settings of the Amazon Bedrock provider. */
export interface BedrockSettings extends BaseSettings {
  /** AWS Region, e.g. `us-east-1`; defaults to `AWS_REGION`, `AWS_DEFAULT_REGION`, then the SDK's profile config. */
  region?: string
  /** SigV4 access key id; with `secretAccessKey` it replaces the SDK's default credential chain. */
  accessKeyId?: string
  /** SigV4 secret access key, given with `accessKeyId`. */
  secretAccessKey?: string
  /** Session token of temporary credentials. */
  sessionToken?: string
  /** Named profile of `~/.aws/config` for the SDK's credential chain (default `AWS_PROFILE`). */
  profile?: string
  /** An AWS SDK credentials object or provider (e.g. `fromIni()`, an assume-role provider). */
  credentials?: unknown
  /** A Smithy request handler; default a `FetchHttpHandler`, so aborts and `fetch` mocks work. */
  requestHandler?: unknown
}

/** Chat models with autocomplete; any model id, inference profile id or ARN is accepted. */
export type BedrockChatModelId =
  | 'amazon.nova-micro-v1:0'
  | 'amazon.nova-lite-v1:0'
  | 'amazon.nova-pro-v1:0'
  | 'anthropic.claude-3-5-haiku-20241022-v1:0'
  | 'anthropic.claude-3-haiku-20240307-v1:0'
  | 'anthropic.claude-3-7-sonnet-20250219-v1:0'
  | 'anthropic.claude-sonnet-4-20250514-v1:0'
  | 'global.anthropic.claude-haiku-4-5-20251001-v1:0'
  | 'global.anthropic.claude-sonnet-4-5-20250929-v1:0'
  | 'meta.llama3-3-70b-instruct-v1:0'
  | 'meta.llama3-1-8b-instruct-v1:0'
  | (string & {})

/** Embedding models with autocomplete: Titan (one call per input) or Cohere (batched). */
export type BedrockEmbeddingModelId =
  | 'amazon.titan-embed-text-v2:0'
  | 'amazon.titan-embed-text-v1'
  | 'cohere.embed-english-v3'
  | 'cohere.embed-multilingual-v3'
  | 'cohere.embed-v4:0'
  | (string & {})

const NAME = 'Amazon Bedrock'

const PAIR_MESSAGE =
  'accessKeyId and secretAccessKey go together: pass both, or neither to use the credential chain'

const credentialsHint =
  'Pass accessKeyId and secretAccessKey (or apiKey), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE or AWS_BEARER_TOKEN_BEDROCK'

/** Amazon Bedrock through `@aws-sdk/client-bedrock-runtime`: Converse, ConverseStream and InvokeModel. */
const bedrock = defineProvider<BedrockSettings>({
  id: 'bedrock',
  name: NAME,
  sdk: { package: '@aws-sdk/client-bedrock-runtime', range: '^3.1162.0' },
  settingsSchema: (z, base) =>
    base
      .extend({
        region: z.string().min(1).optional(),
        accessKeyId: z.string().min(1).optional(),
        secretAccessKey: z.string().min(1).optional(),
        sessionToken: z.string().min(1).optional(),
        profile: z.string().min(1).optional(),
        credentials: z
          .custom<unknown>(
            (value) => typeof value === 'function' || (typeof value === 'object' && value !== null),
          )
          .optional(),
        requestHandler: z.custom<unknown>((value) => typeof value === 'object' && value !== null).optional(),
      })
      .strict(),
  // accessKeyId and secretAccessKey go together, which connect() checks (a rule across two
  // settings would break the fast path's promise that what it passes the schema accepts); each
  // has a check of its own, so the usual SigV4 settings do not load zod.
  settingChecks: {
    accessKeyId: nonEmptyString,
    secretAccessKey: nonEmptyString,
    region: nonEmptyString,
    sessionToken: nonEmptyString,
    profile: nonEmptyString,
    credentials: (value) => typeof value === 'function' || (typeof value === 'object' && value !== null),
    requestHandler: (value) => typeof value === 'object' && value !== null,
  },
  // A Bedrock API key is a bearer token; SigV4 credentials come from the SDK's chain instead.
  env: {
    apiKey: ['AWS_BEARER_TOKEN_BEDROCK'],
    baseURL: ['AWS_ENDPOINT_URL_BEDROCK_RUNTIME'],
    region: ['AWS_REGION', 'AWS_DEFAULT_REGION'],
  },
  // The access key id is not secret, but AWS treats it as an identifier worth keeping out of logs.
  secrets: ['apiKey', 'secretAccessKey', 'sessionToken', 'accessKeyId'],
  // The SDK's own credential chain reads AWS_ACCESS_KEY_ID and AWS_PROFILE: either configures Bedrock.
  detect: { env: ['AWS_BEARER_TOKEN_BEDROCK', 'AWS_ACCESS_KEY_ID', 'AWS_PROFILE'] },
  requiresApiKey: false,
  defaultModel: 'amazon.nova-lite-v1:0',
  defaultEmbeddingModel: 'amazon.titan-embed-text-v2:0',
  capabilities: {
    stream: true,
    tools: true,
    structuredOutput: 'tool',
    embeddings: true,
    vision: true,
    // The runtime client has no list API; listing needs `@aws-sdk/client-bedrock` (the control plane).
    listModels: false,
    // Converse document blocks (pdf, csv, doc(x), xls(x), html, txt, md) and audio blocks.
    files: [...Object.keys(DOCUMENT_FORMATS), ...Object.keys(AUDIO_FORMATS)],
    // Claude's extended thinking, signed (reasoningContent), and Nova 2's reasoning.
    reasoning: true,
    // cachePoint blocks after system, messages, parts and tools.
    cacheControl: true,
  },
  pricing: bedrockPricing,
  contextWindows: {
    'amazon.nova-micro-v1:0': 128_000,
    'amazon.nova-lite-v1:0': 300_000,
    'amazon.nova-pro-v1:0': 300_000,
    'anthropic.claude-3-5-haiku-20241022-v1:0': 200_000,
    'anthropic.claude-3-haiku-20240307-v1:0': 200_000,
    'anthropic.claude-3-7-sonnet-20250219-v1:0': 200_000,
    'anthropic.claude-sonnet-4-20250514-v1:0': 200_000,
    'global.anthropic.claude-haiku-4-5-20251001-v1:0': 200_000,
    'global.anthropic.claude-sonnet-4-5-20250929-v1:0': 200_000,
    'meta.llama3-3-70b-instruct-v1:0': 128_000,
    'meta.llama3-1-8b-instruct-v1:0': 128_000,
  },
  async connect(settings, context) {
    if (!settings.accessKeyId !== !settings.secretAccessKey) {
      throw new ConfigError(`${NAME}: ${PAIR_MESSAGE}`, { provider: 'bedrock' })
    }
    if (settings.sessionToken && !settings.accessKeyId) {
      throw new ConfigError(`${NAME}: sessionToken needs accessKeyId and secretAccessKey beside it`, {
        provider: 'bedrock',
      })
    }
    const sdk = await importSdk<BedrockSdk>(
      '@aws-sdk/client-bedrock-runtime',
      settings.sdk,
      () => import('@aws-sdk/client-bedrock-runtime'),
      'bedrock',
    )
    const requestHandler =
      settings.requestHandler ??
      new (await import('@smithy/fetch-http-handler')).FetchHttpHandler({
        // Resolved per call, so a fetch patched after the client was built (mocks, tracing) is honoured.
        customFetch: settings.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      })
    const config: Record<string, unknown> = {
      region: settings.region,
      // Retries are core's policy.
      maxAttempts: 1,
      requestHandler,
    }
    if (settings.baseURL) config.endpoint = settings.baseURL
    if (settings.profile) config.profile = settings.profile
    // Explicit SigV4 settings win over a key that only came from AWS_BEARER_TOKEN_BEDROCK.
    const keyFromEnvironment = context?.fromEnvironment.apiKey !== undefined
    const explicitSigV4 = Boolean(settings.accessKeyId || settings.credentials)
    if (settings.apiKey && !(keyFromEnvironment && explicitSigV4)) {
      config.token = { token: settings.apiKey }
      config.authSchemePreference = ['httpBearerAuth']
    } else if (settings.accessKeyId && settings.secretAccessKey) {
      config.credentials = {
        accessKeyId: settings.accessKeyId,
        secretAccessKey: settings.secretAccessKey,
        ...(settings.sessionToken ? { sessionToken: settings.sessionToken } : {}),
      }
      // The SDK itself prefers bearer auth whenever AWS_BEARER_TOKEN_BEDROCK is set.
      config.authSchemePreference = ['sigv4']
    } else if (settings.credentials) {
      config.credentials = settings.credentials
      config.authSchemePreference = ['sigv4']
    }
    const client = new sdk.BedrockRuntimeClient(config)
    const headers = settings.headers
    if (headers && Object.keys(headers).length > 0) {
      client.middlewareStack.add(
        (next: (args: any) => Promise<any>) => (args: any) => {
          Object.assign(args.request.headers, headers)
          return next(args)
        },
        { step: 'build', name: 'modelplexSettingsHeaders' } as const,
      )
    }
    return createBedrockAdapter({
      sdk,
      client,
      name: NAME,
      fetch: settings.fetch,
      credentialsHint,
    })
  },
})

export default bedrock

/**
 * Creates the Amazon Bedrock provider, e.g. `createBedrock({ region: 'us-east-1' })`; credentials
 * come from the settings, `AWS_BEARER_TOKEN_BEDROCK`, or the AWS SDK's default chain.
 */
export function createBedrock(settings: ProviderOptions<BedrockSettings> = {}): Provider {
  return createProvider(bedrock, settings)
}
