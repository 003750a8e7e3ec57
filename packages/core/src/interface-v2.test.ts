import { describe, expect, expectTypeOf, it, vi } from 'vitest'
import { filePartData, filePartUrl } from './adapter-helpers.js'
import { InvalidRequestError, UnsupportedCapabilityError } from './errors.js'
import { acceptsMediaType } from './prepare-request.js'
import { computeCost } from './pricing.js'
import { createProvider } from './provider.js'
import type { AdapterRequest, AdapterStreamEvent, CallContext } from './provider-spec.js'
import { eventsOf, fakeSpec, finish, textResult, usage } from './test-helpers.js'
import type { GenerateRequest, Message, ProviderCallOptions, StreamEvent } from './types.js'

const question: Message[] = [{ role: 'user', content: 'Weather in Paris?' }]

function streamOf(events: AdapterStreamEvent[], spy?: (context: CallContext) => void) {
  return createProvider(
    fakeSpec({
      stream: async (_request, context) => {
        spy?.(context)
        return eventsOf(events)
      },
    }),
  )
}

async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = []
  for await (const event of stream) events.push(event)
  return events
}

describe('interface v2: stream assembly', () => {
  it('keeps interleaved reasoning, text and tool calls in the order the vendor sent them, each with its metadata', async () => {
    const provider = streamOf([
      { type: 'reasoning-delta', text: 'first ' },
      { type: 'reasoning-delta', text: 'thought' },
      { type: 'reasoning-end', providerMetadata: { signature: 'sig-1' } },
      { type: 'reasoning-end', providerMetadata: { redactedData: 'opaque' } },
      {
        type: 'tool-call-delta',
        index: 0,
        toolCallId: 'call_1',
        toolName: 'weather',
        argumentsDelta: '{"city"',
      },
      {
        type: 'tool-call-delta',
        index: 0,
        argumentsDelta: ':"Paris"}',
        providerMetadata: { thoughtSignature: 't1' },
      },
      { type: 'reasoning-delta', text: 'second' },
      { type: 'reasoning-end', providerMetadata: { signature: 'sig-2' } },
      { type: 'text-delta', text: 'Calling.' },
      {
        ...(finish as Extract<AdapterStreamEvent, { type: 'finish' }>),
        providerMetadata: { serviceTier: 'default' },
      },
    ])
    const stream = provider.stream({ messages: question })
    const events = await collect(stream)
    const result = await stream.result()
    expect(result.content).toEqual([
      { type: 'reasoning', text: 'first thought', providerMetadata: { fake: { signature: 'sig-1' } } },
      { type: 'reasoning', text: '', providerMetadata: { fake: { redactedData: 'opaque' } } },
      {
        type: 'tool-call',
        toolCallId: 'call_1',
        toolName: 'weather',
        input: { city: 'Paris' },
        rawInput: '{"city":"Paris"}',
        providerMetadata: { fake: { thoughtSignature: 't1' } },
      },
      { type: 'reasoning', text: 'second', providerMetadata: { fake: { signature: 'sig-2' } } },
      { type: 'text', text: 'Calling.' },
    ])
    expect(result.reasoning).toBe('first thoughtsecond')
    expect(result.toolCalls[0]!.providerMetadata).toEqual({ fake: { thoughtSignature: 't1' } })
    expect(result.providerMetadata).toEqual({ fake: { serviceTier: 'default' } })
    expect(result.messages).toEqual([
      {
        role: 'assistant',
        content: [
          result.content[0],
          result.content[1],
          {
            type: 'tool-call',
            toolCallId: 'call_1',
            toolName: 'weather',
            input: { city: 'Paris' },
            providerMetadata: { fake: { thoughtSignature: 't1' } },
          },
          result.content[3],
          result.content[4],
        ],
      },
    ])
    // Events carry the metadata keyed by provider, as results do.
    const end = events.find((event) => event.type === 'reasoning-end')
    expect(end).toEqual({ type: 'reasoning-end', providerMetadata: { fake: { signature: 'sig-1' } } })
    const last = events[events.length - 1]
    expect(last?.type === 'finish' && last.providerMetadata).toEqual({ fake: { serviceTier: 'default' } })
    expect(last?.type === 'finish' && last.messages).toEqual(result.messages)
  })

  it('text-end closes a text part with its metadata: the text after it is a part of its own', async () => {
    const provider = streamOf([
      { type: 'text-delta', text: 'Signed ' },
      { type: 'text-delta', text: 'part.' },
      { type: 'text-end', providerMetadata: { thoughtSignature: 'ts-1' } },
      { type: 'text-delta', text: ' Unsigned.' },
      { type: 'text-end', providerMetadata: { thoughtSignature: 'ts-2' } },
      { type: 'text-end', providerMetadata: { thoughtSignature: 'ts-3' } },
      finish,
    ])
    const stream = provider.stream({ messages: question })
    const events = await collect(stream)
    const result = await stream.result()
    expect(result.text).toBe('Signed part. Unsigned.')
    expect(result.content).toEqual([
      { type: 'text', text: 'Signed part.', providerMetadata: { fake: { thoughtSignature: 'ts-1' } } },
      { type: 'text', text: ' Unsigned.', providerMetadata: { fake: { thoughtSignature: 'ts-2' } } },
      // Alone, it adds an empty part holding the metadata (Gemini's signature-only part).
      { type: 'text', text: '', providerMetadata: { fake: { thoughtSignature: 'ts-3' } } },
    ])
    expect(events.filter((event) => event.type === 'text-end')).toHaveLength(3)
  })

  it('includeRaw: result().raw is the list of raw chunks, and the adapter is told to send them', async () => {
    const contexts: CallContext[] = []
    const provider = streamOf(
      [
        { type: 'raw', value: { chunk: 1 } },
        { type: 'text-delta', text: 'a' },
        { type: 'raw', value: { chunk: 2 } },
        finish,
      ],
      (context) => contexts.push(context),
    )
    const withRaw = await provider.stream({ messages: question, includeRaw: true }).result()
    expect(withRaw.raw).toEqual([{ chunk: 1 }, { chunk: 2 }])
    expect(contexts[0]!.includeRaw).toBe(true)
    const without = await provider.stream({ messages: question }).result()
    expect(without.raw).toBeUndefined()
    expect(contexts[1]!.includeRaw).toBeUndefined()
  })
})

