import { describe, expect, it } from 'vitest'
import { createNvidia } from './index.js'

// Runs against integrate.api.nvidia.com only when NVIDIA_API_KEY is set (free prototyping tier).
describe.runIf(process.env.NVIDIA_API_KEY)('nvidia (live)', () => {
  const provider = createNvidia()
  const messages = [{ role: 'user' as const, content: 'Reply with the single word: pong' }]

  it('generates text with usage', async () => {
    const result = await provider.generate({ messages, maxOutputTokens: 20 })
    expect(result.text.toLowerCase()).toContain('pong')
    expect(result.usage?.inputTokens).toBeGreaterThan(0)
  }, 60_000)

  it('streams text with usage on finish', async () => {
    let text = ''
    let finished = false
    for await (const event of provider.stream({ messages, maxOutputTokens: 20 })) {
      if (event.type === 'text-delta') text += event.text
      if (event.type === 'finish') {
        finished = true
        expect(event.usage?.outputTokens).toBeGreaterThan(0)
      }
    }
    expect(finished).toBe(true)
    expect(text.toLowerCase()).toContain('pong')
  }, 60_000)

  it('embeds a query and a passage into vectors of one size', async () => {
    const query = await provider.embed({ input: 'What is NIM?' })
    const passage = await provider.embed({
      input: 'NIM packages models as containers.',
      providerOptions: { nvidia: { input_type: 'passage' } },
    })
    expect(query.embeddings[0]!.length).toBeGreaterThan(0)
    expect(passage.embeddings[0]!.length).toBe(query.embeddings[0]!.length)
  }, 60_000)
})
