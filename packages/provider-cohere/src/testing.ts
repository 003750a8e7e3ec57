/** The `./testing` entry: the Cohere wire kit for the conformance suite. */
export {
  type CohereErrorPayload,
  type CohereWireKitOptions,
  cohereErrorPayload,
  createCohereWireKit,
  kit,
  readCohereRequest,
} from './cohere-wire-kit.js'