describe('interface v2: generate', () => {
  it('files vendor metadata under the provider id and builds r.messages from the content', async () => {
    const provider = createProvider(
      fakeSpec({
        generate: async () =>
          textResult('Done.', {
            content: [
              { type: 'reasoning', text: 'hmm', providerMetadata: { signature: 's' } },
              { type: 'text', text: 'Done.' },
            ],
            reasoning: 'hmm',
            providerMetadata: { logprobs: [-0.1] },
          }),
      }),
    )
    const result = await provider.generate({ messages: question })
    expect(result.content[0]).toEqual({
      type: 'reasoning',
      text: 'hmm',
      providerMetadata: { fake: { signature: 's' } },
    })
    expect(result.providerMetadata).toEqual({ fake: { logprobs: [-0.1] } })
    expect(result.messages).toEqual([{ role: 'assistant', content: result.content }])
  })

  it('drops reasoning another provider made, with a warning, and keeps its own', async () => {
    const seen: AdapterRequest[] = []
    const provider = createProvider(
      fakeSpec({
        generate: async (request) => {
          seen.push(request)
          return textResult()
        },
        stream: async (request) => {
          seen.push(request)
          return eventsOf([{ type: 'text-delta', text: 'ok' }, finish])
        },
      }),
    )
    const messages: Message[] = [
      ...question,
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'mine', providerMetadata: { fake: { signature: 'ok' } } },
          { type: 'reasoning', text: 'theirs', providerMetadata: { anthropic: { signature: 'no' } } },
          { type: 'reasoning', text: 'unmarked' },
          { type: 'text', text: 'Hi.' },
        ],
      },
      { role: 'user', content: 'Go on.' },
    ]
    const result = await provider.generate({ model: 'fake-model', messages })
    const sent = seen[0]!.messages[1]!.content as Array<{ type: string; text?: string }>
    expect(sent.map((part) => part.text)).toEqual(['mine', 'Hi.'])
    expect(result.warnings).toHaveLength(1)
    expect(result.warnings[0]!.message).toContain('anthropic')
    expect(result.warnings[0]!.message).toContain('2 reasoning part(s)')
    // The caller's messages are not changed.
    expect((messages[1]!.content as unknown[]).length).toBe(4)

    const streamed = await provider.stream({ model: 'fake-model', messages }).result()
    expect((seen[1]!.messages[1]!.content as Array<{ text?: string }>).map((part) => part.text)).toEqual([
      'mine',
      'Hi.',
    ])
    expect(streamed.warnings.map((warning) => warning.message)).toEqual([result.warnings[0]!.message])
  })

  it('refuses a file type the provider does not list before anything is sent, naming the type', async () => {
    const spec = fakeSpec(
      {},
      { capabilities: { ...fakeSpec().capabilities, files: ['application/pdf', 'audio/*'] } },
    )
    const provider = createProvider(spec)
    const request = (mediaType: string): GenerateRequest => ({
      messages: [{ role: 'user', content: [{ type: 'file', data: 'JVBERi0=', mediaType }] }],
    })
    await expect(provider.generate(request('application/pdf'))).resolves.toBeDefined()
    await expect(provider.generate(request('audio/mpeg'))).resolves.toBeDefined()
    const error = await provider.generate(request('video/mp4')).catch((caught) => caught)
    expect(UnsupportedCapabilityError.isInstance(error)).toBe(true)
    expect(error.capability).toBe('files')
    expect(error.message).toContain('video/mp4')
    expect(error.message).toContain('application/pdf, audio/*')
    const none = createProvider(fakeSpec())
    const refused = await none.generate(request('application/pdf')).catch((caught) => caught)
    expect(refused.message).toContain('no files')
  })

  it('rejects a file part without a media type as an InvalidRequestError naming the field', async () => {
    const provider = createProvider(
      fakeSpec({}, { capabilities: { ...fakeSpec().capabilities, files: ['*/*'] } }),
    )
    const error = await provider
      .generate({ messages: [{ role: 'user', content: [{ type: 'file', data: 'AAAA', mediaType: 'pdf' }] }] })
      .catch((caught) => caught)
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    expect(error.message).toContain('mediaType')
  })

  it('passes providerOptions on messages, parts and tools through to the adapter untouched', async () => {
    const generate = vi.fn(async (_request: AdapterRequest) => textResult())
    const provider = createProvider(fakeSpec({ generate }))
    const cache = { fake: { cacheControl: { type: 'ephemeral' } } }
    await provider.generate({
      messages: [
        { role: 'system', content: 'Be brief.', providerOptions: cache },
        { role: 'user', content: [{ type: 'text', text: 'Long text', providerOptions: cache }] },
      ],
      tools: [{ name: 'weather', parameters: { type: 'object' }, providerOptions: cache }],
    })
    const request = generate.mock.calls[0]![0]
    expect(request.messages[0]).toEqual({ role: 'system', content: 'Be brief.', providerOptions: cache })
    expect(
      (request.messages[1]!.content as Array<{ providerOptions?: unknown }>)[0]!.providerOptions,
    ).toEqual(cache)
  })
})

