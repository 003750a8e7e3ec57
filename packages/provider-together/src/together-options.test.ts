import {
  CHAT_COMPLETIONS_OPTION_KEYS,
  convertOpenAIProviderOptions,
} from '@modelplex/provider-openai-compatible'
import { describe, expect, it } from 'vitest'
import completion from './__fixtures__/chat-completion.json' with { type: 'json' }
import { readTogetherMetadata, TOGETHER_OPTION_KEYS } from './together-options.js'

describe('together providerOptions and metadata', () => {
  it('writes the typed options in snake_case and unknown keys untouched', () => {
    const keys = { ...CHAT_COMPLETIONS_OPTION_KEYS, ...TOGETHER_OPTION_KEYS }
    expect(
      convertOpenAIProviderOptions(
        { repetitionPenalty: 1.1, minP: 0.05, safetyModel: 'guard', echo: true },
        keys,
      ),
    ).toEqual({ repetition_penalty: 1.1, min_p: 0.05, safety_model: 'guard', echo: true })
  })

  it('reads the seed of the choice', () => {
    expect(readTogetherMetadata(completion)).toEqual({ seed: completion.choices[0]!.seed })
    expect(readTogetherMetadata({ choices: [{}] })).toBeUndefined()
  })
})
