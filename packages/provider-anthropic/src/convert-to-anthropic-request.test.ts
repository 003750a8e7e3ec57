import { InvalidRequestError, type Message, type Warning } from '@modelplex/core'
import type { AdapterRequest } from '@modelplex/core/adapter'
import { describe, expect, it } from 'vitest'
import { convertToAnthropicMessages, convertToAnthropicRequest } from './convert-to-anthropic-request.js'

const pixelPng =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='

function convert(
  request: Partial<AdapterRequest>,
  providerOptions: Record<string, unknown> = {},
  options: Parameters<typeof convertToAnthropicRequest>[2] = {},
) {
  const warnings: Warning[] = []
  const body = convertToAnthropicRequest(
    { model: 'claude-sonnet-5-5', messages: [{ role: 'user', content: 'Hi' }], tools: undefined, ...request },
    { warn: (warning) => warnings.push(warning), providerOptions },
    options,
  )
  return { body, warnings }
}

describe('convertToAnthropicRequest', () => {
  it('builds the Messages API body: top-level system, tool_use / tool_result blocks, images, tools', () => {
    const { body, warnings } = convert({
      maxOutputTokens: 512,
      stopSequences: ['END'],
      messages: [
        { role: 'system', content: 'You are terse.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather here?' },
            { type: 'image', image: pixelPng, mediaType: 'image/png' },
            { type: 'image', image: 'https://example.com/cat.png' },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking.' },
            { type: 'tool-call', toolCallId: 'toolu_1', toolName: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool-call', toolCallId: 'toolu_2', toolName: 'get_time', input: '{"zone":"CET"}' },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'toolu_1', toolName: 'get_weather', output: { c: 21 } },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'toolu_2',
              toolName: 'get_time',
              output: 'no clock',
              isError: true,
            },
          ],
        },
      ],
      tools: [
        {
          name: 'get_weather',
          description: 'Weather in a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
        { name: 'get_time', description: undefined, parameters: { type: 'object', properties: {} } },
      ],
      toolChoice: 'required',
    })
    expect(warnings).toEqual([])
    expect(body).toMatchInlineSnapshot(`
      {
        "max_tokens": 512,
        "messages": [
          {
            "content": [
              {
                "text": "Weather here?",
                "type": "text",
              },
              {
                "source": {
                  "data": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
                  "media_type": "image/png",
                  "type": "base64",
                },
                "type": "image",
              },
              {
                "source": {
                  "type": "url",
                  "url": "https://example.com/cat.png",
                },
                "type": "image",
              },
            ],
            "role": "user",
          },
          {
            "content": [
              {
                "text": "Checking.",
                "type": "text",
              },
              {
                "id": "toolu_1",
                "input": {
                  "city": "Paris",
                },
                "name": "get_weather",
                "type": "tool_use",
              },
              {
                "id": "toolu_2",
                "input": {
                  "zone": "CET",
                },
                "name": "get_time",
                "type": "tool_use",
              },
            ],
            "role": "assistant",
          },
          {
            "content": [
              {
                "content": "{"c":21}",
                "tool_use_id": "toolu_1",
                "type": "tool_result",
              },
              {
                "content": "no clock",
                "is_error": true,
                "tool_use_id": "toolu_2",
                "type": "tool_result",
              },
            ],
            "role": "user",
          },
        ],
        "model": "claude-sonnet-5-5",
        "stop_sequences": [
          "END",
        ],
        "system": "You are terse.",
        "tool_choice": {
          "type": "any",
        },
        "tools": [
          {
            "description": "Weather in a city",
            "input_schema": {
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
            "name": "get_weather",
          },
          {
            "input_schema": {
              "properties": {},
              "type": "object",
            },
            "name": "get_time",
          },
        ],
      }
    `)
  })

  it('defaults max_tokens to 4096, or the configured default, since Anthropic requires it', () => {
    expect(convert({}).body.max_tokens).toBe(4096)
    expect(convert({}, {}, { defaultMaxOutputTokens: 1000 }).body.max_tokens).toBe(1000)
    expect(convert({ maxOutputTokens: 64 }, {}, { defaultMaxOutputTokens: 1000 }).body.max_tokens).toBe(64)
  })

  it('leaves room for the answer above an enabled thinking budget', () => {
    const thinking = { type: 'enabled', budget_tokens: 10_000 }
    const { body } = convert({}, { thinking })
    expect(body.max_tokens).toBe(14_096)
    expect(body.thinking).toEqual(thinking)
    expect(convert({ maxOutputTokens: 20_000 }, { thinking }).body.max_tokens).toBe(20_000)
  })

  it('under the default API version, warns for temperature, topP and topK instead of sending them', () => {
    const { body, warnings } = convert({ temperature: 0.3, topP: 0.9, topK: 40 })
    expect(body).not.toHaveProperty('temperature')
    expect(body).not.toHaveProperty('top_p')
    expect(body).not.toHaveProperty('top_k')
    expect(warnings.map((warning) => warning.setting)).toEqual(['temperature', 'topP', 'topK'])
    expect(warnings[0]).toMatchObject({ type: 'unsupported-setting' })
    expect(warnings[0]!.message).toContain('2026-10-21')
  })

  it("sends temperature, top_p and top_k under apiVersion '2023-06-01'", () => {
    const { body, warnings } = convert(
      { temperature: 0.3, topP: 0.9, topK: 40 },
      {},
      { apiVersion: '2023-06-01' },
    )
    expect(body).toMatchObject({ temperature: 0.3, top_p: 0.9, top_k: 40 })
    expect(warnings).toEqual([])
    expect(convert({ temperature: 0.3 }, {}, { apiVersion: '2026-10-21' }).body).not.toHaveProperty(
      'temperature',
    )
  })

  it('warns for seed and the penalties, which Anthropic does not have', () => {
    const { body, warnings } = convert({ seed: 7, presencePenalty: 0.5, frequencyPenalty: 0.5 })
    expect(body).not.toHaveProperty('seed')
    expect(warnings.map((warning) => warning.setting)).toEqual([
      'seed',
      'presencePenalty',
      'frequencyPenalty',
    ])
  })

  it('sends a JSON schema as output_config.format and merges output_config from providerOptions', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, additionalProperties: false }
    const { body } = convert(
      { responseFormat: { type: 'json', schema, name: 'city' } },
      { output_config: { effort: 'low' } },
    )
    expect(body.output_config).toEqual({ format: { type: 'json_schema', schema }, effort: 'low' })
  })

  it('warns for schema-less JSON mode, which Anthropic lacks', () => {
    const { body, warnings } = convert({ responseFormat: { type: 'json' } })
    expect(body).not.toHaveProperty('output_config')
    expect(warnings).toEqual([expect.objectContaining({ setting: 'responseFormat' })])
  })

  it('maps every tool choice', () => {
    const tools = [{ name: 't', description: undefined, parameters: { type: 'object' } }]
    expect(convert({ tools, toolChoice: 'auto' }).body.tool_choice).toEqual({ type: 'auto' })
    expect(convert({ tools, toolChoice: 'none' }).body.tool_choice).toEqual({ type: 'none' })
    expect(convert({ tools, toolChoice: 'required' }).body.tool_choice).toEqual({ type: 'any' })
    expect(convert({ tools, toolChoice: { type: 'tool', toolName: 't' } }).body.tool_choice).toEqual({
      type: 'tool',
      name: 't',
    })
    const { body, warnings } = convert({ toolChoice: 'required' })
    expect(body).not.toHaveProperty('tool_choice')
    expect(warnings).toEqual([expect.objectContaining({ setting: 'toolChoice' })])
  })

  it('sends several system messages as text blocks, in order', () => {
    const { body } = convert({
      messages: [
        { role: 'system', content: 'One.' },
        { role: 'user', content: 'Hi' },
        { role: 'system', content: 'Two.' },
      ],
    })
    expect(body.system).toEqual([
      { type: 'text', text: 'One.' },
      { type: 'text', text: 'Two.' },
    ])
    expect(body.messages).toEqual([{ role: 'user', content: 'Hi' }])
  })

  it('sets stream and merges providerOptions last, over the computed fields', () => {
    const { body } = convert({}, { max_tokens: 99, metadata: { user_id: 'u1' } }, { stream: true })
    expect(body).toMatchObject({ stream: true, max_tokens: 99, metadata: { user_id: 'u1' } })
  })
})

