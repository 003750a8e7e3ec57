import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { demoModels, demoReasoning, demoScenarios, sampleFromSchema } from './demo-scenarios.js'
import { createFixtureKit } from './fixture-kit.js'
import type { WireReply, WireRequestView } from './wire-kit.js'

const kit = createFixtureKit()

function view(overrides: Partial<WireRequestView> = {}): WireRequestView {
  return {
    operation: 'generate',
    url: `${kit.baseURL}/chat/completions`,
    headers: {},
    apiKey: kit.apiKey,
    model: 'fixture-chat',
    system: undefined,
    messages: [{ role: 'user', text: 'Say hello' }],
    body: {},
    ...overrides,
  }
}

function textOf(reply: WireReply): string {
  if (reply.type === 'generate') return reply.text ?? ''
  if (reply.type === 'stream')
    return reply.parts.map((part) => (part.type === 'text' ? part.text : '')).join('')
  throw new Error(`not a text reply: ${reply.type}`)
}

describe('demoScenarios', () => {
  it('answers a wrong key with unauthorized, whatever the model', () => {
    const serve = demoScenarios(kit)
    expect(serve(view({ apiKey: 'sk-wrong' }))).toEqual({ type: 'error', kind: 'unauthorized' })
  })

  it('says the reply is simulated, names the vendor and quotes the user', () => {
    const reply = demoScenarios(kit, { name: 'Fixture' })(view())
    expect(reply.type).toBe('generate')
    expect(textOf(reply)).toContain('Hello from the Fixture wire kit')
    expect(textOf(reply)).toContain('simulated')
    expect(textOf(reply)).toContain('"Say hello"')
  })

  it('counts user turns and echoes the system prompt, so multi-turn and --system are visible', () => {
    const reply = demoScenarios(kit)(
      view({
        system: 'Be brief.',
        messages: [
          { role: 'user', text: 'one' },
          { role: 'assistant', text: 'ok' },
          { role: 'user', text: 'two' },
        ],
      }),
    )
    expect(textOf(reply)).toContain('turn 2 of this conversation')
    expect(textOf(reply)).toContain('System prompt: "Be brief."')
  })

  it('streams word parts that join to the same text a generate returns', () => {
    const serve = demoScenarios(kit)
    const generated = serve(view())
    const streamed = serve(view({ operation: 'stream' }))
    expect(streamed.type).toBe('stream')
    expect(streamed.type === 'stream' && streamed.parts.length).toBeGreaterThan(5)
    expect(textOf(streamed)).toBe(textOf(generated))
  })

  it('honours maxOutputTokens in words with finish reason "length"', () => {
    const reply = demoScenarios(kit)(view({ maxOutputTokens: 3 }))
    expect(reply).toMatchObject({ type: 'generate', finishReason: 'length' })
    expect(textOf(reply).split(' ')).toHaveLength(3)
    expect(reply.type === 'generate' && reply.usage.outputTokens).toBe(3)
  })

  it('fails a 429 on every other call of one operation only', () => {
    const serve = demoScenarios(kit, { retryAfterMs: 120 })
    const model = demoModels.rateLimitedOnce
    expect(serve(view({ model }))).toEqual({ type: 'error', kind: 'rate-limit', retryAfterMs: 120 })
    expect(serve(view({ model })).type).toBe('generate')
    expect(serve(view({ model, operation: 'stream' })).type).toBe('error')
    expect(serve(view({ model })).type).toBe('error')
  })

  it('scripts the failures that demos need', () => {
    const serve = demoScenarios(kit)
    expect(serve(view({ model: demoModels.notFound }))).toMatchObject({ kind: 'not-found' })
    expect(serve(view({ model: demoModels.overloaded }))).toMatchObject({ kind: 'overloaded' })
    expect(serve(view({ model: demoModels.contextOverflow }))).toMatchObject({ kind: 'context-window' })
    expect(serve(view({ model: demoModels.malformed }))).toEqual({ type: 'malformed' })
    expect(serve(view({ model: demoModels.cutStream, operation: 'stream' }))).toMatchObject({ cutAfter: 3 })
  })

  it('404s models the vendor does not know, but never the scripted ones', () => {
    const serve = demoScenarios(kit, { knows: (model) => model === 'fixture-chat' })
    expect(serve(view({ model: 'gpt-99' }))).toEqual({ type: 'error', kind: 'not-found' })
    expect(serve(view()).type).toBe('generate')
    expect(serve(view({ model: demoModels.rateLimitedOnce })).type).toBe('error')
    expect(serve(view({ model: demoModels.rateLimitedOnce })).type).toBe('generate')
  })

  it('calls the first tool with arguments sampled from its schema, then answers its result', () => {
    const serve = demoScenarios(kit)
    const parameters = z.toJSONSchema(z.object({ city: z.string(), unit: z.enum(['celsius', 'fahrenheit']) }))
    const tools = [{ name: 'get_weather', parameters: parameters as Record<string, unknown> }]
    const call = serve(view({ tools }))
    expect(call).toMatchObject({ type: 'generate', finishReason: 'tool-calls' })
    const toolCall = call.type === 'generate' ? call.toolCalls![0]! : undefined
    expect(toolCall?.name).toBe('get_weather')
    expect(JSON.parse(toolCall!.arguments)).toEqual({ city: 'Paris', unit: 'celsius' })

    const streamed = serve(view({ tools, operation: 'stream' }))
    expect(streamed.type === 'stream' && streamed.parts.map((p) => p.type)).toEqual([
      'tool-call',
      'tool-call',
    ])

    const answer = serve(
      view({
        tools,
        messages: [
          { role: 'user', text: 'Weather?' },
          { role: 'assistant', text: '', toolCallIds: [toolCall!.id] },
          { role: 'tool', text: '18 °C', toolCallIds: [toolCall!.id] },
        ],
      }),
    )
    expect(textOf(answer)).toContain('The tool answered 18 °C')
  })

  it('answers structured output with JSON that the schema accepts', () => {
    const schema = z.object({ city: z.string(), population: z.number().int(), tags: z.array(z.string()) })
    const reply = demoScenarios(kit)(
      view({ responseSchema: z.toJSONSchema(schema) as Record<string, unknown>, jsonOutput: true }),
    )
    const object = schema.parse(JSON.parse(textOf(reply)))
    expect(object.city).toBe('Paris')
    expect(object.population).toBe(2102650)
    expect(object.tags).toHaveLength(2)
  })

  it('finds the schema of a JSON-mode request in core’s instruction', () => {
    const system = `Reply with one JSON value, and nothing else, that matches this JSON Schema:\n${JSON.stringify(
      {
        type: 'object',
        properties: { country: { type: 'string' } },
      },
    )}`
    const reply = demoScenarios(kit)(view({ system, jsonOutput: true }))
    expect(JSON.parse(textOf(reply))).toEqual({ country: 'France' })
  })

  it('embeds deterministically: unit vectors of the asked dimensions, equal for equal texts', () => {
    const serve = demoScenarios(kit)
    const reply = serve(view({ operation: 'embed', embedInput: ['a cat', 'a dog', 'a cat'], dimensions: 16 }))
    if (reply.type !== 'embed') throw new Error(reply.type)
    expect(reply.vectors).toHaveLength(3)
    expect(reply.vectors[0]).toHaveLength(16)
    expect(reply.vectors[0]).toEqual(reply.vectors[2])
    expect(reply.vectors[0]).not.toEqual(reply.vectors[1])
    expect(Math.hypot(...reply.vectors[1]!)).toBeCloseTo(1, 4)
  })

  it('lists the kit’s models unless told otherwise', () => {
    expect(demoScenarios(kit)(view({ operation: 'listModels' }))).toEqual({
      type: 'models',
      ids: [kit.models.chat, kit.models.embedding],
    })
    expect(demoScenarios(kit, { models: ['x'] })(view({ operation: 'listModels' }))).toEqual({
      type: 'models',
      ids: ['x'],
    })
  })
})

