import { runConformance } from '@modelplex/conformance'
import { describe } from 'vitest'
import { createAzureOpenAIResponsesWireKit, createAzureOpenAIWireKit, kit } from './azure-openai-wire-kit.js'
import spec, { azureOpenAIResponses } from './index.js'

describe('azure-openai', () => runConformance({ spec, kit }))

// The same suite with a Microsoft Entra ID token provider: the bearer token is the credential.
describe('azure-openai (Entra ID)', () =>
  runConformance({
    spec,
    kit: createAzureOpenAIWireKit({ auth: 'entra' }),
    name: 'Azure OpenAI (Entra ID)',
    resultsFile: false,
  }))

// The v1 API (`/openai/v1`, deployment in the body), with a key and with a token.
describe('azure-openai (v1 API)', () =>
  runConformance({
    spec,
    kit: createAzureOpenAIWireKit({ api: 'v1' }),
    name: 'Azure OpenAI (v1 API)',
    resultsFile: false,
  }))

describe('azure-openai (v1 API, Entra ID)', () =>
  runConformance({
    spec,
    kit: createAzureOpenAIWireKit({ api: 'v1', auth: 'entra' }),
    name: 'Azure OpenAI (v1 API, Entra ID)',
    resultsFile: false,
  }))

// The Responses API on the v1 API (`api: 'responses'`), with a key and with a token.

describe('azure-openai (Responses)', () =>
  runConformance({
    spec: azureOpenAIResponses,
    kit: createAzureOpenAIResponsesWireKit(),
    name: 'Azure OpenAI (Responses)',
    resultsFile: 'conformance-results.responses.json',
  }))

describe('azure-openai (Responses, Entra ID)', () =>
  runConformance({
    spec: azureOpenAIResponses,
    kit: createAzureOpenAIResponsesWireKit({ auth: 'entra' }),
    name: 'Azure OpenAI (Responses, Entra ID)',
    resultsFile: false,
  }))
