/** The `./testing` entry: the OpenRouter wire kit for the conformance suite. */
export {
  createOpenRouterWireKit,
  kit,
  kitPricing,
  openRouterErrorPayload,
  openRouterErrors,
} from './openrouter-wire-kit.js'
