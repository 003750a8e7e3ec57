import { ContentFilterError, MalformedResponseError } from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import embeddings from './__fixtures__/batch-embed-contents.json' with { type: 'json' }
import blockedPrompt from './__fixtures__/generate-content-blocked-prompt.json' with { type: 'json' }
import functionCall from './__fixtures__/generate-content-function-call.json' with { type: 'json' }
import safety from './__fixtures__/generate-content-safety.json' with { type: 'json' }
import text from './__fixtures__/generate-content-text.json' with { type: 'json' }
import listModels from './__fixtures__/list-models.json' with { type: 'json' }
import {
  convertGoogleUsage,
  mapGoogleFinishReason,
  parseGoogleEmbeddings,
  parseGoogleModel,
  parseGoogleResponse,
} from './parse-google-response.js'

function parseContext(model = 'gemini-2.5-flash') {
  return { context: { provider: 'google', name: 'Google Gemini', model } }
}

describe('parseGoogleResponse', () => {
  it('reads text, thought parts as reasoning, the finish reason, the model and normalized usage', () => {
    const result = parseGoogleResponse(text, parseContext().context)
    expect(result).toMatchObject({
      text: 'Hello! How can I help you today?',
      reasoning: '**Considering the greeting**\n\nA short, friendly reply fits.',
      toolCalls: [],
      finishReason: 'stop',
      rawFinishReason: 'STOP',
      model: 'gemini-2.5-flash',
      id: 'AdVRaMmDCYekqtsPrb_-iAw',
    })
    expect(result.content.map((part) => part.type)).toEqual(['reasoning', 'text'])
    // candidatesTokenCount (9) excludes the 216 thinking tokens; output includes them.
    expect(result.usage).toEqual({
      inputTokens: 5,
      outputTokens: 225,
      totalTokens: 230,
      cachedInputTokens: 2,
      reasoningTokens: 216,
    })
    expect(result.raw).toBe(text)
  })

  it('reads function calls as tool calls: STOP with calls → tool-calls, ids synthesised from the response id', () => {
    const { context } = parseContext('gemini-3.8-flash')
    const result = parseGoogleResponse(functionCall, context)
    expect(result.finishReason).toBe('tool-calls')
    expect(result.text).toBe('')
    expect(result.toolCalls).toEqual([
      {
        toolCallId: 'call_e7dXabCdEfGhIjKl_0',
        toolName: 'get_weather',
        input: { city: 'Paris', unit: 'celsius' },
        rawInput: '{"city":"Paris","unit":"celsius"}',
        // Only the first of parallel calls is signed; the signature travels with its call.
        providerMetadata: { thoughtSignature: 'CiQB0e2Kb3mSzgdmodelplexSignature0001' },
      },
      {
        toolCallId: 'call_e7dXabCdEfGhIjKl_1',
        toolName: 'get_time',
        input: { timeZone: 'Europe/Paris' },
        rawInput: '{"timeZone":"Europe/Paris"}',
      },
    ])
    expect(result.content.map((part) => part.type)).toEqual(['tool-call', 'tool-call'])
    expect(result.content[1]).not.toHaveProperty('providerMetadata')
  })

  it('keeps each part with its own signature, in order, and an empty part that holds only a signature', () => {
    const response = {
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { text: 'Plan: call the tool.', thought: true, thoughtSignature: 'sig-1' },
              { text: 'Let me check. ' },
              {
                functionCall: { id: 'fc_1', name: 'get_weather', args: { city: 'Oslo' } },
                thoughtSignature: 'sig-2',
              },
              { executableCode: { language: 'PYTHON', code: 'print(2 + 2)' } },
              { codeExecutionResult: { outcome: 'OUTCOME_OK', output: '4\n' } },
              { text: 'Done.' },
              { text: '', thoughtSignature: 'sig-3' },
              { text: '' },
            ],
          },
          finishReason: 'STOP',
          groundingMetadata: { webSearchQueries: ['oslo weather'] },
          urlContextMetadata: {
            urlMetadata: [
              { retrievedUrl: 'https://example.com', urlRetrievalStatus: 'URL_RETRIEVAL_STATUS_SUCCESS' },
            ],
          },
          safetyRatings: [{ category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' }],
        },
      ],
      usageMetadata: {
        promptTokenCount: 8,
        candidatesTokenCount: 4,
        thoughtsTokenCount: 3,
        totalTokenCount: 15,
        promptTokensDetails: [
          { modality: 'TEXT', tokenCount: 6 },
          { modality: 'AUDIO', tokenCount: 2 },
        ],
        candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: 4 }],
      },
      modelVersion: 'gemini-3.8-flash',
      responseId: 'resp-9',
    }
    const result = parseGoogleResponse(response, parseContext('gemini-3.8-flash').context)
    expect(result.content).toEqual([
      { type: 'reasoning', text: 'Plan: call the tool.', providerMetadata: { thoughtSignature: 'sig-1' } },
      { type: 'text', text: 'Let me check. ' },
      {
        type: 'tool-call',
        toolCallId: 'fc_1',
        toolName: 'get_weather',
        input: { city: 'Oslo' },
        rawInput: '{"city":"Oslo"}',
        providerMetadata: { thoughtSignature: 'sig-2' },
      },
      { type: 'text', text: 'Done.' },
      { type: 'text', text: '', providerMetadata: { thoughtSignature: 'sig-3' } },
    ])
    expect(result.text).toBe('Let me check. Done.')
    expect(result.reasoning).toBe('Plan: call the tool.')
    expect(result.usage).toEqual({ inputTokens: 8, outputTokens: 7, totalTokens: 15, reasoningTokens: 3 })
    expect(result.providerMetadata).toEqual({
      modelVersion: 'gemini-3.8-flash',
      responseId: 'resp-9',
      promptTokensDetails: [
        { modality: 'TEXT', tokenCount: 6 },
        { modality: 'AUDIO', tokenCount: 2 },
      ],
      candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: 4 }],
      groundingMetadata: { webSearchQueries: ['oslo weather'] },
      urlContextMetadata: {
        urlMetadata: [
          { retrievedUrl: 'https://example.com', urlRetrievalStatus: 'URL_RETRIEVAL_STATUS_SUCCESS' },
        ],
      },
      safetyRatings: [{ category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' }],
      // Gemini's own code execution is no client tool call: its parts land in the metadata.
      codeExecution: [
        { executableCode: { language: 'PYTHON', code: 'print(2 + 2)' } },
        { codeExecutionResult: { outcome: 'OUTCOME_OK', output: '4\n' } },
      ],
    })
  })

  it("keeps Gemini's own function-call id when it sends one", () => {
    const response = structuredClone(functionCall)
    ;(response.candidates[0]!.content.parts[0]!.functionCall as Record<string, unknown>).id = 'fc_abc123'
    expect(parseGoogleResponse(response, parseContext().context).toolCalls[0]!.toolCallId).toBe('fc_abc123')
  })

  it('a candidate stopped by SAFETY → content-filter with empty text', () => {
    const result = parseGoogleResponse(safety, parseContext().context)
    expect(result).toMatchObject({ text: '', finishReason: 'content-filter', rawFinishReason: 'SAFETY' })
    expect(result.usage).toEqual({ inputTokens: 12, outputTokens: 0, totalTokens: 12 })
  })

  it('a blocked prompt (promptFeedback.blockReason, no candidates) → ContentFilterError with the reason as code', () => {
    let caught: unknown
    try {
      parseGoogleResponse(blockedPrompt, parseContext().context)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ContentFilterError)
    expect(caught).toMatchObject({ code: 'PROHIBITED_CONTENT', provider: 'google', retryable: false })
    expect((caught as Error).message).toBe('Google Gemini: the prompt was blocked (PROHIBITED_CONTENT)')
  })

  it('a body without candidates or prompt feedback → MalformedResponseError', () => {
    for (const body of [{}, { usageMetadata: {} }, [], 'text', null, { candidates: [] }]) {
      expect(() => parseGoogleResponse(body, parseContext().context)).toThrow(MalformedResponseError)
    }
  })
})

