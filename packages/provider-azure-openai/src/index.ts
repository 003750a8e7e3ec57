export { azureOpenAIPricing } from './azure-openai-pricing.js'
export {
  type AzureADTokenProvider,
  type AzureOpenAIDeploymentId,
  type AzureOpenAISettings,
  createAzureOpenAI,
  default,
} from './azure-openai-provider.js'
