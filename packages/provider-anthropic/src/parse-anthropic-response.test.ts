import { MalformedResponseError } from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import text from './__fixtures__/message-text.json' with { type: 'json' }
import thinking from './__fixtures__/message-thinking-cached.json' with { type: 'json' }
import toolUse from './__fixtures__/message-tool-use.json' with { type: 'json' }
import models from './__fixtures__/models-list.json' with { type: 'json' }
import {
  convertAnthropicUsage,
  mapAnthropicStopReason,
  parseAnthropicModels,
  parseAnthropicResponse,
} from './parse-anthropic-response.js'

describe('parseAnthropicResponse', () => {
  it('a text block whose text is not a string → MalformedResponseError (issue 15)', () => {
    const message = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-haiku-4-5',
      content: [{ type: 'text', text: 42 }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 1, output_tokens: 1 },
    }
    expect(() => parseAnthropicResponse(message)).toThrow(MalformedResponseError)
  })

  it('reads a text message: text, finish reason, usage, model and id', () => {
    const result = parseAnthropicResponse(text)
    expect(result).toMatchObject({
      text: 'Hi! My name is Claude.',
      content: [{ type: 'text', text: 'Hi! My name is Claude.' }],
      toolCalls: [],
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      usage: { inputTokens: 2095, outputTokens: 503, totalTokens: 2598 },
      model: 'claude-sonnet-5-5',
      id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
    })
    expect(result.usage).not.toHaveProperty('cachedInputTokens')
    expect(result.raw).toBe(text)
  })

  it('reads tool_use blocks as tool calls, in block order, with the input as raw JSON', () => {
    const result = parseAnthropicResponse(toolUse)
    const call = {
      toolCallId: 'toolu_01A09q90qw90lq917835lq9',
      toolName: 'get_weather',
      input: { location: 'San Francisco, CA', unit: 'celsius' },
      rawInput: '{"location":"San Francisco, CA","unit":"celsius"}',
    }
    expect(result.toolCalls).toEqual([call])
    expect(result.finishReason).toBe('tool-calls')
    expect(result.content).toEqual([
      { type: 'text', text: "I'll check the current weather in San Francisco for you." },
      { type: 'tool-call', ...call },
    ])
  })

  it('reads thinking with its signature, redacted thinking with its data, and adds cache reads and writes to the input', () => {
    const result = parseAnthropicResponse(thinking)
    expect(result.reasoning).toBe("To approach this, let's think about what we know about prime numbers...")
    expect(result.text).toBe('Yes, there are infinitely many prime numbers such that...')
    expect(result.content).toEqual([
      {
        type: 'reasoning',
        text: "To approach this, let's think about what we know about prime numbers...",
        providerMetadata: { signature: thinking.content[0]!.signature },
      },
      { type: 'reasoning', text: '', providerMetadata: { redactedData: thinking.content[1]!.data } },
      { type: 'text', text: 'Yes, there are infinitely many prime numbers such that...' },
    ])
    // The cache split and the service tier are the vendor's extras.
    expect(result.providerMetadata).toEqual({
      cacheCreation: { ephemeral_5m_input_tokens: 188086, ephemeral_1h_input_tokens: 0 },
      serviceTier: 'standard',
    })
    // 21 uncached + 1200 read + 188086 written: Anthropic's input_tokens excludes both.
    expect(result.usage).toEqual({
      inputTokens: 189_307,
      outputTokens: 393,
      totalTokens: 189_700,
      cachedInputTokens: 1200,
      cacheWriteInputTokens: 188_086,
      reasoningTokens: 276,
    })
  })

  it('keeps 1-hour cache writes apart, and reads citations, server tool use, stop sequence and container', () => {
    const citation = {
      type: 'char_location',
      cited_text: 'The grass is green.',
      document_index: 0,
      document_title: 'facts.txt',
      start_char_index: 0,
      end_char_index: 19,
    }
    const result = parseAnthropicResponse({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-5-5',
      content: [
        { type: 'text', text: 'Grass is ' },
        { type: 'text', text: 'green', citations: [citation] },
      ],
      stop_reason: 'stop_sequence',
      stop_sequence: '###',
      container: { id: 'container_1', expires_at: '2026-12-08T00:00:00Z' },
      usage: {
        input_tokens: 10,
        cache_read_input_tokens: 5,
        cache_creation_input_tokens: 30,
        cache_creation: { ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 20 },
        output_tokens: 3,
        server_tool_use: { web_search_requests: 2 },
        service_tier: 'priority',
      },
    })
    expect(result.usage).toEqual({
      inputTokens: 45,
      outputTokens: 3,
      totalTokens: 48,
      cachedInputTokens: 5,
      cacheWriteInputTokens: 30,
      cacheWrite1hInputTokens: 20,
    })
    expect(result.content[0]).toEqual({ type: 'text', text: 'Grass is ' })
    expect(result.content[1]).toEqual({
      type: 'text',
      text: 'green',
      providerMetadata: { citations: [citation] },
    })
    expect(result.providerMetadata).toEqual({
      cacheCreation: { ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 20 },
      serverToolUse: { web_search_requests: 2 },
      serviceTier: 'priority',
      stopSequence: '###',
      container: { id: 'container_1', expires_at: '2026-12-08T00:00:00Z' },
      citations: [citation],
    })
  })

  it('keeps server tool blocks out of the tool calls and puts them in providerMetadata', () => {
    const blocks = [
      { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'claude' } },
      { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
    ]
    const result = parseAnthropicResponse({
      content: [...blocks, { type: 'text', text: 'Found it.' }],
      stop_reason: 'end_turn',
    })
    expect(result.toolCalls).toEqual([])
    expect(result.content).toEqual([{ type: 'text', text: 'Found it.' }])
    expect(result.providerMetadata).toEqual({ serverToolBlocks: blocks })
  })

  it('throws MalformedResponseError for a body that is not a message', () => {
    expect(() => parseAnthropicResponse('<html>Bad gateway</html>')).toThrow(MalformedResponseError)
    expect(() => parseAnthropicResponse({ id: 'msg_1', type: 'message' })).toThrow(/no "content" array/)
    const error = (() => {
      try {
        parseAnthropicResponse(null)
      } catch (caught) {
        return caught as MalformedResponseError
      }
    })()
    expect(MalformedResponseError.isInstance(error)).toBe(true)
    expect(error?.provider).toBe('anthropic')
  })
})

