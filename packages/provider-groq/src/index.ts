export { groqPricing } from './groq-pricing.js'
export { createGroq, default, type GroqChatModelId, type GroqSettings } from './groq-provider.js'
