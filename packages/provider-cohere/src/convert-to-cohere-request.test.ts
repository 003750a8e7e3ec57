import type { Warning } from '@modelplex/core'
import type { AdapterRequest } from '@modelplex/core/adapter'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import chatText from './__fixtures__/chat-text.json' with { type: 'json' }
import { createCohere } from './cohere-provider.js'
import { convertToCohereEmbedRequest, convertToCohereRequest } from './convert-to-cohere-request.js'

const pixelPng =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='

const weather = {
  name: 'get_weather',
  description: 'Get the weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
}
const time = { name: 'get_time', description: undefined, parameters: { type: 'object', properties: {} } }

function request(extra: Partial<AdapterRequest> = {}): AdapterRequest {
  return {
    model: 'command-a-03-2025',
    messages: [{ role: 'user', content: 'Hi' }],
    tools: undefined,
    ...extra,
  }
}

function context(providerOptions: Record<string, unknown> = {}) {
  const warnings: Warning[] = []
  return { warnings, warn: (warning: Warning) => warnings.push(warning), providerOptions }
}

const fullRequest: AdapterRequest = {
  model: 'command-a-vision-07-2025',
  messages: [
    { role: 'system', content: 'You are terse.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Compare ' },
        { type: 'image', image: 'https://example.com/cat.png' },
        { type: 'image', image: pixelPng, mediaType: 'image/png' },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'I will look up the weather.' },
        { type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Paris' } },
      ],
    },
    {
      role: 'tool',
      content: [
        { type: 'tool-result', toolCallId: 'call_1', toolName: 'get_weather', output: { celsius: 21 } },
      ],
    },
    { role: 'assistant', content: 'It is 21 °C.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'And ' },
        { type: 'text', text: 'tomorrow?' },
      ],
    },
  ],
  temperature: 0.3,
  maxOutputTokens: 256,
  topP: 0.9,
  topK: 40,
  presencePenalty: 0.1,
  frequencyPenalty: 0.2,
  stopSequences: ['END'],
  seed: 7,
  tools: [weather, time],
  toolChoice: 'required',
  responseFormat: { type: 'json', schema: { type: 'object', properties: { a: { type: 'string' } } } },
}

