export { type GroqProviderOptions, readGroqMetadata } from './groq-options.js'
export { groqPricing } from './groq-pricing.js'
export { createGroq, default, type GroqChatModelId, type GroqSettings } from './groq-provider.js'
