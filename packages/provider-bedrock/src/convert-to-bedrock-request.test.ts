import { InvalidRequestError, UnsupportedCapabilityError, type Warning } from '@modelplex/core'
import type { AdapterRequest, CallContext } from '@modelplex/core/adapter'
import { describe, expect, it, vi } from 'vitest'
import { convertToBedrockRequest } from './convert-to-bedrock-request.js'

/** A 1×1 PNG. */
const pixelPng =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='
const pngBytes = Uint8Array.from(atob(pixelPng), (c) => c.charCodeAt(0))

function contextWith(providerOptions: Record<string, unknown> = {}) {
  const warnings: Warning[] = []
  const controller = new AbortController()
  const context: CallContext = {
    signal: controller.signal,
    headers: {},
    providerOptions,
    warn: (warning) => warnings.push(warning),
  }
  return { context, warnings, signal: controller.signal }
}

function request(overrides: Partial<AdapterRequest>): AdapterRequest {
  return {
    model: 'amazon.nova-lite-v1:0',
    messages: [{ role: 'user', content: 'Hi' }],
    tools: undefined,
    ...overrides,
  }
}

const weather = {
  name: 'get_weather',
  description: 'Get the weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
}

describe('convertToBedrockRequest', () => {
  it('builds messages, system, inferenceConfig and toolConfig', async () => {
    const { context, warnings } = contextWith()
    const input = await convertToBedrockRequest(
      request({
        model: 'anthropic.claude-3-5-haiku-20241022-v1:0',
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'system', content: 'Answer in English.' },
          { role: 'user', content: 'Weather in Paris?' },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'Checking.' },
              {
                type: 'tool-call',
                toolCallId: 'tooluse_1',
                toolName: 'get_weather',
                input: { city: 'Paris' },
              },
            ],
          },
          {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: 'tooluse_1',
                toolName: 'get_weather',
                output: { celsius: 21 },
              },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'And this?' },
              { type: 'image', image: 'AQID', mediaType: 'image/png' },
            ],
          },
        ],
        temperature: 0.2,
        maxOutputTokens: 256,
        topP: 0.9,
        topK: 40,
        stopSequences: ['END'],
        tools: [weather],
        toolChoice: 'auto',
      }),
      context,
    )
    expect(warnings).toEqual([])
    expect(input).toMatchInlineSnapshot(`
      {
        "additionalModelRequestFields": {
          "top_k": 40,
        },
        "inferenceConfig": {
          "maxTokens": 256,
          "stopSequences": [
            "END",
          ],
          "temperature": 0.2,
          "topP": 0.9,
        },
        "messages": [
          {
            "content": [
              {
                "text": "Weather in Paris?",
              },
            ],
            "role": "user",
          },
          {
            "content": [
              {
                "text": "Checking.",
              },
              {
                "toolUse": {
                  "input": {
                    "city": "Paris",
                  },
                  "name": "get_weather",
                  "toolUseId": "tooluse_1",
                },
              },
            ],
            "role": "assistant",
          },
          {
            "content": [
              {
                "toolResult": {
                  "content": [
                    {
                      "json": {
                        "celsius": 21,
                      },
                    },
                  ],
                  "toolUseId": "tooluse_1",
                },
              },
              {
                "text": "And this?",
              },
              {
                "image": {
                  "format": "png",
                  "source": {
                    "bytes": Uint8Array [
                      1,
                      2,
                      3,
                    ],
                  },
                },
              },
            ],
            "role": "user",
          },
        ],
        "modelId": "anthropic.claude-3-5-haiku-20241022-v1:0",
        "system": [
          {
            "text": "You are terse.",
          },
          {
            "text": "Answer in English.",
          },
        ],
        "toolConfig": {
          "toolChoice": {
            "auto": {},
          },
          "tools": [
            {
              "toolSpec": {
                "description": "Get the weather",
                "inputSchema": {
                  "json": {
                    "properties": {
                      "city": {
                        "type": "string",
                      },
                    },
                    "required": [
                      "city",
                    ],
                    "type": "object",
                  },
                },
                "name": "get_weather",
              },
            },
          ],
        },
      }
    `)
  })

  it('merges a tool result and the next user message into one user turn (Converse alternates roles)', async () => {
    const { context } = contextWith()
    const input = await convertToBedrockRequest(
      request({
        messages: [
          { role: 'user', content: 'A' },
          { role: 'user', content: 'B' },
          { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 't1', toolName: 'f', input: {} }] },
          {
            role: 'tool',
            content: [{ type: 'tool-result', toolCallId: 't1', toolName: 'f', output: 'done' }],
          },
          { role: 'user', content: 'C' },
        ],
        tools: [weather],
      }),
      context,
    )
    expect(input.messages?.map((message) => message.role)).toEqual(['user', 'assistant', 'user'])
    expect(input.messages?.[0]?.content).toEqual([{ text: 'A' }, { text: 'B' }])
    expect(input.messages?.[2]?.content).toEqual([
      { toolResult: { toolUseId: 't1', content: [{ text: 'done' }] } },
      { text: 'C' },
    ])
  })

  it('drops blank text blocks and the turns they leave empty', async () => {
    const { context } = contextWith()
    const input = await convertToBedrockRequest(
      request({
        messages: [
          { role: 'system', content: '' },
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: '' },
          {
            role: 'user',
            content: [
              { type: 'text', text: '' },
              { type: 'text', text: 'Again' },
            ],
          },
        ],
      }),
      context,
    )
    expect(input.system).toBeUndefined()
    expect(input.messages).toEqual([{ role: 'user', content: [{ text: 'Hi' }, { text: 'Again' }] }])
  })

  it('sends tool results: strings as text, objects as json, other values as JSON text, errors with status', async () => {
    const { context } = contextWith()
    const input = await convertToBedrockRequest(
      request({
        messages: [
          { role: 'user', content: 'go' },
          {
            role: 'assistant',
            content: [
              { type: 'tool-call', toolCallId: 'a', toolName: 'f', input: '{"x":1}' },
              { type: 'tool-call', toolCallId: 'b', toolName: 'f', input: 'not json' },
              { type: 'tool-call', toolCallId: 'c', toolName: 'f', input: undefined },
            ],
          },
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: 'a', toolName: 'f', output: [1, 2] },
              { type: 'tool-result', toolCallId: 'b', toolName: 'f', output: 'boom', isError: true },
              { type: 'tool-result', toolCallId: 'c', toolName: 'f', output: { ok: true } },
            ],
          },
        ],
        tools: [weather],
      }),
      context,
    )
    expect(input.messages?.[1]?.content?.map((block) => block.toolUse?.input)).toEqual([
      { x: 1 },
      { input: 'not json' },
      {},
    ])
    expect(input.messages?.[2]?.content?.map((block) => block.toolResult)).toEqual([
      { toolUseId: 'a', content: [{ text: '[1,2]' }] },
      { toolUseId: 'b', content: [{ text: 'boom' }], status: 'error' },
      { toolUseId: 'c', content: [{ json: { ok: true } }] },
    ])
  })

  it.each([
    ['required', { any: {} }],
    ['auto', { auto: {} }],
    [{ type: 'tool', toolName: 'get_weather' }, { tool: { name: 'get_weather' } }],
  ] as const)('toolChoice %j → %j', async (toolChoice, expected) => {
    const { context } = contextWith()
    const input = await convertToBedrockRequest(request({ tools: [weather], toolChoice }), context)
    expect(input.toolConfig?.toolChoice).toEqual(expected)
  })

  it('toolChoice "none" leaves the tools out, unless the history uses them (then it warns)', async () => {
    const plain = contextWith()
    const none = await convertToBedrockRequest(
      request({ tools: [weather], toolChoice: 'none' }),
      plain.context,
    )
    expect(none.toolConfig).toBeUndefined()
    expect(plain.warnings).toEqual([])

    const history = contextWith()
    const withHistory = await convertToBedrockRequest(
      request({
        tools: [weather],
        toolChoice: 'none',
        messages: [
          { role: 'user', content: 'go' },
          {
            role: 'assistant',
            content: [{ type: 'tool-call', toolCallId: 't', toolName: 'get_weather', input: {} }],
          },
          {
            role: 'tool',
            content: [{ type: 'tool-result', toolCallId: 't', toolName: 'get_weather', output: 'sun' }],
          },
        ],
      }),
      history.context,
    )
    expect(withHistory.toolConfig?.tools).toHaveLength(1)
    expect(withHistory.toolConfig?.toolChoice).toBeUndefined()
    expect(history.warnings).toEqual([
      expect.objectContaining({ type: 'unsupported-setting', setting: 'toolChoice' }),
    ])
  })

  it.each([
    ['anthropic.claude-3-5-haiku-20241022-v1:0', { top_k: 5 }],
    ['us.anthropic.claude-sonnet-4-20250514-v1:0', { top_k: 5 }],
    ['amazon.nova-lite-v1:0', { inferenceConfig: { topK: 5 } }],
    ['mistral.mistral-large-2407-v1:0', { top_k: 5 }],
  ])('topK for %s goes to additionalModelRequestFields as %j', async (model, expected) => {
    const { context, warnings } = contextWith()
    const input = await convertToBedrockRequest(request({ model, topK: 5 }), context)
    expect(input.additionalModelRequestFields).toEqual(expected)
    expect(warnings).toEqual([])
  })

  it('topK for a family without a known field, seed, penalties and JSON mode → warnings, nothing sent', async () => {
    const { context, warnings } = contextWith()
    const input = await convertToBedrockRequest(
      request({
        model: 'meta.llama3-3-70b-instruct-v1:0',
        topK: 5,
        seed: 7,
        presencePenalty: 0.5,
        frequencyPenalty: 0.5,
        responseFormat: { type: 'json' },
      }),
      context,
    )
    expect(input.additionalModelRequestFields).toBeUndefined()
    expect(Object.keys(input).sort()).toEqual(['messages', 'modelId'])
    expect(warnings.map((warning) => warning.setting)).toEqual([
      'topK',
      'seed',
      'presencePenalty',
      'frequencyPenalty',
      'responseFormat',
    ])
  })

  it('merges providerOptions.bedrock last; additionalModelRequestFields are combined with ours', async () => {
    const { context } = contextWith({
      additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 1024 } },
      guardrailConfig: { guardrailIdentifier: 'gr-1', guardrailVersion: '1' },
      inferenceConfig: { maxTokens: 99 },
    })
    const input = await convertToBedrockRequest(
      request({
        model: 'anthropic.claude-sonnet-4-20250514-v1:0',
        topK: 3,
        maxOutputTokens: 10,
        temperature: 0.5,
      }),
      context,
    )
    expect(input.additionalModelRequestFields).toEqual({
      top_k: 3,
      thinking: { type: 'enabled', budget_tokens: 1024 },
    })
    expect(input.guardrailConfig).toEqual({ guardrailIdentifier: 'gr-1', guardrailVersion: '1' })
    expect(input.inferenceConfig).toEqual({ maxTokens: 99 })
  })
})

