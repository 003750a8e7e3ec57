import { runConformance } from '@modelplex/conformance'
import { describe } from 'vitest'
import spec from './index.js'
import { kit } from './testing.js'

describe('openrouter', () => runConformance({ spec, kit }))
