/** The `./testing` entry: the OpenAI-shaped wire kit that the OpenAI-compatible vendors build on. */
export {
  createOpenAICompatibleWireKit,
  kit,
  OPENAI_WIRE_METADATA,
  type OpenAICompatibleWireKitOptions,
  type OpenAIPayloadKind,
  openAIErrors,
  readOpenAIRequest,
  type StreamUsagePlacement,
  WIRE_LOGPROBS,
  wireReasoningDetails,
} from './openai-compatible-wire-kit.js'
