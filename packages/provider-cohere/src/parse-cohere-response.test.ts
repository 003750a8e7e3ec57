import { MalformedResponseError } from '@modelplex/core'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import chatText from './__fixtures__/chat-text.json' with { type: 'json' }
import chatToolCalls from './__fixtures__/chat-tool-calls.json' with { type: 'json' }
import embedFloats from './__fixtures__/embed-floats.json' with { type: 'json' }
import modelsList from './__fixtures__/models-list.json' with { type: 'json' }
import { createCohere } from './cohere-provider.js'
import {
  convertCohereUsage,
  mapCohereFinishReason,
  parseCohereEmbeddings,
  parseCohereModels,
  parseCohereResponse,
} from './parse-cohere-response.js'

describe('mapCohereFinishReason', () => {
  it.each([
    ['COMPLETE', 'stop'],
    ['STOP_SEQUENCE', 'stop'],
    ['MAX_TOKENS', 'length'],
    ['ERROR_LIMIT', 'length'],
    ['TOOL_CALL', 'tool-calls'],
    ['ERROR_TOXIC', 'content-filter'],
    ['ERROR', 'error'],
    ['TIMEOUT', 'error'],
    ['USER_CANCEL', 'other'],
    [undefined, 'other'],
  ])('%s → %s', (raw, expected) => {
    expect(mapCohereFinishReason(raw)).toBe(expected)
  })
})

describe('convertCohereUsage', () => {
  it('reads the billed units, what Cohere charges for, not the template-inflated tokens (issue 15)', () => {
    // Shape of a real v2 chat reply: 12 billed input tokens, 507 tokens with the prompt template.
    expect(
      convertCohereUsage({
        billedUnits: { inputTokens: 12, outputTokens: 26 },
        tokens: { inputTokens: 507, outputTokens: 26 },
      }),
    ).toEqual({ inputTokens: 12, outputTokens: 26, totalTokens: 38 })
  })

  it('falls back to the tokens, and reports cached tokens', () => {
    expect(convertCohereUsage({ tokens: { inputTokens: 5, outputTokens: 2 }, cachedTokens: 3 })).toEqual({
      inputTokens: 5,
      outputTokens: 2,
      totalTokens: 7,
      cachedInputTokens: 3,
    })
  })

  it('is undefined when there is nothing to read', () => {
    expect(convertCohereUsage(undefined)).toBeUndefined()
    expect(convertCohereUsage({ cachedTokens: 3 })).toBeUndefined()
  })
})

describe('parseCohereResponse', () => {
  it('rejects a body that is not a chat response', () => {
    expect(() => parseCohereResponse('<html>')).toThrow(MalformedResponseError)
    expect(() => parseCohereResponse({ id: 'x', finishReason: 'COMPLETE' })).toThrow(/no "message"/)
    expect(() => parseCohereResponse({ message: { role: 'assistant' } })).toThrow(/no "finish_reason"/)
  })

  it("keeps the start of the body the SDK could not parse as the error's cause", () => {
    // What cohere-ai resolves with when a 200 body is not JSON.
    const sdkValue = {
      ok: false,
      error: { reason: 'non-json', statusCode: 200, rawBody: '<html>Bad gateway</html>' },
    }
    try {
      parseCohereResponse(sdkValue)
      expect.unreachable()
    } catch (error) {
      expect(MalformedResponseError.isInstance(error)).toBe(true)
      expect(((error as Error).cause as Error).message).toBe('<html>Bad gateway</html>')
    }
  })

  it('reads a string content and joins several text items', () => {
    const result = parseCohereResponse({
      id: 'r',
      finishReason: 'COMPLETE',
      message: {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Hello, ' },
          { type: 'text', text: 'world.' },
        ],
      },
    })
    expect(result.text).toBe('Hello, world.')
    expect(result.content).toEqual([{ type: 'text', text: 'Hello, world.' }])
    expect(result.usage).toBeUndefined()
  })

  it('reads a tool call without arguments as an empty input', () => {
    const result = parseCohereResponse({
      id: 'r',
      finishReason: 'TOOL_CALL',
      message: { role: 'assistant', toolCalls: [{ id: 'c', type: 'function', function: { name: 'now' } }] },
    })
    expect(result.toolCalls).toEqual([{ toolCallId: 'c', toolName: 'now', input: {}, rawInput: '' }])
  })
})

