export { bedrockPricing } from './bedrock-pricing.js'
export {
  type BedrockChatModelId,
  type BedrockEmbeddingModelId,
  type BedrockSettings,
  createBedrock,
  default,
} from './bedrock-provider.js'
export { mapBedrockError } from './map-bedrock-error.js'
