export { type DeepSeekProviderOptions, readDeepSeekMetadata } from './deepseek-options.js'
export { deepSeekPricing } from './deepseek-pricing.js'
export {
  createDeepSeek,
  type DeepSeekChatModelId,
  type DeepSeekSettings,
  default,
} from './deepseek-provider.js'
