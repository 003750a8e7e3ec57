export { ollamaBaseURL } from './ollama-host.js'
export { ollamaPricing } from './ollama-pricing.js'
export {
  createOllama,
  default,
  type OllamaChatModelId,
  type OllamaEmbeddingModelId,
  type OllamaSettings,
} from './ollama-provider.js'
export type { OllamaProviderOptions } from './ollama-provider-options.js'
