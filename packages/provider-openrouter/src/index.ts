export {
  createOpenRouter,
  default,
  type OpenRouterChatModelId,
  type OpenRouterSettings,
} from './openrouter-provider.js'
