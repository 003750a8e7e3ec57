import { describe, expect, it } from 'vitest'
import { createAzureOpenAI } from './index.js'

// Runs against a real Azure OpenAI resource only when AZURE_OPENAI_API_KEY and AZURE_OPENAI_ENDPOINT
// are set. AZURE_OPENAI_DEPLOYMENT names a chat deployment (default gpt-4o-mini); costs a fraction of a cent.
const live = Boolean(process.env.AZURE_OPENAI_API_KEY && process.env.AZURE_OPENAI_ENDPOINT)
const deployment = process.env.AZURE_OPENAI_DEPLOYMENT || 'gpt-4o-mini'

describe.runIf(live)('azure-openai (live)', () => {
  const provider = createAzureOpenAI()
  const messages = [{ role: 'user' as const, content: 'Reply with the single word: pong' }]

  it('generates text with usage, and the base model Azure ran', async () => {
    const result = await provider.generate({ model: deployment, messages, maxOutputTokens: 10 })
    expect(result.text.toLowerCase()).toContain('pong')
    expect(result.usage?.inputTokens).toBeGreaterThan(0)
    expect(result.model).toMatch(/^[a-z0-9.-]+$/)
  }, 30_000)

  it('streams text with usage on finish', async () => {
    const stream = provider.stream({ model: deployment, messages, maxOutputTokens: 10 })
    let text = ''
    let finished = false
    for await (const event of stream) {
      if (event.type === 'text-delta') text += event.text
      if (event.type === 'finish') {
        finished = true
        expect(event.usage?.outputTokens).toBeGreaterThan(0)
      }
    }
    expect(finished).toBe(true)
    expect(text.toLowerCase()).toContain('pong')
  }, 30_000)

  it('an unknown deployment → NotFoundError', async () => {
    const error = await provider
      .generate({ model: 'modelplex-no-such-deployment', messages, maxRetries: 0 })
      .catch((caught: unknown) => caught)
    expect((error as Error).name).toBe('NotFoundError')
  }, 30_000)
})
