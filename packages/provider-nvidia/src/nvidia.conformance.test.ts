import { runConformance } from '@modelplex/conformance'
import { describe } from 'vitest'
import spec from './index.js'
import { kit } from './nvidia-wire-kit.js'

// NIM's model servers (vLLM, TensorRT-LLM) have no content filter: no finish reason and no
// error for it. Everything else, errors included, runs against NIM's wire format.
const skip = {
  'generate.finish-content-filter': 'NIM has no content filter: no content_filter finish reason',
  'errors.content-filter': 'NIM has no content filter: no error for it',
}

describe('nvidia', () => runConformance({ spec, kit, skip }))
