import { runConformance } from '@modelplex/conformance'
import { describe } from 'vitest'
import spec from './index.js'
import { kit } from './testing.js'

describe('mistral', () =>
  runConformance({
    spec,
    kit,
    skip: {
      'generate.finish-content-filter':
        'Mistral has no content-filter finish_reason (stop, length, model_length, tool_calls, error); a guardrail block is a 403, covered by errors.content-filter',
    },
  }))
