export { readTogetherMetadata, type TogetherProviderOptions } from './together-options.js'
export { togetherPricing } from './together-pricing.js'
export {
  createTogether,
  default,
  type TogetherChatModelId,
  type TogetherEmbeddingModelId,
  type TogetherSettings,
} from './together-provider.js'
