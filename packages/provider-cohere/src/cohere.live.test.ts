import { describe, expect, it } from 'vitest'
import { createCohere } from './index.js'

// Runs against api.cohere.com only when a key is set; costs a fraction of a cent.
describe.runIf(process.env.CO_API_KEY || process.env.COHERE_API_KEY)('cohere (live)', () => {
  const provider = createCohere()
  const messages = [{ role: 'user' as const, content: 'Reply with the single word: pong' }]

  it('generates text with usage and cost', async () => {
    const result = await provider.generate({ model: 'command-a-03-2025', messages, maxOutputTokens: 10 })
    expect(result.text.toLowerCase()).toContain('pong')
    expect(result.usage?.inputTokens).toBeGreaterThan(0)
    expect(result.cost?.total).toBeGreaterThan(0)
  }, 30_000)

  it('streams text with usage on finish', async () => {
    const stream = provider.stream({ model: 'command-a-03-2025', messages, maxOutputTokens: 10 })
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

  it('embeds a batch', async () => {
    const result = await provider.embed({ model: 'embed-v4.0', input: ['alpha', 'beta'], dimensions: 256 })
    expect(result.embeddings).toHaveLength(2)
    expect(result.embeddings[0]).toHaveLength(256)
  }, 30_000)
})
