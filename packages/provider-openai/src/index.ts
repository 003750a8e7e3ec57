export { openAIPricing } from './openai-pricing.js'
export {
  createOpenAI,
  default,
  type OpenAIChatModelId,
  type OpenAIEmbeddingModelId,
  type OpenAISettings,
} from './openai-provider.js'
