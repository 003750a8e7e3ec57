import type { WireReply, WireRequestView } from '@modelplex/conformance'
import type { Message } from '@modelplex/core'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBedrock } from './index.js'
import { createBedrockWireKit } from './testing.js'

// A multi-turn tool loop with Claude's extended thinking on Bedrock, against the wire kit: every
// request after the first must carry each earlier reasoningContent block exactly as Converse sent it.
const kit = createBedrockWireKit()
const replies: WireReply[] = []
const views: WireRequestView[] = []
const server = setupServer(
  ...kit.handlers((view) => {
    views.push(view)
    return replies.shift()!
  }),
)
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())

const model = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0'
const usage = { inputTokens: 50, outputTokens: 20 }
const weather = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
}
const reasoningConfig = { type: 'enabled' as const, budgetTokens: 2048 }

// Signatures and redacted data as Converse writes them: opaque base64.
const first = { text: 'Paris first: call get_weather.', signature: 'EqQBCkYIBRgCKkBmb28+YmFy/w==' }
const redacted = 'AAEC+v8ASGVsbG8gcmVkYWN0ZWQ='
const second = { text: 'Paris is 21 °C. Now Oslo.', signature: 'ErcBCkgIBRABGAIiQGJheg+cXV4/z==' }
const third = { text: 'Both known; answer.', signature: 'EpMBCkYIBRgCIkDvY29sZA==' }

const thinkingBlock = (part: { text: string; signature: string }) => ({
  reasoningContent: { reasoningText: { text: part.text, signature: part.signature } },
})

function toolResult(id: string, celsius: number): Message {
  return {
    role: 'tool',
    content: [{ type: 'tool-result', toolCallId: id, toolName: 'get_weather', output: { celsius } }],
  }
}

describe('bedrock: a reasoning tool loop round-trips every reasoningContent block', () => {
  it('three reasoning turns (generate, generate with redacted thinking, stream), each sent back byte for byte', async () => {
    const provider = createBedrock({ ...kit.settings, retry: { maxRetries: 0 } })
    const options = { providerOptions: { bedrock: { reasoningConfig } } }
    replies.push(
      {
        type: 'generate',
        reasoning: [first],
        toolCalls: [{ id: 'tooluse_paris', name: 'get_weather', arguments: '{"city":"Paris"}' }],
        finishReason: 'tool-calls',
        usage,
      },
      {
        type: 'generate',
        reasoning: [{ text: '', redacted }, second],
        text: 'Checking Oslo too.',
        toolCalls: [{ id: 'tooluse_oslo', name: 'get_weather', arguments: '{"city":"Oslo"}' }],
        finishReason: 'tool-calls',
        usage,
      },
      {
        type: 'stream',
        parts: [
          { type: 'reasoning', text: 'Both known; ' },
          { type: 'reasoning', text: 'answer.' },
          { type: 'reasoning-end', signature: third.signature },
          { type: 'text', text: 'Paris 21 °C, Oslo 3 °C.' },
        ],
        finishReason: 'stop',
        usage,
      },
      { type: 'generate', text: 'You are welcome.', finishReason: 'stop', usage },
    )

    const history: Message[] = [{ role: 'user', content: 'Weather in Paris and Oslo?' }]
    const turn1 = await provider.generate({ model, messages: history, tools: [weather], ...options })
    expect(turn1.content[0]).toEqual({
      type: 'reasoning',
      text: first.text,
      providerMetadata: { bedrock: { signature: first.signature } },
    })
    history.push(...turn1.messages, toolResult('tooluse_paris', 21))

    const turn2 = await provider.generate({ model, messages: history, tools: [weather], ...options })
    expect(turn2.content.map((part) => part.type)).toEqual(['reasoning', 'reasoning', 'text', 'tool-call'])
    history.push(...turn2.messages, toolResult('tooluse_oslo', 3))

    const stream = provider.stream({ model, messages: history, tools: [weather], ...options })
    const turn3 = await stream.result()
    expect(turn3.text).toBe('Paris 21 °C, Oslo 3 °C.')
    history.push(...turn3.messages, { role: 'user', content: 'Thanks!' })

    await provider.generate({ model, messages: history, tools: [weather], ...options })
    expect(views).toHaveLength(4)

    // Every request asked for thinking in Claude's wire form.
    for (const view of views) {
      expect((view.body as any).additionalModelRequestFields).toEqual({
        thinking: { type: 'enabled', budget_tokens: 2048 },
      })
    }

    const turn1Blocks = [
      thinkingBlock(first),
      { toolUse: { toolUseId: 'tooluse_paris', name: 'get_weather', input: { city: 'Paris' } } },
    ]
    const turn2Blocks = [
      { reasoningContent: { redactedContent: redacted } },
      thinkingBlock(second),
      { text: 'Checking Oslo too.' },
      { toolUse: { toolUseId: 'tooluse_oslo', name: 'get_weather', input: { city: 'Oslo' } } },
    ]
    const turn3Blocks = [thinkingBlock(third), { text: 'Paris 21 °C, Oslo 3 °C.' }]
    const assistantTurns = (view: WireRequestView) =>
      (view.body as any).messages
        .filter((message: any) => message.role === 'assistant')
        .map((message: any) => message.content)

    expect(assistantTurns(views[1]!)).toEqual([turn1Blocks])
    expect(assistantTurns(views[2]!)).toEqual([turn1Blocks, turn2Blocks])
    expect(assistantTurns(views[3]!)).toEqual([turn1Blocks, turn2Blocks, turn3Blocks])
    // The kit's view reads the same back: text and signature, or the redacted data.
    expect(views[3]!.messages.filter((m) => m.role === 'assistant').map((m) => m.reasoning)).toEqual([
      [first],
      [{ text: '', redacted }, second],
      [third],
    ])
  })
})
