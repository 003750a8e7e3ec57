// The interface-v2 scenarios: reasoning that round-trips, file parts, prompt-cache breakpoints
// and prices, provider metadata, and `r.messages` sent back as the next request's history.
import type { GenerateRequest, GenerateResult, Message, StreamEvent } from '@modelplex/core'
import { InvalidRequestError, UnsupportedCapabilityError } from '@modelplex/core'
import { acceptsMediaType } from '@modelplex/core/adapter'
import { expect } from 'vitest'
import type { Scenario, ScenarioContext } from './conformance-scenarios.js'
import type { WireKitV2, WireRequestView, WireUsage } from './wire-kit.js'

const usage: WireUsage = { inputTokens: 10, outputTokens: 5 }

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
}

/** The smallest well-formed PDF: one empty page (PDF 1.4, ISO 32000-1 §7.5), 5 objects and an xref table. */
function minimalPdf(): string {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>',
    '<< /Length 0 >>\nstream\n\nendstream',
  ]
  let body = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((object, index) => {
    offsets.push(body.length)
    body += `${index + 1} 0 obj\n${object}\nendobj\n`
  })
  const xref = body.length
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return body
}

/** A 16-sample, 8 kHz, 16-bit mono PCM WAV file (RIFF header as in the WAVE spec, 44 bytes). */
function minimalWav(): Uint8Array {
  const samples = 16
  const bytes = new Uint8Array(44 + samples * 2)
  const view = new DataView(bytes.buffer)
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) bytes[offset + i] = text.charCodeAt(i)
  }
  ascii(0, 'RIFF')
  view.setUint32(4, 36 + samples * 2, true)
  ascii(8, 'WAVE')
  ascii(12, 'fmt ')
  view.setUint32(16, 16, true)
  view.setUint16(20, 1, true) // PCM
  view.setUint16(22, 1, true) // mono
  view.setUint32(24, 8000, true)
  view.setUint32(28, 16000, true)
  view.setUint16(32, 2, true)
  view.setUint16(34, 16, true)
  ascii(36, 'data')
  view.setUint32(40, samples * 2, true)
  for (let i = 0; i < samples; i++) view.setInt16(44 + i * 2, Math.round(Math.sin(i) * 8000), true)
  return bytes
}

const pdfBytes = new TextEncoder().encode(minimalPdf())
export const pdfBase64 = Buffer.from(pdfBytes).toString('base64')
const wavBytes = minimalWav()
export const wavBase64 = Buffer.from(wavBytes).toString('base64')

/** A signature as vendors write them: opaque base64 text. */
const SIGNATURE = 'EqQBCkYIARgCIkDmFR3sig+conformance/round-trip/AAAA=='

function v2Of(kit: ScenarioContext['kit']): WireKitV2 {
  return kit.v2 ?? {}
}

/** `providerOptions` with this provider's options, or none. */
function optionsFor(spec: ScenarioContext['spec'], options: Record<string, unknown> | undefined) {
  return options ? { providerOptions: { [spec.id]: options } } : {}
}

function assistantOf(view: WireRequestView | undefined) {
  const message = view?.messages.find((entry) => entry.role === 'assistant')
  expect(message, 'the second request carried no assistant message').toBeDefined()
  return message!
}

/** The reasoning of an earlier turn, as the vendor's rule says it goes back. */
function expectReasoningSent(
  view: WireRequestView | undefined,
  rule: NonNullable<WireKitV2['reasoningReturn']>,
  text: string,
): void {
  const sent = assistantOf(view).reasoning ?? []
  if (rule === 'none') {
    expect(sent, 'the vendor says earlier reasoning is not sent back').toEqual([])
  } else if (rule === 'text') {
    expect(sent.map((part) => part.text).join('')).toBe(text)
  } else {
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ text, signature: SIGNATURE })
  }
}

async function drain(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = []
  for await (const event of stream) events.push(event)
  return events
}

