import { MalformedResponseError } from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import deepseekReasoner from './__fixtures__/chat-completion-deepseek-reasoner.json' with { type: 'json' }
import noChoices from './__fixtures__/chat-completion-no-choices.json' with { type: 'json' }
import reasoningCached from './__fixtures__/chat-completion-reasoning-cached.json' with { type: 'json' }
import textCompletion from './__fixtures__/chat-completion-text.json' with { type: 'json' }
import toolCallsCompletion from './__fixtures__/chat-completion-tool-calls.json' with { type: 'json' }
import embeddings from './__fixtures__/embeddings.json' with { type: 'json' }
import models from './__fixtures__/models.json' with { type: 'json' }
import {
  mapOpenAIFinishReason,
  parseOpenAIEmbeddings,
  parseOpenAIModels,
  parseOpenAIResponse,
} from './parse-openai-response.js'

describe('parseOpenAIResponse', () => {
  it('reads text, finish reason, usage, model and id of a documented completion', () => {
    const result = parseOpenAIResponse(textCompletion, {}, 'OpenAI')
    expect(result).toMatchObject({
      text: 'Hello! How can I assist you today?',
      content: [{ type: 'text', text: 'Hello! How can I assist you today?' }],
      toolCalls: [],
      finishReason: 'stop',
      rawFinishReason: 'stop',
      // Zero cache and reasoning counts are not reported as such.
      usage: { inputTokens: 19, outputTokens: 10, totalTokens: 29 },
      model: 'gpt-4.1-2025-04-14',
      id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
    })
    expect(result.usage).not.toHaveProperty('cachedInputTokens')
    expect(result.raw).toBe(textCompletion)
  })

  it('parses tool calls, their JSON arguments and empty arguments', () => {
    const result = parseOpenAIResponse(toolCallsCompletion)
    expect(result.finishReason).toBe('tool-calls')
    expect(result.text).toBe('')
    expect(result.toolCalls).toEqual([
      {
        toolCallId: 'call_abc123',
        toolName: 'get_current_weather',
        input: { location: 'Boston, MA' },
        rawInput: '{\n"location": "Boston, MA"\n}',
      },
      { toolCallId: 'call_def456', toolName: 'get_time', input: {}, rawInput: '' },
    ])
    expect(result.content.map((part) => part.type)).toEqual(['tool-call', 'tool-call'])
  })

  it('reports cached input and reasoning tokens', () => {
    const result = parseOpenAIResponse(reasoningCached)
    expect(result.usage).toEqual({
      inputTokens: 2048,
      outputTokens: 1000,
      totalTokens: 3048,
      cachedInputTokens: 1024,
      reasoningTokens: 640,
    })
    expect(result.finishReason).toBe('length')
  })

  it("reads DeepSeek's reasoning_content into reasoning", () => {
    const result = parseOpenAIResponse(deepseekReasoner)
    expect(result.reasoning).toBe('Compare the tenths: 1 < 8.')
    expect(result.content).toEqual([
      { type: 'reasoning', text: 'Compare the tenths: 1 < 8.' },
      { type: 'text', text: '9.11 is smaller than 9.8.' },
    ])
  })

  it('reads usage from a vendor location through extractUsage', () => {
    const { usage: _, ...withoutUsage } = textCompletion
    const result = parseOpenAIResponse(
      { ...withoutUsage, x_vendor: { usage: { prompt_tokens: 3, completion_tokens: 4 } } },
      { extractUsage: (payload) => payload.x_vendor?.usage },
    )
    expect(result.usage).toEqual({ inputTokens: 3, outputTokens: 4, totalTokens: 7 })
  })

  it('lets extractUsage rewrite a usage that is present (it is asked before `usage`)', () => {
    const result = parseOpenAIResponse(textCompletion, {
      extractUsage: (payload) => ({ ...payload.usage, prompt_tokens_details: { cached_tokens: 5 } }),
    })
    expect(result.usage?.cachedInputTokens).toBe(5)
  })

  it('carries the cost the vendor reports through extractCost, and none without the quirk', () => {
    const cost = { input: 0.1, output: 0.2, total: 0.3, currency: 'USD' as const }
    const withCost = { ...textCompletion, usage: { ...textCompletion.usage, cost: 0.3 } }
    const result = parseOpenAIResponse(withCost, {
      extractCost: (payload) => (payload.usage?.cost === 0.3 ? cost : undefined),
    })
    expect(result.cost).toEqual(cost)
    expect(parseOpenAIResponse(withCost)).not.toHaveProperty('cost')
  })

  it('throws MalformedResponseError for a 200 body that is not a completion', () => {
    expect(() => parseOpenAIResponse(noChoices, {}, 'OpenAI')).toThrow(MalformedResponseError)
    expect(() => parseOpenAIResponse(noChoices, {}, 'OpenAI')).toThrow(/no "choices" array/)
    expect(() => parseOpenAIResponse('<html>Bad gateway</html>')).toThrow(MalformedResponseError)
    expect(() => parseOpenAIResponse({ choices: [{ index: 0 }] })).toThrow(/no message/)
  })

  it.each([42, true, { text: 'hi' }])(
    'content %j is not text → MalformedResponseError, never "" with finish stop (issue 15)',
    (content) => {
      const completion = {
        id: 'c1',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      }
      expect(() => parseOpenAIResponse(completion)).toThrow(MalformedResponseError)
      expect(() => parseOpenAIResponse(completion)).toThrow(/content" is (number|boolean|object), not text/)
    },
  )

  it('content null with tool calls is a tool-call reply, not malformed', () => {
    const completion = {
      id: 'c1',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
          finish_reason: 'tool_calls',
        },
      ],
    }
    expect(parseOpenAIResponse(completion).toolCalls).toHaveLength(1)
  })

  it('maps every documented finish reason', () => {
    expect(
      ['stop', 'length', 'tool_calls', 'function_call', 'content_filter', 'eos', 'abort', null].map(
        mapOpenAIFinishReason,
      ),
    ).toEqual(['stop', 'length', 'tool-calls', 'tool-calls', 'content-filter', 'stop', 'other', 'other'])
  })
})

