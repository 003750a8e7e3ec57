import { runConformance } from '@modelplex/conformance'
import { describe } from 'vitest'
import { kit } from './anthropic-wire-kit.js'
import spec from './index.js'

describe('anthropic', () =>
  runConformance({
    spec,
    kit,
  }))
