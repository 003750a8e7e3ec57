import type { Warning } from '@modelplex/core'
import type { AdapterRequest } from '@modelplex/core/adapter'
import { describe, expect, it } from 'vitest'
import {
  convertToGoogleRequest,
  requiresThoughtSignature,
  SKIP_THOUGHT_SIGNATURE,
} from './convert-to-google-request.js'

function context() {
  const warnings: Warning[] = []
  return { warnings, warn: (warning: Warning) => warnings.push(warning) }
}

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
}

const toolTurn: AdapterRequest['messages'] = [
  { role: 'user', content: 'Weather in Paris and Rome?' },
  {
    role: 'assistant',
    content: [
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool-call', toolCallId: 'call_2', toolName: 'get_weather', input: { city: 'Rome' } },
    ],
  },
]

describe('convertToGoogleRequest', () => {
  it('translates every message kind and setting into the SDK parameters', () => {
    const request: AdapterRequest = {
      model: 'gemini-2.5-flash',
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these pictures?' },
            { type: 'image', image: 'https://example.com/cat.png' },
            { type: 'image', image: 'iVBORw0KGgo=', mediaType: 'image/png' },
            { type: 'image', image: 'data:image/jpeg;base64,/9j/4AAQ' },
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
        { role: 'user', content: 'And tomorrow?' },
      ],
      temperature: 0.2,
      maxOutputTokens: 256,
      topP: 0.9,
      topK: 40,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      stopSequences: ['END'],
      seed: 7,
      tools: [weatherTool],
      toolChoice: { type: 'tool', toolName: 'get_weather' },
      responseFormat: {
        type: 'json',
        schema: { type: 'object' },
        name: 'weather',
        description: 'The forecast',
      },
    }
    const ctx = context()
    expect(convertToGoogleRequest(request, ctx)).toMatchInlineSnapshot(`
      {
        "config": {
          "frequencyPenalty": -0.5,
          "maxOutputTokens": 256,
          "presencePenalty": 0.5,
          "responseJsonSchema": {
            "description": "The forecast",
            "type": "object",
          },
          "responseMimeType": "application/json",
          "seed": 7,
          "stopSequences": [
            "END",
          ],
          "systemInstruction": {
            "parts": [
              {
                "text": "Be brief.",
              },
            ],
          },
          "temperature": 0.2,
          "toolConfig": {
            "functionCallingConfig": {
              "allowedFunctionNames": [
                "get_weather",
              ],
              "mode": "ANY",
            },
          },
          "tools": [
            {
              "functionDeclarations": [
                {
                  "description": "Current weather for a city",
                  "name": "get_weather",
                  "parametersJsonSchema": {
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
              ],
            },
          ],
          "topK": 40,
          "topP": 0.9,
        },
        "contents": [
          {
            "parts": [
              {
                "text": "What is in these pictures?",
              },
              {
                "fileData": {
                  "fileUri": "https://example.com/cat.png",
                  "mimeType": "image/png",
                },
              },
              {
                "inlineData": {
                  "data": "iVBORw0KGgo=",
                  "mimeType": "image/png",
                },
              },
              {
                "inlineData": {
                  "data": "/9j/4AAQ",
                  "mimeType": "image/jpeg",
                },
              },
            ],
            "role": "user",
          },
          {
            "parts": [
              {
                "text": "Let me check.",
              },
              {
                "functionCall": {
                  "args": {
                    "city": "Paris",
                  },
                  "id": "call_1",
                  "name": "get_weather",
                },
              },
            ],
            "role": "model",
          },
          {
            "parts": [
              {
                "functionResponse": {
                  "id": "call_1",
                  "name": "get_weather",
                  "response": {
                    "celsius": 21,
                  },
                },
              },
            ],
            "role": "user",
          },
          {
            "parts": [
              {
                "text": "And tomorrow?",
              },
            ],
            "role": "user",
          },
        ],
        "model": "gemini-2.5-flash",
      }
    `)
    expect(ctx.warnings).toEqual([])
  })

  it('maps each tool choice to functionCallingConfig, and sends none without tools', () => {
    const modes = (['auto', 'none', 'required'] as const).map(
      (toolChoice) =>
        convertToGoogleRequest({ model: 'm', messages: [], tools: [weatherTool], toolChoice }, context())
          .config.toolConfig,
    )
    expect(modes).toEqual([
      { functionCallingConfig: { mode: 'AUTO' } },
      { functionCallingConfig: { mode: 'NONE' } },
      { functionCallingConfig: { mode: 'ANY' } },
    ])
    const withoutTools = convertToGoogleRequest(
      { model: 'm', messages: [], tools: undefined, toolChoice: 'required' },
      context(),
    )
    expect(withoutTools.config).toEqual({})
  })

  it('puts the results of parallel calls in one user turn, with output/error keys for non-object outputs', () => {
    const { contents } = convertToGoogleRequest(
      {
        model: 'gemini-2.5-flash',
        tools: undefined,
        messages: [
          ...toolTurn,
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: 'call_1', toolName: 'get_weather', output: 'sunny' },
            ],
          },
          {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: 'call_2',
                toolName: 'get_weather',
                output: 'timeout',
                isError: true,
              },
            ],
          },
        ],
      },
      context(),
    )
    expect(contents).toHaveLength(3)
    expect(contents[2]).toEqual({
      role: 'user',
      parts: [
        { functionResponse: { id: 'call_1', name: 'get_weather', response: { output: 'sunny' } } },
        { functionResponse: { id: 'call_2', name: 'get_weather', response: { error: 'timeout' } } },
      ],
    })
  })

  it('Gemini 3: signatures go back on the part they came on; an unsigned turn gets the placeholder on its first call', () => {
    const signed: AdapterRequest['messages'] = [
      toolTurn[0]!,
      {
        role: 'assistant',
        content: [
          {
            type: 'reasoning',
            text: 'Two cities.',
            providerMetadata: { google: { thoughtSignature: 'sig-thought' } },
          },
          { type: 'text', text: 'Checking.' },
          {
            type: 'tool-call',
            toolCallId: 'call_1',
            toolName: 'get_weather',
            input: { city: 'Paris' },
            providerMetadata: { google: { thoughtSignature: 'sig-call' } },
          },
          { type: 'tool-call', toolCallId: 'call_2', toolName: 'get_weather', input: { city: 'Rome' } },
          { type: 'text', text: '', providerMetadata: { google: { thoughtSignature: 'sig-empty' } } },
        ],
      },
    ]
    const gemini3 = convertToGoogleRequest(
      { model: 'gemini-3.8-flash', messages: signed, tools: undefined },
      context(),
    )
    expect(gemini3.contents[1]!.parts).toEqual([
      { text: 'Two cities.', thought: true, thoughtSignature: 'sig-thought' },
      { text: 'Checking.' },
      {
        functionCall: { id: 'call_1', name: 'get_weather', args: { city: 'Paris' } },
        thoughtSignature: 'sig-call',
      },
      // Parallel calls: only the first carries a signature, and nothing is invented for the others.
      { functionCall: { id: 'call_2', name: 'get_weather', args: { city: 'Rome' } } },
      { text: '', thoughtSignature: 'sig-empty' },
    ])
    const unsigned = convertToGoogleRequest(
      { model: 'gemini-3.8-flash', messages: toolTurn, tools: undefined },
      context(),
    )
    expect(unsigned.contents[1]!.parts.map((part) => part.thoughtSignature)).toEqual([
      SKIP_THOUGHT_SIGNATURE,
      undefined,
    ])
    // Gemini 2.5 does not validate signatures: nothing is invented for it.
    const gemini25 = convertToGoogleRequest(
      { model: 'gemini-2.5-flash', messages: toolTurn, tools: undefined },
      context(),
    )
    expect(gemini25.contents[1]!.parts.map((part) => part.thoughtSignature)).toEqual([undefined, undefined])
  })

  it('sends file parts inline (base64, bytes, data: URLs) and URLs (https, gs://) as fileData', () => {
    const bytes = new TextEncoder().encode('%PDF-1.4')
    const { contents } = convertToGoogleRequest(
      {
        model: 'gemini-2.5-flash',
        tools: undefined,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'file', data: 'JVBERi0xLjQ=', mediaType: 'application/pdf', filename: 'a.pdf' },
              { type: 'file', data: bytes, mediaType: 'application/pdf' },
              { type: 'file', data: 'data:audio/wav;base64,UklGRg==', mediaType: 'audio/wav' },
              { type: 'file', data: new URL('https://example.com/notes.txt'), mediaType: 'text/plain' },
              { type: 'file', data: 'gs://bucket/talk.mp3', mediaType: 'audio/mpeg' },
              {
                type: 'file',
                data: 'https://generativelanguage.googleapis.com/v1beta/files/abc123',
                mediaType: 'video/mp4',
                providerOptions: { google: { videoMetadata: { startOffset: '10s' } } },
              },
            ],
          },
        ],
      },
      context(),
    )
    expect(contents[0]!.parts).toEqual([
      { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0xLjQ=' } },
      { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0xLjQ=' } },
      { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
      { fileData: { mimeType: 'text/plain', fileUri: 'https://example.com/notes.txt' } },
      { fileData: { mimeType: 'audio/mpeg', fileUri: 'gs://bucket/talk.mp3' } },
      {
        fileData: {
          mimeType: 'video/mp4',
          fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc123',
        },
        // Part-level providerOptions.google reach the wire part as given.
        videoMetadata: { startOffset: '10s' },
      },
    ])
  })

  it('puts the typed providerOptions in the SDK config, leaving other keys out of it', () => {
    const { config } = convertToGoogleRequest(
      { model: 'gemini-2.5-flash', tools: undefined, messages: [{ role: 'user', content: 'Hi' }] },
      {
        ...context(),
        providerOptions: {
          thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 },
          cachedContent: 'cachedContents/abc',
          safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
          somethingNew: { x: 1 },
        },
      },
    )
    expect(config.thinkingConfig).toEqual({ includeThoughts: true, thinkingBudget: 1024 })
    expect(config.cachedContent).toBe('cachedContents/abc')
    expect(config.safetySettings).toEqual([{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }])
    expect(config).not.toHaveProperty('somethingNew')
  })

  it('knows which models validate thought signatures', () => {
    expect(requiresThoughtSignature('gemini-3.8-flash')).toBe(true)
    expect(requiresThoughtSignature('models/gemini-3-flash-preview')).toBe(true)
    expect(requiresThoughtSignature('gemini-flash-latest')).toBe(true)
    expect(requiresThoughtSignature('gemini-2.5-pro')).toBe(false)
    expect(requiresThoughtSignature('gemma-3-27b-it')).toBe(false)
  })

  it('warns when a system message comes late, when an image type is unknown, and when tool args are not an object', () => {
    const ctx = context()
    const { contents, config } = convertToGoogleRequest(
      {
        model: 'gemini-2.5-flash',
        tools: undefined,
        messages: [
          { role: 'user', content: [{ type: 'image', image: new URL('https://example.com/render?id=1') }] },
          { role: 'system', content: 'Answer in French.' },
          {
            role: 'assistant',
            content: [{ type: 'tool-call', toolCallId: 'c', toolName: 't', input: [1, 2] }],
          },
          { role: 'assistant', content: '' },
        ],
      },
      ctx,
    )
    expect(config.systemInstruction).toEqual({ parts: [{ text: 'Answer in French.' }] })
    expect(contents[0]!.parts[0]).toEqual({ fileData: { fileUri: 'https://example.com/render?id=1' } })
    expect(contents[1]!.parts[0]!.functionCall).toMatchObject({ args: { value: [1, 2] } })
    // The empty assistant turn is left out: the API rejects empty parts.
    expect(contents).toHaveLength(2)
    expect(ctx.warnings.map((warning) => warning.message)).toEqual([
      expect.stringContaining('needs the media type of https://example.com/render?id=1'),
      expect.stringContaining('system messages after the first turn were moved'),
      expect.stringContaining('input of c was wrapped'),
    ])
  })

  it('reads JSON-string tool inputs and plain-text data: URLs', () => {
    const { contents } = convertToGoogleRequest(
      {
        model: 'gemini-2.5-flash',
        tools: undefined,
        messages: [
          { role: 'user', content: [{ type: 'image', image: 'data:image/svg+xml,%3Csvg%2F%3E' }] },
          {
            role: 'assistant',
            content: [{ type: 'tool-call', toolCallId: 'c', toolName: 't', input: '{"a":1}' }],
          },
        ],
      },
      context(),
    )
    expect(contents[0]!.parts[0]).toEqual({ inlineData: { mimeType: 'image/svg+xml', data: btoa('<svg/>') } })
    expect(contents[1]!.parts[0]!.functionCall).toMatchObject({ args: { a: 1 } })
  })
})
