export { toMistralToolCallId } from './convert-to-mistral-request.js'
export { mistralPricing } from './mistral-pricing.js'
export {
  createMistral,
  default,
  type MistralChatModelId,
  type MistralEmbeddingModelId,
  type MistralSettings,
} from './mistral-provider.js'
export type {
  MistralMessageOptions,
  MistralProviderOptions,
  MistralReasoningMetadata,
} from './mistral-provider-options.js'
