/** The `./testing` entry: the Ollama wire kit for the conformance suite. */
export {
  createOllamaWireKit,
  kit,
  type OllamaErrorPayload,
  type OllamaWireKitOptions,
  ollamaErrorPayload,
  readOllamaRequest,
} from './ollama-wire-kit.js'
