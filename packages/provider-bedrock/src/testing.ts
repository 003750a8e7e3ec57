/** The `./testing` entry: the Bedrock wire kit for the conformance suite. */
export {
  type BedrockErrorPayload,
  type BedrockWireKitOptions,
  bedrockErrorPayload,
  createBedrockWireKit,
  kit,
  readBedrockApiKey,
  readBedrockRequest,
} from './bedrock-wire-kit.js'