describe('convertToCohereRequest', () => {
  it('builds the SDK request: messages, tools, sampling, JSON schema', () => {
    const ctx = context()
    expect(convertToCohereRequest(fullRequest, ctx)).toMatchInlineSnapshot(`
      {
        "frequencyPenalty": 0.2,
        "k": 40,
        "maxTokens": 256,
        "messages": [
          {
            "content": "You are terse.",
            "role": "system",
          },
          {
            "content": [
              {
                "text": "Compare ",
                "type": "text",
              },
              {
                "imageUrl": {
                  "url": "https://example.com/cat.png",
                },
                "type": "image_url",
              },
              {
                "imageUrl": {
                  "url": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
                },
                "type": "image_url",
              },
            ],
            "role": "user",
          },
          {
            "role": "assistant",
            "toolCalls": [
              {
                "function": {
                  "arguments": "{"city":"Paris"}",
                  "name": "get_weather",
                },
                "id": "call_1",
                "type": "function",
              },
            ],
            "toolPlan": "I will look up the weather.",
          },
          {
            "content": "{"celsius":21}",
            "role": "tool",
            "toolCallId": "call_1",
          },
          {
            "content": "It is 21 °C.",
            "role": "assistant",
          },
          {
            "content": "And tomorrow?",
            "role": "user",
          },
        ],
        "model": "command-a-vision-07-2025",
        "p": 0.9,
        "presencePenalty": 0.1,
        "responseFormat": {
          "jsonSchema": {
            "properties": {
              "a": {
                "type": "string",
              },
            },
            "type": "object",
          },
          "type": "json_object",
        },
        "seed": 7,
        "stopSequences": [
          "END",
        ],
        "temperature": 0.3,
        "toolChoice": "REQUIRED",
        "tools": [
          {
            "function": {
              "description": "Get the weather",
              "name": "get_weather",
              "parameters": {
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
            "type": "function",
          },
          {
            "function": {
              "name": "get_time",
              "parameters": {
                "properties": {},
                "type": "object",
              },
            },
            "type": "function",
          },
        ],
      }
    `)
    expect(ctx.warnings).toEqual([])
  })

  it('forces one named tool by sending only that tool with tool_choice REQUIRED', () => {
    const body = convertToCohereRequest(
      request({ tools: [weather, time], toolChoice: { type: 'tool', toolName: 'get_time' } }),
      context(),
    )
    expect(body.toolChoice).toBe('REQUIRED')
    expect((body.tools as Array<{ function: { name: string } }>).map((tool) => tool.function.name)).toEqual([
      'get_time',
    ])
  })

  it('maps toolChoice "none" to NONE and leaves "auto" to the API default', () => {
    expect(
      convertToCohereRequest(request({ tools: [weather], toolChoice: 'none' }), context()).toolChoice,
    ).toBe('NONE')
    expect(
      convertToCohereRequest(request({ tools: [weather], toolChoice: 'auto' }), context()),
    ).not.toHaveProperty('toolChoice')
  })

  it('warns when a toolChoice comes without tools, and sends none', () => {
    const ctx = context()
    const body = convertToCohereRequest(request({ toolChoice: 'required' }), ctx)
    expect(body).not.toHaveProperty('toolChoice')
    expect(ctx.warnings).toEqual([expect.objectContaining({ setting: 'toolChoice' })])
  })

  it('sends JSON mode without a schema, and warns that a schema description cannot be sent', () => {
    const ctx = context()
    expect(convertToCohereRequest(request({ responseFormat: { type: 'json' } }), ctx).responseFormat).toEqual(
      {
        type: 'json_object',
      },
    )
    expect(ctx.warnings).toEqual([])
    const described = context()
    convertToCohereRequest(
      request({ responseFormat: { type: 'json', schema: { type: 'object' }, description: 'A city' } }),
      described,
    )
    expect(described.warnings).toEqual([expect.objectContaining({ setting: 'responseFormat.description' })])
  })

  it('sends an assistant turn without text as tool calls only, and a string input unchanged', () => {
    const body = convertToCohereRequest(
      request({
        messages: [
          {
            role: 'assistant',
            content: [{ type: 'tool-call', toolCallId: 'c', toolName: 'get_time', input: '{"raw": true' }],
          },
        ],
      }),
      context(),
    )
    expect(body.messages).toEqual([
      {
        role: 'assistant',
        toolCalls: [{ id: 'c', type: 'function', function: { name: 'get_time', arguments: '{"raw": true' } }],
      },
    ])
  })

  it('merges providerOptions last', () => {
    const body = convertToCohereRequest(
      request({ temperature: 0.5 }),
      context({ temperature: 0.1, safety_mode: 'STRICT' }),
    )
    expect(body.temperature).toBe(0.1)
    expect(body.safety_mode).toBe('STRICT')
  })
})

describe('convertToCohereEmbedRequest', () => {
  it('asks for float vectors of search documents, with the dimension when given', () => {
    const body = convertToCohereEmbedRequest(
      { model: 'embed-v4.0', input: ['a', 'b'], dimensions: 256 },
      ['a', 'b'],
      context(),
    )
    expect(body).toEqual({
      model: 'embed-v4.0',
      texts: ['a', 'b'],
      inputType: 'search_document',
      embeddingTypes: ['float'],
      outputDimension: 256,
    })
  })

  it('takes input_type from providerOptions', () => {
    const body = convertToCohereEmbedRequest(
      { model: 'embed-v4.0', input: ['q'], dimensions: undefined },
      ['q'],
      context({ inputType: 'search_query' }),
    )
    expect(body.inputType).toBe('search_query')
    expect(body).not.toHaveProperty('outputDimension')
  })
})