describe('mapGoogleFinishReason', () => {
  it('maps every documented reason', () => {
    expect(mapGoogleFinishReason('STOP', false)).toBe('stop')
    expect(mapGoogleFinishReason('STOP', true)).toBe('tool-calls')
    expect(mapGoogleFinishReason('MAX_TOKENS', true)).toBe('length')
    for (const reason of [
      'SAFETY',
      'RECITATION',
      'BLOCKLIST',
      'PROHIBITED_CONTENT',
      'SPII',
      'IMAGE_SAFETY',
    ]) {
      expect(mapGoogleFinishReason(reason, false)).toBe('content-filter')
    }
    expect(mapGoogleFinishReason('MALFORMED_FUNCTION_CALL', false)).toBe('error')
    expect(mapGoogleFinishReason('LANGUAGE', false)).toBe('other')
    expect(mapGoogleFinishReason('OTHER', false)).toBe('other')
    expect(mapGoogleFinishReason(undefined, false)).toBe('other')
  })
})

describe('convertGoogleUsage', () => {
  it('adds the tool-use prompt to input and falls back to a computed total', () => {
    expect(
      convertGoogleUsage({ promptTokenCount: 10, toolUsePromptTokenCount: 4, candidatesTokenCount: 6 }),
    ).toEqual({ inputTokens: 14, outputTokens: 6, totalTokens: 20 })
    expect(convertGoogleUsage(undefined)).toBeUndefined()
  })
})

describe('parseGoogleEmbeddings / parseGoogleModel', () => {
  it('reads the vectors in order, with the prompt token count the adapter read off the wire', () => {
    const result = parseGoogleEmbeddings({ embeddings: embeddings.embeddings }, 9, parseContext().context)
    expect(result.embeddings).toEqual([
      [0.0123, -0.0456, 0.0789],
      [-0.0321, 0.0654, -0.0987],
    ])
    expect(result.usage).toEqual({ inputTokens: 9 })
    expect(parseGoogleEmbeddings({ embeddings: [] }, undefined, parseContext().context).usage).toBeUndefined()
  })

  it("sums Vertex AI's per-embedding token statistics when there is no usage block", () => {
    const vertex = {
      embeddings: [
        { values: [1], statistics: { tokenCount: 3, truncated: false } },
        { values: [2], statistics: { tokenCount: 4, truncated: false } },
      ],
    }
    expect(parseGoogleEmbeddings(vertex, undefined, parseContext().context).usage).toEqual({ inputTokens: 7 })
  })

  it('rejects a body without vectors', () => {
    expect(() => parseGoogleEmbeddings({ embeddings: [{}] }, 1, parseContext().context)).toThrow(
      MalformedResponseError,
    )
    expect(() => parseGoogleEmbeddings({}, 1, parseContext().context)).toThrow(MalformedResponseError)
  })

  it('strips the models/ prefix and keeps the input token limit as the context window', () => {
    expect(listModels.models.map(parseGoogleModel)).toEqual([
      { id: 'gemini-2.5-flash', ownedBy: 'google', contextWindow: 1_048_576 },
      { id: 'gemini-embedding-001', ownedBy: 'google', contextWindow: 2048 },
    ])
    expect(parseGoogleModel({ displayName: 'no name' })).toBeUndefined()
  })
})
