import { type BaseSettings, createProvider, type Provider, type ProviderOptions } from '@modelplex/core'
import { defineProvider } from '@modelplex/core/adapter'
import { createOpenAIClient, createOpenAICompatibleAdapter } from '@modelplex/provider-openai-compatible'
import { convertToDeepSeekRequest } from './convert-to-deepseek-request.js'
import { readDeepSeekMetadata } from './deepseek-options.js'
import { deepSeekPricing } from './deepseek-pricing.js'
import { readDeepSeekUsage } from './deepseek-usage.js'
import { mapDeepSeekError } from './map-deepseek-error.js'

/** Settings of the DeepSeek provider: the base ones (`apiKey`, `baseURL`, `headers`, `sdk`, `fetch`). */
export type DeepSeekSettings = BaseSettings

/** DeepSeek chat models with autocomplete; any other id is accepted. */
export type DeepSeekChatModelId = 'deepseek-flash' | 'deepseek-v4-pro' | (string & {})

const NAME = 'DeepSeek'
const BASE_URL = 'https://api.deepseek.com'

/** DeepSeek through the `openai` SDK at DeepSeek's base URL; only DeepSeek's differences live here. */
const deepSeek = defineProvider<DeepSeekSettings>({
  id: 'deepseek',
  name: NAME,
  sdk: { package: 'openai', range: '^6.0.0' },
  settingsSchema: (_z, base) => base.strict(),
  env: { apiKey: ['DEEPSEEK_API_KEY'], baseURL: ['DEEPSEEK_BASE_URL'] },
  defaultModel: 'deepseek-flash',
  capabilities: {
    stream: true,
    tools: true,
    // DeepSeek's JSON Output is `json_object` only: core puts the schema in the prompt and checks it.
    structuredOutput: 'json-mode',
    // DeepSeek offers no embedding models.
    embeddings: false,
    // The image input of deepseek-flash has no documented Chat Completions form; images are refused.
    vision: false,
    listModels: true,
    // Thinking mode (the default) returns `reasoning_content`.
    reasoning: true,
    // DeepSeek's Chat Completions reads text only.
    files: [],
  },
  pricing: deepSeekPricing,
  contextWindows: { 'deepseek-flash': 1_000_000, 'deepseek-v4-pro': 1_000_000 },
  async connect(settings) {
    const client = await createOpenAIClient(
      { ...settings, baseURL: settings.baseURL ?? BASE_URL },
      { provider: 'deepseek', organization: null, project: null },
    )
    return createOpenAICompatibleAdapter({
      provider: 'deepseek',
      name: NAME,
      client,
      quirks: {
        maxTokensField: 'max_tokens',
        jsonSchema: false,
        reasoningFields: ['reasoning_content'],
        // DeepSeek's rule: after a tool call, the turn's reasoning_content must come back in every later
        // request (else 400); without one it is ignored. It is sent back on every assistant turn.
        sendReasoning: 'reasoning_content',
        extractMetadata: readDeepSeekMetadata,
        extractUsage: readDeepSeekUsage,
        transformRequest: convertToDeepSeekRequest,
        mapError: mapDeepSeekError,
      },
    })
  },
})

export default deepSeek

/** Creates the DeepSeek provider, e.g. `createDeepSeek({ apiKey })`; the key defaults to `DEEPSEEK_API_KEY`. */
export function createDeepSeek(settings: ProviderOptions<DeepSeekSettings> = {}): Provider {
  return createProvider(deepSeek, settings)
}
