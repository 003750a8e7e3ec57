import { type BaseSettings, createProvider, type Provider, type ProviderOptions } from '@modelplex/core'
import { defineProvider } from '@modelplex/core/adapter'
import { createOpenAIClient, createOpenAICompatibleAdapter } from '@modelplex/provider-openai-compatible'
import { mapXaiError } from './map-xai-error.js'
import { readXaiCost, readXaiUsage } from './xai-cost.js'
import { readXaiMetadata, XAI_OPTION_KEYS } from './xai-options.js'
import { xaiPricing } from './xai-pricing.js'

/** Settings of the xAI provider: the base ones (`apiKey`, `baseURL`, `headers`, `sdk`, `fetch`). */
export type XaiSettings = BaseSettings

/** Grok chat models with autocomplete; any other id is accepted. */
export type XaiChatModelId =
  | 'grok-4.3'
  | 'grok-4.7'
  | 'grok-4.20-0309-reasoning'
  | 'grok-4.20-0309-non-reasoning'
  | (string & {})

const NAME = 'xAI'
const BASE_URL = 'https://api.x.ai/v1'

/** xAI's Grok models through the `openai` SDK at xAI's base URL; only xAI's differences live here. */
const xai = defineProvider<XaiSettings>({
  id: 'xai',
  name: NAME,
  sdk: { package: 'openai', range: '^6.0.0' },
  settingsSchema: (_z, base) => base.strict(),
  env: { apiKey: ['XAI_API_KEY'], baseURL: ['XAI_BASE_URL'] },
  defaultModel: 'grok-4.3',
  capabilities: {
    stream: true,
    tools: true,
    structuredOutput: 'json-schema',
    // xAI offers no embedding models on its public API.
    embeddings: false,
    vision: true,
    listModels: true,
    // Reasoning models return `reasoning_content` (grok-4.3 in __fixtures__/chat-completion-reasoning.json).
    reasoning: true,
    // Chat Completions takes files only as ids of xAI's Files API, not inline.
    files: [],
  },
  pricing: xaiPricing,
  contextWindows: { 'grok-4.3': 1_000_000 },
  async connect(settings) {
    const client = await createOpenAIClient(
      { ...settings, baseURL: settings.baseURL ?? BASE_URL },
      { provider: 'xai', organization: null, project: null },
    )
    return createOpenAICompatibleAdapter({
      provider: 'xai',
      name: NAME,
      client,
      quirks: {
        extractUsage: readXaiUsage,
        extractCost: readXaiCost,
        mapError: mapXaiError,
        // Reasoning is read, not sent back: Chat Completions takes no reasoning on input.
        reasoningFields: ['reasoning_content'],
        extractMetadata: readXaiMetadata,
        providerOptionKeys: XAI_OPTION_KEYS,
      },
    })
  },
})

export default xai

/** Creates the xAI provider, e.g. `createXai({ apiKey })`; the key defaults to `XAI_API_KEY`. */
export function createXai(settings: ProviderOptions<XaiSettings> = {}): Provider {
  return createProvider(xai, settings)
}
