import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { streamBody } from '@modelplex/conformance'
import {
  MalformedResponseError,
  ServerError,
  type StreamEvent,
  StreamInterruptedError,
} from '@modelplex/core'
import type { AdapterStreamEvent } from '@modelplex/core/adapter'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createCohere } from './cohere-provider.js'
import { CohereStreamTranslator } from './cohere-stream.js'

const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, '__fixtures__', name), 'utf8')

async function* events(...items: unknown[]): AsyncGenerator<unknown> {
  for (const item of items) yield item
}

async function collect(translator: AsyncIterable<AdapterStreamEvent>): Promise<AdapterStreamEvent[]> {
  const out: AdapterStreamEvent[] = []
  for await (const event of translator) out.push(event)
  return out
}

// Events as cohere-ai yields them: the wire's JSON with camelCase keys.
const start = { type: 'message-start', id: 'msg_1', delta: { message: { role: 'assistant' } } }
const end = (finishReason: string, extra: Record<string, unknown> = {}) => ({
  type: 'message-end',
  delta: { finishReason, usage: { tokens: { inputTokens: 9, outputTokens: 3 } }, ...extra },
})

describe('CohereStreamTranslator', () => {
  it('turns content and thinking deltas into text and reasoning; finish carries usage', async () => {
    const out = await collect(
      new CohereStreamTranslator(
        events(
          start,
          {
            type: 'content-start',
            index: 0,
            delta: { message: { content: { type: 'thinking', thinking: '' } } },
          },
          { type: 'content-delta', index: 0, delta: { message: { content: { thinking: 'Hmm.' } } } },
          { type: 'content-end', index: 0 },
          { type: 'content-start', index: 1, delta: { message: { content: { type: 'text', text: '' } } } },
          { type: 'content-delta', index: 1, delta: { message: { content: { text: 'Hi' } } } },
          { type: 'citation-start', index: 0, delta: { message: { citations: { start: 0, end: 2 } } } },
          { type: 'citation-end', index: 0 },
          { type: 'content-end', index: 1 },
          end('COMPLETE'),
        ),
      ),
    )
    expect(out).toEqual([
      { type: 'response-metadata', id: 'msg_1' },
      { type: 'reasoning-delta', text: 'Hmm.' },
      // The thinking block's content-end closes its reasoning part.
      { type: 'reasoning-end' },
      { type: 'text-delta', text: 'Hi' },
      {
        type: 'finish',
        finishReason: 'stop',
        rawFinishReason: 'COMPLETE',
        usage: { inputTokens: 9, outputTokens: 3, totalTokens: 12 },
        providerMetadata: expect.objectContaining({ citations: [{ start: 0, end: 2 }] }),
      },
    ])
  })

  it('turns tool-call-start and tool-call-delta into indexed deltas; the plan into reasoning', async () => {
    const out = await collect(
      new CohereStreamTranslator(
        events(
          start,
          { type: 'tool-plan-delta', delta: { message: { toolPlan: 'Look it up.' } } },
          {
            type: 'tool-call-start',
            index: 0,
            delta: {
              message: {
                toolCalls: { id: 'c0', type: 'function', function: { name: 'now', arguments: '' } },
              },
            },
          },
          {
            type: 'tool-call-delta',
            index: 0,
            delta: { message: { toolCalls: { function: { arguments: '{}' } } } },
          },
          { type: 'tool-call-end', index: 0 },
          end('TOOL_CALL'),
        ),
      ),
    )
    expect(out.slice(1, 5)).toEqual([
      // The plan is its own reasoning part, marked to go back as tool_plan.
      { type: 'reasoning-delta', text: 'Look it up.', providerMetadata: { toolPlan: true } },
      { type: 'reasoning-end' },
      { type: 'tool-call-delta', index: 0, toolCallId: 'c0', toolName: 'now', argumentsDelta: '' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
    ])
    expect(out[5]).toMatchObject({ type: 'finish', finishReason: 'tool-calls' })
  })

  it('throws a ServerError when message-end reports an error', async () => {
    const translator = new CohereStreamTranslator(
      events(
        start,
        { type: 'content-delta', index: 0, delta: { message: { content: { text: 'Par' } } } },
        end('ERROR', { error: 'internal server error' }),
      ),
    )
    const seen: AdapterStreamEvent[] = []
    const error = await (async () => {
      for await (const event of translator) seen.push(event)
    })().catch((caught: unknown) => caught)
    expect(ServerError.isInstance(error)).toBe(true)
    expect((error as ServerError).message).toContain('internal server error')
    expect((error as ServerError).code).toBe('ERROR')
    expect(seen.map((event) => event.type)).toEqual(['response-metadata', 'text-delta'])
  })

  it('reports finish_reason ERROR without an error text as an "error" finish', async () => {
    const out = await collect(new CohereStreamTranslator(events(start, end('ERROR'))))
    expect(out.at(-1)).toMatchObject({ type: 'finish', finishReason: 'error', rawFinishReason: 'ERROR' })
  })

  it('ends without finish when the stream stops before message-end, so core reports the cut', async () => {
    const out = await collect(
      new CohereStreamTranslator(
        events(start, { type: 'content-delta', index: 0, delta: { message: { content: { text: 'Hel' } } } }),
      ),
    )
    expect(out.map((event) => event.type)).toEqual(['response-metadata', 'text-delta'])
  })

  it('rejects an empty stream and an event that is not an object', async () => {
    await expect(collect(new CohereStreamTranslator(events()))).rejects.toThrow(MalformedResponseError)
    await expect(collect(new CohereStreamTranslator(events(start, 'oops')))).rejects.toThrow(
      /not a JSON object/,
    )
  })

  it('rethrows the abort reason when the source ends quietly after an abort', async () => {
    const controller = new AbortController()
    controller.abort(new Error('stopped by the caller'))
    await expect(
      collect(new CohereStreamTranslator(events(start), 'cohere', controller.signal)),
    ).rejects.toThrow('stopped by the caller')
  })

  it('closes the SDK iterator on return()', async () => {
    const source = events(start, end('COMPLETE'))
    const closeSource = vi.spyOn(source, 'return')
    const translator = new CohereStreamTranslator(source)
    await translator.next()
    await translator.return()
    expect(closeSource).toHaveBeenCalled()
    expect(await translator.next()).toEqual({ value: undefined, done: true })
  })
})

describe('documented streams, through cohere-ai', () => {
  let body = ''
  let cut = false
  const server = setupServer(
    http.post('https://api.cohere.test/v2/chat', () => {
      // One piece per SSE event; a cut drops the connection after three (start, content-start, "LL").
      const pieces = body.split(/(?<=\n\n)/)
      return new HttpResponse(streamBody(pieces, cut ? { cutAfter: 3 } : {}), {
        headers: { 'content-type': 'text/event-stream' },
      })
    }),
  )
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterAll(() => server.close())
  const provider = createCohere({ apiKey: 'co-test-key-0123456789', baseURL: 'https://api.cohere.test' })
  const messages = [{ role: 'user' as const, content: 'Tell me about LLMs' }]

  it('a text stream: deltas join to the text; usage and cost on finish', async () => {
    body = fixture('chat-stream-text.sse.txt')
    cut = false
    const stream = provider.stream({ model: 'command-a-03-2025', messages })
    const seen: StreamEvent[] = []
    for await (const event of stream) seen.push(event)
    const result = await stream.result()
    expect(result.text).toBe(
      'LLMs stand for Large Language Models, which are a type of neural network model specialized in processing and generating human language.',
    )
    expect(result.id).toBe('29f14a5a-11de-4cae-9800-25e4747408ea')
    const finish = seen.at(-1)
    expect(finish).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      // The billed units (5 in, 26 out), not the 71 template-inflated input tokens.
      usage: { inputTokens: 5, outputTokens: 26, totalTokens: 31 },
      cost: { input: 0.0000125, output: 0.00026, total: 0.0002725, currency: 'USD' },
    })
  })

  it('a tool-call stream: the plan as reasoning, both calls assembled from argument slices', async () => {
    body = fixture('chat-stream-tool-calls.sse.txt')
    cut = false
    const result = await provider.stream({ model: 'command-a-03-2025', messages }).result()
    expect(result.finishReason).toBe('tool-calls')
    expect(result.reasoning).toMatch(/^I will use the query_daily_sales_report tool/)
    expect(result.toolCalls).toEqual([
      {
        toolCallId: 'query_daily_sales_report_j3f0adww9pmr',
        toolName: 'query_daily_sales_report',
        input: { day: '2023-09-29' },
        rawInput: '{"day": "2023-09-29"}',
      },
      {
        toolCallId: 'query_product_catalog_c66nf11r6s8g',
        toolName: 'query_product_catalog',
        input: { category: 'Electronics' },
        rawInput: '{"category": "Electronics"}',
      },
    ])
    // The billed units (126 in, 84 out), not the 1589 tokens the prompt template made of them.
    expect(result.usage).toEqual({ inputTokens: 126, outputTokens: 84, totalTokens: 210 })
  })

  it('a stream cut mid-way: the SDK surfaces the socket error, core keeps the partial text', async () => {
    body = fixture('chat-stream-text.sse.txt')
    cut = true
    const stream = provider.stream({ model: 'command-a-03-2025', messages, maxRetries: 0 })
    const error = await stream.result().catch((caught: unknown) => caught)
    expect(StreamInterruptedError.isInstance(error)).toBe(true)
    expect((error as StreamInterruptedError).partial?.text).toBe('LL')
  })
})

