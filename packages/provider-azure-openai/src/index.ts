export { azureOpenAIPricing } from './azure-openai-pricing.js'
export {
  type AzureADTokenProvider,
  type AzureOpenAIDeploymentId,
  type AzureOpenAIProviderOptions,
  type AzureOpenAISettings,
  azureOpenAIChat,
  azureOpenAIResponses,
  createAzureOpenAI,
  default,
} from './azure-openai-provider.js'
