export { coherePricing } from './cohere-pricing.js'
export {
  type CohereChatModelId,
  type CohereEmbeddingModelId,
  type CohereSettings,
  createCohere,
  default,
} from './cohere-provider.js'
export type { CohereProviderOptions, CohereReasoningMetadata } from './cohere-provider-options.js'
