/** The `./testing` entry: the Gemini wire kit for the conformance suite. */
export {
  createGoogleWireKit,
  type GoogleErrorPayload,
  type GoogleWireKitOptions,
  googleErrorPayload,
  kit,
  readGoogleRequest,
} from './google-wire-kit.js'
