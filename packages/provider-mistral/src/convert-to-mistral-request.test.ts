import type { Warning } from '@modelplex/core'
import type { AdapterRequest } from '@modelplex/core/adapter'
import { describe, expect, it } from 'vitest'
import {
  convertToMistralMessages,
  convertToMistralRequest,
  toMistralToolCallId,
} from './convert-to-mistral-request.js'
import { fixture, jsonResponse, TEST_KEY, testProvider } from './mistral-test-helpers.js'

const weather = {
  name: 'get_weather',
  description: 'Get the weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
}

function convert(request: Partial<AdapterRequest>, stream = false) {
  const warnings: Warning[] = []
  const body = convertToMistralRequest(
    {
      model: 'mistral-small-latest',
      messages: [{ role: 'user', content: 'Hi' }],
      tools: undefined,
      ...request,
    },
    { warn: (warning) => warnings.push(warning) },
    { stream },
  )
  return { body, warnings }
}

describe('toMistralToolCallId', () => {
  it('keeps an id Mistral issued (9 letters or digits)', () => {
    expect(toMistralToolCallId('gSIMJiOkT')).toBe('gSIMJiOkT')
  })

  it('rewrites any other id to 9 letters or digits, the same every time', () => {
    const id = toMistralToolCallId('call_PTLP8xhu3uwZk4l3nlnrrJha')
    expect(id).toMatch(/^[a-zA-Z0-9]{9}$/)
    expect(toMistralToolCallId('call_PTLP8xhu3uwZk4l3nlnrrJha')).toBe(id)
  })

  it('gives distinct ids to distinct originals', () => {
    const ids = new Set(Array.from({ length: 1000 }, (_, i) => toMistralToolCallId(`call_${i}`)))
    expect(ids.size).toBe(1000)
  })
})

describe('convertToMistralRequest', () => {
  it('builds the SDK request: every setting under its Mistral name', () => {
    const { body, warnings } = convert({
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', image: 'iVBORw0KGgo=', mediaType: 'image/png' },
            { type: 'image', image: new URL('https://example.com/cat.jpg') },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking.' },
            { type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Lyon' } },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'call_1', toolName: 'get_weather', output: { celsius: 21 } },
          ],
        },
      ],
      temperature: 0.2,
      maxOutputTokens: 100,
      topP: 0.9,
      topK: 40,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      stopSequences: ['END'],
      seed: 42,
      tools: [weather],
      toolChoice: 'required',
      responseFormat: { type: 'json', schema: { type: 'object' }, name: 'answer', description: 'The answer' },
    })
    expect(body).toMatchInlineSnapshot(`
      {
        "frequencyPenalty": 0.2,
        "maxTokens": 100,
        "messages": [
          {
            "content": "Be brief.",
            "role": "system",
          },
          {
            "content": [
              {
                "text": "What is this?",
                "type": "text",
              },
              {
                "imageUrl": "data:image/png;base64,iVBORw0KGgo=",
                "type": "image_url",
              },
              {
                "imageUrl": "https://example.com/cat.jpg",
                "type": "image_url",
              },
            ],
            "role": "user",
          },
          {
            "content": "Checking.",
            "role": "assistant",
            "toolCalls": [
              {
                "function": {
                  "arguments": "{"city":"Lyon"}",
                  "name": "get_weather",
                },
                "id": "9x8Wd4YMM",
                "index": 0,
                "type": "function",
              },
            ],
          },
          {
            "content": "{"celsius":21}",
            "name": "get_weather",
            "role": "tool",
            "toolCallId": "9x8Wd4YMM",
          },
        ],
        "model": "mistral-small-latest",
        "presencePenalty": 0.1,
        "randomSeed": 42,
        "responseFormat": {
          "jsonSchema": {
            "description": "The answer",
            "name": "answer",
            "schemaDefinition": {
              "type": "object",
            },
            "strict": true,
          },
          "type": "json_schema",
        },
        "stop": [
          "END",
        ],
        "temperature": 0.2,
        "toolChoice": "any",
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
        ],
        "topP": 0.9,
      }
    `)
    expect(warnings).toEqual([expect.objectContaining({ type: 'unsupported-setting', setting: 'topK' })])
  })

  it('maps tool choices: a named tool, auto and none', () => {
    expect(convert({ toolChoice: { type: 'tool', toolName: 'get_weather' } }).body.toolChoice).toEqual({
      type: 'function',
      function: { name: 'get_weather' },
    })
    expect(convert({ toolChoice: 'auto' }).body.toolChoice).toBe('auto')
    expect(convert({ toolChoice: 'none' }).body.toolChoice).toBe('none')
  })

  it('asks for json_object when JSON is wanted without a schema', () => {
    expect(convert({ responseFormat: { type: 'json' } }).body.responseFormat).toEqual({ type: 'json_object' })
    expect(convert({ responseFormat: { type: 'text' } }).body.responseFormat).toBeUndefined()
  })

  it('sets stream only for streams', () => {
    expect(convert({}, true).body.stream).toBe(true)
    expect(convert({}).body.stream).toBeUndefined()
  })

  it('joins text-only user parts into a string and keeps raw string tool inputs', () => {
    const messages = convertToMistralMessages([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
      {
        role: 'assistant',
        content: [{ type: 'tool-call', toolCallId: 'D681PevKs', toolName: 'f', input: '{not json' }],
      },
    ])
    expect(messages[0]).toEqual({ role: 'user', content: 'ab' })
    expect((messages[1] as any).toolCalls[0].function.arguments).toBe('{not json')
    expect((messages[1] as any).toolCalls[0].id).toBe('D681PevKs')
  })

  it('keeps tool call ids unchanged when normalization is off', () => {
    const messages = convertToMistralMessages(
      [
        {
          role: 'tool',
          content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'f', output: 'ok' }],
        },
      ],
      false,
    )
    expect(messages[0]).toMatchObject({ role: 'tool', toolCallId: 'call_1', content: 'ok' })
  })
})

