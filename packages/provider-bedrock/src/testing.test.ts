import type { WireReply, WireRequestView } from '@modelplex/conformance'
import { EventStreamCodec } from '@smithy/eventstream-codec'
import { fromUtf8, toUtf8 } from '@smithy/util-utf8'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createBedrock } from './index.js'
import {
  bedrockErrorPayload,
  createBedrockWireKit,
  readBedrockApiKey,
  readBedrockRequest,
} from './testing.js'

const kit = createBedrockWireKit()
let replies: WireReply[] = []
const views: WireRequestView[] = []
const server = setupServer(
  ...kit.handlers((view) => {
    views.push(view)
    return (replies.length > 1 ? replies.shift() : replies[0])!
  }),
)
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  views.length = 0
  replies = []
})
afterAll(() => server.close())

const usage = { inputTokens: 10, outputTokens: 5 }
const converse = (model: string, action: string, body: unknown) =>
  fetch(`${kit.baseURL}/model/${encodeURIComponent(model)}/${action}`, {
    method: 'POST',
    headers: { authorization: 'Bearer ABSKkit-test-key', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

/** Decodes a body with the AWS SDK's own event-stream codec, which checks both CRCs of every message. */
function decodeWithSmithy(bytes: Uint8Array) {
  const codec = new EventStreamCodec(toUtf8, fromUtf8)
  const messages = []
  // The codec decodes one whole message at a time; each starts with its total length.
  for (let offset = 0; offset < bytes.length; ) {
    const length = new DataView(bytes.buffer, bytes.byteOffset + offset).getUint32(0)
    messages.push(codec.decode(bytes.subarray(offset, offset + length)))
    offset += length
  }
  return messages.map((message) => ({
    headers: Object.fromEntries(
      Object.entries(message.headers).map(([name, header]) => [name, header.value]),
    ),
    body: JSON.parse(toUtf8(message.body)),
  }))
}

describe('the Bedrock wire kit', () => {
  it("writes ConverseStream frames that @smithy/eventstream-codec decodes, CRCs valid, Bedrock's event order", async () => {
    replies = [
      {
        type: 'stream',
        parts: [
          { type: 'reasoning', text: 'Thinking' },
          { type: 'text', text: 'Hé' },
          { type: 'tool-call', index: 0, id: 'tooluse_1', name: 'f', argumentsDelta: '{"a"' },
          { type: 'tool-call', index: 0, argumentsDelta: ':1}' },
        ],
        finishReason: 'tool-calls',
        usage: { inputTokens: 30, outputTokens: 7, cachedInputTokens: 20 },
      },
    ]
    const response = await converse('amazon.nova-lite-v1:0', 'converse-stream', { messages: [] })
    expect(response.headers.get('content-type')).toBe('application/vnd.amazon.eventstream')
    const messages = decodeWithSmithy(new Uint8Array(await response.arrayBuffer()))
    expect(messages.every((message) => message.headers[':message-type'] === 'event')).toBe(true)
    expect(messages.every((message) => message.headers[':content-type'] === 'application/json')).toBe(true)
    expect(messages.map((message) => message.headers[':event-type'])).toEqual([
      'messageStart',
      'contentBlockDelta',
      'contentBlockStop',
      'contentBlockDelta',
      'contentBlockStop',
      'contentBlockStart',
      'contentBlockDelta',
      'contentBlockDelta',
      'contentBlockStop',
      'messageStop',
      'metadata',
    ])
    const bodies = messages.map(({ body: { p: _padding, ...rest } }) => rest)
    expect(bodies[1]).toEqual({ contentBlockIndex: 0, delta: { reasoningContent: { text: 'Thinking' } } })
    expect(bodies[3]).toEqual({ contentBlockIndex: 1, delta: { text: 'Hé' } })
    expect(bodies[5]).toEqual({
      contentBlockIndex: 2,
      start: { toolUse: { toolUseId: 'tooluse_1', name: 'f' } },
    })
    expect(bodies[9]).toEqual({ stopReason: 'tool_use' })
    expect(bodies[10]).toEqual({
      metrics: { latencyMs: 318 },
      usage: {
        inputTokens: 10,
        outputTokens: 7,
        totalTokens: 37,
        cacheReadInputTokens: 20,
        cacheWriteInputTokens: 0,
      },
    })
  })

  it('writes an in-stream error as an exception frame with :exception-type', async () => {
    replies = [
      {
        type: 'stream',
        parts: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
        finishReason: 'stop',
        usage,
        errorAfter: { parts: 1, kind: 'overloaded' },
      },
    ]
    const response = await converse('amazon.nova-lite-v1:0', 'converse-stream', { messages: [] })
    const messages = decodeWithSmithy(new Uint8Array(await response.arrayBuffer()))
    expect(messages).toHaveLength(3)
    expect(messages[2]).toEqual({
      headers: {
        ':exception-type': 'serviceUnavailableException',
        ':content-type': 'application/json',
        ':message-type': 'exception',
      },
      body: { message: 'Bedrock is unable to process your request.' },
    })
  })

  it.each([
    ['rate-limit', 429, 'ThrottlingException'],
    ['context-window', 400, 'ValidationException'],
    ['forbidden', 403, 'AccessDeniedException'],
    ['unauthorized', 403, 'UnrecognizedClientException'],
    ['not-found', 404, 'ResourceNotFoundException'],
    ['server', 500, 'InternalServerException'],
  ] as const)('answers %s with %d, x-amzn-errortype %s and {"message": …}', async (kind, status, type) => {
    replies = [{ type: 'error', kind, retryAfterMs: 1500 }]
    const response = await converse('m', 'converse', { messages: [] })
    expect(response.status).toBe(status)
    expect(response.headers.get('x-amzn-errortype')).toBe(
      `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    )
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f]{8}-/)
    expect(response.headers.get('retry-after')).toBe('2')
    expect(await response.json()).toEqual({ message: bedrockErrorPayload(kind).message })
  })

  it('reads the key from SigV4 Credential= or from a bearer token', () => {
    expect(
      readBedrockApiKey({
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE0001/20261121/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=ab',
      }),
    ).toBe('AKIAEXAMPLE0001')
    expect(readBedrockApiKey({ authorization: 'Bearer ABSKkey' })).toBe('ABSKkey')
    expect(readBedrockApiKey({})).toBeUndefined()
  })

  it('reads a user turn holding tool results and text as a tool message, then a user message', () => {
    const view: WireRequestView = {
      operation: 'generate',
      url: 'https://x.test/model/m/converse',
      headers: {},
      apiKey: undefined,
      model: 'm',
      system: undefined,
      messages: [],
      body: undefined,
    }
    readBedrockRequest(view, {
      messages: [
        { role: 'user', content: [{ text: 'go' }] },
        { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'f', input: {} } }] },
        {
          role: 'user',
          content: [
            { toolResult: { toolUseId: 't1', content: [{ json: { ok: 1 } }] } },
            { text: 'and?' },
            { image: { format: 'png', source: { bytes: 'AQID' } } },
          ],
        },
      ],
    })
    expect(view.messages).toEqual([
      { role: 'user', text: 'go' },
      { role: 'assistant', text: '', toolCallIds: ['t1'] },
      { role: 'tool', text: '{"ok":1}', toolCallIds: ['t1'] },
      { role: 'user', text: 'and?', images: 1 },
    ])
  })

  it('reads back reasoning, documents and cache checkpoints (system, tools, the message they end)', () => {
    const view: WireRequestView = {
      operation: 'generate',
      url: 'https://x.test/model/m/converse',
      headers: {},
      apiKey: undefined,
      model: 'm',
      system: undefined,
      messages: [],
      body: undefined,
    }
    readBedrockRequest(view, {
      system: [{ text: 'sys' }, { cachePoint: { type: 'default', ttl: '1h' } }],
      messages: [
        {
          role: 'user',
          content: [
            { text: 'read' },
            { document: { format: 'pdf', name: 'page', source: { bytes: 'JVBERi0=' } } },
            { cachePoint: { type: 'default' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { reasoningContent: { reasoningText: { text: 'hm', signature: 'c2ln' } } },
            { reasoningContent: { redactedContent: 'AAEC' } },
            { toolUse: { toolUseId: 't1', name: 'f', input: {} } },
          ],
        },
        {
          role: 'user',
          content: [
            { toolResult: { toolUseId: 't1', content: [{ text: 'ok' }] } },
            { cachePoint: { type: 'default' } },
          ],
        },
      ],
      toolConfig: {
        tools: [{ toolSpec: { name: 'f', inputSchema: { json: {} } } }, { cachePoint: { type: 'default' } }],
      },
    })
    expect(view.messages).toEqual([
      {
        role: 'user',
        text: 'read',
        files: [{ mediaType: 'application/pdf', data: 'JVBERi0=', filename: 'page' }],
      },
      {
        role: 'assistant',
        text: '',
        toolCallIds: ['t1'],
        reasoning: [
          { text: 'hm', signature: 'c2ln' },
          { text: '', redacted: 'AAEC' },
        ],
      },
      { role: 'tool', text: 'ok', toolCallIds: ['t1'] },
    ])
    expect(view.cacheBreakpoints).toEqual([
      { at: 'system', ttl: '1h' },
      { at: 'messages.0' },
      { at: 'messages.2' },
      { at: 'tools' },
    ])
    expect(view.tools).toEqual([{ name: 'f', parameters: {} }])
  })

  it('streams redacted and signed reasoning through the SDK into parts that keep their bytes', async () => {
    const provider = createBedrock({ ...kit.settings, retry: { maxRetries: 0 } })
    replies = [
      {
        type: 'stream',
        parts: [
          { type: 'reasoning-end', redacted: 'AAEC+v8=' },
          { type: 'reasoning', text: 'Visible.' },
          { type: 'reasoning-end', signature: 'c2ln' },
          { type: 'text', text: 'Done.' },
        ],
        finishReason: 'stop',
        usage: { ...usage, cachedInputTokens: 4, cacheWriteInputTokens: 3, cacheWrite1hInputTokens: 1 },
      },
    ]
    const result = await provider.stream({ messages: [{ role: 'user', content: 'Think' }] }).result()
    expect(result.content.filter((part) => part.type === 'reasoning')).toEqual([
      { type: 'reasoning', text: '', providerMetadata: { bedrock: { redactedData: 'AAEC+v8=' } } },
      { type: 'reasoning', text: 'Visible.', providerMetadata: { bedrock: { signature: 'c2ln' } } },
    ])
    expect(result.usage).toMatchObject({
      inputTokens: 10,
      cachedInputTokens: 4,
      cacheWriteInputTokens: 3,
      cacheWrite1hInputTokens: 1,
    })
  })

  it('answers Titan calls with the scripted vectors in arrival order and splits the tokens', async () => {
    const provider = createBedrock({ ...kit.settings, retry: { maxRetries: 0 } })
    replies = [{ type: 'embed', vectors: [[1], [2], [3]], usage: { inputTokens: 7 } }]
    const result = await provider.embed({ model: 'amazon.titan-embed-text-v2:0', input: ['a', 'b', 'c'] })
    expect(result.embeddings).toEqual([[1], [2], [3]])
    expect(result.usage).toEqual({ inputTokens: 7 })
    expect(views.map((view) => view.embedInput)).toEqual([['a'], ['b'], ['c']])
  })

  it('streams reasoning through the provider as reasoning-delta and result.reasoning', async () => {
    const provider = createBedrock({ ...kit.settings, retry: { maxRetries: 0 } })
    replies = [
      {
        type: 'stream',
        parts: [
          { type: 'reasoning', text: 'Let me think. ' },
          { type: 'text', text: 'Done.' },
        ],
        finishReason: 'stop',
        usage,
      },
    ]
    const stream = provider.stream({ messages: [{ role: 'user', content: 'Think' }] })
    const kinds: string[] = []
    for await (const event of stream) kinds.push(event.type)
    expect(kinds).toEqual(['reasoning-delta', 'text-delta', 'finish'])
    const result = await stream.result()
    expect(result.reasoning).toBe('Let me think. ')
    expect(result.text).toBe('Done.')
    expect(result.id).toMatch(/^[0-9a-f]{8}-/)
  })
})
