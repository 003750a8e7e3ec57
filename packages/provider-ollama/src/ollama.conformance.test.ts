import { runConformance } from '@modelplex/conformance'
import { describe } from 'vitest'
import spec from './index.js'
import { kit } from './testing.js'

// Ollama has no content filter and reports no cached-token count: those three scenarios have no
// wire form to play back. Everything else, errors included, runs against Ollama's exact format.
const skip = {
  'generate.finish-content-filter': 'Ollama has no content filter: no done_reason for it',
  'errors.content-filter': 'Ollama has no content filter: no error for it',
  'generate.usage-cached': 'Ollama reports no cached-token count (prompt_eval_count only)',
}

describe('ollama', () => runConformance({ spec, kit, skip }))
