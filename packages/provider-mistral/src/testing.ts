/** The `./testing` entry: the Mistral wire kit for the conformance suite. */
export {
  createMistralWireKit,
  kit,
  type MistralErrorPayload,
  type MistralWireKitOptions,
  mistralErrorPayload,
  readMistralRequest,
} from './mistral-wire-kit.js'
