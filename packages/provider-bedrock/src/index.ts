export { bedrockPricing } from './bedrock-pricing.js'
export {
  type BedrockChatModelId,
  type BedrockEmbeddingModelId,
  type BedrockSettings,
  createBedrock,
  default,
} from './bedrock-provider.js'
export type {
  BedrockCachePoint,
  BedrockProviderOptions,
  BedrockReasoningConfig,
} from './bedrock-provider-options.js'
export { mapBedrockError } from './map-bedrock-error.js'
