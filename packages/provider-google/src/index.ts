export { googlePricing } from './google-pricing.js'
export {
  createGoogle,
  default,
  type GoogleChatModelId,
  type GoogleEmbeddingModelId,
  type GoogleSettings,
} from './google-provider.js'
export type {
  GoogleProviderOptions,
  GoogleSafetySetting,
  GoogleThinkingConfig,
} from './google-provider-options.js'
