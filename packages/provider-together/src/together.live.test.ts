import { describe, expect, it } from 'vitest'
import { createTogether } from './index.js'

// Runs against api.together.ai only when TOGETHER_API_KEY is set; costs a fraction of a cent.
describe.runIf(process.env.TOGETHER_API_KEY)('together (live)', () => {
  const provider = createTogether()
  const messages = [{ role: 'user' as const, content: 'Reply with the single word: pong' }]

  it('generates text with usage and cost', async () => {
    const result = await provider.generate({
      model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
      messages,
      maxOutputTokens: 10,
    })
    expect(result.text.toLowerCase()).toContain('pong')
    expect(result.usage?.inputTokens).toBeGreaterThan(0)
    expect(result.cost?.total).toBeGreaterThan(0)
  }, 30_000)

  it('streams text with usage on finish', async () => {
    const stream = provider.stream({
      model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
      messages,
      maxOutputTokens: 10,
    })
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

  it('embeds with the default embedding model', async () => {
    const result = await provider.embed({ input: ['alpha', 'beta'] })
    expect(result.embeddings).toHaveLength(2)
    expect(result.embeddings[0]!.length).toBeGreaterThan(0)
  }, 30_000)

  it('lists models with their context windows', async () => {
    const models = await provider.listModels()
    expect(models.some((model) => model.id === 'meta-llama/Llama-3.3-70B-Instruct-Turbo')).toBe(true)
    expect(
      models.find((model) => model.id === 'meta-llama/Llama-3.3-70B-Instruct-Turbo')?.contextWindow,
    ).toBeGreaterThan(0)
  }, 30_000)
})