describe('the outgoing wire body (through the SDK)', () => {
  it('is snake_case JSON with Mistral names, no stream_options, and the bearer key', async () => {
    const { provider, requests } = testProvider(() => jsonResponse(fixture('chat-completion-text.json')))
    await provider.generate({
      model: 'mistral-small-latest',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', image: 'https://example.com/a.png' },
            { type: 'text', text: '?' },
          ],
        },
        {
          role: 'assistant',
          content: [{ type: 'tool-call', toolCallId: 'call_abc', toolName: 'get_weather', input: {} }],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'call_abc', toolName: 'get_weather', output: 'sunny' },
          ],
        },
      ],
      maxOutputTokens: 20,
      seed: 7,
      tools: [weather],
      toolChoice: 'required',
      responseFormat: { type: 'json', schema: { type: 'object' }, name: 'answer' },
    })
    const request = requests[0]!
    expect(request.url).toBe('https://api.mistral.ai/v1/chat/completions')
    expect(request.headers.authorization).toBe(`Bearer ${TEST_KEY}`)
    expect(request.body).toMatchInlineSnapshot(`
      {
        "max_tokens": 20,
        "messages": [
          {
            "content": [
              {
                "image_url": "https://example.com/a.png",
                "type": "image_url",
              },
              {
                "text": "?",
                "type": "text",
              },
            ],
            "role": "user",
          },
          {
            "content": "",
            "prefix": false,
            "role": "assistant",
            "tool_calls": [
              {
                "function": {
                  "arguments": "{}",
                  "name": "get_weather",
                },
                "id": "0vxxwjyi4",
                "index": 0,
                "type": "function",
              },
            ],
          },
          {
            "content": "sunny",
            "name": "get_weather",
            "role": "tool",
            "tool_call_id": "0vxxwjyi4",
          },
        ],
        "model": "mistral-small-latest",
        "random_seed": 7,
        "response_format": {
          "json_schema": {
            "name": "answer",
            "schema": {
              "type": "object",
            },
            "strict": true,
          },
          "type": "json_schema",
        },
        "stream": false,
        "tool_choice": "any",
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
        ],
      }
    `)
  })

  it('streams with stream: true and without stream_options (Mistral rejects it)', async () => {
    const { provider, requests } = testProvider(
      () => new Response('data: [DONE]\n\n', { headers: { 'content-type': 'text/event-stream' } }),
    )
    await provider
      .stream({ messages: [{ role: 'user', content: 'Hi' }] })
      .result()
      .catch(() => {})
    expect(requests[0]!.body.stream).toBe(true)
    expect(requests[0]!.body).not.toHaveProperty('stream_options')
  })
})
