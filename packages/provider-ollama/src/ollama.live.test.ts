import { describe, expect, it } from 'vitest'
import { createOllama } from './index.js'

// Runs against a real Ollama only when OLLAMA_HOST is set (e.g. `OLLAMA_HOST=127.0.0.1:11434`), with
// OLLAMA_LIVE_MODEL (default llama3.2) pulled there. Costs nothing.
describe.runIf(process.env.OLLAMA_HOST)('ollama (live)', () => {
  const provider = createOllama()
  const model = process.env.OLLAMA_LIVE_MODEL ?? 'llama3.2'
  const messages = [{ role: 'user' as const, content: 'Reply with the single word: pong' }]

  it('lists the pulled models, the live model among them', async () => {
    const models = await provider.listModels()
    expect(models.map((entry) => entry.id.replace(/:latest$/, ''))).toContain(model.replace(/:latest$/, ''))
  }, 30_000)

  it('generates text with usage and a cost of 0', async () => {
    const result = await provider.generate({ model, messages, maxOutputTokens: 10 })
    expect(result.text.toLowerCase()).toContain('pong')
    expect(result.usage?.inputTokens).toBeGreaterThan(0)
    expect(result.cost?.total).toBe(0)
  }, 120_000)

  it('streams text with usage on finish', async () => {
    let text = ''
    let finished = false
    for await (const event of provider.stream({ model, messages, maxOutputTokens: 10 })) {
      if (event.type === 'text-delta') text += event.text
      if (event.type === 'finish') {
        finished = true
        expect(event.usage?.outputTokens).toBeGreaterThan(0)
      }
    }
    expect(finished).toBe(true)
    expect(text.toLowerCase()).toContain('pong')
  }, 120_000)
})
