import { runConformance } from '@modelplex/conformance'
import { describe } from 'vitest'
import spec from './index.js'
import { kit } from './testing.js'

// Exactly what an in-tree provider runs; the results land in the matrix beside them.
describe('mine', () => runConformance({ spec, kit }))
