/** The `./testing` entry: the OpenAI wire kits for the conformance suite (Responses, the default api, and Chat Completions). */

export {
  createOpenAIResponsesWireKit,
  type OpenAIResponsesWireKitOptions,
  RESPONSES_CITATION,
  readResponsesRequest,
  responsesKit,
  responsesMetadata,
} from './openai-responses-wire-kit.js'
export {
  chatKit,
  createOpenAIChatWireKit,
  createOpenAIWireKit,
  kit,
} from './openai-wire-kit.js'
