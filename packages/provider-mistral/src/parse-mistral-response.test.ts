import { MalformedResponseError } from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import { fixture, jsonResponse, testProvider } from './mistral-test-helpers.js'
import {
  convertMistralUsage,
  mapMistralFinishReason,
  parseMistralModels,
  parseMistralResponse,
} from './parse-mistral-response.js'

const hello = [{ role: 'user' as const, content: 'Hi' }]

describe('generate (a chat completion through the SDK)', () => {
  it('reads text, finish reason, usage, model and id', async () => {
    const { provider } = testProvider(() => jsonResponse(fixture('chat-completion-text.json')))
    const result = await provider.generate({ model: 'mistral-small-latest', messages: hello })
    expect(result.text).toBe('Bonjour ! Comment puis-je vous aider ?')
    expect(result.finishReason).toBe('stop')
    expect(result.rawFinishReason).toBe('stop')
    expect(result.usage).toEqual({ inputTokens: 19, outputTokens: 12, totalTokens: 31 })
    expect(result.model).toBe('mistral-small-latest')
    expect(result.id).toBe('a2984449b4204304a731f30927977d5c')
    expect(result.toolCalls).toEqual([])
    // 19 × $0.15/M + 12 × $0.60/M
    expect(result.cost).toEqual({ input: 0.00000285, output: 0.0000072, total: 0.00001005, currency: 'USD' })
  })

  it('reads a tool call: Mistral id, name, parsed and raw arguments', async () => {
    const { provider } = testProvider(() => jsonResponse(fixture('chat-completion-tool-call.json')))
    const result = await provider.generate({ messages: hello })
    expect(result.finishReason).toBe('tool-calls')
    expect(result.toolCalls).toEqual([
      {
        toolCallId: 'D681PevKs',
        toolName: 'get_weather',
        input: { city: 'Lyon' },
        rawInput: '{"city": "Lyon"}',
      },
    ])
    expect(result.content).toEqual([{ type: 'tool-call', ...result.toolCalls[0] }])
  })

  it('reads thinking chunks as reasoning, cached and reasoning tokens, and model_length as length', async () => {
    const { provider } = testProvider(() => jsonResponse(fixture('chat-completion-usage-details.json')))
    const result = await provider.generate({ messages: hello })
    expect(result.text).toBe('Paris.')
    expect(result.reasoning).toBe('The user wants a short answer.')
    expect(result.content.map((part) => part.type)).toEqual(['reasoning', 'text'])
    expect(result.finishReason).toBe('length')
    expect(result.rawFinishReason).toBe('model_length')
    expect(result.usage).toEqual({
      inputTokens: 2048,
      outputTokens: 40,
      totalTokens: 2088,
      cachedInputTokens: 1536,
      reasoningTokens: 25,
    })
    // 512 plain × $1.5/M + 1536 cached × $0.15/M; 40 × $7.5/M
    expect(result.cost).toEqual({ input: 0.0009984, output: 0.0003, total: 0.0012984, currency: 'USD' })
  })
})

describe('parseMistralResponse', () => {
  it('rejects a body without choices or message', () => {
    expect(() => parseMistralResponse({ id: 'x' })).toThrow(MalformedResponseError)
    expect(() => parseMistralResponse({ choices: [{ index: 0 }] })).toThrow(MalformedResponseError)
    expect(() => parseMistralResponse('text')).toThrow(MalformedResponseError)
  })

  it('treats the SDK\'s "null" placeholder id as no id', () => {
    const result = parseMistralResponse({
      choices: [
        {
          finishReason: 'tool_calls',
          message: { toolCalls: [{ id: 'null', function: { name: 'f', arguments: { a: 1 } } }] },
        },
      ],
    })
    expect(result.toolCalls).toEqual([
      { toolCallId: '', toolName: 'f', input: { a: 1 }, rawInput: '{"a":1}' },
    ])
  })
})

describe('mapMistralFinishReason', () => {
  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['model_length', 'length'],
    ['tool_calls', 'tool-calls'],
    ['error', 'error'],
    ['something_new', 'other'],
    [null, 'other'],
  ])('%s → %s', (wire, core) => {
    expect(mapMistralFinishReason(wire)).toBe(core)
  })
})

describe('convertMistralUsage', () => {
  it('falls back to num_cached_tokens and computes a missing total', () => {
    expect(convertMistralUsage({ promptTokens: 10, completionTokens: 5, num_cached_tokens: 3 })).toEqual({
      inputTokens: 10,
      outputTokens: 5,
      totalTokens: 15,
      cachedInputTokens: 3,
    })
    expect(convertMistralUsage(undefined)).toBeUndefined()
  })
})

describe('embed', () => {
  it('orders vectors by index and reports input tokens and cost', async () => {
    const { provider, requests } = testProvider(() => jsonResponse(fixture('embeddings.json')))
    const result = await provider.embed({ input: ['first', 'second'] })
    expect(result.embeddings).toEqual([
      [-0.0389404296875, 0.048065185546875, 0.07159423828125],
      [-0.0535888671875, 0.019500732421875, 0.057464599609375],
    ])
    expect(result.usage).toEqual({ inputTokens: 16 })
    expect(result.model).toBe('mistral-embed')
    expect(result.cost?.total).toBe(0.0000016)
    expect(requests[0]!.url).toBe('https://api.mistral.ai/v1/embeddings')
    expect(requests[0]!.body).toEqual({ model: 'mistral-embed', input: ['first', 'second'] })
  })
})

describe('listModels', () => {
  it('lists base and fine-tuned cards and keeps the id of an unknown card type', async () => {
    const { provider, requests } = testProvider(() => jsonResponse(fixture('models.json')))
    const models = await provider.listModels()
    expect(requests[0]!.method).toBe('GET')
    expect(requests[0]!.url).toBe('https://api.mistral.ai/v1/models')
    expect(models).toEqual([
      {
        id: 'mistral-small-2603',
        ownedBy: 'mistralai',
        createdAt: new Date(1773619200 * 1000),
        contextWindow: 262144,
      },
      {
        id: 'ft:mistral-small-2603:acme:7f3a9c2e',
        ownedBy: 'acme',
        createdAt: new Date(1776000000 * 1000),
        contextWindow: 131072,
      },
      { id: 'mistral-future-model', ownedBy: 'mistralai' },
    ])
  })

  it('rejects a body without data', () => {
    expect(() => parseMistralModels({ object: 'list' })).toThrow(MalformedResponseError)
  })
})
