import { runConformance } from '@modelplex/conformance'
import { describe } from 'vitest'
import { kit } from './groq-wire-kit.js'
import spec from './index.js'

describe('groq', () =>
  runConformance({
    spec,
    kit,
    skip: {
      'generate.finish-content-filter':
        'Groq documents no content_filter finish_reason (stop, length, tool_calls); moderation is a separate Llama Guard model',
      'errors.content-filter':
        'Groq documents no content-policy error (https://console.groq.com/docs/errors)',
    },
  }))
