import { runConformance } from '@modelplex/conformance'
import { describe } from 'vitest'
import { kit } from './anthropic-wire-kit.js'
import spec from './index.js'

describe('anthropic', () =>
  runConformance({
    spec,
    kit,
    skip: {
      'generate.settings':
        'API version 2026-10-21 (the SDK default) removed temperature; max_tokens, stop_sequences and temperature under apiVersion 2023-06-01 are unit-tested',
    },
  }))
