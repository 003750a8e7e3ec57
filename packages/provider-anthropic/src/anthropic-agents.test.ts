// Core's tool loop on Anthropic's wire format through createClient: extended thinking signed by
// the vendor goes back byte for byte at every step, and a fallback serves a later step alone.
import type { WireReply } from '@modelplex/conformance'
import { type AgentStreamEvent, createClient, tool } from '@modelplex/core'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import spec from './index.js'
import { createAnthropicWireKit } from './testing.js'

const kit = createAnthropicWireKit({ baseURL: 'https://agents.anthropic.modelplex.test' })
const bodies: any[] = []
let replies: WireReply[] = []
const server = setupServer(
  ...kit.handlers((view) => {
    bodies.push(view.body)
    return replies.shift() ?? { type: 'error', kind: 'server' }
  }),
)
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  bodies.length = 0
  replies = []
})
afterAll(() => server.close())

const usage = { inputTokens: 20, outputTokens: 10 }
const thinking = { anthropic: { thinking: { type: 'enabled' as const, budgetTokens: 1024 } } }
const signature = 'EqQBCkYIARgC+agents/loop/sig=='
const thought = 'The user wants the weather in Paris; call get_weather.'

const getWeather = (calls: string[]) =>
  tool({
    name: 'get_weather',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      calls.push(city)
      return { city, celsius: 21 }
    },
  })

function client() {
  return createClient({
    providers: { anthropic: { ...kit.settings, load: async () => spec } },
    retry: { maxRetries: 0 },
  })
}

describe('the tool loop on Anthropic through createClient', () => {
  it('generate: two steps, the signed thinking and the tool result in the second request', async () => {
    replies = [
      {
        type: 'generate',
        reasoning: [{ text: thought, signature }],
        toolCalls: [{ id: 'toolu_a1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
        finishReason: 'tool-calls',
        usage,
      },
      { type: 'generate', text: 'It is 21 °C in Paris.', finishReason: 'stop', usage },
    ]
    const calls: string[] = []
    const r = await client().generate({
      model: 'anthropic:claude-sonnet-5-5',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [getWeather(calls)],
      maxSteps: 3,
      providerOptions: thinking,
    })
    expect(r.text).toBe('It is 21 °C in Paris.')
    expect(calls).toEqual(['Paris'])
    expect(r.steps.map((step) => step.finishReason)).toEqual(['tool-calls', 'stop'])
    expect(r.usage).toMatchObject({ inputTokens: 40, outputTokens: 20 })
    expect(bodies[1].messages).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: thought, signature },
          { type: 'tool_use', id: 'toolu_a1', name: 'get_weather', input: { city: 'Paris' } },
        ],
      },
      {
        role: 'user',
        content: [expect.objectContaining({ type: 'tool_result', tool_use_id: 'toolu_a1' })],
      },
    ])
  })

  it('stream: thinking streamed, the tool run between steps, every event in order', async () => {
    replies = [
      {
        type: 'stream',
        parts: [
          { type: 'reasoning', text: thought },
          { type: 'reasoning-end', signature },
          { type: 'tool-call', index: 0, id: 'toolu_s1', name: 'get_weather', argumentsDelta: '{"city":' },
          { type: 'tool-call', index: 0, argumentsDelta: '"Paris"}' },
        ],
        finishReason: 'tool-calls',
        usage,
      },
      { type: 'stream', parts: [{ type: 'text', text: 'It is 21 °C.' }], finishReason: 'stop', usage },
    ]
    const onRoute = vi.fn()
    const calls: string[] = []
    const c = createClient({
      providers: { anthropic: { ...kit.settings, load: async () => spec } },
      retry: { maxRetries: 0 },
      hooks: { onRoute },
    })
    const s = c.stream({
      model: 'anthropic:claude-sonnet-5-5',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [getWeather(calls)],
      maxSteps: 2,
      providerOptions: thinking,
    })
    const events: AgentStreamEvent[] = []
    for await (const event of s) events.push(event)
    const kinds = events.map((event) => event.type).filter((type) => !type.endsWith('-delta'))
    expect(kinds).toEqual([
      'reasoning-end',
      'tool-call',
      'tool-result',
      'step-finish',
      'step-finish',
      'finish',
    ])
    expect(calls).toEqual(['Paris'])
    expect((await s.result()).text).toBe('It is 21 °C.')
    expect(bodies[1].messages[1].content[0]).toEqual({ type: 'thinking', thinking: thought, signature })
    // One routed call per step.
    expect(onRoute).toHaveBeenCalledTimes(2)
  })

  it('a later step that fails is retried on its own; the tool runs once', async () => {
    replies = [
      {
        type: 'generate',
        toolCalls: [{ id: 'toolu_f1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
        finishReason: 'tool-calls',
        usage,
      },
      { type: 'error', kind: 'overloaded' },
      { type: 'generate', text: 'Retried: 21 °C.', finishReason: 'stop', usage },
    ]
    const calls: string[] = []
    const c = createClient({
      providers: { anthropic: { ...kit.settings, load: async () => spec } },
      retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 1 },
    })
    const r = await c.generate({
      model: 'anthropic:claude-sonnet-5-5',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [getWeather(calls)],
      maxSteps: 2,
    })
    expect(r.text).toBe('Retried: 21 °C.')
    expect(calls).toEqual(['Paris'])
    expect(bodies).toHaveLength(3)
  })
})
