// Interface v2 on Ollama, through the real `ollama` client: typed options on the wire, thinking
// read and sent back, timings in providerMetadata, cached prompt tokens, files refused.
import { type Message, UnsupportedCapabilityError } from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import { createOllama } from './index.js'

/** A thinking model's answer with `think: true`, in /api/chat's shape (docs/api.md). */
const thinkingToolCall = {
  model: 'qwen3',
  created_at: '2026-11-21T10:00:00.000000Z',
  message: {
    role: 'assistant',
    content: '',
    thinking: 'The user wants the weather; call get_weather.',
    tool_calls: [
      { id: 'call_8f2a91c0', function: { index: 0, name: 'get_weather', arguments: { city: 'Paris' } } },
    ],
  },
  done_reason: 'stop',
  done: true,
  total_duration: 1200000000,
  load_duration: 5000000,
  prompt_eval_count: 120,
  prompt_eval_cached_count: 100,
  prompt_eval_duration: 40000000,
  eval_count: 30,
  eval_duration: 900000000,
}

const answer = { ...thinkingToolCall, message: { role: 'assistant', content: 'It is 21 °C.' } }

function recorder(...replies: unknown[]) {
  const bodies: any[] = []
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init)
    bodies.push(JSON.parse(await request.text()))
    const reply = replies[Math.min(bodies.length - 1, replies.length - 1)]
    return new Response(JSON.stringify(reply), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    })
  }
  const provider = createOllama({ fetch: fetch as typeof globalThis.fetch, retry: { maxRetries: 0 } })
  return { provider, bodies }
}

const weather = {
  name: 'get_weather',
  description: 'Weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } } },
}

describe('providerOptions.ollama', () => {
  it('writes think and keep_alive at the top level and merges options into ours', async () => {
    const { provider, bodies } = recorder(answer)
    await provider.generate({
      model: 'qwen3',
      temperature: 0.2,
      messages: [{ role: 'user', content: 'Hi' }],
      providerOptions: {
        ollama: { think: 'high', keepAlive: '10m', options: { num_ctx: 8192 }, raw: false },
      },
    })
    expect(bodies[0]).toMatchObject({ think: 'high', keep_alive: '10m', raw: false })
    expect(bodies[0]).not.toHaveProperty('keepAlive')
    expect(bodies[0].options).toEqual({ temperature: 0.2, num_ctx: 8192 })
  })
})

describe('thinking on Ollama', () => {
  it('reads message.thinking and sends it back as the assistant message thinking field', async () => {
    const { provider, bodies } = recorder(thinkingToolCall, answer)
    const history: Message[] = [{ role: 'user', content: 'Weather in Paris?' }]
    const first = await provider.generate({ model: 'qwen3', messages: history, tools: [weather] })
    expect(first.content.map((part) => part.type)).toEqual(['reasoning', 'tool-call'])
    history.push(...first.messages, {
      role: 'tool',
      content: [
        { type: 'tool-result', toolCallId: 'call_8f2a91c0', toolName: 'get_weather', output: { c: 21 } },
      ],
    })
    await provider.generate({ model: 'qwen3', messages: history, tools: [weather] })
    expect(bodies[1].messages[1]).toMatchObject({
      role: 'assistant',
      content: '',
      thinking: 'The user wants the weather; call get_weather.',
      tool_calls: [{ id: 'call_8f2a91c0', function: { name: 'get_weather', arguments: { city: 'Paris' } } }],
    })
  })
})

describe('metadata and usage on Ollama', () => {
  it('puts the timings in providerMetadata and the cached prompt tokens in usage', async () => {
    const { provider } = recorder(answer)
    const result = await provider.generate({ model: 'qwen3', messages: [{ role: 'user', content: 'Hi' }] })
    expect(result.usage).toMatchObject({ inputTokens: 120, outputTokens: 30, cachedInputTokens: 100 })
    expect(result.providerMetadata?.ollama).toEqual({
      totalDuration: 1200000000,
      loadDuration: 5000000,
      promptEvalCount: 120,
      promptEvalCachedCount: 100,
      promptEvalDuration: 40000000,
      evalCount: 30,
      evalDuration: 900000000,
      doneReason: 'stop',
      createdAt: '2026-11-21T10:00:00.000000Z',
    })
    expect(result.cost?.total).toBe(0)
  })

  it('refuses a PDF before sending: /api/chat takes images only', async () => {
    const { provider, bodies } = recorder(answer)
    const error = await provider
      .generate({
        messages: [
          { role: 'user', content: [{ type: 'file', data: 'JVBERi0=', mediaType: 'application/pdf' }] },
        ],
      })
      .catch((caught: unknown) => caught)
    expect(UnsupportedCapabilityError.isInstance(error)).toBe(true)
    expect(bodies).toHaveLength(0)
  })
})