describe('interface v2: typed providerOptions', () => {
  it('translates thinking, metadata, service tier, container and parallel tool use to the wire form', () => {
    const { body, warnings } = convert(
      {
        tools: [{ name: 'f', description: undefined, parameters: { type: 'object' } }],
        toolChoice: 'required',
      },
      {
        thinking: { type: 'enabled', budgetTokens: 2048 },
        metadata: { userId: 'user-42' },
        serviceTier: 'standard_only',
        container: 'container_1',
        disableParallelToolUse: true,
        anthropicBeta: ['extended-cache-ttl-2025-04-11'],
        future_param: { keep: 'asIs' },
      },
    )
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 })
    // The budget leaves the default answer room above it.
    expect(body.max_tokens).toBe(2048 + 4096)
    expect(body.metadata).toEqual({ user_id: 'user-42' })
    expect(body.service_tier).toBe('standard_only')
    expect(body.container).toBe('container_1')
    expect(body.tool_choice).toEqual({ type: 'any', disable_parallel_tool_use: true })
    // Unknown keys pass untouched; the beta list is a header, not a body field.
    expect(body.future_param).toEqual({ keep: 'asIs' })
    expect(body).not.toHaveProperty('anthropicBeta')
    expect(body).not.toHaveProperty('disableParallelToolUse')
    expect(warnings).toEqual([])
  })

  it('sends topK as top_k only to API versions that take it', () => {
    expect(convert({}, { topK: 5 }, { apiVersion: '2023-06-01' }).body.top_k).toBe(5)
    const { body, warnings } = convert({}, { topK: 5 })
    expect(body).not.toHaveProperty('top_k')
    expect(warnings[0]).toMatchObject({ type: 'unsupported-setting', setting: 'topK' })
  })
})