describe('sampleFromSchema', () => {
  it('follows $ref, prefers enum and const, and skips null in unions', () => {
    const schema = {
      type: 'object',
      $defs: { place: { type: 'object', properties: { city: { type: 'string' } } } },
      properties: {
        home: { $ref: '#/$defs/place' },
        kind: { enum: ['b', 'a'] },
        version: { const: 2 },
        nickname: { anyOf: [{ type: 'null' }, { type: 'string' }] },
        age: { type: ['integer', 'null'], minimum: 40 },
        ok: { type: 'boolean' },
      },
    }
    expect(sampleFromSchema(schema)).toEqual({
      home: { city: 'Paris' },
      kind: 'b',
      version: 2,
      nickname: 'example nickname',
      age: 40,
      ok: true,
    })
  })

  it('respects array bounds and string length', () => {
    expect(sampleFromSchema({ type: 'array', items: { type: 'number' }, maxItems: 1 })).toEqual([42])
    expect(sampleFromSchema({ type: 'string', maxLength: 4 }, 'summary')).toBe('A si')
  })

  it('a reasoning kit thinks and signs before a tool call, and reports what the next turn sent back', () => {
    const reasoningKit = { ...kit, v2: { reasoningReturn: 'signed' as const } }
    const serve = demoScenarios(reasoningKit)
    const tools = [
      { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
    ]
    const first = serve(view({ tools }))
    expect(first).toMatchObject({ type: 'generate', reasoning: [demoReasoning], finishReason: 'tool-calls' })
    const streamed = serve(view({ tools, operation: 'stream' }))
    expect(streamed.type === 'stream' && streamed.parts.slice(0, 2)).toEqual([
      { type: 'reasoning', text: demoReasoning.text },
      { type: 'reasoning-end', signature: demoReasoning.signature },
    ])
    const reportAfter = (reasoning: Array<{ text: string; signature?: string }> | undefined) =>
      textOf(
        serve(
          view({
            tools,
            messages: [
              { role: 'user', text: 'Weather?' },
              {
                role: 'assistant',
                text: '',
                toolCallIds: ['call_demo_1'],
                ...(reasoning ? { reasoning } : {}),
              },
              { role: 'tool', text: '{"celsius":21}', toolCallIds: ['call_demo_1'] },
            ],
          }),
        ),
      )
    expect(reportAfter([demoReasoning])).toContain('Reasoning sent back: signed.')
    expect(reportAfter([{ text: demoReasoning.text }])).toContain('Reasoning sent back: text.')
    expect(reportAfter(undefined)).toContain('Reasoning sent back: none.')
    // A kit that does not reason writes no reasoning.
    expect(demoScenarios(kit)(view({ tools }))).not.toHaveProperty('reasoning')
  })

  it('names the files the user sent', () => {
    const reply = demoScenarios(kit)(
      view({
        messages: [
          { role: 'user', text: 'Read this', files: [{ mediaType: 'application/pdf', data: 'JVBE' }] },
        ],
      }),
    )
    expect(textOf(reply)).toContain('Read 1 file(s): application/pdf.')
  })
})
