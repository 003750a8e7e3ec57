export {
  CHAT_COMPLETIONS_OPTION_KEYS,
  convertOpenAIFilePart,
  convertOpenAIProviderOptions,
  convertToOpenAIMessages,
  convertToOpenAIRequest,
  type OpenAIChatMessage,
  type OpenAIChatRequest,
  type OpenAIToolCallPayload,
  type OpenAIUserContentPart,
  reasoningDetailsOf,
  type SendReasoning,
} from './convert-to-openai-request.js'
export {
  type MapOpenAIErrorContext,
  mapOpenAIError,
  type OpenAIErrorClasses,
  openAIErrorObject,
} from './map-openai-error.js'
export {
  createOpenAIClient,
  createOpenAICompatibleAdapter,
  type OpenAIClientOptions,
  type OpenAICompatibleAdapterOptions,
} from './openai-compatible-adapter.js'
export type {
  ChatCompletionsProviderOptions,
  OpenAICompatibleProviderOptions,
} from './openai-compatible-options.js'
export {
  createOpenAICompatible,
  default,
  type OpenAICompatibleSettings,
} from './openai-compatible-provider.js'
export {
  DEFAULT_REASONING_FIELDS,
  type OpenAICompatibleQuirks,
  type OpenAIUsagePayload,
  type ResolvedQuirks,
  resolveQuirks,
} from './openai-compatible-quirks.js'
export {
  mergeReasoningDetails,
  mergeStreamMetadata,
  readOpenAIMetadata,
  reasoningDetailsText,
} from './openai-metadata.js'
export { OpenAIStreamTranslator, translateOpenAIStream } from './openai-stream.js'
export {
  convertOpenAIUsage,
  mapOpenAIFinishReason,
  parseOpenAIEmbeddings,
  parseOpenAIModels,
  parseOpenAIResponse,
  readOpenAIUsage,
  readReasoning,
} from './parse-openai-response.js'
