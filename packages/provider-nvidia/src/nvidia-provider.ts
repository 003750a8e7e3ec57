import {
  type BaseSettings,
  ConfigError,
  createProvider,
  type Provider,
  type ProviderOptions,
} from '@modelplex/core'
import { defineProvider } from '@modelplex/core/adapter'
import {
  convertOpenAIProviderOptions,
  createOpenAIClient,
  createOpenAICompatibleAdapter,
} from '@modelplex/provider-openai-compatible'
import { NVIDIA_OPTION_KEYS } from './nvidia-options.js'
import { nvidiaPricing } from './nvidia-pricing.js'

/** Settings of the NVIDIA NIM provider: the base ones (`apiKey`, `baseURL`, `headers`, `sdk`, `fetch`). */
export type NvidiaSettings = BaseSettings

/** NIM chat models with autocomplete; any model of the catalog (or your own NIM) is accepted. */
export type NvidiaChatModelId =
  | 'meta/llama-3.1-8b-instruct'
  | 'meta/llama-3.3-70b-instruct'
  | 'nvidia/llama-3.3-nemotron-super-49b-v1.5'
  | (string & {})

const NAME = 'NVIDIA NIM'
const HOSTED_URL = 'https://integrate.api.nvidia.com/v1'

/**
 * NVIDIA NIM through the `openai` SDK: the hosted API catalog by default, or a self-hosted NIM
 * at `baseURL` (which needs no key). Only NIM's differences live here.
 */
const nvidia = defineProvider<NvidiaSettings>({
  id: 'nvidia',
  name: NAME,
  sdk: { package: 'openai', range: '^6.0.0' },
  settingsSchema: (_z, base) => base.strict(),
  env: { apiKey: ['NVIDIA_API_KEY'], baseURL: ['NVIDIA_BASE_URL'] },
  // The hosted catalog needs a key; a self-hosted NIM does not (checked in connect).
  requiresApiKey: false,
  defaultModel: 'meta/llama-3.1-8b-instruct',
  defaultEmbeddingModel: 'nvidia/nv-embedqa-e5-v5',
  capabilities: {
    stream: true,
    tools: true,
    structuredOutput: 'json-schema',
    embeddings: true,
    vision: true,
    listModels: true,
    // Reasoning models (Nemotron, DeepSeek-R1) return `reasoning_content`, as vLLM writes it.
    reasoning: true,
    // NIM's chat endpoint reads text and images only.
    files: [],
  },
  pricing: nvidiaPricing,
  async connect(settings) {
    if (!settings.apiKey && !settings.baseURL) {
      throw new ConfigError(
        `${NAME}: no API key. Pass the apiKey setting or set NVIDIA_API_KEY (a self-hosted NIM at your own baseURL needs none).`,
        { provider: 'nvidia' },
      )
    }
    const client = await createOpenAIClient(
      { ...settings, baseURL: settings.baseURL ?? HOSTED_URL },
      { provider: 'nvidia', placeholderApiKey: 'not-needed', organization: null, project: null },
    )
    // NIM serves vLLM/TensorRT-LLM, which know `max_tokens` only.
    const adapter = createOpenAICompatibleAdapter({
      provider: 'nvidia',
      name: NAME,
      client,
      quirks: {
        maxTokensField: 'max_tokens',
        // Reasoning is read, not sent back: chat templates drop it from earlier turns.
        providerOptionKeys: NVIDIA_OPTION_KEYS,
      },
    })
    return {
      ...adapter,
      // Retrieval models (nv-embedqa-*) require `input_type`; a query is the common case, and
      // `providerOptions.nvidia.input_type: 'passage'` embeds documents instead.
      embed: (request, context) =>
        adapter.embed!(request, {
          ...context,
          providerOptions: {
            input_type: 'query',
            ...convertOpenAIProviderOptions(context.providerOptions, NVIDIA_OPTION_KEYS),
          },
        }),
    }
  },
})

export default nvidia

/** Creates the NVIDIA NIM provider, e.g. `createNvidia({ apiKey })`; the key defaults to `NVIDIA_API_KEY`. */
export function createNvidia(settings: ProviderOptions<NvidiaSettings> = {}): Provider {
  return createProvider(nvidia, settings)
}
