// Interface v2 on Cohere, through the real cohere-ai SDK: typed thinking options on the wire,
// thinking and the tool plan read and sent back, citations and billed units in providerMetadata.
import { type Message, UnsupportedCapabilityError } from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import { createCohere } from './index.js'

/** A command-a-reasoning answer that thinks, plans and calls a tool (docs.cohere.com/docs/reasoning). */
const reasoningToolCall = {
  id: 'c1f3b8a2-5e4d-4c4a-9b7e-0d1e2f3a4b5c',
  finish_reason: 'TOOL_CALL',
  message: {
    role: 'assistant',
    content: [{ type: 'thinking', thinking: 'I need the weather first.' }],
    tool_plan: 'I will call get_weather for Paris.',
    tool_calls: [
      {
        id: 'get_weather_0',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
      },
    ],
  },
  usage: {
    billed_units: { input_tokens: 20, output_tokens: 12 },
    tokens: { input_tokens: 520, output_tokens: 40 },
  },
}

/** A grounded answer with a citation, as the v2 chat reference shows one. */
const grounded = {
  id: 'a7d1',
  finish_reason: 'COMPLETE',
  message: {
    role: 'assistant',
    content: [{ type: 'text', text: 'Paris is the capital.' }],
    citations: [
      {
        start: 0,
        end: 5,
        text: 'Paris',
        type: 'TEXT_CONTENT',
        sources: [
          { type: 'document', id: 'doc:0', document: { id: 'doc:0', snippet: 'Paris, capital of France' } },
        ],
      },
    ],
  },
  usage: {
    billed_units: { input_tokens: 9, output_tokens: 5, search_units: 1 },
    tokens: { input_tokens: 300, output_tokens: 5 },
    cached_tokens: 0,
  },
}

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
  const provider = createCohere({
    apiKey: 'co-test-key',
    fetch: fetch as typeof globalThis.fetch,
    retry: { maxRetries: 0 },
  })
  return { provider, bodies }
}

const weather = {
  name: 'get_weather',
  description: 'Weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } } },
}

describe('reasoning on Cohere', () => {
  it('writes the typed thinking option as thinking.token_budget', async () => {
    const { provider, bodies } = recorder(grounded)
    await provider.generate({
      model: 'command-a-reasoning-08-2025',
      messages: [{ role: 'user', content: 'Hi' }],
      providerOptions: { cohere: { thinking: { type: 'enabled', tokenBudget: 2048 }, safetyMode: 'STRICT' } },
    })
    expect(bodies[0].thinking).toEqual({ type: 'enabled', token_budget: 2048 })
    expect(bodies[0].safety_mode).toBe('STRICT')
  })

  it('reads thinking and the tool plan as two reasoning parts, and sends both back in their own fields', async () => {
    const { provider, bodies } = recorder(reasoningToolCall, grounded)
    const history: Message[] = [{ role: 'user', content: 'Weather in Paris?' }]
    const first = await provider.generate({
      model: 'command-a-reasoning-08-2025',
      messages: history,
      tools: [weather],
    })
    expect(first.content.map((part) => part.type)).toEqual(['reasoning', 'reasoning', 'tool-call'])
    expect(first.content[1]).toMatchObject({ providerMetadata: { cohere: { toolPlan: true } } })
    history.push(...first.messages, {
      role: 'tool',
      content: [
        { type: 'tool-result', toolCallId: 'get_weather_0', toolName: 'get_weather', output: { c: 21 } },
      ],
    })
    await provider.generate({ model: 'command-a-reasoning-08-2025', messages: history, tools: [weather] })
    const assistant = bodies[1].messages[1]
    expect(assistant).toMatchObject({
      role: 'assistant',
      tool_plan: 'I will call get_weather for Paris.',
      content: [{ type: 'thinking', thinking: 'I need the weather first.' }],
    })
    expect(assistant.tool_calls.map((call: { id: string }) => call.id)).toEqual(['get_weather_0'])
  })
})

describe('provider metadata on Cohere', () => {
  it('carries billed units, tokens, cached tokens and citations', async () => {
    const { provider } = recorder(grounded)
    const result = await provider.generate({ messages: [{ role: 'user', content: 'Capital of France?' }] })
    expect(result.providerMetadata?.cohere).toMatchObject({
      billedUnits: { inputTokens: 9, outputTokens: 5, searchUnits: 1 },
      tokens: { inputTokens: 300, outputTokens: 5 },
      cachedTokens: 0,
      citations: [{ start: 0, end: 5, text: 'Paris', sources: [{ type: 'document', id: 'doc:0' }] }],
    })
  })
})

describe('files on Cohere', () => {
  it('refuses a PDF before sending: the v2 user message takes text and images only', async () => {
    const { provider, bodies } = recorder(grounded)
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