describe('mapAnthropicStopReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool-calls'],
    ['refusal', 'content-filter'],
    ['pause_turn', 'other'],
    [null, 'other'],
  ])('%s → %s', (reason, expected) => {
    expect(mapAnthropicStopReason(reason)).toBe(expected)
  })
})

describe('convertAnthropicUsage', () => {
  it('treats null counts as zero and returns undefined without usage', () => {
    expect(
      convertAnthropicUsage({
        input_tokens: 10,
        output_tokens: 2,
        cache_read_input_tokens: null,
        cache_creation_input_tokens: null,
      }),
    ).toEqual({ inputTokens: 10, outputTokens: 2, totalTokens: 12 })
    expect(convertAnthropicUsage(undefined)).toBeUndefined()
  })
})

describe('parseAnthropicModels', () => {
  it('reads ids, creation dates and context windows, and the paging fields', () => {
    const page = parseAnthropicModels(models)
    expect(page.models).toEqual([
      {
        id: 'claude-sonnet-5-5',
        ownedBy: 'anthropic',
        createdAt: new Date('2026-09-28T00:00:00Z'),
        contextWindow: 1_000_000,
      },
      {
        id: 'claude-haiku-4-5-20251001',
        ownedBy: 'anthropic',
        createdAt: new Date('2025-10-01T00:00:00Z'),
        contextWindow: 200_000,
      },
    ])
    expect(page).toMatchObject({ hasMore: false, lastId: 'claude-haiku-4-5-20251001' })
  })

  it('throws MalformedResponseError without a data array', () => {
    expect(() => parseAnthropicModels({ models: [] })).toThrow(MalformedResponseError)
  })
})
