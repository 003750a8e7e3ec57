import { runConformance } from '@modelplex/conformance'
import { describe } from 'vitest'
import spec, { openAIChat } from './index.js'
import { responsesKit } from './openai-responses-wire-kit.js'
import { chatKit } from './openai-wire-kit.js'

describe('openai (responses)', () =>
  runConformance({
    spec,
    kit: responsesKit,
    name: 'OpenAI (Responses)',
  }))

describe('openai (chat)', () =>
  runConformance({
    spec: openAIChat,
    kit: chatKit,
    name: 'OpenAI (Chat Completions)',
    resultsFile: 'conformance-results.chat.json',
  }))
