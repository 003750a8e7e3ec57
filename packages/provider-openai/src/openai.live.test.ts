import { describe, expect, it } from 'vitest'
import { createOpenAI } from './index.js'

// Runs against api.openai.com only when OPENAI_API_KEY is set; costs a fraction of a cent.
describe.runIf(process.env.OPENAI_API_KEY)('openai (live)', () => {
  const provider = createOpenAI()
  const messages = [{ role: 'user' as const, content: 'Reply with the single word: pong' }]

  it('generates text with usage and cost', async () => {
    const result = await provider.generate({ model: 'gpt-4o-mini', messages, maxOutputTokens: 10 })
    expect(result.text.toLowerCase()).toContain('pong')
    expect(result.usage?.inputTokens).toBeGreaterThan(0)
    expect(result.cost?.total).toBeGreaterThan(0)
  }, 30_000)

  it('streams text with usage on finish', async () => {
    const stream = provider.stream({ model: 'gpt-4o-mini', messages, maxOutputTokens: 10 })
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
})
