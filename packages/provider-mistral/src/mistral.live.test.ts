import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createMistral } from './index.js'

// Runs against api.mistral.ai only when MISTRAL_API_KEY is set; costs a fraction of a cent.
describe.runIf(process.env.MISTRAL_API_KEY)('mistral (live)', () => {
  const provider = createMistral()
  const messages = [{ role: 'user' as const, content: 'Reply with the single word: pong' }]

  it('generates text with usage and cost', async () => {
    const result = await provider.generate({ model: 'mistral-small-latest', messages, maxOutputTokens: 10 })
    expect(result.text.toLowerCase()).toContain('pong')
    expect(result.usage?.inputTokens).toBeGreaterThan(0)
    expect(result.cost?.total).toBeGreaterThan(0)
  }, 30_000)

  it('streams text with usage on finish', async () => {
    const stream = provider.stream({ model: 'mistral-small-latest', messages, maxOutputTokens: 10 })
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

  it('returns an object matching a JSON schema', async () => {
    const { object } = await provider.generateObject({
      model: 'mistral-small-latest',
      messages: [{ role: 'user', content: 'Capital of France and its rough population.' }],
      schema: z.object({ city: z.string(), population: z.number() }),
      schemaName: 'city_info',
    })
    expect(object.city).toMatch(/paris/i)
  }, 30_000)

  it('embeds and lists models', async () => {
    const { embeddings } = await provider.embed({ model: 'mistral-embed', input: ['a', 'b'] })
    expect(embeddings).toHaveLength(2)
    expect(embeddings[0]).toHaveLength(1024)
    const models = await provider.listModels()
    expect(models.some((model) => model.id.startsWith('mistral-small'))).toBe(true)
  }, 30_000)
})
