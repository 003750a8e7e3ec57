import {
  CHAT_COMPLETIONS_OPTION_KEYS,
  convertOpenAIProviderOptions,
} from '@modelplex/provider-openai-compatible'
import { describe, expect, it } from 'vitest'
import reasoning from './__fixtures__/chat-completion-reasoning.json' with { type: 'json' }
import { readXaiMetadata, XAI_OPTION_KEYS } from './xai-options.js'

describe('xai providerOptions and metadata', () => {
  it('writes searchParameters as search_parameters with snake_case keys, other keys untouched', () => {
    const body = convertOpenAIProviderOptions(
      {
        searchParameters: { mode: 'on', returnCitations: true, maxSearchResults: 5 },
        reasoningEffort: 'low',
        deferred: true,
      },
      { ...CHAT_COMPLETIONS_OPTION_KEYS, ...XAI_OPTION_KEYS },
    )
    expect(body).toEqual({
      search_parameters: { mode: 'on', return_citations: true, max_search_results: 5 },
      reasoning_effort: 'low',
      deferred: true,
    })
  })

  it('reads citations, the sources used and the charge in ticks', () => {
    expect(readXaiMetadata({ ...reasoning, citations: ['https://x.ai'] })).toEqual({
      citations: ['https://x.ai'],
      numSourcesUsed: 0,
      costInUsdTicks: 37_756_000,
    })
    expect(readXaiMetadata({ choices: [] })).toBeUndefined()
  })
})
