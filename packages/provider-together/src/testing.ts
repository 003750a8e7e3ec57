/** The `./testing` entry: the Together wire kit for the conformance suite. */
export {
  createTogetherWireKit,
  kit,
  togetherErrors,
} from './together-wire-kit.js'
