import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { baseSettingsSchema, embedRequestSchema, generateRequestSchema } from './schemas.js'
import { type Check, isValidEmbedRequest, isValidGenerateRequest, isValidSettings } from './validate.js'

// The fast checks may send a valid value to zod ("ask zod") but must never pass a value zod
// rejects or would change: `fast(x)` implies zod accepts x and returns a value equal to x.
// Valid requests are generated from the schema's own rules, then mutated one path at a time.

/**
 * A fixed, seeded number of cases: a few seconds on two loaded cores. `pnpm --filter
 * @modelplex/core test:exhaustive` runs the large variant (MODELPLEX_EXHAUSTIVE=1), outside `pnpm test`.
 */
const exhaustive = process.env.MODELPLEX_EXHAUSTIVE === '1'
const RUNS = exhaustive ? 20_000 : 400
/** Valid values whose every path is mutated with every odd value. */
const SAMPLES = exhaustive ? 200 : 6

const nonEmpty = fc.string({ minLength: 1, maxLength: 8 })
const json = fc.jsonValue({ maxDepth: 2 })
const textPart = fc.record({ type: fc.constant('text'), text: fc.string({ maxLength: 8 }) })
const imagePart = fc.oneof(
  fc.record({
    type: fc.constant('image'),
    image: fc.constantFrom('https://example.com/cat.png', 'http://x.y/a.jpg', 'data:image/png;base64,iVBO'),
  }),
  fc.record({
    type: fc.constant('image'),
    image: nonEmpty,
    mediaType: fc.constantFrom('image/png', 'image/jpeg'),
  }),
  fc.record({ type: fc.constant('image'), image: fc.constant(new URL('https://example.com/a.png')) }),
)
const toolCallPart = fc.record({
  type: fc.constant('tool-call'),
  toolCallId: nonEmpty,
  toolName: nonEmpty,
  input: json,
})
const toolResultPart = fc.record(
  {
    type: fc.constant('tool-result'),
    toolCallId: nonEmpty,
    toolName: nonEmpty,
    output: json,
    isError: fc.boolean(),
  },
  { requiredKeys: ['type', 'toolCallId', 'toolName', 'output'] },
)
const message = fc.oneof(
  fc.record({ role: fc.constant('system'), content: fc.string({ maxLength: 8 }) }),
  fc.record({
    role: fc.constant('user'),
    content: fc.oneof(fc.string(), fc.array(fc.oneof(textPart, imagePart), { minLength: 1, maxLength: 3 })),
  }),
  fc.record({
    role: fc.constant('assistant'),
    content: fc.oneof(fc.string(), fc.array(fc.oneof(textPart, toolCallPart), { maxLength: 3 })),
  }),
  fc.record({ role: fc.constant('tool'), content: fc.array(toolResultPart, { minLength: 1, maxLength: 2 }) }),
)
const tool = fc.record(
  {
    name: fc.stringMatching(/^[a-zA-Z0-9_-]{1,64}$/),
    description: fc.string(),
    parameters: fc.oneof(
      fc.constant({ type: 'object', properties: { city: { type: 'string' } } }),
      fc.constant(z.object({ city: z.string() })),
    ),
  },
  { requiredKeys: ['name', 'parameters'] },
)
const headers = fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.string({ maxLength: 6 }), {
  maxKeys: 2,
})
const callOptions = {
  signal: fc.constant(new AbortController().signal),
  timeoutMs: fc.integer({ min: 1, max: 600_000 }),
  maxRetries: fc.integer({ min: 0, max: 20 }),
  headers,
  providerOptions: fc.dictionary(nonEmpty, fc.dictionary(nonEmpty, json, { maxKeys: 2 }), { maxKeys: 2 }),
}
const optionalKeys = { requiredKeys: [] as never[] }

const generateRequest = fc.record(
  {
    ...callOptions,
    model: nonEmpty,
    messages: fc.array(message, { minLength: 1, maxLength: 3 }),
    temperature: fc.double({ min: 0, max: 2, noNaN: true }),
    maxOutputTokens: fc.integer({ min: 1, max: 100_000 }),
    topP: fc.double({ min: 0, max: 1, noNaN: true }),
    topK: fc.integer({ min: 1, max: 100 }),
    presencePenalty: fc.double({ min: -2, max: 2, noNaN: true }),
    frequencyPenalty: fc.double({ min: -2, max: 2, noNaN: true }),
    stopSequences: fc.array(nonEmpty, { maxLength: 16 }),
    seed: fc.integer(),
    tools: fc.array(tool, { maxLength: 2 }),
    toolChoice: fc.oneof(
      fc.constantFrom('auto', 'none', 'required'),
      fc.record({ type: fc.constant('tool'), toolName: nonEmpty }),
    ),
    responseFormat: fc.oneof(
      fc.record({ type: fc.constant('text') }),
      fc.record(
        {
          type: fc.constant('json'),
          schema: fc.constant({ type: 'object' }),
          name: fc.string(),
          description: fc.string(),
        },
        { requiredKeys: ['type'] },
      ),
    ),
  },
  { requiredKeys: ['messages'] },
)

