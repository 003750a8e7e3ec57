import { runConformance } from '@modelplex/conformance'
import { describe } from 'vitest'
import spec from './index.js'
import { kit } from './openai-compatible-wire-kit.js'

describe('openai-compatible', () => runConformance({ spec, kit }))
