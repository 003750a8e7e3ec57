export {
  convertToResponsesInput,
  convertToResponsesRequest,
  type OpenAIReasoningMetadata,
  type OpenAIResponsesInputItem,
  type OpenAIResponsesRequest,
} from './convert-to-openai-responses-request.js'
export { openAIPricing } from './openai-pricing.js'
export {
  createOpenAI,
  default,
  OPENAI_RESPONSES_FILE_TYPES,
  type OpenAIApi,
  type OpenAIChatModelId,
  type OpenAIEmbeddingModelId,
  type OpenAISettings,
  openAIChat,
  openAIResponses,
} from './openai-provider.js'
export {
  chatProviderOptions,
  type OpenAIProviderOptions,
  readResponsesOptions,
} from './openai-provider-options.js'
export {
  createOpenAIResponsesAdapter,
  type OpenAIResponsesAdapterOptions,
} from './openai-responses-adapter.js'
export { OpenAIResponsesStreamTranslator } from './openai-responses-stream.js'
export { convertResponsesUsage, parseResponsesResponse } from './parse-openai-responses-response.js'
