import type { GenerateRequest } from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import type { GoogleProviderOptions } from './index.js'

describe('GoogleProviderOptions', () => {
  it('types providerOptions.google and still lets unknown keys through', () => {
    const request: GenerateRequest = {
      messages: [{ role: 'user', content: 'Hi' }],
      providerOptions: {
        google: {
          thinkingConfig: { includeThoughts: true, thinkingLevel: 'high' },
          cachedContent: 'cachedContents/abc',
          // A key modelplex does not type yet reaches the body untouched.
          generationConfig: { enableEnhancedCivicAnswers: true },
        },
      },
    }
    const wrong: GenerateRequest = {
      messages: [{ role: 'user', content: 'Hi' }],
      // @ts-expect-error thinkingBudget is a number of tokens
      providerOptions: { google: { thinkingConfig: { thinkingBudget: 'lots' } } },
    }
    const options: GoogleProviderOptions | undefined = request.providerOptions?.google
    expect(options?.thinkingConfig?.includeThoughts).toBe(true)
    expect(wrong.providerOptions?.google).toBeDefined()
  })
})
