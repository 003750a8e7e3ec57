import {
  type BaseSettings,
  ConfigError,
  createProvider,
  type Provider,
  type ProviderOptions,
} from '@modelplex/core'
import { defineProvider, importSdk } from '@modelplex/core/adapter'
import { createOllamaAdapter, type OllamaClientClass } from './ollama-adapter.js'
import { DEFAULT_OLLAMA_HOST, ollamaAnswers, resolveOllamaHost } from './ollama-host.js'
import { ollamaPricing } from './ollama-pricing.js'

/** Settings of the Ollama provider. */
export interface OllamaSettings extends BaseSettings {
  /**
   * The server in `OLLAMA_HOST`'s form (`0.0.0.0:11434`, `localhost`, `https://ollama.com`);
   * `baseURL` wins when both are set. Default: `OLLAMA_HOST`, else `http://127.0.0.1:11434`.
   */
  host?: string
}

/** Chat models from the Ollama library with autocomplete; any pulled model or tag is accepted. */
export type OllamaChatModelId =
  | 'llama3.2'
  | 'llama3.1'
  | 'llama3.3'
  | 'gemma3'
  | 'qwen3'
  | 'qwen2.5'
  | 'mistral'
  | 'phi4'
  | 'deepseek-r1'
  | 'gpt-oss'
  | 'llava'
  | (string & {})

/** Embedding models from the Ollama library with autocomplete. */
export type OllamaEmbeddingModelId =
  | 'nomic-embed-text'
  | 'mxbai-embed-large'
  | 'all-minilm'
  | 'embeddinggemma'
  | (string & {})

/** Ollama through its official `ollama` SDK: local, keyless, cost 0. */
const ollama = defineProvider<OllamaSettings>({
  id: 'ollama',
  name: 'Ollama',
  sdk: { package: 'ollama', range: '^0.6.4' },
  settingsSchema: (z, base) => base.extend({ host: z.string().min(1).optional() }).strict(),
  settingChecks: { host: (value) => typeof value === 'string' && value.length > 0 },
  // OLLAMA_HOST fills `host`, not `baseURL`: it is often not a URL (`0.0.0.0:11434`), which the
  // baseURL schema would reject. OLLAMA_API_KEY is left to the SDK, which sends it to
  // https://ollama.com only.
  env: { host: ['OLLAMA_HOST'] },
  // Keyless and local: configured when a server answers at OLLAMA_HOST (or the default host).
  detect: {
    probe: (env, { timeoutMs }) => ollamaAnswers(env.OLLAMA_HOST || DEFAULT_OLLAMA_HOST, timeoutMs),
  },
  requiresApiKey: false,
  defaultModel: 'llama3.2',
  defaultEmbeddingModel: 'nomic-embed-text',
  capabilities: {
    stream: true,
    tools: true,
    structuredOutput: 'json-schema',
    embeddings: true,
    vision: true,
    listModels: true,
    // /api/chat takes images (base64 `images`) and no other file type (docs/api.md).
    files: [],
    // `message.thinking` of thinking models (qwen3, deepseek-r1, gpt-oss…) with `think`.
    reasoning: true,
  },
  pricing: ollamaPricing,
  async connect(settings, context) {
    const host = resolveOllamaHost(settings, context?.fromEnvironment)
    // The browser build: the Node build reads a string image as a file path when one exists.
    const sdk: any = await importSdk('ollama', settings.sdk, () => import('ollama/browser'), 'ollama')
    // The `sdk` setting may hold the module (either build) or the Ollama class itself.
    const Ollama = (typeof sdk === 'function' ? sdk : sdk?.Ollama) as OllamaClientClass | undefined
    if (typeof Ollama !== 'function') {
      throw new ConfigError('Ollama: the sdk setting is not the `ollama` module (no Ollama class)', {
        provider: 'ollama',
      })
    }
    return createOllamaAdapter({
      Ollama,
      host,
      apiKey: settings.apiKey,
      headers: settings.headers,
      fetch: settings.fetch,
    })
  },
})

export default ollama

/** Creates the Ollama provider, e.g. `createOllama({ host: 'gpu-box:11434' })`; no key needed. */
export function createOllama(settings: ProviderOptions<OllamaSettings> = {}): Provider {
  return createProvider(ollama, settings)
}