describe('interface v2: reasoning, files and cache breakpoints', () => {
  const signed = (text: string, signature: string) => ({
    type: 'reasoning' as const,
    text,
    providerMetadata: { anthropic: { signature } },
  })

  it('sends thinking and redacted_thinking back unchanged, in order, before the tool_use', () => {
    const warnings: Warning[] = []
    const { messages } = convertToAnthropicMessages(
      [
        {
          role: 'assistant',
          content: [
            signed('First, the city.', 'sig/A+=='),
            { type: 'reasoning', text: '', providerMetadata: { anthropic: { redactedData: 'EmwKAhgB' } } },
            { type: 'tool-call', toolCallId: 'toolu_1', toolName: 'weather', input: { city: 'Paris' } },
          ],
        },
      ],
      (warning) => warnings.push(warning),
    )
    expect(messages[0]!.content).toEqual([
      { type: 'thinking', thinking: 'First, the city.', signature: 'sig/A+==' },
      { type: 'redacted_thinking', data: 'EmwKAhgB' },
      { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } },
    ])
    expect(warnings).toEqual([])
  })

  it('drops a reasoning part with neither signature nor redacted data, with a warning', () => {
    const warnings: Warning[] = []
    const { messages } = convertToAnthropicMessages(
      [
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'unsigned', providerMetadata: { anthropic: {} } },
            { type: 'text', text: 'Hi' },
          ],
        },
      ],
      (warning) => warnings.push(warning),
    )
    expect(messages[0]!.content).toEqual([{ type: 'text', text: 'Hi' }])
    expect(warnings[0]!.message).toContain('signature')
  })

  it('turns PDF and plain-text files into document blocks, with title, citations and cache_control', () => {
    const { messages } = convertToAnthropicMessages([
      {
        role: 'user',
        content: [
          {
            type: 'file',
            data: 'JVBERi0xLjQ=',
            mediaType: 'application/pdf',
            filename: 'report.pdf',
            providerOptions: {
              anthropic: { citations: { enabled: true }, cacheControl: { type: 'ephemeral' } },
            },
          },
          { type: 'file', data: new URL('https://example.com/paper.pdf'), mediaType: 'application/pdf' },
          {
            type: 'file',
            data: new TextEncoder().encode('Grass is green.'),
            mediaType: 'text/plain',
            filename: 'a.txt',
          },
          { type: 'text', text: 'Summarise.' },
        ],
      },
    ])
    expect(messages[0]!.content).toEqual([
      {
        type: 'document',
        source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQ=' },
        title: 'report.pdf',
        citations: { enabled: true },
        cache_control: { type: 'ephemeral' },
      },
      { type: 'document', source: { type: 'url', url: 'https://example.com/paper.pdf' } },
      {
        type: 'document',
        source: { type: 'text', media_type: 'text/plain', data: 'Grass is green.' },
        title: 'a.txt',
      },
      { type: 'text', text: 'Summarise.' },
    ])
  })

  it('puts cacheControl on system, a message (its last block), a part, a tool result and a tool', () => {
    const point = (ttl?: '5m' | '1h') => ({
      anthropic: { cacheControl: { type: 'ephemeral' as const, ...(ttl ? { ttl } : {}) } },
    })
    const messages: Message[] = [
      { role: 'system', content: 'Be brief.', providerOptions: point('1h') },
      { role: 'user', content: 'Long context.', providerOptions: point() },
      {
        role: 'assistant',
        content: [signed('t', 's'), { type: 'tool-call', toolCallId: 'toolu_1', toolName: 'f', input: {} }],
        providerOptions: point('5m'),
      },
      {
        role: 'tool',
        content: [{ type: 'tool-result', toolCallId: 'toolu_1', toolName: 'f', output: 'ok' }],
        providerOptions: point(),
      },
    ]
    const { body } = convert({ messages })
    expect(body.system).toEqual([
      { type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral', ttl: '1h' } },
    ])
    expect(body.messages[0]!.content).toEqual([
      { type: 'text', text: 'Long context.', cache_control: { type: 'ephemeral' } },
    ])
    // Thinking blocks take no cache_control: the breakpoint goes on the tool_use after them.
    expect(body.messages[1]!.content).toEqual([
      { type: 'thinking', thinking: 't', signature: 's' },
      {
        type: 'tool_use',
        id: 'toolu_1',
        name: 'f',
        input: {},
        cache_control: { type: 'ephemeral', ttl: '5m' },
      },
    ])
    expect(body.messages[2]!.content).toEqual([
      { type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok', cache_control: { type: 'ephemeral' } },
    ])
    const tools = [
      { name: 'f', description: 'F', parameters: { type: 'object' }, providerOptions: point('1h') },
    ]
    expect((convert({ tools }).body.tools as any[])[0]).toEqual({
      name: 'f',
      description: 'F',
      input_schema: { type: 'object' },
      cache_control: { type: 'ephemeral', ttl: '1h' },
    })
  })

  it('refuses a fifth cache breakpoint before sending, naming the limit', () => {
    const part = (text: string) => ({
      type: 'text' as const,
      text,
      providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' as const } } },
    })
    const four = ['a', 'b', 'c', 'd'].map(part)
    expect(() => convert({ messages: [{ role: 'user', content: four }] })).not.toThrow()
    let error: unknown
    try {
      convert({ messages: [{ role: 'user', content: [...four, part('e')] }] })
    } catch (caught) {
      error = caught
    }
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    expect((error as Error).message).toContain('at most 4 cache breakpoints')
    expect((error as Error).message).toContain('sets 5')
  })
})

