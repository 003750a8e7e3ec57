export { anthropicPricing } from './anthropic-pricing.js'
export {
  type AnthropicModelId,
  type AnthropicSettings,
  createAnthropic,
  default,
} from './anthropic-provider.js'
