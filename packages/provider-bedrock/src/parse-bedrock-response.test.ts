import { MalformedResponseError } from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import cacheUsage from './__fixtures__/converse-cache-usage.json' with { type: 'json' }
import reasoning from './__fixtures__/converse-reasoning.json' with { type: 'json' }
import text from './__fixtures__/converse-text.json' with { type: 'json' }
import toolUse from './__fixtures__/converse-tool-use.json' with { type: 'json' }
import { convertBedrockUsage, mapBedrockStopReason, parseBedrockResponse } from './parse-bedrock-response.js'

const model = 'amazon.nova-lite-v1:0'

describe('parseBedrockResponse', () => {
  it('reads text, finish reason, usage and the request id', () => {
    const result = parseBedrockResponse({ ...text, $metadata: { requestId: 'req-9' } } as never, model)
    expect(result.text).toBe(text.output.message.content[0]!.text)
    expect(result.content).toEqual([{ type: 'text', text: result.text }])
    expect(result.toolCalls).toEqual([])
    expect(result.finishReason).toBe('stop')
    expect(result.rawFinishReason).toBe('end_turn')
    expect(result.usage).toEqual({ inputTokens: 22, outputTokens: 51, totalTokens: 73 })
    expect(result.model).toBe(model)
    expect(result.id).toBe('req-9')
  })

  it("reads the documented tool use: parsed input, its JSON as rawInput, finish 'tool-calls'", () => {
    const result = parseBedrockResponse(toolUse as never, model)
    expect(result.toolCalls).toEqual([
      {
        toolCallId: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q',
        toolName: 'top_song',
        input: { sign: 'WZPZ' },
        rawInput: '{"sign":"WZPZ"}',
      },
    ])
    expect(result.content).toEqual([{ type: 'tool-call', ...result.toolCalls[0] }])
    expect(result.finishReason).toBe('tool-calls')
    expect(result.usage).toBeUndefined()
    expect(result.text).toBe('')
  })

  it('reads reasoning blocks apart from the text', () => {
    const result = parseBedrockResponse(reasoning as never, model)
    expect(result.reasoning).toBe('The user asks for 17 * 23. 17 * 20 = 340 and 17 * 3 = 51, so 391.')
    expect(result.text).toBe('17 × 23 = 391.')
    expect(result.content.map((part) => part.type)).toEqual(['reasoning', 'text'])
    // The signature rides on the part, to go back with it.
    expect(result.content[0]).toEqual({
      type: 'reasoning',
      text: result.reasoning,
      providerMetadata: { signature: 'EqoBCkgIARABGAIiQHcbUdLZ7tRoO2UjNmZkMmVhLWE1YzQtNGQ3Ny04ZjAx' },
    })
  })

  it('reads redacted reasoning as an empty part holding the bytes as base64, in the vendor order', () => {
    const response = {
      output: {
        message: {
          role: 'assistant',
          content: [
            { reasoningContent: { redactedContent: new Uint8Array([0, 1, 2, 250, 255]) } },
            { toolUse: { toolUseId: 't1', name: 'f', input: {} } },
          ],
        },
      },
      stopReason: 'tool_use',
    }
    const result = parseBedrockResponse(response as never, model)
    expect(result.content[0]).toEqual({
      type: 'reasoning',
      text: '',
      providerMetadata: { redactedData: 'AAEC+v8=' },
    })
    expect(result.content[1]?.type).toBe('tool-call')
    expect(result.reasoning).toBeUndefined()
  })

  it('reads a cited answer: its text in order, the citations in providerMetadata', () => {
    const citation = {
      title: 'notes',
      sourceContent: [{ text: 'Revenue grew 12%.' }],
      location: { documentChar: { documentIndex: 0, start: 0, end: 17 } },
    }
    const response = {
      output: {
        message: {
          role: 'assistant',
          content: [
            { text: 'According to the notes, ' },
            { citationsContent: { content: [{ text: 'revenue grew 12%.' }], citations: [citation] } },
          ],
        },
      },
      stopReason: 'end_turn',
    }
    const result = parseBedrockResponse(response as never, model)
    expect(result.text).toBe('According to the notes, revenue grew 12%.')
    expect(result.content).toEqual([
      { type: 'text', text: 'According to the notes, ' },
      { type: 'text', text: 'revenue grew 12%.' },
    ])
    expect(result.providerMetadata?.citations).toEqual([citation])
  })

  it('puts metrics, trace, performanceConfig, serviceTier and model fields in providerMetadata', () => {
    const trace = { guardrail: { modelOutput: ['blocked'] } }
    const result = parseBedrockResponse(
      {
        ...text,
        trace,
        performanceConfig: { latency: 'optimized' },
        serviceTier: { type: 'flex' },
        additionalModelResponseFields: { stop_sequence: null },
        $metadata: { requestId: 'r', httpStatusCode: 200 },
      } as never,
      model,
    )
    expect(result.providerMetadata).toEqual({
      metrics: text.metrics,
      trace,
      performanceConfig: { latency: 'optimized' },
      serviceTier: { type: 'flex' },
      additionalModelResponseFields: { stop_sequence: null },
    })
  })

  it('adds cache reads and writes into inputTokens and reports them beside it', () => {
    const result = parseBedrockResponse(cacheUsage as never, model)
    expect(result.usage).toEqual({
      inputTokens: 14 + 2048 + 1060,
      outputTokens: 9,
      totalTokens: 3131,
      cachedInputTokens: 2048,
      cacheWriteInputTokens: 1060,
    })
  })

  it.each([[{}], [{ output: {} }], [{ output: { message: { role: 'assistant' } } }], [null]])(
    'a response without an output message (%j) → MalformedResponseError',
    (body) => {
      expect(() => parseBedrockResponse(body as never, model)).toThrow(MalformedResponseError)
    },
  )
})

describe('mapBedrockStopReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool-calls'],
    ['guardrail_intervened', 'content-filter'],
    ['content_filtered', 'content-filter'],
    ['malformed_model_output', 'error'],
    ['malformed_tool_use', 'error'],
    ['something_new', 'other'],
    [undefined, 'other'],
  ])('%s → %s', (raw, expected) => {
    expect(mapBedrockStopReason(raw)).toBe(expected)
  })
})

describe('convertBedrockUsage', () => {
  it('is undefined without usage and keeps zero cache counts the vendor reported', () => {
    expect(convertBedrockUsage(undefined)).toBeUndefined()
    expect(
      convertBedrockUsage({ inputTokens: 5, outputTokens: 2, totalTokens: 7, cacheReadInputTokens: 0 }),
    ).toEqual({ inputTokens: 5, outputTokens: 2, totalTokens: 7, cachedInputTokens: 0 })
  })

  it('takes the 1-hour share of the cache writes from cacheDetails', () => {
    expect(
      convertBedrockUsage({
        inputTokens: 10,
        outputTokens: 1,
        totalTokens: 311,
        cacheReadInputTokens: 0,
        cacheWriteInputTokens: 300,
        cacheDetails: [
          { ttl: '1h', inputTokens: 200 },
          { ttl: '5m', inputTokens: 100 },
        ],
      }),
    ).toEqual({
      inputTokens: 310,
      outputTokens: 1,
      totalTokens: 311,
      cachedInputTokens: 0,
      cacheWriteInputTokens: 300,
      cacheWrite1hInputTokens: 200,
    })
  })
})