describe('the body on the wire', () => {
  const bodies: unknown[] = []
  const server = setupServer(
    http.post('https://api.cohere.test/v2/chat', async ({ request }) => {
      bodies.push(await request.json())
      return HttpResponse.json(chatText)
    }),
    http.post('https://api.cohere.test/v2/embed', async ({ request }) => {
      bodies.push(await request.json())
      return HttpResponse.json({
        id: 'e',
        embeddings: { float: [[0.1, 0.2]] },
        meta: { billed_units: { input_tokens: 1 } },
        response_type: 'embeddings_by_type',
      })
    }),
  )
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => {
    bodies.length = 0
  })
  afterAll(() => server.close())
  const provider = createCohere({ apiKey: 'co-test-key-0123456789', baseURL: 'https://api.cohere.test' })

  it('is snake_case, as the v2 API documents it', async () => {
    await provider.generate({
      model: 'command-a-03-2025',
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'assistant',
          content: [
            { type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Oslo' } },
          ],
        },
        {
          role: 'tool',
          content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'get_weather', output: 'rain' }],
        },
        { role: 'user', content: [{ type: 'image', image: 'https://example.com/a.png' }] },
      ],
      maxOutputTokens: 64,
      topP: 0.5,
      topK: 10,
      stopSequences: ['STOP'],
      frequencyPenalty: 0.3,
      tools: [{ name: 'get_weather', parameters: { type: 'object', properties: {} } }],
      toolChoice: 'required',
      responseFormat: { type: 'json', schema: { type: 'object', properties: {} } },
    })
    expect(bodies[0]).toMatchInlineSnapshot(`
      {
        "frequency_penalty": 0.3,
        "k": 10,
        "max_tokens": 64,
        "messages": [
          {
            "content": "Be brief.",
            "role": "system",
          },
          {
            "role": "assistant",
            "tool_calls": [
              {
                "function": {
                  "arguments": "{"city":"Oslo"}",
                  "name": "get_weather",
                },
                "id": "call_1",
                "type": "function",
              },
            ],
          },
          {
            "content": "rain",
            "role": "tool",
            "tool_call_id": "call_1",
          },
          {
            "content": [
              {
                "image_url": {
                  "url": "https://example.com/a.png",
                },
                "type": "image_url",
              },
            ],
            "role": "user",
          },
        ],
        "model": "command-a-03-2025",
        "p": 0.5,
        "response_format": {
          "json_schema": {
            "properties": {},
            "type": "object",
          },
          "type": "json_object",
        },
        "stop_sequences": [
          "STOP",
        ],
        "stream": false,
        "tool_choice": "REQUIRED",
        "tools": [
          {
            "function": {
              "name": "get_weather",
              "parameters": {
                "properties": {},
                "type": "object",
              },
            },
            "type": "function",
          },
        ],
      }
    `)
  })

  it('lets a snake_case providerOption override a field modelplex set', async () => {
    await provider.generate({
      model: 'command-a-03-2025',
      messages: [{ role: 'user', content: 'Hi' }],
      maxOutputTokens: 64,
      providerOptions: { cohere: { max_tokens: 8, thinking: { type: 'disabled' } } },
    })
    expect(bodies[0]).toMatchObject({ max_tokens: 8, thinking: { type: 'disabled' } })
  })

  it('sends embed requests with input_type, embedding_types and output_dimension', async () => {
    await provider.embed({
      model: 'embed-v4.0',
      input: ['hello'],
      dimensions: 512,
      providerOptions: { cohere: { input_type: 'classification' } },
    })
    expect(bodies[0]).toEqual({
      model: 'embed-v4.0',
      texts: ['hello'],
      input_type: 'classification',
      embedding_types: ['float'],
      output_dimension: 512,
    })
  })
})
