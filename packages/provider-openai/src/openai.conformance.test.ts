import { runConformance } from '@modelplex/conformance'
import { describe } from 'vitest'
import spec from './index.js'
import { kit } from './openai-wire-kit.js'

describe('openai', () => runConformance({ spec, kit }))
