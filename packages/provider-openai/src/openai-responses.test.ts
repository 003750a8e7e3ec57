import type { WireReply, WireRequestView } from '@modelplex/conformance'
import { type Message, ServerError } from '@modelplex/core'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
// Shaped after the reasoning example of OpenAI's reasoning guide (an o4-mini item with two summary parts).
import reasoningToolCall from './__fixtures__/responses-reasoning-tool-call.json' with { type: 'json' }
import { convertToResponsesInput, convertToResponsesRequest } from './convert-to-openai-responses-request.js'
import { createOpenAI } from './openai-provider.js'
import { OpenAIResponsesStreamTranslator } from './openai-responses-stream.js'
import { createOpenAIResponsesWireKit } from './openai-responses-wire-kit.js'
import { parseResponsesResponse } from './parse-openai-responses-response.js'

const kit = createOpenAIResponsesWireKit()
const replies: WireReply[] = []
const views: WireRequestView[] = []
const server = setupServer(
  ...kit.handlers((view) => {
    views.push(view)
    const reply = replies.shift()
    if (!reply) throw new Error('no reply scripted')
    return reply
  }),
)
const usage = { inputTokens: 10, outputTokens: 5, reasoningTokens: 3 }
const reasoningOptions = { openai: { reasoning: { effort: 'low', summary: 'auto' } } } as const
const weather = {
  name: 'get_weather',
  description: 'Weather of a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
}

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  replies.length = 0
  views.length = 0
})
afterAll(() => server.close())

const provider = () => createOpenAI(kit.settings as { apiKey: string; baseURL: string })
const noWarnings = { warn: () => {}, providerOptions: {} }

describe('Responses request', () => {
  it('writes user files as input_file data URLs and images as input_image', () => {
    const input = convertToResponsesInput([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Read these.' },
          { type: 'file', data: 'JVBERi0=', mediaType: 'application/pdf', filename: 'a.pdf' },
          { type: 'file', data: new URL('https://example.com/b.pdf'), mediaType: 'application/pdf' },
          { type: 'image', image: 'iVBORw0=', mediaType: 'image/png' },
        ],
      },
    ])
    expect(input).toEqual([
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'Read these.' },
          { type: 'input_file', filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' },
          { type: 'input_file', file_url: 'https://example.com/b.pdf' },
          { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0=', detail: 'auto' },
        ],
      },
    ])
  })

  it('writes an assistant turn as output items in order, and tool results as function_call_output', () => {
    const input = convertToResponsesInput([
      {
        role: 'assistant',
        content: [
          {
            type: 'reasoning',
            text: 'A',
            providerMetadata: { openai: { itemId: 'rs_1', encryptedContent: 'ENC' } },
          },
          { type: 'reasoning', text: 'B', providerMetadata: { openai: { itemId: 'rs_1' } } },
          { type: 'text', text: 'Checking.' },
          { type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Oslo' } },
        ],
      },
      {
        role: 'tool',
        content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'get_weather', output: 3 }],
      },
    ])
    expect(input).toEqual([
      {
        type: 'reasoning',
        id: 'rs_1',
        encrypted_content: 'ENC',
        summary: [
          { type: 'summary_text', text: 'A' },
          { type: 'summary_text', text: 'B' },
        ],
      },
      { role: 'assistant', content: [{ type: 'output_text', text: 'Checking.' }] },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      { type: 'function_call_output', call_id: 'call_1', output: '3' },
    ])
  })

  it('asks for encrypted reasoning when reasoning is on and nothing is stored; warns about stop sequences', () => {
    const warnings: string[] = []
    const body = convertToResponsesRequest(
      {
        model: 'o4-mini',
        messages: [{ role: 'user', content: 'Hi' }],
        tools: undefined,
        stopSequences: ['END'],
      },
      {
        warn: (warning) => warnings.push((warning as { setting: string }).setting),
        providerOptions: {
          reasoning: { effort: 'low', summary: 'auto' },
          include: ['message.output_text.logprobs'],
          parallelToolCalls: false,
          previousResponseId: 'resp_1',
          textVerbosity: 'low',
        },
      },
    )
    expect(body).toMatchObject({
      store: false,
      reasoning: { effort: 'low', summary: 'auto' },
      include: ['message.output_text.logprobs', 'reasoning.encrypted_content'],
      parallel_tool_calls: false,
      previous_response_id: 'resp_1',
      text: { verbosity: 'low' },
    })
    expect(body.stop).toBeUndefined()
    expect(warnings).toEqual(['stopSequences'])
  })

  it('with store: true asks for no encrypted content; logprobs adds the logprobs include', () => {
    const body = convertToResponsesRequest(
      { model: 'o3', messages: [{ role: 'user', content: 'Hi' }], tools: undefined },
      {
        ...noWarnings,
        providerOptions: { store: true, reasoning: { effort: 'high' }, logprobs: true, topLogprobs: 3 },
      },
    )
    expect(body.store).toBe(true)
    expect(body.include).toEqual(['message.output_text.logprobs'])
    expect(body.top_logprobs).toBe(3)
    expect(body.logprobs).toBeUndefined()
  })
})

