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

  it('Gemini 3: a known thought signature is sent back; an unknown call gets the documented placeholder', () => {
    const signatureFor = (id: string, model: string) =>
      id === 'call_1' && model === 'gemini-3.8-flash' ? 'real-signature' : undefined
    const gemini3 = convertToGoogleRequest(
      { model: 'gemini-3.8-flash', messages: toolTurn, tools: undefined },
      context(),
      { signatureFor },
    )
    expect(gemini3.contents[1]!.parts.map((part) => part.thoughtSignature)).toEqual([
      'real-signature',
      SKIP_THOUGHT_SIGNATURE,
    ])
    // Gemini 2.5 does not validate signatures: nothing is invented for it.
    const gemini25 = convertToGoogleRequest(
      { model: 'gemini-2.5-flash', messages: toolTurn, tools: undefined },
      context(),
      {
        signatureFor,
      },
    )
    expect(gemini25.contents[1]!.parts.map((part) => part.thoughtSignature)).toEqual([undefined, undefined])
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
