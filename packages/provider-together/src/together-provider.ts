import { type BaseSettings, createProvider, type Provider, type ProviderOptions } from '@modelplex/core'
import { defineProvider } from '@modelplex/core/adapter'
import {
  createOpenAIClient,
  createOpenAICompatibleAdapter,
  type OpenAIErrorClasses,
} from '@modelplex/provider-openai-compatible'
import { mapTogetherError } from './map-together-error.js'
import { parseTogetherModels, readTogetherUsage } from './parse-together-response.js'
import { readTogetherMetadata, TOGETHER_OPTION_KEYS } from './together-options.js'
import { togetherPricing } from './together-pricing.js'

/** Settings of the Together AI provider: the base settings only. */
export interface TogetherSettings extends BaseSettings {}

/** Chat models with autocomplete; any other id is accepted. */
export type TogetherChatModelId =
  | 'meta-llama/Llama-3.3-70B-Instruct-Turbo'
  | 'meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo'
  | 'meta-llama/Meta-Llama-3.1-405B-Instruct-Turbo'
  | 'meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8'
  | 'deepseek-ai/DeepSeek-R1'
  | 'deepseek-ai/DeepSeek-V3.1'
  | 'Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8'
  | 'moonshotai/Kimi-K2-Instruct-0905'
  | 'openai/gpt-oss-120b'
  | (string & {})

/** Embedding models with autocomplete; any other id is accepted. */
export type TogetherEmbeddingModelId =
  | 'BAAI/bge-base-en-v1.5'
  | 'BAAI/bge-large-en-v1.5'
  | 'intfloat/multilingual-e5-large-instruct'
  | (string & {})

const NAME = 'Together AI'

/** Together AI through `together-ai`: the OpenAI shape at api.together.ai, with embeddings. */
const together = defineProvider<TogetherSettings>({
  id: 'together',
  name: NAME,
  sdk: { package: 'together-ai', range: '^0.52.0' },
  settingsSchema: (_z, base) => base.strict(),
  env: { apiKey: ['TOGETHER_API_KEY'], baseURL: ['TOGETHER_BASE_URL'] },
  // Together's own recommendation to start with.
  defaultModel: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
  defaultEmbeddingModel: 'BAAI/bge-base-en-v1.5',
  capabilities: {
    stream: true,
    tools: true,
    structuredOutput: 'json-schema',
    embeddings: true,
    vision: true,
    listModels: true,
    // DeepSeek-R1, Kimi and gpt-oss return `reasoning` / `reasoning_content`.
    reasoning: true,
    // Together's chat models read text and images; no document or audio part.
    files: [],
  },
  pricing: togetherPricing,
  contextWindows: {
    'meta-llama/Llama-3.3-70B-Instruct-Turbo': 131_072,
    'meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo': 131_072,
    'meta-llama/Meta-Llama-3.1-405B-Instruct-Turbo': 130_815,
    'deepseek-ai/DeepSeek-R1': 128_000,
    'Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8': 256_000,
    'moonshotai/Kimi-K2-Instruct-0905': 262_144,
    'openai/gpt-oss-120b': 128_000,
  },
  async connect(settings) {
    const client = await createOpenAIClient(settings, {
      provider: 'together',
      sdk: { package: 'together-ai', load: () => import('together-ai'), exportName: 'Together' },
    })
    // The Together class carries the SDK's error classes as statics, as the OpenAI class does.
    const errors = client.constructor as unknown as OpenAIErrorClasses
    return createOpenAICompatibleAdapter({
      provider: 'together',
      name: NAME,
      client,
      quirks: {
        // Together's API takes `max_tokens` only, and `top_k` beside `top_p`.
        maxTokensField: 'max_tokens',
        topKField: 'top_k',
        // Usage arrives on the last chunk unasked; `stream_options` is not in Together's API.
        streamUsage: false,
        extractUsage: readTogetherUsage,
        parseModels: parseTogetherModels,
        // Reasoning is read, not sent back.
        extractMetadata: readTogetherMetadata,
        providerOptionKeys: TOGETHER_OPTION_KEYS,
        mapError: (error, context) => mapTogetherError(error, { model: context.model, errors }),
      },
    })
  },
})

export default together

/** Creates the Together AI provider, e.g. `createTogether({ apiKey })`; the key defaults to `TOGETHER_API_KEY`. */
export function createTogether(settings: ProviderOptions<TogetherSettings> = {}): Provider {
  return createProvider(together, settings)
}
