import { describe, expect, it } from 'vitest'
import { createBedrock } from './index.js'

// Runs against Amazon Bedrock only with credentials in the environment (and AWS_REGION, default
// us-east-1); Nova Lite with a 10-token reply costs a fraction of a cent.
const credentials = process.env.AWS_BEARER_TOKEN_BEDROCK || process.env.AWS_ACCESS_KEY_ID

describe.runIf(credentials)('bedrock (live)', () => {
  const provider = createBedrock({ region: process.env.AWS_REGION ?? 'us-east-1' })
  const messages = [{ role: 'user' as const, content: 'Reply with the single word: pong' }]

  it('generates text with usage and cost', async () => {
    const result = await provider.generate({ messages, maxOutputTokens: 10 })
    expect(result.text.toLowerCase()).toContain('pong')
    expect(result.usage?.inputTokens).toBeGreaterThan(0)
    expect(result.cost?.total).toBeGreaterThan(0)
  }, 30_000)

  it('streams text with usage on finish', async () => {
    const stream = provider.stream({ messages, maxOutputTokens: 10 })
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

  it('embeds with Titan v2 at the requested size', async () => {
    const result = await provider.embed({ input: ['hello', 'world'], dimensions: 256 })
    expect(result.embeddings.map((vector) => vector.length)).toEqual([256, 256])
    expect(result.usage?.inputTokens).toBeGreaterThan(0)
  }, 30_000)
})
