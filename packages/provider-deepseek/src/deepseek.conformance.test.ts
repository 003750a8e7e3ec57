import { runConformance } from '@modelplex/conformance'
import { describe } from 'vitest'
import { kit } from './deepseek-wire-kit.js'
import spec from './index.js'

// DeepSeek has no 403 and no 404 for an unknown model: those two scenarios have no wire form.
// Its unknown-model answer (400 "Model Not Exist") is unit-tested as NotFoundError.
const skip = {
  'errors.forbidden': 'DeepSeek documents no 403 (error codes: 400, 401, 402, 422, 429, 500, 503)',
  'errors.not-found':
    'DeepSeek answers an unknown model with 400 "Model Not Exist", not 404; mapped to NotFoundError in map-deepseek-error.test.ts',
}

describe('deepseek', () => runConformance({ spec, kit, skip }))
