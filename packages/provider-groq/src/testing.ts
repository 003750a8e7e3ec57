/** The `./testing` entry: the Groq wire kit for the conformance suite. */
export {
  createGroqWireKit,
  groqErrors,
  kit,
} from './groq-wire-kit.js'