describe('convertToAnthropicMessages', () => {
  it('reads a data: URL into a base64 image source and a URL object into a url source', () => {
    const { messages } = convertToAnthropicMessages([
      {
        role: 'user',
        content: [
          { type: 'image', image: `data:image/png;base64,${pixelPng}` },
          { type: 'image', image: new URL('https://example.com/dog.jpg') },
        ],
      },
    ])
    expect(messages[0]!.content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: pixelPng } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/dog.jpg' } },
    ])
  })

  it('starts a new tool_result message after an intervening user message', () => {
    const result = (id: string) => ({
      role: 'tool' as const,
      content: [{ type: 'tool-result' as const, toolCallId: id, toolName: 't', output: 'ok' }],
    })
    const { messages } = convertToAnthropicMessages([
      result('a'),
      { role: 'user', content: 'More?' },
      result('b'),
    ])
    expect(messages.map((message) => message.role)).toEqual(['user', 'user', 'user'])
    expect(messages[0]!.content).toHaveLength(1)
    expect(messages[2]!.content).toEqual([{ type: 'tool_result', tool_use_id: 'b', content: 'ok' }])
  })

  it('replays a tool call whose input is not a JSON object as {} and says so', () => {
    const warnings: Warning[] = []
    const { messages } = convertToAnthropicMessages(
      [
        {
          role: 'assistant',
          content: [{ type: 'tool-call', toolCallId: 'x', toolName: 'broken', input: '{"city": "Par' }],
        },
      ],
      (warning) => warnings.push(warning),
    )
    expect(messages[0]!.content).toEqual([{ type: 'tool_use', id: 'x', name: 'broken', input: {} }])
    expect(warnings).toEqual([expect.objectContaining({ type: 'other' })])
    expect(warnings[0]!.message).toContain('broken')
  })
})