describe('a text delta holding "[DONE]", over a real socket', () => {
  // cohere-ai stops reading at any `data:` line containing "[DONE]"; the raw-body reader ends only at
  // a `data: [DONE]` frame, so the answer comes whole. Over MSW the body's cancel never settles, so
  // this runs against node:http, as the API would be reached.
  it('is read whole: only a `[DONE]` frame ends the events', async () => {
    const frames = [
      { type: 'message-start', id: 'm', delta: { message: { role: 'assistant' } } },
      { type: 'content-delta', index: 0, delta: { message: { content: { text: 'Say ' } } } },
      { type: 'content-delta', index: 0, delta: { message: { content: { text: '[DONE]' } } } },
      { type: 'message-end', delta: { finish_reason: 'COMPLETE' } },
    ]
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      for (const frame of frames) response.write(`event: ${frame.type}\ndata: ${JSON.stringify(frame)}\n\n`)
      response.end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const provider = createCohere({ apiKey: 'co-test-key-0123456789', baseURL: `http://127.0.0.1:${port}` })
      const result = await provider
        .stream({ messages: [{ role: 'user', content: 'Say [DONE]' }], maxRetries: 0 })
        .result()
      expect(result.text).toBe('Say [DONE]')
      expect(result.finishReason).toBe('stop')
    } finally {
      server.close()
    }
  })
})