const embedRequest = fc.record(
  {
    ...callOptions,
    model: nonEmpty,
    input: fc.oneof(fc.string(), fc.array(fc.string(), { minLength: 1, maxLength: 3 })),
    dimensions: fc.integer({ min: 1, max: 4096 }),
  },
  { requiredKeys: ['input'] },
)

const settings = fc.record(
  {
    apiKey: nonEmpty,
    baseURL: fc.constantFrom(
      'https://api.example.com/v1',
      'http://localhost:11434',
      'http://127.0.0.1:8080/v1',
    ),
    headers,
    sdk: fc.constant({ default: class {} }),
    fetch: fc.constant(fetch),
    defaultModel: nonEmpty,
    defaultEmbeddingModel: nonEmpty,
  },
  optionalKeys,
)

/** Values that break one rule or another: wrong types, edges, padding, strays. */
const ODD_VALUES: unknown[] = [
  undefined,
  null,
  '',
  ' ',
  ' https://a.b ',
  'https://',
  'not a url',
  'robot',
  'image',
  0,
  -0,
  -1,
  1.5,
  2.0000001,
  3,
  21,
  2 ** 53,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  [],
  {},
  [''],
  new Headers({ a: 'b' }),
  Object.create(null),
  () => {},
  Symbol('s'),
  'a'.repeat(65),
  { nested: [1, 'two', null] },
]

/** Every path (as keys) inside a JSON-like value, the root excluded. */
function pathsOf(value: unknown, prefix: PropertyKey[] = []): PropertyKey[][] {
  if (!isData(value)) return []
  return Object.keys(value).flatMap((key) => [
    [...prefix, key],
    ...pathsOf((value as Record<string, unknown>)[key], [...prefix, key]),
  ])
}

/** A copy of `value` with one path replaced, deleted, or given a stray key. */
function mutate(
  value: unknown,
  path: PropertyKey[],
  how: 'replace' | 'delete' | 'stray',
  odd: unknown,
): unknown {
  const copy = structuredCloneLoose(value)
  let parent: any = copy
  for (const key of path.slice(0, -1)) parent = parent[key]
  const last = path[path.length - 1]!
  if (how === 'replace') parent[last] = odd
  else if (how === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1)
    else delete parent[last]
  } else if (isData(parent[last]) && !Array.isArray(parent[last])) parent[last].stray = odd
  return copy
}

/** Arrays and plain objects (null prototype included): what a request is made of. */
function isData(value: unknown): value is Record<string, any> {
  if (Array.isArray(value)) return true
  if (typeof value !== 'object' || value === null) return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/** Copies arrays and plain objects (keeping a null prototype), and shares class instances (URL, AbortSignal, zod schemas). */
function structuredCloneLoose(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(structuredCloneLoose)
  if (!isData(value)) return value
  const copy = Object.create(Object.getPrototypeOf(value))
  for (const key of Object.keys(value)) copy[key] = structuredCloneLoose(value[key])
  return copy
}

function expectSound(check: Check, schema: z.ZodType, value: unknown): boolean {
  const fast = check(value)
  if (fast) {
    const parsed = schema.safeParse(value)
    expect(parsed.success, `fast check passed a value zod rejects: ${show(value)}`).toBe(true)
    expect(parsed.data, `zod would change ${show(value)}`).toStrictEqualLoose(value)
  }
  return fast
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value, (_, v) => (typeof v === 'symbol' || typeof v === 'function' ? String(v) : v))
  } catch {
    return String(value)
  }
}

expect.extend({
  // zod keeps an optional key given as undefined, and so does the input: equal either way.
  toStrictEqualLoose(received: unknown, expected: unknown) {
    const pass = this.equals(received, expected)
    return { pass, message: () => `expected ${show(received)} to equal ${show(expected)}` }
  },
})

declare module 'vitest' {
  interface Assertion {
    toStrictEqualLoose(expected: unknown): void
  }
}

