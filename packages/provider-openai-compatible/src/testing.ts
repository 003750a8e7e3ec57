/** The `./testing` entry: the OpenAI-shaped wire kit that the OpenAI-compatible vendors build on. */
export {
  createOpenAICompatibleWireKit,
  kit,
  type OpenAICompatibleWireKitOptions,
  type OpenAIPayloadKind,
  openAIErrors,
  readOpenAIRequest,
  type StreamUsagePlacement,
} from './openai-compatible-wire-kit.js'
