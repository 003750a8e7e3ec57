import { runConformance } from '@modelplex/conformance'
import { describe } from 'vitest'
import spec from './index.js'
import { kit } from './testing.js'

describe('openai-compatible', () => runConformance({ spec, kit }))
