export type { AnthropicCacheControl, AnthropicProviderOptions } from './anthropic-options.js'
export { anthropicPricing } from './anthropic-pricing.js'
export {
  type AnthropicModelId,
  type AnthropicSettings,
  createAnthropic,
  default,
} from './anthropic-provider.js'