describe('interface v2: helpers and pricing', () => {
  it('reads file data as base64 or URL whatever form it was given in', () => {
    const bytes = new TextEncoder().encode('%PDF')
    expect(filePartData({ type: 'file', data: bytes, mediaType: 'application/pdf' })).toEqual({
      base64: 'JVBERg==',
      mediaType: 'application/pdf',
    })
    expect(
      filePartData({ type: 'file', data: 'data:application/pdf;base64,JVBERg==', mediaType: 'x/y' }),
    ).toEqual({
      base64: 'JVBERg==',
      mediaType: 'application/pdf',
    })
    expect(
      filePartData({
        type: 'file',
        data: new URL('https://example.com/a.pdf'),
        mediaType: 'application/pdf',
      }),
    ).toEqual({
      url: 'https://example.com/a.pdf',
      mediaType: 'application/pdf',
    })
    expect(filePartUrl({ type: 'file', data: 'JVBERg==', mediaType: 'application/pdf' })).toBe(
      'data:application/pdf;base64,JVBERg==',
    )
  })

  it('matches media types exactly or by a type/* wildcard', () => {
    expect(acceptsMediaType(['audio/*'], 'audio/wav')).toBe(true)
    expect(acceptsMediaType(['audio/*'], 'application/pdf')).toBe(false)
    expect(acceptsMediaType(['application/pdf'], 'Application/PDF')).toBe(true)
    expect(acceptsMediaType(undefined, 'application/pdf')).toBe(false)
  })

  it('prices 1-hour cache writes apart from 5-minute writes and reads', () => {
    const table = {
      source: 'test',
      readAt: '2026-12-07',
      models: { m: { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75, cacheWrite1h: 6 } },
    }
    const cost = computeCost(table, 'm', {
      ...usage,
      inputTokens: 4_000_000,
      cachedInputTokens: 1_000_000,
      cacheWriteInputTokens: 1_500_000,
      cacheWrite1hInputTokens: 500_000,
    })
    // 1.5M plain × 3 + 1M read × 0.3 + 1M 5-minute writes × 3.75 + 0.5M 1-hour writes × 6
    expect(cost?.input).toBe(4.5 + 0.3 + 3.75 + 3)
  })

  it('types providerOptions per registered provider and keeps unknown ids open', () => {
    expectTypeOf<ProviderCallOptions>().toHaveProperty('anything')
    const options: ProviderCallOptions = { somevendor: { any_key: 1 } }
    expect(options.somevendor).toEqual({ any_key: 1 })
  })
})