describe('parseOpenAIEmbeddings', () => {
  it('orders vectors by index and reads usage', () => {
    const result = parseOpenAIEmbeddings(embeddings)
    expect(result.embeddings).toEqual([
      [0.0023064255, -0.009327292],
      [0.4, 0.5],
    ])
    expect(result.usage).toEqual({ inputTokens: 8 })
    expect(result.model).toBe('text-embedding-3-small')
  })

  it('decodes base64 (float32) vectors and SDK-decoded Float32Arrays', () => {
    const vector = new Float32Array([0.5, -0.25, 1])
    const base64 = Buffer.from(vector.buffer).toString('base64')
    const result = parseOpenAIEmbeddings({
      data: [
        { index: 0, embedding: base64 },
        { index: 1, embedding: vector },
      ],
    })
    expect(result.embeddings).toEqual([
      [0.5, -0.25, 1],
      [0.5, -0.25, 1],
    ])
    expect(result.usage).toBeUndefined()
  })

  it('throws MalformedResponseError without a data array', () => {
    expect(() => parseOpenAIEmbeddings({ object: 'list' })).toThrow(MalformedResponseError)
  })
})

describe('parseOpenAIModels', () => {
  it('maps id, owner and creation date', () => {
    expect(parseOpenAIModels(models)).toEqual([
      { id: 'gpt-4o-mini', ownedBy: 'system', createdAt: new Date(1721172741 * 1000) },
      { id: 'text-embedding-3-small', ownedBy: 'system', createdAt: new Date(1705948997 * 1000) },
    ])
    expect(() => parseOpenAIModels('not a list')).toThrow(MalformedResponseError)
  })
})
