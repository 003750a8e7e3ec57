/** The `./testing` entry: the Azure OpenAI wire kit for the conformance suite. */
export {
  type AzureOpenAIWireKitOptions,
  createAzureOpenAIResponsesWireKit,
  createAzureOpenAIWireKit,
  kit,
} from './azure-openai-wire-kit.js'
