import { runConformance } from '@modelplex/conformance'
import { describe } from 'vitest'
import spec from './index.js'
import { createBedrockWireKit, kit } from './testing.js'

describe('bedrock', () => runConformance({ spec, kit }))

// The same suite with a Bedrock API key (bearer token) instead of SigV4 access keys.
describe('bedrock (API key)', () =>
  runConformance({
    spec,
    kit: createBedrockWireKit({ auth: 'bearer' }),
    name: 'Amazon Bedrock (API key)',
    resultsFile: false,
  }))
