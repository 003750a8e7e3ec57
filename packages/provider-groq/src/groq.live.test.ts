import { describe, expect, it } from 'vitest'
import { createGroq } from './index.js'

// Runs against api.groq.com only when GROQ_API_KEY is set; costs a fraction of a cent.
describe.runIf(process.env.GROQ_API_KEY)('groq (live)', () => {
  const provider = createGroq()
  const messages = [{ role: 'user' as const, content: 'Reply with the single word: pong' }]

  it('generates text with usage and cost', async () => {
    const result = await provider.generate({
      model: 'llama-3.3-70b-versatile',
      messages,
      maxOutputTokens: 10,
    })
    expect(result.text.toLowerCase()).toContain('pong')
    expect(result.usage?.inputTokens).toBeGreaterThan(0)
    expect(result.cost?.total).toBeGreaterThan(0)
  }, 30_000)

  it('streams text with usage on finish', async () => {
    const stream = provider.stream({ model: 'llama-3.3-70b-versatile', messages, maxOutputTokens: 10 })
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

  it('lists models with their context windows', async () => {
    const models = await provider.listModels()
    expect(models.some((model) => model.id === 'llama-3.3-70b-versatile')).toBe(true)
    expect(models.find((model) => model.id === 'llama-3.3-70b-versatile')?.contextWindow).toBeGreaterThan(0)
  }, 30_000)
})
