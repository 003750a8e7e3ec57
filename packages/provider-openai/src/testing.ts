/** The `./testing` entry: the OpenAI wire kit for the conformance suite. */
export {
  createOpenAIWireKit,
  kit,
} from './openai-wire-kit.js'
