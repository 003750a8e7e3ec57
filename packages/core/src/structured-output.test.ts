import { createMockProvider } from '@modelplex/core/testing'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { InvalidRequestError, StructuredOutputError, UnsupportedCapabilityError } from './errors.js'
import { toJsonSchema } from './provider.js'
import { messages } from './test-helpers.js'

const City = z.object({ city: z.string(), population: z.number().int() })
const { $schema: _, ...cityJsonSchema } = z.toJSONSchema(City) as Record<string, unknown>
const paris = { city: 'Paris', population: 2_100_000 }

describe('toJsonSchema', () => {
  it('converts zod with z.toJSONSchema, minus the $schema key, and passes JSON Schema through', async () => {
    expect(await toJsonSchema(City)).toEqual(cityJsonSchema)
    expect(cityJsonSchema).toMatchObject({ type: 'object', required: ['city', 'population'] })
    const raw = { type: 'object', properties: {} }
    expect(await toJsonSchema(raw)).toBe(raw)
  })
})

describe('generateObject', () => {
  it("'json-schema' mode sends responseFormat with the JSON Schema and parses the reply", async () => {
    const provider = createMockProvider({ replies: [{ text: JSON.stringify(paris) }] })
    const result = await provider.generateObject({
      messages,
      schema: City,
      schemaName: 'city',
      schemaDescription: 'A city and its population',
    })
    expect(result.object).toEqual(paris)
    expect(result.text).toBe(JSON.stringify(paris))
    expect(result.usage).toBeDefined()
    const sent = provider.calls[0]!
    expect(sent.responseFormat).toEqual({
      type: 'json',
      schema: cityJsonSchema,
      name: 'city',
      description: 'A city and its population',
    })
    expect(sent.tools).toBeUndefined()
    expect(sent.messages).toEqual(messages)
  })

  it("'json-schema' mode names the schema 'response' by default", async () => {
    const provider = createMockProvider({ replies: [{ text: JSON.stringify(paris) }] })
    await provider.generateObject({ messages, schema: City })
    expect(provider.calls[0]!.responseFormat).toEqual({
      type: 'json',
      schema: cityJsonSchema,
      name: 'response',
    })
  })

  it("'json-mode' adds a system instruction holding the schema and asks for JSON", async () => {
    const provider = createMockProvider({
      capabilities: { structuredOutput: 'json-mode' },
      replies: [{ text: JSON.stringify(paris) }],
    })
    const { object } = await provider.generateObject({ messages, schema: City })
    expect(object).toEqual(paris)
    const sent = provider.calls[0]!
    expect(sent.responseFormat).toEqual({ type: 'json' })
    expect(sent.messages).toHaveLength(2)
    expect(sent.messages[0]!.role).toBe('system')
    expect(sent.messages[0]!.content).toContain(JSON.stringify(cityJsonSchema))
    expect(sent.messages[1]).toEqual(messages[0])
  })

  it("'tool' mode forces a tool named by schemaName and reads its arguments", async () => {
    const provider = createMockProvider({
      capabilities: { structuredOutput: 'tool' },
      replies: [{ toolCalls: [{ toolName: 'city', input: paris }] }],
    })
    const result = await provider.generateObject({ messages, schema: City, schemaName: 'city' })
    expect(result.object).toEqual(paris)
    const sent = provider.calls[0]!
    expect(sent.tools).toEqual([
      { name: 'city', description: 'Respond with the result', parameters: cityJsonSchema },
    ])
    expect(sent.toolChoice).toEqual({ type: 'tool', toolName: 'city' })
    expect(sent.responseFormat).toBeUndefined()
  })

  it("'tool' mode reads the text when the model answered without the tool", async () => {
    const provider = createMockProvider({
      capabilities: { structuredOutput: 'tool' },
      replies: [{ text: JSON.stringify(paris) }],
    })
    expect((await provider.generateObject({ messages, schema: City })).object).toEqual(paris)
  })

  it.each([
    ['```json fence', '```json\n{"city":"Paris","population":2100000}\n```'],
    ['bare ``` fence', '```\n{"city":"Paris","population":2100000}\n```'],
    ['surrounding whitespace', '\n  {"city":"Paris","population":2100000}  \n'],
  ])('parses a reply in a %s', async (_, text) => {
    const provider = createMockProvider({ replies: [{ text }] })
    expect((await provider.generateObject({ messages, schema: City })).object).toEqual(paris)
  })

  it('invalid JSON → StructuredOutputError with the text', async () => {
    const text = 'Sure! The city is Paris.'
    const provider = createMockProvider({ replies: [{ text }] })
    const error = await provider.generateObject({ messages, schema: City }).catch((e: unknown) => e)
    expect(StructuredOutputError.isInstance(error)).toBe(true)
    const structured = error as StructuredOutputError
    expect(structured.text).toBe(text)
    expect(structured.message).toContain('not valid JSON')
    expect(structured.issues).toEqual([])
    expect(structured.cause).toBeInstanceOf(SyntaxError)
    expect(structured.provider).toBe('mock')
  })

  it('a schema mismatch → StructuredOutputError with the text and the zod issues', async () => {
    const text = '{"city":"Paris","population":"two million"}'
    const provider = createMockProvider({ replies: [{ text }] })
    const error = await provider.generateObject({ messages, schema: City }).catch((e: unknown) => e)
    expect(StructuredOutputError.isInstance(error)).toBe(true)
    const structured = error as StructuredOutputError
    expect(structured.text).toBe(text)
    expect(structured.message).toContain('does not match the schema')
    expect(structured.issues).toHaveLength(1)
    expect(structured.issues[0]!.path).toEqual(['population'])
    expect(structured.issues[0]!.message).toMatch(/number/)
    expect(structured.toJSON().issues).toEqual(structured.issues)
  })

  it("the schema's own checks (refine) run on the reply", async () => {
    const Even = z.object({ n: z.number().refine((n) => n % 2 === 0, 'n must be even') })
    const provider = createMockProvider({ replies: [{ text: '{"n":2}' }, { text: '{"n":3}' }] })
    expect((await provider.generateObject({ messages, schema: Even })).object).toEqual({ n: 2 })
    const error = await provider.generateObject({ messages, schema: Even }).catch((e: unknown) => e)
    expect((error as StructuredOutputError).issues).toEqual([{ path: ['n'], message: 'n must be even' }])
  })

  it('a schema JSON Schema cannot express (a transform) → InvalidRequestError naming schema, no request', async () => {
    const provider = createMockProvider()
    const schema = z.object({ at: z.string().transform((value) => value.split('-').map(Number)) })
    const error = await provider.generateObject({ messages, schema }).catch((e: unknown) => e)
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    expect((error as InvalidRequestError).field).toBe('schema')
    expect((error as InvalidRequestError).message).toMatch(/Transforms/)
    expect((error as InvalidRequestError).provider).toBe('mock')
    expect(provider.calls).toHaveLength(0)
  })

  it('the same for tool parameters: the error names the tool', async () => {
    const provider = createMockProvider()
    const parameters = z.object({ at: z.string().transform(Number) })
    const error = await provider
      .generate({
        messages,
        tools: [
          { name: 'ok', parameters: {} },
          { name: 'when', parameters },
        ],
      })
      .catch((e: unknown) => e)
    expect((error as InvalidRequestError).field).toBe('tools.1.parameters')
    expect(provider.calls).toHaveLength(0)
  })

  it('structuredOutput false → UnsupportedCapabilityError, no request', async () => {
    const provider = createMockProvider({ capabilities: { structuredOutput: false } })
    const error = await provider.generateObject({ messages, schema: City }).catch((e: unknown) => e)
    expect(UnsupportedCapabilityError.isInstance(error)).toBe(true)
    expect((error as UnsupportedCapabilityError).capability).toBe('structuredOutput')
    expect(provider.calls).toHaveLength(0)
  })

  it('a schema that is not zod → InvalidRequestError naming schema, no request', async () => {
    const provider = createMockProvider()
    const error = await provider
      .generateObject({ messages, schema: { type: 'object' } as never })
      .catch((e: unknown) => e)
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    expect((error as InvalidRequestError).field).toBe('schema')
    expect(provider.calls).toHaveLength(0)
  })

  it('the request is validated like generate', async () => {
    const provider = createMockProvider()
    const error = await provider
      .generateObject({ messages, schema: City, temperature: 9 })
      .catch((e: unknown) => e)
    expect((error as InvalidRequestError).field).toBe('temperature')
    expect(provider.calls).toHaveLength(0)
  })
})
