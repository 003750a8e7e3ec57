export {
  type OpenRouterProviderOptions,
  type OpenRouterReasoningOptions,
  readOpenRouterMetadata,
} from './openrouter-options.js'
export { openRouterPricing } from './openrouter-pricing.js'
export {
  createOpenRouter,
  default,
  type OpenRouterChatModelId,
  type OpenRouterSettings,
} from './openrouter-provider.js'
