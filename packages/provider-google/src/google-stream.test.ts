import { ContentFilterError, MalformedResponseError } from '@modelplex/core'
import type { AdapterStreamEvent } from '@modelplex/core/adapter'
import { describe, expect, it } from 'vitest'
import blockedPrompt from './__fixtures__/generate-content-blocked-prompt.json' with { type: 'json' }
import functionCallChunks from './__fixtures__/stream-function-call-chunks.json' with { type: 'json' }
import textChunks from './__fixtures__/stream-text-chunks.json' with { type: 'json' }
import { GoogleStreamTranslator } from './google-stream.js'

async function* source(chunks: readonly unknown[], error?: Error): AsyncGenerator<unknown> {
  for (const chunk of chunks) yield chunk
  if (error) throw error
}

const context = { provider: 'google', name: 'Google Gemini', model: 'gemini-3.8-flash' }

async function collect(
  chunks: readonly unknown[],
  signal?: AbortSignal,
  includeRaw = false,
): Promise<AdapterStreamEvent[]> {
  const events: AdapterStreamEvent[] = []
  for await (const event of new GoogleStreamTranslator(source(chunks), context, signal, { includeRaw })) {
    events.push(event)
  }
  return events
}

describe('GoogleStreamTranslator', () => {
  it('emits metadata once, text deltas, and finish with the last (cumulative) usage, thoughts in output', async () => {
    expect(await collect(textChunks)).toEqual([
      { type: 'response-metadata', id: 'AdVRaMmDCYekqtsPrb_-iAw', model: 'gemini-2.5-flash-preview-05-20' },
      {
        type: 'text-delta',
        text: 'Here you go!\n\n1.  **English:** Hi\n2.  **Spanish:** Hola\n3.  **French:** Bonjour\n4.  **German:** Hallo\n5.  ',
      },
      { type: 'text-delta', text: '**Italian:** Ciao' },
      {
        type: 'finish',
        finishReason: 'stop',
        rawFinishReason: 'STOP',
        usage: { inputTokens: 5, outputTokens: 230, totalTokens: 235, reasoningTokens: 186 },
        providerMetadata: {
          modelVersion: 'models/gemini-2.5-flash-preview-05-20',
          responseId: 'AdVRaMmDCYekqtsPrb_-iAw',
          promptTokensDetails: [{ modality: 'TEXT', tokenCount: 5 }],
        },
      },
    ])
  })

  it('emits thought parts as reasoning and a whole function call as one tool-call event; finish is tool-calls', async () => {
    const events = await collect(functionCallChunks)
    expect(events.filter((event) => event.type !== 'response-metadata')).toEqual([
      { type: 'reasoning-delta', text: 'Checking the forecast.' },
      {
        type: 'tool-call',
        toolCall: {
          toolCallId: 'k9x2rq4c',
          toolName: 'get_weather',
          input: { city: 'Paris' },
          rawInput: '{"city":"Paris"}',
          providerMetadata: { thoughtSignature: 'CiQB0e2Kb3mSzgdmodelplexSignature0002' },
        },
      },
      {
        type: 'finish',
        finishReason: 'tool-calls',
        rawFinishReason: 'STOP',
        usage: { inputTokens: 71, outputTokens: 39, totalTokens: 110, reasoningTokens: 24 },
        providerMetadata: expect.objectContaining({ modelVersion: 'gemini-3.8-flash' }),
      },
    ])
  })

  it('closes a thought with the signature on its last chunk, or on an empty thought part; a signed text part keeps it', async () => {
    const chunk = (parts: unknown[], finishReason?: string) => ({
      candidates: [
        { content: { parts, role: 'model' }, index: 0, ...(finishReason ? { finishReason } : {}) },
      ],
      responseId: 'r1',
      modelVersion: 'gemini-3.8-flash',
    })
    const chunks = [
      chunk([{ text: 'First ', thought: true }]),
      chunk([{ text: 'thought.', thought: true, thoughtSignature: 'sig-a' }]),
      chunk([{ text: 'Second thought.', thought: true }]),
      chunk([{ text: '', thought: true, thoughtSignature: 'sig-b' }]),
      chunk([{ text: 'Answer.' }]),
      chunk([{ text: '', thoughtSignature: 'sig-c' }], 'STOP'),
    ]
    const events = await collect(chunks, undefined, true)
    expect(events.filter((event) => event.type === 'raw')).toHaveLength(chunks.length)
    expect(
      events.filter(
        (event) => event.type !== 'raw' && event.type !== 'response-metadata' && event.type !== 'finish',
      ),
    ).toEqual([
      { type: 'reasoning-delta', text: 'First ' },
      { type: 'reasoning-delta', text: 'thought.' },
      { type: 'reasoning-end', providerMetadata: { thoughtSignature: 'sig-a' } },
      { type: 'reasoning-delta', text: 'Second thought.' },
      { type: 'reasoning-end', providerMetadata: { thoughtSignature: 'sig-b' } },
      { type: 'text-delta', text: 'Answer.' },
      { type: 'text-end', providerMetadata: { thoughtSignature: 'sig-c' } },
    ])
  })

  it('numbers id-less calls across chunks the way generate does', async () => {
    const call = (name: string) => ({
      candidates: [{ content: { parts: [{ functionCall: { name, args: {} } }], role: 'model' }, index: 0 }],
      responseId: 'resp1',
    })
    const last = {
      candidates: [{ content: { parts: [{ text: '' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
    }
    const events = await collect([call('a'), call('b'), last])
    const ids = events.flatMap((event) => (event.type === 'tool-call' ? [event.toolCall.toolCallId] : []))
    expect(ids).toEqual(['call_resp1_0', 'call_resp1_1'])
  })

  it('a blocked prompt in the first chunk → ContentFilterError', async () => {
    await expect(collect([blockedPrompt])).rejects.toBeInstanceOf(ContentFilterError)
  })

  it('a stream that ends without a finishReason ends without finish (core reports the interruption)', async () => {
    const events = await collect([textChunks[0]])
    expect(events.map((event) => event.type)).toEqual(['response-metadata', 'text-delta'])
  })

  it('no chunk at all, or a chunk that is not an object → MalformedResponseError', async () => {
    await expect(collect([])).rejects.toBeInstanceOf(MalformedResponseError)
    await expect(collect(['not json'])).rejects.toBeInstanceOf(MalformedResponseError)
  })

  it("rethrows the signal's reason when the source ends after an abort", async () => {
    const controller = new AbortController()
    controller.abort(new Error('stop now'))
    await expect(collect([textChunks[0]], controller.signal)).rejects.toThrow('stop now')
  })

  it('passes a source failure through, after the events before it', async () => {
    const events: AdapterStreamEvent[] = []
    const failure = new TypeError('terminated')
    const translator = new GoogleStreamTranslator(source([textChunks[0]], failure), context)
    await expect(
      (async () => {
        for await (const event of translator) events.push(event)
      })(),
    ).rejects.toBe(failure)
    expect(events.map((event) => event.type)).toEqual(['response-metadata', 'text-delta'])
  })
})
