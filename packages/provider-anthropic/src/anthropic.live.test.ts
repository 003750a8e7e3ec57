import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createAnthropic } from './index.js'

// Runs against api.anthropic.com only when ANTHROPIC_API_KEY is set; costs a fraction of a cent.
// Haiku 4.5 does not think unless asked, so a small max_tokens still leaves room for the answer.
const model = 'claude-haiku-4-5'

describe.runIf(process.env.ANTHROPIC_API_KEY)('anthropic (live)', () => {
  const provider = createAnthropic()
  const messages = [{ role: 'user' as const, content: 'Reply with the single word: pong' }]

  it('generates text with usage and cost', async () => {
    const result = await provider.generate({ model, messages, maxOutputTokens: 20 })
    expect(result.text.toLowerCase()).toContain('pong')
    expect(result.usage?.inputTokens).toBeGreaterThan(0)
    expect(result.cost?.total).toBeGreaterThan(0)
  }, 30_000)

  it('streams text with usage on finish', async () => {
    const stream = provider.stream({ model, messages, maxOutputTokens: 20 })
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

  it('returns a structured object through output_config.format', async () => {
    const { object } = await provider.generateObject({
      model,
      messages: [{ role: 'user', content: 'The capital of France, as JSON.' }],
      schema: z.object({ city: z.string() }),
      maxOutputTokens: 100,
    })
    expect(object.city).toBe('Paris')
  }, 30_000)

  it('lists models', async () => {
    const models = await provider.listModels()
    expect(models.some((info) => info.id.startsWith('claude-'))).toBe(true)
  }, 30_000)
})
