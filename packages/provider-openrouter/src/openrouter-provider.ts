import {
  type BaseSettings,
  createProvider,
  type ModelInfo,
  type Provider,
  type ProviderOptions,
} from '@modelplex/core'
import { defineProvider } from '@modelplex/core/adapter'
import {
  createOpenAIClient,
  createOpenAICompatibleAdapter,
  parseOpenAIModels,
  reasoningDetailsOf,
} from '@modelplex/provider-openai-compatible'
import { mapOpenRouterError } from './map-openrouter-error.js'
import { readOpenRouterCost } from './openrouter-cost.js'
import { OPENROUTER_OPTION_KEYS, readOpenRouterMetadata } from './openrouter-options.js'
import { openRouterPricing } from './openrouter-pricing.js'

/** Settings of the OpenRouter provider. */
export interface OpenRouterSettings extends BaseSettings {
  /** Your app's URL, sent as `HTTP-Referer` to attribute calls to it on openrouter.ai; default `OPENROUTER_APP_URL`. */
  appUrl?: string
  /** Your app's name, sent as `X-Title`; default `OPENROUTER_APP_NAME`. */
  appName?: string
}

/** OpenRouter model slugs (`<vendor>/<model>`) with autocomplete; any other slug is accepted. */
export type OpenRouterChatModelId =
  | 'openai/gpt-4o-mini'
  | 'openai/gpt-5'
  | 'anthropic/claude-sonnet-4.5'
  | 'google/gemini-2.5-flash'
  | 'meta-llama/llama-3.3-70b-instruct'
  | 'openrouter/auto'
  | (string & {})

const NAME = 'OpenRouter'
const BASE_URL = 'https://openrouter.ai/api/v1'

/** OpenRouter's attribution headers, sent only when an app URL or name is known. */
function attributionHeaders(settings: OpenRouterSettings): Record<string, string> {
  const headers: Record<string, string> = {}
  if (settings.appUrl) headers['HTTP-Referer'] = settings.appUrl
  if (settings.appName) headers['X-Title'] = settings.appName
  return headers
}

/** OpenRouter's model list, with the context length it gives for every model. */
function parseOpenRouterModels(body: unknown, provider: string): ModelInfo[] {
  const models = parseOpenAIModels(body, provider)
  const data = (body as { data: Array<{ context_length?: unknown }> }).data
  return models.map((model, index) => {
    const contextWindow = data[index]?.context_length
    return typeof contextWindow === 'number' ? { ...model, contextWindow } : model
  })
}

/**
 * OpenRouter through the `openai` SDK at its base URL: the shared translation, plus its
 * attribution headers, the cost it reports and its 402/403 errors.
 */
const openRouter = defineProvider<OpenRouterSettings>({
  id: 'openrouter',
  name: NAME,
  sdk: { package: 'openai', range: '^6.0.0' },
  settingsSchema: (z, base) =>
    base.extend({ appUrl: z.string().url().optional(), appName: z.string().min(1).optional() }).strict(),
  env: {
    apiKey: ['OPENROUTER_API_KEY'],
    baseURL: ['OPENROUTER_BASE_URL'],
    appUrl: ['OPENROUTER_APP_URL'],
    appName: ['OPENROUTER_APP_NAME'],
  },
  defaultModel: 'openai/gpt-4o-mini',
  defaultEmbeddingModel: 'openai/text-embedding-3-small',
  capabilities: {
    stream: true,
    tools: true,
    structuredOutput: 'json-schema',
    embeddings: true,
    vision: true,
    listModels: true,
    // `reasoning` text and signed/encrypted `reasoning_details` blocks (Anthropic, OpenAI, Gemini models).
    reasoning: true,
    // PDFs as `file` parts (https://openrouter.ai/docs/features/multimodal/pdfs), WAV and MP3 as
    // `input_audio` (https://openrouter.ai/docs/features/multimodal/audio).
    files: ['application/pdf', 'audio/wav', 'audio/x-wav', 'audio/mpeg', 'audio/mp3'],
  },
  pricing: openRouterPricing,
  async connect(settings) {
    const client = await createOpenAIClient(
      { ...settings, baseURL: settings.baseURL ?? BASE_URL },
      {
        provider: 'openrouter',
        organization: null,
        project: null,
        defaultHeaders: attributionHeaders(settings),
      },
    )
    // Usage and cost come in every response now: `usage: { include: true }` is deprecated and not sent.
    return createOpenAICompatibleAdapter({
      provider: 'openrouter',
      name: NAME,
      client,
      quirks: {
        extractCost: readOpenRouterCost,
        mapError: mapOpenRouterError,
        parseModels: parseOpenRouterModels,
        reasoningFields: ['reasoning'],
        reasoningDetailsField: 'reasoning_details',
        // Signed and encrypted blocks go back exactly as they came, on the assistant turn.
        sendReasoning: (wire, message) => {
          const details = reasoningDetailsOf(message, 'openrouter')
          return details.length > 0 ? { ...wire, reasoning_details: details } : wire
        },
        extractMetadata: readOpenRouterMetadata,
        providerOptionKeys: OPENROUTER_OPTION_KEYS,
      },
    })
  },
})

export default openRouter

/** Creates the OpenRouter provider, e.g. `createOpenRouter({ apiKey, appName: 'My app' })`; the key defaults to `OPENROUTER_API_KEY`. */
export function createOpenRouter(settings: ProviderOptions<OpenRouterSettings> = {}): Provider {
  return createProvider(openRouter, settings)
}
