/** The `./testing` entry: the DeepSeek wire kit for the conformance suite. */
export {
  createDeepSeekWireKit,
  type DeepSeekErrorKind,
  deepSeekErrorPayload,
  deepSeekErrors,
  kit,
} from './deepseek-wire-kit.js'
