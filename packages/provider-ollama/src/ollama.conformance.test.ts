import { runConformance } from '@modelplex/conformance'
import { describe } from 'vitest'
import spec from './index.js'
import { kit } from './testing.js'

// Ollama has no content filter: those two scenarios have no wire form to play back. Everything
// else, errors and cached tokens (`prompt_eval_cached_count`) included, runs against Ollama's format.
const skip = {
  'generate.finish-content-filter': 'Ollama has no content filter: no done_reason for it',
  'errors.content-filter': 'Ollama has no content filter: no error for it',
}

describe('ollama', () => runConformance({ spec, kit, skip }))