describe('Responses response', () => {
  it('reads a reasoning item as one part per summary part, each naming the item', () => {
    const result = parseResponsesResponse(reasoningToolCall)
    const item = reasoningToolCall.output[0]!
    expect(result.content.map((part) => part.type)).toEqual(['reasoning', 'reasoning', 'tool-call'])
    expect(result.content[0]).toMatchObject({
      text: item.summary![0]!.text,
      providerMetadata: { itemId: item.id, encryptedContent: item.encrypted_content },
    })
    expect(result.content[1]).toMatchObject({
      text: item.summary![1]!.text,
      providerMetadata: { itemId: item.id },
    })
    expect(result.finishReason).toBe('tool-calls')
    expect(result.usage).toEqual({
      inputTokens: 62,
      outputTokens: 154,
      totalTokens: 216,
      reasoningTokens: 128,
    })
    expect(result.toolCalls).toEqual([
      {
        toolCallId: 'call_9Q1mWm0Vd2oJ0Jt7nZ3Yx4aB',
        toolName: 'get_weather',
        input: { city: 'Paris' },
        rawInput: '{"city":"Paris"}',
      },
    ])
  })

  it('sends the reasoning item back exactly as it came', () => {
    const result = parseResponsesResponse(reasoningToolCall)
    const content = result.content.map((part) =>
      part.type === 'reasoning' ? { ...part, providerMetadata: { openai: part.providerMetadata } } : part,
    )
    const input = convertToResponsesInput([{ role: 'assistant', content } as Message])
    expect(input[0]).toEqual(reasoningToolCall.output[0])
  })

  it('maps incomplete responses to length and content-filter', () => {
    const base = { output: [], usage: { input_tokens: 1, output_tokens: 1 } }
    expect(
      parseResponsesResponse({
        ...base,
        status: 'incomplete',
        incomplete_details: { reason: 'max_output_tokens' },
      }).finishReason,
    ).toBe('length')
    const filtered = parseResponsesResponse({
      ...base,
      status: 'incomplete',
      incomplete_details: { reason: 'content_filter' },
    })
    expect(filtered.finishReason).toBe('content-filter')
    expect(filtered.providerMetadata).toMatchObject({ incompleteReason: 'content_filter' })
  })
})

async function translate(events: unknown[]) {
  async function* source() {
    yield* events
  }
  const out: any[] = []
  for await (const event of new OpenAIResponsesStreamTranslator(source())) out.push(event)
  return out
}

