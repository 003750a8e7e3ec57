/** The `./testing` entry: the NVIDIA wire kit for the conformance suite. */
export {
  createNvidiaWireKit,
  kit,
  type NvidiaErrorKind,
  nvidiaErrorPayload,
  nvidiaErrors,
} from './nvidia-wire-kit.js'
