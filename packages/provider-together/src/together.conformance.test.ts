import { runConformance } from '@modelplex/conformance'
import { describe } from 'vitest'
import spec from './index.js'
import { kit } from './together-wire-kit.js'

describe('together', () =>
  runConformance({
    spec,
    kit,
    skip: {
      'generate.finish-content-filter':
        'Together documents no content_filter finish_reason (stop, eos, length, tool_calls, function_call)',
      'errors.content-filter':
        'Together documents no content-policy error (https://docs.together.ai/docs/error-codes)',
    },
  }))