describe('parseCohereEmbeddings', () => {
  it('falls back to the first numeric type, and decodes base64 vectors', () => {
    expect(parseCohereEmbeddings([{ embeddings: { int8: [[1, -2]] } }], 1).embeddings).toEqual([[1, -2]])
    const bytes = new Uint8Array(new Float32Array([0.5, -2]).buffer)
    const base64 = btoa(String.fromCharCode(...bytes))
    expect(parseCohereEmbeddings([{ embeddings: { base64: [base64] } }], 1).embeddings).toEqual([[0.5, -2]])
  })

  it('joins batches in order and sums their tokens', () => {
    const result = parseCohereEmbeddings(
      [
        { embeddings: { float: [[1], [2]] }, meta: { billedUnits: { inputTokens: 3 } } },
        { embeddings: { float: [[3]] }, meta: { billedUnits: { inputTokens: 4 } } },
      ],
      3,
    )
    expect(result.embeddings).toEqual([[1], [2], [3]])
    expect(result.usage).toEqual({ inputTokens: 7 })
  })

  it('rejects a response without embeddings, or with fewer vectors than texts', () => {
    expect(() => parseCohereEmbeddings([{ id: 'x' }], 1)).toThrow(MalformedResponseError)
    expect(() => parseCohereEmbeddings([{ embeddings: { float: [[1]] } }], 2)).toThrow(
      /1 vectors for 2 texts/,
    )
  })
})

describe('parseCohereModels', () => {
  it('rejects a body without a model list', () => {
    expect(() => parseCohereModels({ data: [] })).toThrow(MalformedResponseError)
  })
})

describe('documented responses, through cohere-ai', () => {
  let reply: { path: string; body: any } | undefined
  const server = setupServer(
    http.post('https://api.cohere.test/v2/chat', () => HttpResponse.json(reply?.body)),
    http.post('https://api.cohere.test/v2/embed', () => HttpResponse.json(reply?.body)),
    http.get('https://api.cohere.test/v1/models', () => HttpResponse.json(reply?.body)),
  )
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => {
    reply = undefined
  })
  afterAll(() => server.close())
  const provider = createCohere({ apiKey: 'co-test-key-0123456789', baseURL: 'https://api.cohere.test' })
  const messages = [{ role: 'user' as const, content: 'Tell me about LLMs' }]

  it('a text reply: text, finish reason, usage from the billed units, id', async () => {
    reply = { path: 'chat', body: chatText }
    const result = await provider.generate({ model: 'command-a-03-2025', messages })
    expect(result.text).toBe(chatText.message.content[0]!.text)
    expect(result.finishReason).toBe('stop')
    expect(result.rawFinishReason).toBe('COMPLETE')
    // The billed units (5 in), not the 71 tokens with the prompt template: the cost Cohere charges.
    expect(result.usage).toEqual({ inputTokens: 5, outputTokens: 418, totalTokens: 423 })
    expect(result.id).toBe('c14c80c3-18eb-4519-9460-6c92edd8cfb4')
    expect(result.model).toBe('command-a-03-2025')
    expect(result.cost).toEqual({ input: 0.0000125, output: 0.00418, total: 0.0041925, currency: 'USD' })
  })

  it('a tool-call reply: both calls parsed, thinking as reasoning', async () => {
    reply = { path: 'chat', body: chatToolCalls }
    const result = await provider.generate({ model: 'command-a-03-2025', messages })
    expect(result.finishReason).toBe('tool-calls')
    expect(result.text).toBe('')
    expect(result.reasoning).toMatch(/^I will first find the sales summary/)
    expect(result.toolCalls).toEqual([
      {
        toolCallId: 'query_daily_sales_report_hgxxmkby3wta',
        toolName: 'query_daily_sales_report',
        input: { day: '2023-09-29' },
        rawInput: '{"day": "2023-09-29"}',
      },
      {
        toolCallId: 'query_product_catalog_rpg0z5h8yyz2',
        toolName: 'query_product_catalog',
        input: { category: 'Electronics' },
        rawInput: '{"category": "Electronics"}',
      },
    ])
    expect(result.content.map((part) => part.type)).toEqual(['reasoning', 'tool-call', 'tool-call'])
  })

  it('an embed reply: float vectors and billed input tokens', async () => {
    reply = { path: 'embed', body: embedFloats }
    const result = await provider.embed({ model: 'embed-v4.0', input: ['hello', 'goodbye'] })
    expect(result.embeddings).toEqual(embedFloats.embeddings.float)
    expect(result.usage).toEqual({ inputTokens: 2 })
    expect(result.cost?.total).toBeCloseTo(0.00000024, 12)
  })

  it('a model list: names and context lengths', async () => {
    // One page: the fixture's `next_page_token` is dropped so the list ends here.
    const { next_page_token: _, ...page } = modelsList
    reply = { path: 'models', body: page }
    const models = await provider.listModels()
    expect(models).toEqual([
      { id: 'command-r-plus', contextWindow: 128000 },
      { id: 'command-a-03-2025', contextWindow: 256000 },
    ])
  })
})
