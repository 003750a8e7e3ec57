/** The `./testing` entry: the xAI wire kit for the conformance suite. */
export {
  createXaiWireKit,
  kit,
  xaiErrors,
} from './xai-wire-kit.js'
