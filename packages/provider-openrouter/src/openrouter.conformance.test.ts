import { runConformance } from '@modelplex/conformance'
import { describe } from 'vitest'
import spec from './index.js'
import { kit } from './openrouter-wire-kit.js'

describe('openrouter', () => runConformance({ spec, kit }))
