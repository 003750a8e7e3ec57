import { MalformedResponseError } from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import length from './__fixtures__/chat-response-length.json' with { type: 'json' }
import load from './__fixtures__/chat-response-load.json' with { type: 'json' }
import text from './__fixtures__/chat-response-text.json' with { type: 'json' }
import thinking from './__fixtures__/chat-response-thinking.json' with { type: 'json' }
import toolCalls from './__fixtures__/chat-response-tool-calls.json' with { type: 'json' }
import toolCallsWithIds from './__fixtures__/chat-response-tool-calls-with-ids.json' with { type: 'json' }
import embed from './__fixtures__/embed-response.json' with { type: 'json' }
import tags from './__fixtures__/tags-response.json' with { type: 'json' }
import {
  parseOllamaChatResponse,
  parseOllamaEmbedResponse,
  parseOllamaModels,
} from './parse-ollama-response.js'

function malformed(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected a MalformedResponseError')
}

describe('parseOllamaChatResponse', () => {
  it('reads text, model and usage (prompt_eval_count → input, eval_count → output)', () => {
    const result = parseOllamaChatResponse(text)
    expect(result).toMatchObject({
      text: 'Hello! How are you today?',
      content: [{ type: 'text', text: 'Hello! How are you today?' }],
      toolCalls: [],
      // The documented answer has no done_reason: a finished answer is a stop.
      finishReason: 'stop',
      rawFinishReason: undefined,
      usage: { inputTokens: 26, outputTokens: 298, totalTokens: 324 },
      model: 'llama3.2',
      id: undefined,
    })
    expect(result.raw).toBe(text)
  })

  it('reads whole tool calls without ids (servers before 0.12.10) and gives each an id', () => {
    const result = parseOllamaChatResponse(toolCalls)
    expect(result.finishReason).toBe('tool-calls')
    expect(result.rawFinishReason).toBe('stop')
    expect(result.toolCalls).toEqual([
      {
        toolCallId: expect.stringMatching(/^call_[0-9a-f]{8}$/),
        toolName: 'get_current_weather',
        input: { format: 'celsius', location: 'Paris, FR' },
        rawInput: '{"format":"celsius","location":"Paris, FR"}',
      },
    ])
    expect(result.content).toEqual([{ type: 'tool-call', ...result.toolCalls[0] }])
  })

  it('keeps the ids Ollama sends since 0.12.10, distinct for two calls of one tool', () => {
    const result = parseOllamaChatResponse(toolCallsWithIds)
    expect(result.toolCalls.map((call) => [call.toolCallId, call.input])).toEqual([
      ['call_lyywui55', { city: 'Paris' }],
      ['call_0scw2dos', { city: 'London' }],
    ])
    expect(result.usage).toEqual({ inputTokens: 163, outputTokens: 41, totalTokens: 204 })
  })

  it('reads message.thinking as reasoning, before the text', () => {
    const result = parseOllamaChatResponse(thinking)
    expect(result.reasoning).toBe(thinking.message.thinking)
    expect(result.content.map((part) => part.type)).toEqual(['reasoning', 'text'])
  })

  it('maps done_reason "length" and reports other reasons (load) as "other"', () => {
    expect(parseOllamaChatResponse(length).finishReason).toBe('length')
    const loaded = parseOllamaChatResponse(load)
    expect(loaded.finishReason).toBe('other')
    expect(loaded.rawFinishReason).toBe('load')
    // Ollama omits counts that are 0.
    expect(loaded.usage).toEqual({ inputTokens: 0, outputTokens: 0, totalTokens: 0 })
  })

  it('parses string arguments as JSON, keeping the raw text', () => {
    const result = parseOllamaChatResponse({
      message: { content: '', tool_calls: [{ function: { name: 'f', arguments: '{"a":1}' } }] },
      done: true,
    })
    expect(result.toolCalls[0]).toMatchObject({ input: { a: 1 }, rawInput: '{"a":1}' })
  })

  it.each([
    ['not an object', 'nope'],
    ['no message', { model: 'llama3.2', done: true }],
    ['content not a string', { message: { content: 42 }, done: true }],
    ['a tool call without a name', { message: { content: '', tool_calls: [{ function: {} }] }, done: true }],
  ])('rejects a body with %s as MalformedResponseError', (_, body) => {
    expect(MalformedResponseError.isInstance(malformed(() => parseOllamaChatResponse(body)))).toBe(true)
  })
})

describe('parseOllamaEmbedResponse', () => {
  it('reads one vector per input and prompt_eval_count as input usage', () => {
    const result = parseOllamaEmbedResponse(embed, 2)
    expect(result.embeddings).toEqual(embed.embeddings)
    expect(result.usage).toEqual({ inputTokens: 16 })
    expect(result.model).toBe('all-minilm')
  })

  it('rejects a vector count that does not match the inputs', () => {
    const error = malformed(() => parseOllamaEmbedResponse(embed, 3))
    expect(MalformedResponseError.isInstance(error)).toBe(true)
    expect((error as Error).message).toContain('expected 3 embeddings, got 2')
  })

  it('rejects a body without embeddings', () => {
    expect(MalformedResponseError.isInstance(malformed(() => parseOllamaEmbedResponse({}, 1)))).toBe(true)
  })
})

describe('parseOllamaModels', () => {
  it('lists the pulled models by name', () => {
    expect(parseOllamaModels(tags)).toEqual([{ id: 'codellama:13b' }, { id: 'llama3:latest' }])
  })

  it('rejects a body without a models array', () => {
    expect(MalformedResponseError.isInstance(malformed(() => parseOllamaModels({ data: [] })))).toBe(true)
  })
})
