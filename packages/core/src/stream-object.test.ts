import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { StructuredOutputError, UnsupportedCapabilityError } from './errors.js'
import { createProvider } from './provider.js'
import type { AdapterRequest, AdapterStreamEvent } from './provider-spec.js'
import { eventsOf, fakeSpec, usage } from './test-helpers.js'
import type { StructuredOutputMode } from './types.js'

const schema = z.object({ city: z.string(), tempC: z.number(), tags: z.array(z.string()) })
const json = '{"city":"Paris","tempC":21,"tags":["sunny","warm"]}'
const messages = [{ role: 'user' as const, content: 'Weather in Paris as JSON' }]

/** Splits `text` into deltas of `size` characters. */
function slices(text: string, size: number): string[] {
  const out: string[] = []
  for (let at = 0; at < text.length; at += size) out.push(text.slice(at, at + size))
  return out
}

function textEvents(text: string, size = 3): AdapterStreamEvent[] {
  return [
    ...slices(text, size).map((piece): AdapterStreamEvent => ({ type: 'text-delta', text: piece })),
    { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop', usage },
  ]
}

function toolEvents(text: string, size = 3): AdapterStreamEvent[] {
  return [
    ...slices(text, size).map(
      (piece, index): AdapterStreamEvent => ({
        type: 'tool-call-delta',
        index: 0,
        ...(index === 0 ? { toolCallId: 'call_1', toolName: 'response' } : {}),
        argumentsDelta: piece,
      }),
    ),
    { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_use', usage },
  ]
}

function providerFor(mode: StructuredOutputMode, events: AdapterStreamEvent[]) {
  const seen: AdapterRequest[] = []
  const stream = vi.fn(async (request: AdapterRequest) => {
    seen.push(request)
    return eventsOf(events)
  })
  const spec = fakeSpec({ stream })
  spec.capabilities = { ...spec.capabilities, structuredOutput: mode }
  return { provider: createProvider(spec), seen }
}

/** Every partial is a prefix of the next: what it has, the next one still has (strings may grow). */
function expectDeeperPrefixes(partials: unknown[]): void {
  const covers = (earlier: unknown, later: unknown): boolean => {
    if (typeof earlier === 'string') return typeof later === 'string' && later.startsWith(earlier)
    if (Array.isArray(earlier))
      return Array.isArray(later) && earlier.every((item, index) => covers(item, later[index]))
    if (earlier && typeof earlier === 'object')
      return (
        !!later &&
        typeof later === 'object' &&
        Object.entries(earlier).every(([key, value]) =>
          covers(value, (later as Record<string, unknown>)[key]),
        )
      )
    return earlier === later
  }
  for (let index = 1; index < partials.length; index++)
    expect(covers(partials[index - 1], partials[index]), `partial ${index} drops what ${index - 1} had`).toBe(
      true,
    )
}

describe('streamObject', () => {
  it.each([
    ['json-schema', textEvents(json)],
    ['json-mode', textEvents(`\`\`\`json\n${json}\n\`\`\``)],
    ['tool', toolEvents(json)],
  ] as const)('streams deeper and deeper partial objects in %s mode', async (mode, events) => {
    const { provider, seen } = providerFor(mode, events)
    const s = provider.streamObject({ model: 'priced-model', messages, schema })
    const partials: unknown[] = []
    for await (const partial of s) partials.push(structuredClone(partial))
    expect(partials.length).toBeGreaterThan(5)
    expectDeeperPrefixes(partials)
    // A number appears only once complete: never 2 before 21.
    for (const partial of partials) expect([undefined, 21]).toContain((partial as { tempC?: number }).tempC)
    expect(partials.at(-1)).toEqual(JSON.parse(json))
    const r = await s.result()
    expect(r.object).toEqual({ city: 'Paris', tempC: 21, tags: ['sunny', 'warm'] })
    expect(r.usage?.totalTokens).toBe(1_500)
    expect(r.cost?.total).toBeCloseTo(0.002, 10)
    // The request asks in the provider's mode.
    if (mode === 'json-schema')
      expect(seen[0]!.responseFormat).toMatchObject({ type: 'json', name: 'response' })
    if (mode === 'json-mode') expect(seen[0]!.messages[0]!.role).toBe('system')
    if (mode === 'tool') expect(seen[0]!.toolChoice).toEqual({ type: 'tool', toolName: 'response' })
  })

  it('result() alone streams and validates', async () => {
    const { provider } = providerFor('json-schema', textEvents(json, 7))
    const r = await provider.streamObject({ messages, schema }).result()
    expect(r.object.tags).toEqual(['sunny', 'warm'])
  })

  it('a final object that fails the schema is a StructuredOutputError with the issues', async () => {
    const { provider } = providerFor('json-schema', textEvents('{"city":"Paris","tempC":"warm","tags":[]}'))
    const s = provider.streamObject({ messages, schema })
    const partials: unknown[] = []
    const error = await (async () => {
      for await (const partial of s) partials.push(partial)
    })().catch((e: unknown) => e)
    expect(StructuredOutputError.isInstance(error)).toBe(true)
    expect((error as StructuredOutputError & { issues: Array<{ path: unknown[] }> }).issues[0]!.path).toEqual(
      ['tempC'],
    )
    expect(partials.length).toBeGreaterThan(0)
    await expect(s.result()).rejects.toBe(error)
  })

  it('throws UnsupportedCapabilityError without structured output, before any request', async () => {
    const { provider, seen } = providerFor(false, textEvents(json))
    const error = await provider
      .streamObject({ messages, schema })
      .result()
      .catch((e: unknown) => e)
    expect(UnsupportedCapabilityError.isInstance(error)).toBe(true)
    expect(seen).toHaveLength(0)
  })
})