function expectOwnReasoning(result: GenerateResult, provider: string, text: string): void {
  const reasoning = result.content.filter((part) => part.type === 'reasoning')
  expect(reasoning.map((part) => part.text).join('')).toBe(text)
  for (const part of reasoning) expect(part.providerMetadata?.[provider]).toBeDefined()
  // r.messages holds the same parts, ready to send back.
  const sent = result.messages
    .flatMap((message) => message.content)
    .filter((part) => part.type === 'reasoning')
  expect(sent).toEqual(reasoning)
}

/** The first request's file parts, as the kit read them. */
function filesOf(view: WireRequestView | undefined) {
  return view?.messages.flatMap((message) => message.files ?? []) ?? []
}

async function fileScenario(
  context: ScenarioContext,
  mediaType: string,
  base64: string,
  bytes: Uint8Array,
  filename: string,
): Promise<void> {
  const { spec, provider, chatModel, script, views, failure } = context
  const request = (data: string | Uint8Array): GenerateRequest => ({
    model: chatModel,
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this file?' },
          { type: 'file', data, mediaType, filename },
        ],
      },
    ],
  })
  if (!acceptsMediaType(spec.capabilities.files, mediaType)) {
    const error = await failure(provider.generate(request(base64)))
    expect(UnsupportedCapabilityError.isInstance(error)).toBe(true)
    expect(error.message).toContain(mediaType)
    expect(views).toHaveLength(0)
    return
  }
  script({ type: 'generate', text: 'An empty page.', finishReason: 'stop', usage, model: chatModel })
  const result = await provider.generate(request(base64))
  expect(result.text).toBe('An empty page.')
  await provider.generate(request(bytes))
  for (const view of views) {
    const files = filesOf(view)
    expect(files, 'the file part did not reach the wire').toHaveLength(1)
    expect(files[0]!.mediaType).toBe(mediaType)
    expect(files[0]!.data).toBe(base64)
    expect(view.messages[0]!.text).toContain('What is in this file?')
  }
}

function cachePointOf(context: ScenarioContext): NonNullable<WireKitV2['cachePoint']> {
  const point = v2Of(context.kit).cachePoint
  if (!point) throw new Error(`${context.spec.id}: the kit claims cacheControl but sets no v2.cachePoint`)
  return point
}

