import {
  type BaseSettings,
  type Capabilities,
  createProvider,
  type Provider,
  type ProviderOptions,
} from '@modelplex/core'
import {
  type CallContext,
  defineProvider,
  type ProviderAdapter,
  type ProviderSpec,
} from '@modelplex/core/adapter'
import { createOpenAIClient, createOpenAICompatibleAdapter } from '@modelplex/provider-openai-compatible'
import { openAIPricing } from './openai-pricing.js'
import { chatProviderOptions } from './openai-provider-options.js'
import { createOpenAIResponsesAdapter } from './openai-responses-adapter.js'

const nonEmptyString = (value: unknown) => typeof value === 'string' && value.length > 0

/** Settings of the OpenAI provider. */
export interface OpenAISettings extends BaseSettings {
  /** Sent as `OpenAI-Organization`; the SDK falls back to `OPENAI_ORG_ID`. */
  organization?: string
  /** Sent as `OpenAI-Project`; the SDK falls back to `OPENAI_PROJECT_ID`. */
  project?: string
  /**
   * `responses` (default): OpenAI's Responses API, with reasoning summaries and encrypted
   * reasoning items; `chat`: Chat Completions, as before.
   */
  api?: OpenAIApi
}

/** The OpenAI API a provider speaks. */
export type OpenAIApi = 'responses' | 'chat'

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

/**
 * Media types each API reads in file parts (https://platform.openai.com/docs/guides/pdf-files):
 * Responses takes PDFs and text documents as `input_file`; Responses has no audio input content.
 * Chat Completions takes PDFs as `file` parts and WAV/MP3 as `input_audio`
 * (https://platform.openai.com/docs/guides/audio, the chat `input_audio` content part).
 */
export const OPENAI_RESPONSES_FILE_TYPES: readonly string[] = [
  'application/pdf',
  'text/plain',
  'text/markdown',
  'text/csv',
  'text/html',
  'application/json',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
]

/** Media types Chat Completions reads: PDFs as `file` parts, WAV and MP3 as `input_audio`. */
export const OPENAI_CHAT_FILE_TYPES: readonly string[] = ['application/pdf', 'audio/wav', 'audio/mpeg']

const baseCapabilities: Capabilities = {
  stream: true,
  tools: true,
  structuredOutput: 'json-schema',
  embeddings: true,
  vision: true,
  listModels: true,
}

/** Translates `providerOptions.openai` to Chat Completions' names before the shared adapter merges them. */
function withChatOptions(adapter: ProviderAdapter): ProviderAdapter {
  const translate = (context: CallContext): CallContext => ({
    ...context,
    providerOptions: chatProviderOptions(context.providerOptions),
  })
  return {
    ...adapter,
    generate: (request, context) => adapter.generate(request, translate(context)),
    ...(adapter.stream ? { stream: (request, context) => adapter.stream!(request, translate(context)) } : {}),
  }
}

function openAISpec(api: OpenAIApi): ProviderSpec<OpenAISettings> {
  return defineProvider<OpenAISettings>({
    id: 'openai',
    name: NAME,
    sdk: { package: 'openai', range: '^6.0.0' },
    settingsSchema: (z, base) =>
      base
        .extend({
          organization: z.string().min(1).optional(),
          project: z.string().min(1).optional(),
          api: z.enum(['responses', 'chat']).optional(),
        })
        .strict(),
    settingChecks: {
      organization: nonEmptyString,
      project: nonEmptyString,
      api: (value) => value === 'responses' || value === 'chat',
    },
    env: { apiKey: ['OPENAI_API_KEY'], baseURL: ['OPENAI_BASE_URL'] },
    defaultModel: 'gpt-4o-mini',
    defaultEmbeddingModel: 'text-embedding-3-small',
    capabilities:
      api === 'responses'
        ? { ...baseCapabilities, files: OPENAI_RESPONSES_FILE_TYPES, reasoning: true }
        : { ...baseCapabilities, files: OPENAI_CHAT_FILE_TYPES },
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
      const chat = withChatOptions(
        createOpenAICompatibleAdapter({
          provider: 'openai',
          name: NAME,
          client,
          // OpenAI always sends the usage chunk it is asked for: a stream that ends without it was cut.
          quirks: { streamUsageRequired: true },
        }),
      )
      if ((settings.api ?? api) === 'chat') return chat
      return createOpenAIResponsesAdapter({ name: NAME, client, base: chat })
    },
  })
}

/** OpenAI through the Responses API (the default). */
export const openAIResponses: ProviderSpec<OpenAISettings> = openAISpec('responses')

/** OpenAI through Chat Completions (`api: 'chat'`). */
export const openAIChat: ProviderSpec<OpenAISettings> = openAISpec('chat')

export default openAIResponses

/**
 * Creates the OpenAI provider, e.g. `createOpenAI({ apiKey })`; the key defaults to `OPENAI_API_KEY`.
 * `api: 'chat'` speaks Chat Completions instead of the Responses API.
 */
export function createOpenAI(settings: ProviderOptions<OpenAISettings> = {}): Provider {
  return createProvider(settings.api === 'chat' ? openAIChat : openAIResponses, settings)
}
