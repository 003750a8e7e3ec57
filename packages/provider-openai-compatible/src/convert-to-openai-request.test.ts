import type { Warning } from '@modelplex/core'
import type { AdapterRequest } from '@modelplex/core/adapter'
import { describe, expect, it } from 'vitest'
import { convertToOpenAIRequest } from './convert-to-openai-request.js'

function context(providerOptions: Record<string, unknown> = {}) {
  const warnings: Warning[] = []
  return { warnings, warn: (warning: Warning) => warnings.push(warning), providerOptions }
}

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
}

describe('convertToOpenAIRequest', () => {
  it('translates every message kind and setting into the Chat Completions body', () => {
    const request: AdapterRequest = {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these pictures? ' },
            { type: 'image', image: 'https://example.com/cat.png' },
            { type: 'image', image: 'iVBORw0KGgo=', mediaType: 'image/png' },
            { type: 'image', image: new URL('https://example.com/dog.jpg') },
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
            { type: 'tool-result', toolCallId: 'call_2', toolName: 'get_weather', output: 'sunny' },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'And ' },
            { type: 'text', text: 'tomorrow?' },
          ],
        },
      ],
      temperature: 0.2,
      maxOutputTokens: 256,
      topP: 0.9,
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
    expect(convertToOpenAIRequest(request, ctx, {}, { stream: true })).toMatchInlineSnapshot(`
      {
        "frequency_penalty": -0.5,
        "max_completion_tokens": 256,
        "messages": [
          {
            "content": "Be brief.",
            "role": "system",
          },
          {
            "content": [
              {
                "text": "What is in these pictures? ",
                "type": "text",
              },
              {
                "image_url": {
                  "url": "https://example.com/cat.png",
                },
                "type": "image_url",
              },
              {
                "image_url": {
                  "url": "data:image/png;base64,iVBORw0KGgo=",
                },
                "type": "image_url",
              },
              {
                "image_url": {
                  "url": "https://example.com/dog.jpg",
                },
                "type": "image_url",
              },
            ],
            "role": "user",
          },
          {
            "content": "Let me check.",
            "role": "assistant",
            "tool_calls": [
              {
                "function": {
                  "arguments": "{"city":"Paris"}",
                  "name": "get_weather",
                },
                "id": "call_1",
                "type": "function",
              },
            ],
          },
          {
            "content": "{"celsius":21}",
            "role": "tool",
            "tool_call_id": "call_1",
          },
          {
            "content": "sunny",
            "role": "tool",
            "tool_call_id": "call_2",
          },
          {
            "content": "And tomorrow?",
            "role": "user",
          },
        ],
        "model": "gpt-4o-mini",
        "presence_penalty": 0.5,
        "response_format": {
          "json_schema": {
            "description": "The forecast",
            "name": "weather",
            "schema": {
              "type": "object",
            },
            "strict": true,
          },
          "type": "json_schema",
        },
        "seed": 7,
        "stop": [
          "END",
        ],
        "stream": true,
        "stream_options": {
          "include_usage": true,
        },
        "temperature": 0.2,
        "tool_choice": {
          "function": {
            "name": "get_weather",
          },
          "type": "function",
        },
        "tools": [
          {
            "function": {
              "description": "Current weather for a city",
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
        "top_p": 0.9,
      }
    `)
    expect(ctx.warnings).toEqual([])
  })

  it('sends an assistant turn of only tool calls with null content, and a raw string input unchanged', () => {
    const body = convertToOpenAIRequest(
      {
        model: 'm',
        tools: undefined,
        messages: [
          {
            role: 'assistant',
            content: [{ type: 'tool-call', toolCallId: 'c', toolName: 't', input: '{"broken":' }],
          },
        ],
      },
      context(),
    )
    expect(body.messages[0]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'c', type: 'function', function: { name: 't', arguments: '{"broken":' } }],
    })
  })

  it('warns about topK instead of dropping it silently, or sends it under the vendor field', () => {
    const request: AdapterRequest = {
      model: 'm',
      tools: undefined,
      messages: [{ role: 'user', content: 'x' }],
      topK: 40,
    }
    const openai = context()
    expect(convertToOpenAIRequest(request, openai)).not.toHaveProperty('top_k')
    expect(openai.warnings).toEqual([
      expect.objectContaining({ type: 'unsupported-setting', setting: 'topK' }),
    ])
    const vllm = context()
    expect(convertToOpenAIRequest(request, vllm, { topKField: 'top_k' })).toMatchObject({ top_k: 40 })
    expect(vllm.warnings).toEqual([])
  })

  it('uses max_tokens when the vendor asks for it', () => {
    const request: AdapterRequest = {
      model: 'm',
      tools: undefined,
      messages: [{ role: 'user', content: 'x' }],
      maxOutputTokens: 12,
    }
    const body = convertToOpenAIRequest(request, context(), { maxTokensField: 'max_tokens' })
    expect(body.max_tokens).toBe(12)
    expect(body).not.toHaveProperty('max_completion_tokens')
  })

  it('asks for JSON mode without a schema, and warns when the vendor has no JSON-schema mode', () => {
    const plain: AdapterRequest = {
      model: 'm',
      tools: undefined,
      messages: [{ role: 'user', content: 'x' }],
      responseFormat: { type: 'json' },
    }
    expect(convertToOpenAIRequest(plain, context()).response_format).toEqual({ type: 'json_object' })
    const schema: AdapterRequest = { ...plain, responseFormat: { type: 'json', schema: { type: 'object' } } }
    const ctx = context()
    expect(convertToOpenAIRequest(schema, ctx, { jsonSchema: false }).response_format).toEqual({
      type: 'json_object',
    })
    expect(ctx.warnings).toEqual([expect.objectContaining({ setting: 'responseFormat.schema' })])
  })

  it('passes simple tool choices through and omits stream fields on non-streaming calls', () => {
    const body = convertToOpenAIRequest(
      {
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        tools: [{ name: 't', description: undefined, parameters: { type: 'object' } }],
        toolChoice: 'required',
      },
      context(),
    )
    expect(body.tool_choice).toBe('required')
    expect(body.tools).toEqual([
      { type: 'function', function: { name: 't', parameters: { type: 'object' } } },
    ])
    expect(body).not.toHaveProperty('stream')
    expect(body).not.toHaveProperty('stream_options')
  })

  it('merges providerOptions last, untouched, and lets transformRequest edit the body before them', () => {
    const request: AdapterRequest = {
      model: 'm',
      tools: undefined,
      messages: [{ role: 'user', content: 'x' }],
      temperature: 1,
    }
    const body = convertToOpenAIRequest(
      request,
      context({ temperature: 0, reasoning_effort: 'low', metadata: { run: '1' } }),
      { transformRequest: (draft) => ({ ...draft, user: 'from-quirk', temperature: 0.5 }) },
    )
    expect(body).toMatchObject({
      temperature: 0,
      reasoning_effort: 'low',
      metadata: { run: '1' },
      user: 'from-quirk',
    })
  })
})
