import { describe, expect, it } from 'vitest'
import { createOpenRouter } from './index.js'

// Runs against openrouter.ai only when OPENROUTER_API_KEY is set; costs a fraction of a cent.
describe.runIf(process.env.OPENROUTER_API_KEY)('openrouter (live)', () => {
  const provider = createOpenRouter({ appName: 'modelplex live tests' })
  const messages = [{ role: 'user' as const, content: 'Reply with the single word: pong' }]

  it('generates text with usage and the cost OpenRouter reports', async () => {
    const result = await provider.generate({ messages, maxOutputTokens: 10 })
    expect(result.text.toLowerCase()).toContain('pong')
    expect(result.usage?.inputTokens).toBeGreaterThan(0)
    expect(result.cost?.total).toBeGreaterThan(0)
  }, 60_000)

  it('streams text with usage and cost on finish', async () => {
    let text = ''
    let finished = false
    for await (const event of provider.stream({ messages, maxOutputTokens: 10 })) {
      if (event.type === 'text-delta') text += event.text
      if (event.type === 'finish') {
        finished = true
        expect(event.usage?.outputTokens).toBeGreaterThan(0)
        expect(event.cost?.total).toBeGreaterThan(0)
      }
    }
    expect(finished).toBe(true)
    expect(text.toLowerCase()).toContain('pong')
  }, 60_000)

  it('embeds and lists models', async () => {
    const embedded = await provider.embed({ input: ['a', 'b'] })
    expect(embedded.embeddings).toHaveLength(2)
    expect((await provider.listModels()).some((model) => model.id === 'openai/gpt-4o-mini')).toBe(true)
  }, 60_000)
})
