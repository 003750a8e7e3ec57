import {
  CHAT_COMPLETIONS_OPTION_KEYS,
  convertOpenAIProviderOptions,
} from '@modelplex/provider-openai-compatible'
import { describe, expect, it } from 'vitest'
import { NVIDIA_OPTION_KEYS } from './nvidia-options.js'

describe('nvidia providerOptions', () => {
  it('writes chatTemplateKwargs and nvext in snake_case, unknown keys untouched', () => {
    const keys = { ...CHAT_COMPLETIONS_OPTION_KEYS, ...NVIDIA_OPTION_KEYS }
    expect(
      convertOpenAIProviderOptions(
        {
          chatTemplateKwargs: { enable_thinking: true },
          nvext: { repetitionPenalty: 1.2 },
          inputType: 'passage',
          guided_json: { type: 'object' },
        },
        keys,
      ),
    ).toEqual({
      chat_template_kwargs: { enable_thinking: true },
      nvext: { repetition_penalty: 1.2 },
      input_type: 'passage',
      guided_json: { type: 'object' },
    })
  })
})