describe('Responses stream events', () => {
  it('splits a reasoning item into one part per summary part; the item closes with its encrypted content', async () => {
    const item = { id: 'rs_9', type: 'reasoning', summary: [] }
    const events = await translate([
      { type: 'response.output_item.added', output_index: 0, item },
      { type: 'response.reasoning_summary_part.added', item_id: 'rs_9', output_index: 0, summary_index: 0 },
      {
        type: 'response.reasoning_summary_text.delta',
        item_id: 'rs_9',
        output_index: 0,
        summary_index: 0,
        delta: 'One.',
      },
      { type: 'response.reasoning_summary_part.added', item_id: 'rs_9', output_index: 0, summary_index: 1 },
      {
        type: 'response.reasoning_summary_text.delta',
        item_id: 'rs_9',
        output_index: 0,
        summary_index: 1,
        delta: 'Two.',
      },
      { type: 'response.output_item.done', output_index: 0, item: { ...item, encrypted_content: 'ENC==' } },
      {
        type: 'response.incomplete',
        response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, usage: null },
      },
    ])
    expect(events).toEqual([
      { type: 'reasoning-delta', text: 'One.', providerMetadata: { itemId: 'rs_9' } },
      { type: 'reasoning-end', providerMetadata: { itemId: 'rs_9' } },
      { type: 'reasoning-delta', text: 'Two.', providerMetadata: { itemId: 'rs_9' } },
      { type: 'reasoning-end', providerMetadata: { itemId: 'rs_9', encryptedContent: 'ENC==' } },
      expect.objectContaining({
        type: 'finish',
        finishReason: 'length',
        rawFinishReason: 'max_output_tokens',
      }),
    ])
  })

  it('numbers function calls by their order, not their output_index; annotations reach finish', async () => {
    const events = await translate([
      {
        type: 'response.output_item.added',
        output_index: 1,
        item: { type: 'function_call', call_id: 'c1', name: 'a', arguments: '' },
      },
      { type: 'response.function_call_arguments.delta', output_index: 1, delta: '{}' },
      {
        type: 'response.output_text.annotation.added',
        annotation: { type: 'url_citation', url: 'https://x.test' },
      },
      { type: 'response.completed', response: { status: 'completed', service_tier: 'flex', usage: null } },
    ])
    expect(events.slice(0, 2)).toEqual([
      { type: 'tool-call-delta', index: 0, toolCallId: 'c1', toolName: 'a', argumentsDelta: '' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
    ])
    expect(events[2]).toMatchObject({
      type: 'finish',
      finishReason: 'tool-calls',
      providerMetadata: { serviceTier: 'flex', annotations: [{ url: 'https://x.test' }] },
    })
  })
})