export const v2Scenarios: Scenario[] = [
  {
    id: 'reasoning.round-trip',
    title:
      'a tool loop on a reasoning model sends the signed reasoning back exactly; foreign reasoning is dropped',
    requires: ['reasoning', 'tools'],
    async run({ spec, kit, provider, chatModel, script, views }) {
      const v2 = v2Of(kit)
      const thought = 'The user wants the weather in Paris; call get_weather.'
      script(
        {
          type: 'generate',
          reasoning: [{ text: thought, signature: SIGNATURE }],
          toolCalls: [{ id: 'call_r1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
          finishReason: 'tool-calls',
          usage,
          model: chatModel,
        },
        { type: 'generate', text: 'It is 21 °C in Paris.', finishReason: 'stop', usage, model: chatModel },
      )
      const history: Message[] = [{ role: 'user', content: 'Weather in Paris?' }]
      const first = await provider.generate({
        model: chatModel,
        messages: history,
        tools: [weatherTool],
        ...optionsFor(spec, v2.reasoningOptions),
      })
      expectOwnReasoning(first, spec.id, thought)
      expect(first.toolCalls.map((call) => call.toolCallId)).toEqual(['call_r1'])
      history.push(...first.messages, {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'call_r1', toolName: 'get_weather', output: { celsius: 21 } },
        ],
      })
      const second = await provider.generate({
        model: chatModel,
        messages: history,
        tools: [weatherTool],
        ...optionsFor(spec, v2.reasoningOptions),
      })
      expect(second.text).toBe('It is 21 °C in Paris.')
      expectReasoningSent(views[1], v2.reasoningReturn ?? 'signed', thought)
      expect(assistantOf(views[1]).toolCallIds).toEqual(['call_r1'])

      // A part signed by another vendor is dropped with a warning, never sent.
      const foreign: Message[] = [
        history[0]!,
        {
          role: 'assistant',
          content: [
            {
              type: 'reasoning',
              text: 'other thoughts',
              providerMetadata: { 'other-vendor': { signature: 'FOREIGN' } },
            },
            ...first.messages[0]!.content,
          ],
        },
        history[2]!,
      ]
      const third = await provider.generate({ model: chatModel, messages: foreign, tools: [weatherTool] })
      expect(third.warnings.some((warning) => warning.message.includes('other-vendor'))).toBe(true)
      expect(JSON.stringify(views[2]!.body)).not.toContain('FOREIGN')
      expect(JSON.stringify(views[2]!.body)).not.toContain('other thoughts')
    },
  },
  {
    id: 'reasoning.stream',
    title: 'streamed reasoning arrives as reasoning-delta; result().messages carries its signature back',
    requires: ['reasoning', 'stream'],
    async run({ spec, kit, provider, chatModel, script, views }) {
      const v2 = v2Of(kit)
      script(
        {
          type: 'stream',
          parts: [
            { type: 'reasoning', text: 'Two plus two ' },
            { type: 'reasoning', text: 'is four.' },
            { type: 'reasoning-end', signature: SIGNATURE },
            { type: 'text', text: 'Four.' },
          ],
          finishReason: 'stop',
          usage,
          model: chatModel,
        },
        { type: 'generate', text: 'You are welcome.', finishReason: 'stop', usage, model: chatModel },
      )
      const question: Message = { role: 'user', content: 'What is 2 + 2?' }
      const stream = provider.stream({
        model: chatModel,
        messages: [question],
        ...optionsFor(spec, v2.reasoningOptions),
      })
      const events = await drain(stream)
      const reasoning = events
        .filter((event) => event.type === 'reasoning-delta')
        .map((event) => (event as { text: string }).text)
        .join('')
      expect(reasoning).toBe('Two plus two is four.')
      const finish = events[events.length - 1]
      expect(finish?.type).toBe('finish')
      const result = await stream.result()
      expect(result.text).toBe('Four.')
      expectOwnReasoning(result, spec.id, 'Two plus two is four.')
      if (finish?.type === 'finish') expect(finish.messages).toEqual(result.messages)
      await provider.generate({
        model: chatModel,
        messages: [question, ...result.messages, { role: 'user', content: 'Thanks.' }],
        ...optionsFor(spec, v2.reasoningOptions),
      })
      expectReasoningSent(views[1], v2.reasoningReturn ?? 'signed', 'Two plus two is four.')
    },
  },
  {
    id: 'files.pdf',
    title:
      'a PDF file part (base64 and bytes) reaches the wire in the vendor form, or is refused before sending',
    requires: ['files'],
    run: (context) => fileScenario(context, 'application/pdf', pdfBase64, pdfBytes, 'page.pdf'),
  },
  {
    id: 'files.audio',
    title: 'a WAV file part reaches the wire in the vendor form, or is refused before sending',
    requires: ['files'],
    run: (context) => fileScenario(context, 'audio/wav', wavBase64, wavBytes, 'clip.wav'),
  },
  {
    id: 'files.unsupported',
    title:
      'a file type the provider does not list throws UnsupportedCapabilityError naming it, and sends nothing',
    requires: [],
    async run({ spec, provider, chatModel, views, failure }) {
      const mediaType = 'application/x-conformance-unknown'
      expect(acceptsMediaType(spec.capabilities.files, mediaType)).toBe(false)
      const error = await failure(
        provider.generate({
          model: chatModel,
          messages: [{ role: 'user', content: [{ type: 'file', data: pdfBase64, mediaType }] }],
        }),
      )
      expect(UnsupportedCapabilityError.isInstance(error)).toBe(true)
      expect((error as UnsupportedCapabilityError).capability).toBe('files')
      expect(error.message).toContain(mediaType)
      expect(views).toHaveLength(0)
    },
  },
  {
    id: 'cache.breakpoints',
    title:
      'cache breakpoints on system, a message part and a tool reach the wire; one over the limit is refused',
    requires: ['cacheControl'],
    async run(context) {
      const { spec, kit, provider, chatModel, script, views, failure } = context
      const point = cachePointOf(context)
      const v2 = v2Of(kit)
      const withTools = Boolean(spec.capabilities.tools)
      script({ type: 'generate', text: 'Noted.', finishReason: 'stop', usage, model: chatModel })
      const longDoc = 'The handbook. '.repeat(200)
      await provider.generate({
        model: chatModel,
        messages: [
          {
            role: 'system',
            content: 'You answer from the handbook.',
            providerOptions: { [spec.id]: point('5m') },
          },
          {
            role: 'user',
            content: [
              { type: 'text', text: longDoc, providerOptions: { [spec.id]: point('1h') } },
              { type: 'text', text: 'What does it say?' },
            ],
          },
        ],
        ...(withTools ? { tools: [{ ...weatherTool, providerOptions: { [spec.id]: point('5m') } }] } : {}),
      })
      const breakpoints = views[0]!.cacheBreakpoints ?? []
      const expected = [
        { at: 'system', ...(v2.cacheTtl ? { ttl: '5m' } : {}) },
        { at: 'messages.0', ...(v2.cacheTtl ? { ttl: '1h' } : {}) },
        ...(withTools ? [{ at: 'tools', ...(v2.cacheTtl ? { ttl: '5m' } : {}) }] : []),
      ]
      expect([...breakpoints].sort((a, b) => a.at.localeCompare(b.at))).toEqual(
        expected.sort((a, b) => a.at.localeCompare(b.at)),
      )
      if (v2.maxCacheBreakpoints === undefined) return
      const parts = Array.from({ length: v2.maxCacheBreakpoints + 1 }, (_, index) => ({
        type: 'text' as const,
        text: `Chapter ${index + 1}. ${longDoc}`,
        providerOptions: { [spec.id]: point('5m') },
      }))
      const error = await failure(
        provider.generate({ model: chatModel, messages: [{ role: 'user', content: parts }] }),
      )
      expect(InvalidRequestError.isInstance(error)).toBe(true)
      expect(error.message).toContain(String(v2.maxCacheBreakpoints))
      expect(views).toHaveLength(1)
    },
  },
  {
    id: 'cache.cost',
    title:
      'cache reads and writes (5-minute and 1-hour) are kept apart in usage and priced at their own rates',
    requires: [],
    async run({ spec, kit, provider, chatModel, script, expectedCost }) {
      const v2 = v2Of(kit)
      const wire: WireUsage = {
        inputTokens: 4000,
        outputTokens: 100,
        cachedInputTokens: 1000,
        ...(v2.cacheWrites ? { cacheWriteInputTokens: 1500 } : {}),
        ...(v2.cacheWrites && v2.cacheTtl ? { cacheWrite1hInputTokens: 500 } : {}),
      }
      script({ type: 'generate', text: 'Hello!', finishReason: 'stop', usage: wire, model: chatModel })
      const result = await provider.generate({
        model: chatModel,
        messages: [{ role: 'user', content: 'Hi' }],
      })
      const { inputTokens, outputTokens, ...cache } = wire
      expect(result.usage).toMatchObject({ inputTokens, outputTokens, ...cache })
      expect(result.cost).toEqual(expectedCost(chatModel, result.usage))
      if (spec.pricing.free || result.cost === undefined) return
      // Priced models price cache reads (and writes, where the vendor reports them) at their own rate.
      const price = spec.pricing.models[chatModel] ?? {}
      expect(
        (price as { cachedInput?: number }).cachedInput,
        `${chatModel} has no cache-read price`,
      ).toBeDefined()
      if (v2.cacheWrites) {
        expect(
          (price as { cacheWrite?: number }).cacheWrite,
          `${chatModel} has no cache-write price`,
        ).toBeDefined()
      }
    },
  },
  {
    id: 'metadata.generate',
    title: "providerMetadata carries the vendor's extras beyond the common result",
    requires: [],
    async run({ spec, kit, provider, chatModel, script }) {
      expect(kit.metadata, `${spec.id}: the kit declares no metadata (WireKit.metadata)`).toBeDefined()
      script({
        type: 'generate',
        text: 'Hello!',
        finishReason: 'stop',
        usage,
        model: chatModel,
        metadata: true,
      })
      const result = await provider.generate({
        model: chatModel,
        messages: [{ role: 'user', content: 'Hi' }],
      })
      expect(result.providerMetadata?.[spec.id]).toMatchObject(kit.metadata!.generate)
    },
  },
  {
    id: 'metadata.stream',
    title: 'the finish event and result() carry providerMetadata; includeRaw keeps the raw chunks',
    requires: ['stream'],
    async run({ spec, kit, provider, chatModel, script }) {
      expect(kit.metadata, `${spec.id}: the kit declares no metadata (WireKit.metadata)`).toBeDefined()
      script({
        type: 'stream',
        parts: [
          { type: 'text', text: 'Hel' },
          { type: 'text', text: 'lo!' },
        ],
        finishReason: 'stop',
        usage,
        model: chatModel,
        metadata: true,
      })
      const stream = provider.stream({
        model: chatModel,
        messages: [{ role: 'user', content: 'Hi' }],
        includeRaw: true,
      })
      const events = await drain(stream)
      const finish = events[events.length - 1]
      expect(finish?.type).toBe('finish')
      if (finish?.type !== 'finish') return
      expect(finish.providerMetadata?.[spec.id]).toMatchObject(kit.metadata!.stream)
      const result = await stream.result()
      expect(result.providerMetadata?.[spec.id]).toMatchObject(kit.metadata!.stream)
      expect(Array.isArray(result.raw), 'includeRaw: result().raw is the list of raw chunks').toBe(true)
      expect((result.raw as unknown[]).length).toBeGreaterThan(0)
    },
  },
  {
    id: 'messages.round-trip',
    title: 'r.messages appended to the history reach the next request as the assistant turn',
    requires: [],
    async run({ spec, provider, chatModel, script, views }) {
      const withTools = Boolean(spec.capabilities.tools)
      script(
        withTools
          ? {
              type: 'generate',
              text: 'Let me check.',
              toolCalls: [{ id: 'call_m1', name: 'get_weather', arguments: '{"city":"Oslo"}' }],
              finishReason: 'tool-calls',
              usage,
              model: chatModel,
            }
          : { type: 'generate', text: 'Hello there!', finishReason: 'stop', usage, model: chatModel },
        { type: 'generate', text: 'Done.', finishReason: 'stop', usage, model: chatModel },
      )
      const history: Message[] = [{ role: 'user', content: withTools ? 'Weather in Oslo?' : 'Hi' }]
      const tools = withTools ? { tools: [weatherTool] } : {}
      const first = await provider.generate({ model: chatModel, messages: history, ...tools })
      expect(first.messages).toHaveLength(1)
      expect(first.messages[0]!.role).toBe('assistant')
      history.push(...first.messages)
      history.push(
        withTools
          ? {
              role: 'tool',
              content: [
                {
                  type: 'tool-result',
                  toolCallId: 'call_m1',
                  toolName: 'get_weather',
                  output: { celsius: 3 },
                },
              ],
            }
          : { role: 'user', content: 'Again?' },
      )
      await provider.generate({ model: chatModel, messages: history, ...tools })
      const second = views[1]!
      expect(second.messages.map((message) => message.role)).toEqual([
        'user',
        'assistant',
        withTools ? 'tool' : 'user',
      ])
      const assistant = second.messages[1]!
      expect(assistant.text).toBe(withTools ? 'Let me check.' : 'Hello there!')
      if (withTools) expect(assistant.toolCallIds).toEqual(['call_m1'])
    },
  },
]
