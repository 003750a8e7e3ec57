import { describe, expect, it } from 'vitest'
import { createXai } from './index.js'

// Runs against api.x.ai only when XAI_API_KEY is set; costs a fraction of a cent.
describe.runIf(process.env.XAI_API_KEY)('xai (live)', () => {
  const provider = createXai()
  const messages = [{ role: 'user' as const, content: 'Reply with the single word: pong' }]

  it('generates text with usage and the cost xAI reports', async () => {
    const result = await provider.generate({ messages, maxOutputTokens: 200 })
    expect(result.text.toLowerCase()).toContain('pong')
    expect(result.usage?.inputTokens).toBeGreaterThan(0)
    expect(result.cost?.total).toBeGreaterThan(0)
  }, 60_000)

  it('streams text with usage and cost on finish', async () => {
    let text = ''
    let finished = false
    for await (const event of provider.stream({ messages, maxOutputTokens: 200 })) {
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

  it('lists models', async () => {
    const models = await provider.listModels()
    expect(models.length).toBeGreaterThan(0)
  }, 30_000)
})