describe('a reasoning tool loop against the Responses kit', () => {
  it('three turns: each later body carries every earlier reasoning item byte for byte', async () => {
    replies.push(
      {
        type: 'generate',
        reasoning: [{ text: 'Paris first.', signature: 'gAAAAB-first-encrypted==' }],
        toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
        finishReason: 'tool-calls',
        usage,
      },
      {
        type: 'generate',
        reasoning: [{ text: 'Now Oslo.', signature: 'gAAAAB-second-encrypted==' }],
        toolCalls: [{ id: 'call_2', name: 'get_weather', arguments: '{"city":"Oslo"}' }],
        finishReason: 'tool-calls',
        usage,
      },
      { type: 'generate', text: 'Paris 21 °C, Oslo 3 °C.', finishReason: 'stop', usage },
    )
    const openai = provider()
    const history: Message[] = [{ role: 'user', content: 'Weather in Paris and Oslo?' }]
    const sentItems: unknown[] = []
    for (const [turn, city] of [
      [0, 'Paris'],
      [1, 'Oslo'],
    ] as const) {
      const result = await openai.generate({
        messages: history,
        tools: [weather],
        providerOptions: reasoningOptions,
      })
      expect(result.toolCalls[0]!.input).toEqual({ city })
      // What the response returned, as OpenAI wrote it.
      sentItems.push(...(result.raw as any).output.filter((item: any) => item.type === 'reasoning'))
      history.push(...result.messages, {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: `call_${turn + 1}`, toolName: 'get_weather', output: { city } },
        ],
      })
    }
    const last = await openai.generate({
      messages: history,
      tools: [weather],
      providerOptions: reasoningOptions,
    })
    expect(last.text).toBe('Paris 21 °C, Oslo 3 °C.')

    const reasoningIn = (view: WireRequestView) =>
      (view.body as any).input.filter((item: any) => item.type === 'reasoning')
    expect(reasoningIn(views[0]!)).toEqual([])
    expect(reasoningIn(views[1]!)).toEqual(sentItems.slice(0, 1))
    expect(reasoningIn(views[2]!)).toEqual(sentItems)
    expect(JSON.stringify(reasoningIn(views[2]!).map((item: any) => item.encrypted_content))).toBe(
      '["gAAAAB-first-encrypted==","gAAAAB-second-encrypted=="]',
    )
    // The order of the turn: reasoning item, then its function call, then the output.
    expect((views[2]!.body as any).input.map((item: any) => item.type ?? item.role)).toEqual([
      'user',
      'reasoning',
      'function_call',
      'function_call_output',
      'reasoning',
      'function_call',
      'function_call_output',
    ])
    for (const view of views) {
      expect(view.body).toMatchObject({ store: false, include: ['reasoning.encrypted_content'] })
    }
  })

  it('a streamed reasoning summary comes back on result().messages and goes out as the same item', async () => {
    replies.push(
      {
        type: 'stream',
        parts: [
          { type: 'reasoning', text: 'Think ' },
          { type: 'reasoning', text: 'twice.' },
          { type: 'reasoning-end', signature: 'gAAAAB-stream-encrypted==' },
          { type: 'tool-call', index: 0, id: 'call_s', name: 'get_weather', argumentsDelta: '{"city":' },
          { type: 'tool-call', index: 0, argumentsDelta: '"Rome"}' },
        ],
        finishReason: 'tool-calls',
        usage,
      },
      { type: 'generate', text: 'Sunny.', finishReason: 'stop', usage },
    )
    const openai = provider()
    const stream = openai.stream({
      messages: [{ role: 'user', content: 'Rome?' }],
      tools: [weather],
      providerOptions: reasoningOptions,
    })
    const deltas: string[] = []
    for await (const event of stream) if (event.type === 'reasoning-delta') deltas.push(event.text)
    expect(deltas).toEqual(['Think ', 'twice.'])
    const result = await stream.result()
    expect(result.usage?.reasoningTokens).toBe(3)
    expect(result.toolCalls).toMatchObject([{ toolCallId: 'call_s', input: { city: 'Rome' } }])
    await openai.generate({
      messages: [
        { role: 'user', content: 'Rome?' },
        ...result.messages,
        {
          role: 'tool',
          content: [{ type: 'tool-result', toolCallId: 'call_s', toolName: 'get_weather', output: 'sun' }],
        },
      ],
      tools: [weather],
      providerOptions: reasoningOptions,
    })
    const input = (views[1]!.body as any).input
    expect(input[1]).toEqual({
      type: 'reasoning',
      id: expect.stringMatching(/^rs_stream_/),
      encrypted_content: 'gAAAAB-stream-encrypted==',
      summary: [{ type: 'summary_text', text: 'Think twice.' }],
    })
  })

  it('an in-stream error event with a rate-limit code → RateLimitError keeping the partial text', async () => {
    replies.push({
      type: 'stream',
      parts: [{ type: 'text', text: 'Partial' }],
      finishReason: 'stop',
      usage,
      errorAfter: { parts: 1, kind: 'rate-limit' },
    })
    const error = await provider()
      .stream({ messages: [{ role: 'user', content: 'Hi' }], maxRetries: 0 })
      .result()
      .catch((caught) => caught)
    expect(error.name).toBe('RateLimitError')
    expect(error.partial?.text).toBe('Partial')
  })

  it('response.failed → the typed error of its code (server_error → ServerError)', async () => {
    // https://platform.openai.com/docs/api-reference/responses-streaming/response/failed
    const failed = {
      type: 'response.failed',
      sequence_number: 1,
      response: {
        id: 'resp_failed',
        object: 'response',
        status: 'failed',
        error: { code: 'server_error', message: 'The model failed to generate a response.' },
        output: [],
        usage: null,
      },
    }
    server.use(
      http.post(
        `${kit.baseURL}/responses`,
        () =>
          new HttpResponse(`event: response.failed\ndata: ${JSON.stringify(failed)}\n\n`, {
            headers: { 'content-type': 'text/event-stream' },
          }),
      ),
    )
    const error = await provider()
      .stream({ messages: [{ role: 'user', content: 'Hi' }], maxRetries: 0 })
      .result()
      .catch((caught) => caught)
    expect(ServerError.isInstance(error)).toBe(true)
    expect(error.message).toContain('The model failed to generate a response.')
    server.resetHandlers()
  })
})
