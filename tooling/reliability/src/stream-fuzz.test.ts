import {
  type CapturedResponse,
  captureResponse,
  fuzzChunks,
  replayResponse,
  seededRandom,
  utf8Splits,
  type WireReply,
  type WireStreamPart,
} from '@modelplex/conformance'
import { createProvider, type Provider, type StreamEvent } from '@modelplex/core'
import { getResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { vendors } from './vendors.js'

const SEEDS = Number(process.env.MODELPLEX_FUZZ_SEEDS ?? 1_000)

/** Multi-byte text of every width (2-, 3- and 4-byte sequences, ZWJ and flag emoji), reasoning and a split tool call. */
const parts: WireStreamPart[] = [
  { type: 'reasoning', text: 'Thinking about ünïcödé… 🤔' },
  { type: 'text', text: 'Grüße aus Köln! ' },
  { type: 'text', text: '世界へようこそ — ' },
  { type: 'text', text: '🌍👩‍💻🇩🇪 emoji, ' },
  { type: 'text', text: 'math ∑∫√ and “quotes”.' },
  { type: 'tool-call', index: 0, id: 'call_fuzz_1', name: 'get_weather', argumentsDelta: '{"city":"Mün' },
  { type: 'tool-call', index: 0, argumentsDelta: 'chen","note":"☀️ 晴れ"}' },
]
const text = parts.map((part) => (part.type === 'text' ? part.text : '')).join('')

interface Run {
  events: StreamEvent[]
  text: string
  toolInputs: unknown[]
}

async function run(provider: Provider, model: string): Promise<Run> {
  const stream = provider.stream({ model, messages: [{ role: 'user', content: 'Weather in Munich?' }] })
  const events: StreamEvent[] = []
  for await (const event of stream) events.push(event)
  const result = await stream.result()
  return { events, text: result.text, toolInputs: result.toolCalls.map((call) => call.input) }
}

/** The body being served, per host: the whole capture, or its slices for one seed. */
const serving = new Map<string, { captured?: CapturedResponse; chunks?: Uint8Array[] }>()
const kits = new Map(vendors.map((vendor) => [vendor.id, vendor.kit()]))
const reply = (model: string): WireReply => ({
  type: 'stream',
  parts,
  finishReason: 'tool-calls',
  usage: { inputTokens: 21, outputTokens: 34 },
  model,
})
const kitHandlers = vendors.flatMap((vendor) => {
  const kit = kits.get(vendor.id)!
  return kit.handlers(() => reply(kit.models.chat))
})
const server = setupServer(
  http.all('*', async ({ request }) => {
    const slot = serving.get(new URL(request.url).host)
    if (!slot) return undefined
    if (!slot.captured) {
      // First request: record the kit's unsplit answer once.
      const response = await getResponse(kitHandlers, request.clone())
      slot.captured = await captureResponse(response!)
    }
    return replayResponse(slot.captured, slot.chunks)
  }),
)

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())

describe.each(vendors.map((vendor) => [`${vendor.id} (${vendor.format})`, vendor] as const))(
  'stream parsing under fuzz: %s',
  (_, vendor) => {
    it(`${SEEDS} seeds of random byte boundaries give the events of the unsplit stream`, async () => {
      const kit = kits.get(vendor.id)!
      const slot: { captured?: CapturedResponse; chunks?: Uint8Array[] } = {}
      serving.set(new URL(kit.baseURL).host, slot)
      const provider = createProvider(vendor.spec, { ...kit.settings, retry: { maxRetries: 0 } } as never)
      const model = kit.models.chat
      const baseline = await run(provider, model)
      // The unsplit run itself must be right, or equality below proves nothing.
      expect(baseline.text).toBe(text)
      expect(baseline.toolInputs).toEqual([{ city: 'München', note: '☀️ 晴れ' }])
      expect(baseline.events.filter((event) => event.type === 'finish')).toHaveLength(1)
      const body = slot.captured!.body
      let splitSeeds = 0
      let splits = 0
      let chunks = 0
      for (let seed = 1; seed <= SEEDS; seed++) {
        slot.chunks = fuzzChunks(body, seededRandom(seed))
        chunks += slot.chunks.length
        const inside = utf8Splits(slot.chunks)
        splits += inside
        if (inside > 0) splitSeeds++
        const fuzzed = await run(provider, model)
        if (JSON.stringify(fuzzed) !== JSON.stringify(baseline)) {
          // toEqual shows the difference; the seed replays it.
          expect({ seed, ...fuzzed }).toEqual({ seed, ...baseline })
        }
      }
      console.log(
        `stream fuzz ${vendor.id} (${vendor.format}): ${SEEDS} seeds, ${body.length}-byte body in ${(chunks / SEEDS).toFixed(0)} slices on average, ${splits} boundaries inside a UTF-8 sequence (in ${splitSeeds} seeds), events equal to the unsplit run: ${SEEDS}/${SEEDS}`,
      )
      expect(splitSeeds).toBeGreaterThan(SEEDS * 0.9)
    }, 240_000)
  },
)