describe('convertToBedrockRequest: images (Converse takes bytes or S3 locations)', () => {
  const imageRequest = (image: string, mediaType?: string) =>
    request({
      messages: [{ role: 'user', content: [{ type: 'image', image, ...(mediaType ? { mediaType } : {}) }] }],
    })

  it('decodes base64 with a media type and data: URLs into bytes', async () => {
    const { context } = contextWith()
    const base64 = await convertToBedrockRequest(imageRequest(pixelPng, 'image/png'), context)
    expect(base64.messages?.[0]?.content?.[0]).toEqual({
      image: { format: 'png', source: { bytes: pngBytes } },
    })
    const dataUrl = await convertToBedrockRequest(imageRequest(`data:image/jpeg;base64,${pixelPng}`), context)
    expect(dataUrl.messages?.[0]?.content?.[0]?.image?.format).toBe('jpeg')
  })

  it('downloads https URLs with the call signal, taking the format from the bytes', async () => {
    const { context, signal } = contextWith()
    const fetch = vi.fn(
      async () => new Response(pngBytes, { headers: { 'content-type': 'application/octet-stream' } }),
    )
    const input = await convertToBedrockRequest(imageRequest('https://example.com/cat.jpg'), context, {
      fetch,
    })
    expect(fetch).toHaveBeenCalledWith('https://example.com/cat.jpg', { signal })
    expect(input.messages?.[0]?.content?.[0]).toEqual({
      image: { format: 'png', source: { bytes: pngBytes } },
    })
  })

  it('falls back to the content type, then the extension, when the bytes are not recognised', async () => {
    const { context } = contextWith()
    const bytes = Uint8Array.of(1, 2, 3)
    const typed = await convertToBedrockRequest(imageRequest('https://example.com/a'), context, {
      fetch: async () => new Response(bytes, { headers: { 'content-type': 'image/webp' } }),
    })
    expect(typed.messages?.[0]?.content?.[0]?.image?.format).toBe('webp')
    const named = await convertToBedrockRequest(imageRequest('https://example.com/a.gif'), context, {
      fetch: async () => new Response(bytes),
    })
    expect(named.messages?.[0]?.content?.[0]?.image?.format).toBe('gif')
  })

  it('a failed download → InvalidRequestError naming the URL and status', async () => {
    const { context } = contextWith()
    const error = await convertToBedrockRequest(imageRequest('https://example.com/gone.png'), context, {
      fetch: async () => new Response('missing', { status: 404 }),
    }).catch((e) => e)
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    expect(error.message).toBe(
      'Bedrock needs image bytes, and downloading https://example.com/gone.png failed with HTTP 404',
    )
  })

  it('s3:// URIs become S3 locations', async () => {
    const { context } = contextWith()
    const input = await convertToBedrockRequest(imageRequest('s3://bucket/photos/cat.jpeg'), context)
    expect(input.messages?.[0]?.content?.[0]).toEqual({
      image: { format: 'jpeg', source: { s3Location: { uri: 's3://bucket/photos/cat.jpeg' } } },
    })
  })

  it('an image type Converse does not take → UnsupportedCapabilityError', async () => {
    const { context } = contextWith()
    const error = await convertToBedrockRequest(imageRequest(pixelPng, 'image/bmp'), context).catch((e) => e)
    expect(UnsupportedCapabilityError.isInstance(error)).toBe(true)
    expect(error.capability).toBe('vision')
    expect(error.message).toContain('image/bmp')
  })
})
