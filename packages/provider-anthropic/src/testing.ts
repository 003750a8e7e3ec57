/** The `./testing` entry: the Anthropic wire kit for the conformance suite. */
export {
  type AnthropicErrorPayload,
  type AnthropicWireKitOptions,
  anthropicErrorPayload,
  createAnthropicWireKit,
  kit,
  readAnthropicMessages,
} from './anthropic-wire-kit.js'
