import {
  type BaseSettings,
  ConfigError,
  createProvider,
  type Provider,
  type ProviderOptions,
} from '@modelplex/core'
import { defineProvider, importSdk } from '@modelplex/core/adapter'
import { createMistralAdapter, type MistralModule } from './mistral-adapter.js'
import { mistralPricing } from './mistral-pricing.js'

/** Settings of the Mistral provider. */
export interface MistralSettings extends BaseSettings {
  /**
   * Mistral accepts only tool call ids of 9 letters or digits. When true (the default), any other
   * id in the conversation (e.g. `call_…` from another provider) is rewritten to a stable 9-character
   * id, the same for the call and its result; ids Mistral issued pass unchanged.
   */
  normalizeToolCallIds?: boolean
}

/** Chat models with autocomplete; any other id is accepted. */
export type MistralChatModelId =
  | 'mistral-small-latest'
  | 'mistral-medium-latest'
  | 'mistral-large-latest'
  | 'magistral-medium-latest'
  | 'magistral-small-latest'
  | 'ministral-3b-latest'
  | 'ministral-8b-latest'
  | 'ministral-14b-latest'
  | 'codestral-latest'
  | 'devstral-medium-latest'
  | (string & {})

/** Embedding models with autocomplete; any other id is accepted. */
export type MistralEmbeddingModelId = 'mistral-embed' | 'codestral-embed' | (string & {})

const NAME = 'Mistral'

/** Mistral AI through its official SDK, `@mistralai/mistralai` (v2, ESM-only, loaded on first call). */
const mistral = defineProvider<MistralSettings>({
  id: 'mistral',
  name: NAME,
  sdk: { package: '@mistralai/mistralai', range: '^2.7.0' },
  settingsSchema: (z, base) => base.extend({ normalizeToolCallIds: z.boolean().optional() }).strict(),
  settingChecks: { normalizeToolCallIds: (value) => typeof value === 'boolean' },
  env: { apiKey: ['MISTRAL_API_KEY'], baseURL: ['MISTRAL_BASE_URL'] },
  defaultModel: 'mistral-small-latest',
  defaultEmbeddingModel: 'mistral-embed',
  capabilities: {
    stream: true,
    tools: true,
    structuredOutput: 'json-schema',
    embeddings: true,
    vision: true,
    listModels: true,
    // PDFs as `document_url` chunks (document QnA), audio as `input_audio` chunks (Voxtral models:
    // mp3, wav, flac, ogg, m4a…); docs.mistral.ai/capabilities/document_ai and /audio.
    files: ['application/pdf', 'audio/*'],
    // `thinking` chunks from Magistral and the adjustable-reasoning models (reasoning_effort).
    reasoning: true,
  },
  pricing: mistralPricing,
  async connect(settings) {
    const module: any = await importSdk(
      '@mistralai/mistralai',
      settings.sdk,
      () => import('@mistralai/mistralai'),
      'mistral',
    )
    if (typeof module?.Mistral !== 'function' || typeof module?.HTTPClient !== 'function') {
      throw new ConfigError(
        `${NAME}: the sdk setting must be the @mistralai/mistralai module (import * as sdk from '@mistralai/mistralai')`,
        { provider: 'mistral' },
      )
    }
    return createMistralAdapter({ sdk: module as MistralModule, settings })
  },
})

export default mistral

/** Creates the Mistral provider, e.g. `createMistral({ apiKey })`; the key defaults to `MISTRAL_API_KEY`. */
export function createMistral(settings: ProviderOptions<MistralSettings> = {}): Provider {
  return createProvider(mistral, settings)
}
