import {
  type BaseSettings,
  ConfigError,
  createProvider,
  type Provider,
  type ProviderOptions,
} from '@modelplex/core'
import { defineProvider } from '@modelplex/core/adapter'
import { createOpenAIClient, createOpenAICompatibleAdapter } from './openai-compatible-adapter.js'
import './openai-compatible-options.js'

/** Settings of the generic OpenAI-compatible provider. */
export interface OpenAICompatibleSettings extends BaseSettings {
  /**
   * Output-token field. Default `max_tokens`, which every compatible server (vLLM, llama.cpp,
   * LM Studio, RamaLama) understands; `max_completion_tokens` for servers that follow OpenAI's newer name.
   */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens'
  /** Sends `topK` as `top_k` (vLLM, llama.cpp and LM Studio accept it). Default false: a warning instead. */
  sendTopK?: boolean
}

const NAME = 'OpenAI-compatible'

/** Any server that speaks the OpenAI Chat Completions API; `baseURL` is required, the key optional. */
const openAICompatible = defineProvider<OpenAICompatibleSettings>({
  id: 'openai-compatible',
  name: NAME,
  sdk: { package: 'openai', range: '^6.0.0' },
  settingsSchema: (z, base) =>
    base
      .extend({
        maxTokensField: z.enum(['max_tokens', 'max_completion_tokens']).optional(),
        sendTopK: z.boolean().optional(),
      })
      .strict(),
  settingChecks: {
    maxTokensField: (value) => value === 'max_tokens' || value === 'max_completion_tokens',
    sendTopK: (value) => typeof value === 'boolean',
  },
  env: { apiKey: ['OPENAI_COMPATIBLE_API_KEY'], baseURL: ['OPENAI_COMPATIBLE_BASE_URL'] },
  requiresApiKey: false,
  // A local server serves whatever it loaded; callers name the model on each call.
  defaultModel: 'default',
  capabilities: {
    stream: true,
    tools: true,
    structuredOutput: 'json-schema',
    embeddings: true,
    vision: true,
    listModels: true,
    // vLLM, SGLang and llama.cpp return `reasoning_content` / `reasoning` for reasoning models.
    reasoning: true,
    // No file part is common to compatible servers: each takes its own, or none.
    files: [],
  },
  // Self-hosted: free unless the user passes `pricing`, which core merges over this table.
  pricing: { source: 'self-hosted server', readAt: '2026-11-21', free: true, models: {} },
  async connect(settings) {
    if (!settings.baseURL) {
      throw new ConfigError(
        `${NAME}: no base URL. Pass the baseURL setting or set OPENAI_COMPATIBLE_BASE_URL (e.g. http://localhost:8000/v1).`,
        { provider: 'openai-compatible' },
      )
    }
    const client = await createOpenAIClient(settings, {
      provider: 'openai-compatible',
      // The SDK refuses to start without a key; servers that check none ignore this one.
      placeholderApiKey: 'not-needed',
      organization: null,
      project: null,
    })
    return createOpenAICompatibleAdapter({
      provider: 'openai-compatible',
      name: NAME,
      client,
      quirks: {
        maxTokensField: settings.maxTokensField ?? 'max_tokens',
        ...(settings.sendTopK ? { topKField: 'top_k' } : {}),
      },
    })
  },
})

export default openAICompatible

/** Creates the provider for one OpenAI-compatible server, e.g. `createOpenAICompatible({ baseURL: 'http://localhost:8000/v1' })`. */
export function createOpenAICompatible(settings: ProviderOptions<OpenAICompatibleSettings> = {}): Provider {
  return createProvider(openAICompatible, settings)
}
