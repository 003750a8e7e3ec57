import type { Message } from '@modelplex/core'
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

  // Claude Haiku 4.5 with extended thinking: the second request sends the signed reasoning back.
  it('round-trips signed reasoning through a tool loop on Claude', async () => {
    const model = 'global.anthropic.claude-haiku-4-5-20251001-v1:0'
    const tools = [
      {
        name: 'get_weather',
        description: 'Current weather for a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    ]
    const providerOptions = { bedrock: { reasoningConfig: { type: 'enabled' as const, budgetTokens: 1024 } } }
    const history: Message[] = [{ role: 'user', content: 'What is the weather in Paris? Use the tool.' }]
    const first = await provider.generate({
      model,
      messages: history,
      tools,
      maxOutputTokens: 2048,
      providerOptions,
    })
    const call = first.toolCalls[0]!
    expect(first.content.some((part) => part.type === 'reasoning')).toBe(true)
    history.push(...first.messages, {
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: call.toolCallId,
          toolName: call.toolName,
          output: { celsius: 21 },
        },
      ],
    })
    const second = await provider.generate({
      model,
      messages: history,
      tools,
      maxOutputTokens: 2048,
      providerOptions,
    })
    expect(second.text).toContain('21')
  }, 60_000)

  it('embeds with Titan v2 at the requested size', async () => {
    const result = await provider.embed({ input: ['hello', 'world'], dimensions: 256 })
    expect(result.embeddings.map((vector) => vector.length)).toEqual([256, 256])
    expect(result.usage?.inputTokens).toBeGreaterThan(0)
  }, 30_000)
})