const cases = [
  {
    name: 'generate request',
    check: isValidGenerateRequest,
    schema: generateRequestSchema,
    valid: generateRequest,
  },
  { name: 'embedding request', check: isValidEmbedRequest, schema: embedRequestSchema, valid: embedRequest },
  {
    name: 'base settings',
    check: (value: unknown) => isValidSettings(value as Record<string, unknown>),
    schema: baseSettingsSchema.strict(),
    valid: settings,
  },
]

describe.each(cases)('fast check of the $name', ({ check, schema, valid }) => {
  it('passes every valid value (so the fast path is the common path), which zod returns unchanged', () => {
    fc.assert(
      fc.property(valid, (value) => {
        expect(schema.safeParse(value).success).toBe(true)
        expect(expectSound(check, schema as z.ZodType, value)).toBe(true)
      }),
      { numRuns: RUNS, seed: 20261121 },
    )
  })

  it('never passes a value that zod rejects or would change, for every one-path mutation of valid values', () => {
    let mutations = 0
    let rejectedByZod = 0
    let sentToZod = 0
    const values = fc.sample(valid as fc.Arbitrary<unknown>, { numRuns: SAMPLES, seed: 20261121 })
    for (const value of values) {
      for (const path of pathsOf(value)) {
        for (const how of ['replace', 'delete', 'stray'] as const) {
          for (const odd of how === 'delete' ? [undefined] : ODD_VALUES) {
            const mutated = mutate(value, path, how, odd)
            mutations++
            if (!schema.safeParse(mutated).success) rejectedByZod++
            if (!expectSound(check, schema as z.ZodType, mutated)) sentToZod++
          }
        }
      }
    }
    // The mutations must really exercise rejections, not only harmless changes.
    expect(mutations).toBeGreaterThan(SAMPLES * 50)
    expect(rejectedByZod).toBeGreaterThan(mutations / 4)
    expect(sentToZod).toBeGreaterThanOrEqual(rejectedByZod)
  })
})

describe('fast check, fixed cases', () => {
  const messages = [{ role: 'user', content: 'hi' }]
  it.each([
    ['a stray nested key (zod strips it)', { messages: [{ role: 'user', content: 'hi', name: 'x' }] }],
    [
      'a class instance as a message',
      {
        messages: [
          new (class {
            role = 'user'
            content = 'hi'
          })(),
        ],
      },
    ],
    [
      'a missing tool-call input',
      { messages: [{ role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'a', toolName: 'b' }] }] },
    ],
    [
      'base64 image without mediaType',
      { messages: [{ role: 'user', content: [{ type: 'image', image: 'iVBO' }] }] },
    ],
    ['a sparse message list', { messages: Object.assign([], { 1: { role: 'user', content: 'hi' } }) }],
    ['an inherited key', { messages, __proto__: { temperature: 5 } }],
    ['Headers instead of a record', { messages, headers: new Headers({ a: 'b' }) }],
  ])('sends %s to zod', (_, request) => {
    expect(isValidGenerateRequest(request)).toBe(false)
  })

  it('holds stop sequences to 16, as the schema does', () => {
    const stops = (count: number) => ({
      messages,
      stopSequences: Array.from({ length: count }, (_, i) => `#${i}`),
    })
    expect(isValidGenerateRequest(stops(16))).toBe(true)
    expect(isValidGenerateRequest(stops(17))).toBe(false)
    expect(generateRequestSchema.safeParse(stops(17)).success).toBe(false)
  })

  it('passes a typical request untouched', () => {
    expect(
      isValidGenerateRequest({ model: 'gpt-4o-mini', messages, temperature: 0.2, maxOutputTokens: 100 }),
    ).toBe(true)
  })

  it('takes a provider check for a key the base settings lack, and only that key', () => {
    const checks = { apiVersion: (value: unknown) => value === '2023-06-01' }
    expect(isValidSettings({ apiKey: 'k', apiVersion: '2023-06-01' }, checks)).toBe(true)
    expect(isValidSettings({ apiKey: 'k', apiVersion: '2023' }, checks)).toBe(false)
    expect(isValidSettings({ apiKey: 'k', region: 'eu' }, checks)).toBe(false)
    expect(isValidSettings({ apiKey: 'k', toString: 'x' }, checks)).toBe(false)
  })

  it('leaves a padded URL to zod, which trims it', () => {
    expect(isValidSettings({ baseURL: ' https://a.b ' })).toBe(false)
    expect(baseSettingsSchema.parse({ baseURL: ' https://a.b ' }).baseURL).toBe('https://a.b')
  })
})
