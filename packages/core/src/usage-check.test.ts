import { describe, expect, it } from 'vitest'
import { createProvider } from './provider.js'
import type { Usage } from './result-types.js'
import { eventsOf, fakeSpec, messages, textResult } from './test-helpers.js'
import { checkUsage } from './usage-check.js'

// Issue 15: usage numbers the vendor sent are checked once, in core, for every provider.
const priced = { model: 'priced-model' as const }

function generateWith(usage: unknown) {
  const provider = createProvider(
    fakeSpec({ generate: async () => textResult('ok', { usage: usage as Usage }) }),
  )
  return provider.generate({ ...priced, messages })
}

describe('usage the vendor reported is checked in core', () => {
  it.each([
    ['string counts', { inputTokens: '7', outputTokens: '3', totalTokens: '73' }],
    ['a negative count', { inputTokens: -5, outputTokens: 3, totalTokens: -2 }],
    [
      'an infinite count',
      { inputTokens: Number.POSITIVE_INFINITY, outputTokens: 3, totalTokens: Number.POSITIVE_INFINITY },
    ],
    ['a fractional count', { inputTokens: 7.5, outputTokens: 3, totalTokens: 10.5 }],
    ['NaN', { inputTokens: 7, outputTokens: Number.NaN, totalTokens: 7 }],
  ])('%s on generate → a warning naming it, no usage, no cost', async (_, usage) => {
    const result = await generateWith(usage)
    expect(result.cost).toBeUndefined()
    expect(result.usage).toBeUndefined()
    expect(result.warnings).toHaveLength(1)
    expect(result.warnings[0]!.message).toMatch(/inputTokens|outputTokens/)
    expect(result.warnings[0]!.message).toContain('no cost')
  })

  it('a bad optional count is dropped and the call gets no cost, never a wrong one', async () => {
    const result = await generateWith({
      inputTokens: 10,
      outputTokens: 5,
      totalTokens: 15,
      cachedInputTokens: '4',
    })
    expect(result.usage).toEqual({ inputTokens: 10, outputTokens: 5, totalTokens: 15 })
    expect(result.cost).toBeUndefined()
    expect(result.warnings[0]!.message).toContain('cachedInputTokens: "4"')
  })

  it('a bad total is recomputed from input and output', () => {
    expect(checkUsage({ inputTokens: 7, outputTokens: 3, totalTokens: '73' as never }).usage).toEqual({
      inputTokens: 7,
      outputTokens: 3,
      totalTokens: 10,
    })
  })

  it('valid usage passes unchanged, priced as before', async () => {
    const result = await generateWith({ inputTokens: 1_000, outputTokens: 500, totalTokens: 1_500 })
    expect(result.warnings).toEqual([])
    expect(result.cost).toEqual({ input: 0.001, output: 0.001, total: 0.002, currency: 'USD' })
  })

  it('a vendor-reported cost that is not a sane amount is replaced by the table estimate', async () => {
    const provider = createProvider(
      fakeSpec({
        generate: async () =>
          textResult('ok', {
            cost: { input: -1, output: Number.POSITIVE_INFINITY, total: 1, currency: 'USD' },
          }),
      }),
    )
    const result = await provider.generate({ ...priced, messages })
    expect(result.cost).toEqual({ input: 0.001, output: 0.001, total: 0.002, currency: 'USD' })
  })

  it('the stream finish and result() get the same check', async () => {
    const provider = createProvider(
      fakeSpec({
        stream: async () =>
          eventsOf([
            { type: 'text-delta', text: 'ok' },
            {
              type: 'finish',
              finishReason: 'stop',
              rawFinishReason: 'stop',
              usage: { inputTokens: '7', outputTokens: '3', totalTokens: '73' } as never,
            },
          ]),
      }),
    )
    const stream = provider.stream({ ...priced, messages })
    const events = []
    for await (const event of stream) events.push(event)
    const finish = events.at(-1)
    expect(finish).toMatchObject({ type: 'finish', usage: undefined, cost: undefined })
    const result = await stream.result()
    expect(result.usage).toBeUndefined()
    expect(result.cost).toBeUndefined()
    expect(result.warnings.map((warning) => warning.message).join()).toContain('inputTokens: "7"')
  })
})
