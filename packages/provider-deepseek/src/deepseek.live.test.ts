import { describe, expect, it } from 'vitest'
import { createDeepSeek } from './index.js'

// Runs against api.deepseek.com only when DEEPSEEK_API_KEY is set; costs a fraction of a cent.
describe.runIf(process.env.DEEPSEEK_API_KEY)('deepseek (live)', () => {
  const provider = createDeepSeek()
  const messages = [{ role: 'user' as const, content: 'Reply with the single word: pong' }]
  const noThinking = { deepseek: { thinking: { type: 'disabled' as const } } }

  it('generates text with usage and the cost from the price table', async () => {
    const result = await provider.generate({ messages, maxOutputTokens: 50, providerOptions: noThinking })
    expect(result.text.toLowerCase()).toContain('pong')
    expect(result.usage?.inputTokens).toBeGreaterThan(0)
    expect(result.cost?.total).toBeGreaterThan(0)
  }, 60_000)

  it('streams reasoning (thinking mode, the default) before the answer, usage on finish', async () => {
    const stream = provider.stream({ messages, maxOutputTokens: 2000 })
    const types = new Set<string>()
    for await (const event of stream) types.add(event.type)
    const result = await stream.result()
    expect(types.has('reasoning-delta')).toBe(true)
    expect(result.text.toLowerCase()).toContain('pong')
    expect(result.usage?.outputTokens).toBeGreaterThan(0)
  }, 120_000)

  it('lists models', async () => {
    const models = await provider.listModels()
    expect(models.map((model) => model.id)).toContain('deepseek-flash')
  }, 30_000)
})
