import type { Warning } from '@modelplex/core'
import type { AdapterRequest } from '@modelplex/core/adapter'
import { describe, expect, it, vi } from 'vitest'
import {
  convertToOllamaRequest,
  type ImageLoader,
  type OllamaChatRequest,
} from './convert-to-ollama-request.js'

const pixelPng =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='

const weather = {
  name: 'get_weather',
  description: 'Get the weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
}

function convert(
  request: Partial<AdapterRequest>,
  options: { stream?: boolean; providerOptions?: Record<string, unknown>; loadImage?: ImageLoader } = {},
): Promise<{ body: OllamaChatRequest; warnings: Warning[] }> {
  const warnings: Warning[] = []
  const loadImage = options.loadImage ?? (() => Promise.reject(new Error('no download expected')))
  return convertToOllamaRequest(
    { model: 'llama3.2', messages: [{ role: 'user', content: 'Hi' }], tools: undefined, ...request },
    { warn: (warning) => warnings.push(warning), providerOptions: options.providerOptions ?? {} },
    { stream: options.stream ?? false, loadImage },
  ).then((body) => ({ body, warnings }))
}

describe('convertToOllamaRequest', () => {
  it('builds the /api/chat body: messages, images, tool calls, tool results, options, format', async () => {
    const loadImage = vi.fn<ImageLoader>(async () => 'ZG93bmxvYWRlZA==')
    const { body, warnings } = await convert(
      {
        messages: [
          { role: 'system', content: 'You are terse.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Compare these.' },
              { type: 'image', image: pixelPng, mediaType: 'image/png' },
              { type: 'image', image: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=' },
              { type: 'image', image: 'https://example.com/cat.png?token=secret' },
              { type: 'text', text: 'Which is larger?' },
            ],
          },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'Let me check.' },
              { type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Paris' } },
            ],
          },
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: 'call_1', toolName: 'get_weather', output: { celsius: 21 } },
            ],
          },
        ],
        tools: [weather],
        temperature: 0.2,
        maxOutputTokens: 128,
        topP: 0.9,
        topK: 40,
        stopSequences: ['END'],
        seed: 7,
        presencePenalty: 0.5,
        frequencyPenalty: 0.25,
        responseFormat: { type: 'json', schema: { type: 'object', properties: { a: { type: 'number' } } } },
      },
      {
        stream: true,
        loadImage,
        providerOptions: { keep_alive: '10m', think: true, options: { num_ctx: 8192 } },
      },
    )
    expect(warnings).toEqual([])
    expect(loadImage).toHaveBeenCalledWith(
      new URL('https://example.com/cat.png?token=secret'),
      'messages.1.content.3',
    )
    expect(body).toMatchInlineSnapshot(`
      {
        "format": {
          "properties": {
            "a": {
              "type": "number",
            },
          },
          "type": "object",
        },
        "keep_alive": "10m",
        "messages": [
          {
            "content": "You are terse.",
            "role": "system",
          },
          {
            "content": "Compare these.
      Which is larger?",
            "images": [
              "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
              "R0lGODlhAQABAAAAACw=",
              "ZG93bmxvYWRlZA==",
            ],
            "role": "user",
          },
          {
            "content": "Let me check.",
            "role": "assistant",
            "tool_calls": [
              {
                "function": {
                  "arguments": {
                    "city": "Paris",
                  },
                  "index": 0,
                  "name": "get_weather",
                },
                "id": "call_1",
              },
            ],
          },
          {
            "content": "{"celsius":21}",
            "role": "tool",
            "tool_call_id": "call_1",
            "tool_name": "get_weather",
          },
        ],
        "model": "llama3.2",
        "options": {
          "frequency_penalty": 0.25,
          "num_ctx": 8192,
          "num_predict": 128,
          "presence_penalty": 0.5,
          "seed": 7,
          "stop": [
            "END",
          ],
          "temperature": 0.2,
          "top_k": 40,
          "top_p": 0.9,
        },
        "stream": true,
        "think": true,
        "tools": [
          {
            "function": {
              "description": "Get the weather in a city",
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

  it('sends a plain chat without options, format or tools when none are asked', async () => {
    const { body } = await convert({})
    expect(body).toEqual({ model: 'llama3.2', messages: [{ role: 'user', content: 'Hi' }], stream: false })
  })

  it('asks for plain JSON mode with format "json" when no schema is given', async () => {
    const { body } = await convert({ responseFormat: { type: 'json' } })
    expect(body.format).toBe('json')
  })

  it('lets providerOptions.options override a translated option', async () => {
    const { body } = await convert(
      { temperature: 0.2 },
      { providerOptions: { options: { temperature: 0.9 } } },
    )
    expect(body.options).toEqual({ temperature: 0.9 })
  })

  it('re-encodes a percent-encoded data: URL to base64', async () => {
    const { body } = await convert({
      messages: [{ role: 'user', content: [{ type: 'image', image: 'data:image/svg+xml,%3Csvg%2F%3E' }] }],
    })
    const message = body.messages[0] as { images: string[] }
    expect(atob(message.images[0]!)).toBe('<svg/>')
  })

  it('downloads an image given as a URL object', async () => {
    const loadImage = vi.fn<ImageLoader>(async () => 'AAAA')
    const { body } = await convert(
      {
        messages: [
          { role: 'user', content: [{ type: 'image', image: new URL('https://example.com/a.jpg') }] },
        ],
      },
      { loadImage },
    )
    expect(loadImage).toHaveBeenCalledWith(new URL('https://example.com/a.jpg'), 'messages.0.content.0')
    expect(body.messages[0]).toEqual({ role: 'user', content: '', images: ['AAAA'] })
  })

  it('sends a tool call whose input is a JSON string as an argument object', async () => {
    const { body } = await convert({
      messages: [
        {
          role: 'assistant',
          content: [{ type: 'tool-call', toolCallId: 'c', toolName: 't', input: '{"x":1}' }],
        },
      ],
    })
    expect(body.messages[0]).toMatchObject({ tool_calls: [{ id: 'c', function: { arguments: { x: 1 } } }] })
  })

  it('drops the tools for toolChoice "none", without a warning', async () => {
    const { body, warnings } = await convert({ tools: [weather], toolChoice: 'none' })
    expect(body.tools).toBeUndefined()
    expect(warnings).toEqual([])
  })

  it('warns that toolChoice "required" cannot be forced and keeps the tools', async () => {
    const { body, warnings } = await convert({ tools: [weather], toolChoice: 'required' })
    expect(body.tools).toHaveLength(1)
    expect(warnings).toEqual([
      expect.objectContaining({ type: 'unsupported-setting', setting: 'toolChoice' }),
    ])
  })

  it('offers only the named tool for a tool choice, with a warning', async () => {
    const other = { ...weather, name: 'get_time' }
    const { body, warnings } = await convert({
      tools: [weather, other],
      toolChoice: { type: 'tool', toolName: 'get_time' },
    })
    expect(body.tools?.map((tool) => tool.function.name)).toEqual(['get_time'])
    expect(warnings[0]?.message).toContain('get_time')
  })
})
