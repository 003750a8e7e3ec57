import { type BaseSettings, createProvider, type Provider, type ProviderOptions } from '@modelplex/core'
import { defineProvider } from '@modelplex/core/adapter'
import {
  createOpenAIClient,
  createOpenAICompatibleAdapter,
  type OpenAIErrorClasses,
} from '@modelplex/provider-openai-compatible'
import { GROQ_OPTION_KEYS, readGroqMetadata } from './groq-options.js'
import { groqPricing } from './groq-pricing.js'
import { mapGroqError } from './map-groq-error.js'
import { parseGroqModels } from './parse-groq-models.js'

/** Settings of the Groq provider: the base settings only. */
export interface GroqSettings extends BaseSettings {}

/** Chat models with autocomplete; any other id is accepted. */
export type GroqChatModelId =
  | 'llama-3.3-70b-versatile'
  | 'llama-3.1-8b-instant'
  | 'meta-llama/llama-4-scout-17b-16e-instruct'
  | 'meta-llama/llama-4-maverick-17b-128e-instruct'
  | 'openai/gpt-oss-120b'
  | 'openai/gpt-oss-20b'
  | 'qwen/qwen3-32b'
  | 'moonshotai/kimi-k2-instruct-0905'
  | (string & {})

const NAME = 'Groq'

/**
 * `groq-sdk` roots its paths at the host (`/openai/v1/chat/completions`); the OpenAI-style base URL
 * users copy from Groq's docs ends in `/openai/v1`. Both are accepted.
 */
export function groqSdkBaseURL(baseURL: string | undefined): string | undefined {
  return baseURL?.replace(/\/+$/, '').replace(/\/openai\/v1$/, '')
}

/** Groq through `groq-sdk`: the OpenAI shape, with usage in `x_groq` and Groq's own error codes. */
const groq = defineProvider<GroqSettings>({
  id: 'groq',
  name: NAME,
  sdk: { package: 'groq-sdk', range: '^1.6.0' },
  settingsSchema: (_z, base) => base.strict(),
  env: { apiKey: ['GROQ_API_KEY'], baseURL: ['GROQ_BASE_URL'] },
  defaultModel: 'llama-3.3-70b-versatile',
  capabilities: {
    stream: true,
    tools: true,
    // The default model has JSON mode only; `json_schema` is limited to a few Groq models.
    structuredOutput: 'json-mode',
    embeddings: false,
    vision: true,
    listModels: true,
    // qwen/qwen3-32b and the gpt-oss models return their reasoning in `reasoning`.
    reasoning: true,
    // Groq's chat models read text and images only (speech has its own endpoint).
    files: [],
  },
  pricing: groqPricing,
  contextWindows: {
    'llama-3.3-70b-versatile': 131_072,
    'llama-3.1-8b-instant': 131_072,
    'meta-llama/llama-4-scout-17b-16e-instruct': 131_072,
    'meta-llama/llama-4-maverick-17b-128e-instruct': 131_072,
    'openai/gpt-oss-120b': 131_072,
    'openai/gpt-oss-20b': 131_072,
  },
  async connect(settings) {
    const client = await createOpenAIClient(
      { ...settings, baseURL: groqSdkBaseURL(settings.baseURL) },
      {
        provider: 'groq',
        sdk: { package: 'groq-sdk', load: () => import('groq-sdk'), exportName: 'Groq' },
      },
    )
    // The Groq class carries the SDK's error classes as statics, as the OpenAI class does.
    const errors = client.constructor as unknown as OpenAIErrorClasses
    return createOpenAICompatibleAdapter({
      provider: 'groq',
      name: NAME,
      client,
      quirks: {
        // Groq writes a stream's usage into `x_groq.usage` on its finish chunk; with
        // `stream_options.include_usage` it also sends OpenAI's final usage chunk. Both are read.
        extractUsage: (payload) => payload?.x_groq?.usage ?? undefined,
        // JSON mode works on every Groq chat model; a schema is sent only through providerOptions.
        jsonSchema: false,
        // `reasoning_format: 'parsed'` (and gpt-oss) put reasoning in `reasoning`; it is not sent back.
        reasoningFields: ['reasoning'],
        extractMetadata: readGroqMetadata,
        providerOptionKeys: GROQ_OPTION_KEYS,
        modelsPath: '/openai/v1/models',
        parseModels: parseGroqModels,
        mapError: (error, context) => mapGroqError(error, { model: context.model, errors }),
      },
    })
  },
})

export default groq

/** Creates the Groq provider, e.g. `createGroq({ apiKey })`; the key defaults to `GROQ_API_KEY`. */
export function createGroq(settings: ProviderOptions<GroqSettings> = {}): Provider {
  return createProvider(groq, settings)
}
