import { type BaseSettings, createProvider, type Provider, type ProviderOptions } from '@modelplex/core'
import { defineProvider } from '@modelplex/core/adapter'
import { createOpenAIClient, createOpenAICompatibleAdapter } from '@modelplex/provider-openai-compatible'
import { openAIPricing } from './openai-pricing.js'

const nonEmptyString = (value: unknown) => typeof value === 'string' && value.length > 0

/** Settings of the OpenAI provider. */
export interface OpenAISettings extends BaseSettings {
  /** Sent as `OpenAI-Organization`; the SDK falls back to `OPENAI_ORG_ID`. */
  organization?: string
  /** Sent as `OpenAI-Project`; the SDK falls back to `OPENAI_PROJECT_ID`. */
  project?: string
}

/** Chat models with autocomplete; any other id is accepted. */
export type OpenAIChatModelId =
  | 'gpt-5'
  | 'gpt-5-mini'
  | 'gpt-5-nano'
  | 'gpt-4.1'
  | 'gpt-4.1-mini'
  | 'gpt-4.1-nano'
  | 'gpt-4o'
  | 'gpt-4o-mini'
  | 'o1'
  | 'o3'
  | 'o3-mini'
  | 'o4-mini'
  | (string & {})

/** Embedding models with autocomplete; any other id is accepted. */
export type OpenAIEmbeddingModelId =
  | 'text-embedding-3-small'
  | 'text-embedding-3-large'
  | 'text-embedding-ada-002'
  | (string & {})

const NAME = 'OpenAI'

/** OpenAI through its official SDK: the shared translation with its OpenAI defaults, and the usage chunk guaranteed. */
const openAI = defineProvider<OpenAISettings>({
  id: 'openai',
  name: NAME,
  sdk: { package: 'openai', range: '^6.0.0' },
  settingsSchema: (z, base) =>
    base
      .extend({ organization: z.string().min(1).optional(), project: z.string().min(1).optional() })
      .strict(),
  settingChecks: { organization: nonEmptyString, project: nonEmptyString },
  env: { apiKey: ['OPENAI_API_KEY'], baseURL: ['OPENAI_BASE_URL'] },
  defaultModel: 'gpt-4o-mini',
  defaultEmbeddingModel: 'text-embedding-3-small',
  capabilities: {
    stream: true,
    tools: true,
    structuredOutput: 'json-schema',
    embeddings: true,
    vision: true,
    listModels: true,
  },
  pricing: openAIPricing,
  contextWindows: {
    'gpt-5': 400_000,
    'gpt-5-mini': 400_000,
    'gpt-5-nano': 400_000,
    'gpt-4.1': 1_047_576,
    'gpt-4.1-mini': 1_047_576,
    'gpt-4.1-nano': 1_047_576,
    'gpt-4o': 128_000,
    'gpt-4o-mini': 128_000,
    o1: 200_000,
    o3: 200_000,
    'o3-mini': 200_000,
    'o4-mini': 200_000,
  },
  async connect(settings) {
    const client = await createOpenAIClient(settings, {
      provider: 'openai',
      organization: settings.organization,
      project: settings.project,
    })
    return createOpenAICompatibleAdapter({
      provider: 'openai',
      name: NAME,
      client,
      // OpenAI always sends the usage chunk it is asked for: a stream that ends without it was cut.
      quirks: { streamUsageRequired: true },
    })
  },
})

export default openAI

/** Creates the OpenAI provider, e.g. `createOpenAI({ apiKey })`; the key defaults to `OPENAI_API_KEY`. */
export function createOpenAI(settings: ProviderOptions<OpenAISettings> = {}): Provider {
  return createProvider(openAI, settings)
}
