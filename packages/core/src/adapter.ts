// `@modelplex/core/adapter`: the machinery a provider package is built from. The user's API is `@modelplex/core`.
export {
  assembleResult,
  bytesToBase64,
  type DownloadedImage,
  type DownloadImageOptions,
  decodeBase64Embedding,
  downloadImage,
  filePartData,
  filePartUrl,
  imagePartUrl,
  type MalformedResponseOptions,
  malformedResponse,
  type ResultParts,
  readHeader,
  sdkExport,
  stringifyToolOutput,
} from './adapter-helpers.js'
export {
  type ChatCommonMessage,
  type ChatMessageShape,
  type ChatTextPart,
  type ChatToolCallPayload,
  convertToChatMessages,
} from './adapter-messages.js'
export { StreamEventTranslator } from './adapter-translator.js'
export { connectionError, errorFromStatus, isNetworkError } from './common-errors.js'
export { type JsonLinesParser, JsonLinesReader } from './ndjson.js'
export { acceptsMediaType } from './prepare-request.js'
export {
  type AdapterContentPart,
  type AdapterEmbedRequest,
  type AdapterEmbedResult,
  type AdapterGenerateResult,
  type AdapterRequest,
  type AdapterStreamEvent,
  type AdapterTool,
  type AdapterToolCall,
  type BaseSettings,
  type CallContext,
  type ConnectContext,
  defineProvider,
  type EnvironmentVariables,
  type ErrorContext,
  type ProviderAdapter,
  type ProviderDetection,
  type ProviderSpec,
  type ResolvedSettings,
  type VendorMetadata,
} from './provider-spec.js'
export { redact } from './redact.js'
export { readEnvironment } from './resolve-settings.js'
export { parseRetryAfter, retryDelay } from './retry.js'
export { importSdk } from './sdk.js'
export { type ServerSentEventBody, type ServerSentEventParser, ServerSentEventReader } from './sse.js'
export { parseToolInput } from './stream.js'
