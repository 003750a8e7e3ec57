import {
  CHAT_COMPLETIONS_OPTION_KEYS,
  convertOpenAIProviderOptions,
} from '@modelplex/provider-openai-compatible'
import { describe, expect, it } from 'vitest'
import completion from './__fixtures__/chat-completion.json' with { type: 'json' }
import { OPENROUTER_OPTION_KEYS, readOpenRouterMetadata } from './openrouter-options.js'

describe('openrouter providerOptions and metadata', () => {
  it('writes reasoning and provider routing with snake_case keys; unknown keys untouched', () => {
    const keys = { ...CHAT_COMPLETIONS_OPTION_KEYS, ...OPENROUTER_OPTION_KEYS }
    expect(
      convertOpenAIProviderOptions(
        {
          reasoning: { maxTokens: 2000, exclude: false },
          provider: { allowFallbacks: false, order: ['anthropic'] },
          models: ['a', 'b'],
          route: 'fallback',
        },
        keys,
      ),
    ).toEqual({
      reasoning: { max_tokens: 2000, exclude: false },
      provider: { allow_fallbacks: false, order: ['anthropic'] },
      models: ['a', 'b'],
      route: 'fallback',
    })
  })

  it('reads the upstream provider, the native finish reason, BYOK and the cost split', () => {
    expect(readOpenRouterMetadata(completion)).toEqual({
      provider: 'Nebius',
      nativeFinishReason: 'stop',
      isByok: false,
      costDetails: {
        upstreamInferenceCost: 0.00078593,
        upstreamInferencePromptCost: 0.00028616,
        upstreamInferenceCompletionsCost: 0.00049977,
      },
    })
    expect(readOpenRouterMetadata({ choices: [] })).toBeUndefined()
  })
})
