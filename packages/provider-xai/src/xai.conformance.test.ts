import { runConformance } from '@modelplex/conformance'
import { describe } from 'vitest'
import spec from './index.js'
import { kit } from './xai-wire-kit.js'

describe('xai', () => runConformance({ spec, kit }))
