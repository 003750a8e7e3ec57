import type { Warning } from '@modelplex/core'
import type { AdapterRequest, AdapterStreamEvent } from '@modelplex/core/adapter'
import { describe, expect, it } from 'vitest'
import {
  convertOpenAIFilePart,
  convertOpenAIProviderOptions,
  convertToOpenAIMessages,
  convertToOpenAIRequest,
  reasoningDetailsOf,
} from './convert-to-openai-request.js'
import { mergeReasoningDetails } from './openai-metadata.js'
import { OpenAIStreamTranslator } from './openai-stream.js'
import { convertOpenAIUsage, parseOpenAIResponse } from './parse-openai-response.js'

function context(providerOptions: Record<string, unknown> = {}) {
  const warnings: Warning[] = []
  return { warn: (warning: Warning) => warnings.push(warning), providerOptions, warnings }
}

async function collect(chunks: unknown[], quirks = {}, includeRaw = false): Promise<AdapterStreamEvent[]> {
  async function* source() {
    yield* chunks
  }
  const events: AdapterStreamEvent[] = []
  for await (const event of new OpenAIStreamTranslator(source(), quirks, 'test', undefined, false, {
    includeRaw,
  }))
    events.push(event)
  return events
}

const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id: 'gen-1',
  model: 'anthropic/claude-sonnet-4',
  choices: [{ index: 0, delta, finish_reason: null }],
  ...extra,
})

describe('file parts', () => {
  it('writes a PDF as a file part with a data: URL and its filename', () => {
    expect(
      convertOpenAIFilePart({
        type: 'file',
        data: 'JVBERi0=',
        mediaType: 'application/pdf',
        filename: 'a.pdf',
      }),
    ).toEqual({
      type: 'file',
      file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' },
    })
  })

  it('names an unnamed document after its type, and keeps a URL as a URL', () => {
    expect(
      convertOpenAIFilePart({
        type: 'file',
        data: new URL('https://x.test/a'),
        mediaType: 'application/pdf',
      }),
    ).toEqual({ type: 'file', file: { file_data: 'https://x.test/a', filename: 'document.pdf' } })
  })

  it('writes WAV and MP3 as input_audio with the bare base64 and its format', () => {
    expect(
      convertOpenAIFilePart({ type: 'file', data: new Uint8Array([1, 2, 3]), mediaType: 'audio/wav' }),
    ).toEqual({ type: 'input_audio', input_audio: { data: 'AQID', format: 'wav' } })
    expect(
      convertOpenAIFilePart({ type: 'file', data: 'data:audio/mpeg;base64,SUQz', mediaType: 'audio/mpeg' }),
    ).toEqual({ type: 'input_audio', input_audio: { data: 'SUQz', format: 'mp3' } })
  })

  it('puts the file beside the text of the user message', () => {
    const [message] = convertToOpenAIMessages([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Summarize' },
          { type: 'file', data: 'AAAA', mediaType: 'audio/wav' },
        ],
      },
    ])
    expect(message).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'Summarize' },
        { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
      ],
    })
  })
})

describe('reasoning', () => {
  const assistant = {
    role: 'assistant' as const,
    content: [
      {
        type: 'reasoning' as const,
        text: 'Think ',
        providerMetadata: { v: { reasoningDetails: [{ n: 1 }] } },
      },
      {
        type: 'reasoning' as const,
        text: 'more.',
        providerMetadata: { v: { reasoningDetails: [{ n: 2 }] } },
      },
      { type: 'text' as const, text: 'Answer' },
    ],
  }

  it('is not sent back unless the vendor names a field', () => {
    expect(convertToOpenAIMessages([assistant])).toEqual([{ role: 'assistant', content: 'Answer' }])
  })

  it("goes back as one text in the vendor's field", () => {
    expect(convertToOpenAIMessages([assistant], 'reasoning_content')).toEqual([
      { role: 'assistant', content: 'Answer', reasoning_content: 'Think more.' },
    ])
  })

  it("collects the parts' reasoning_details of this provider, in order", () => {
    expect(reasoningDetailsOf(assistant, 'v')).toEqual([{ n: 1 }, { n: 2 }])
    expect(reasoningDetailsOf(assistant, 'other')).toEqual([])
  })

  it('keeps reasoning_details whole on the reasoning part of a completion', () => {
    const details = [
      { type: 'reasoning.text', text: 'Plan.', signature: 'sig==', format: 'anthropic-claude-v1', index: 0 },
      { type: 'reasoning.encrypted', data: 'enc==', index: 1 },
    ]
    const result = parseOpenAIResponse(
      {
        choices: [
          { message: { role: 'assistant', content: 'Done', reasoning: 'Plan.', reasoning_details: details } },
        ],
      },
      { reasoningFields: ['reasoning'], reasoningDetailsField: 'reasoning_details' },
    )
    expect(result.content).toEqual([
      { type: 'reasoning', text: 'Plan.', providerMetadata: { reasoningDetails: details } },
      { type: 'text', text: 'Done' },
    ])
  })

  it('merges streamed reasoning_details by index and closes the part with them before the text', async () => {
    const events = await collect(
      [
        chunk({ reasoning: 'Two ', reasoning_details: [{ type: 'reasoning.text', text: 'Two ', index: 0 }] }),
        chunk({
          reasoning: 'four.',
          reasoning_details: [{ type: 'reasoning.text', text: 'four.', index: 0 }],
        }),
        chunk({
          reasoning: '',
          reasoning_details: [{ type: 'reasoning.text', signature: 'sig==', index: 0 }],
        }),
        chunk({ content: 'Four.' }),
        { ...chunk({}), choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      ],
      { reasoningFields: ['reasoning'], reasoningDetailsField: 'reasoning_details' },
    )
    expect(events.map((event) => event.type)).toEqual([
      'response-metadata',
      'reasoning-delta',
      'reasoning-delta',
      'reasoning-end',
      'text-delta',
      'finish',
    ])
    expect(events[3]).toEqual({
      type: 'reasoning-end',
      providerMetadata: {
        reasoningDetails: [{ type: 'reasoning.text', text: 'Two four.', signature: 'sig==', index: 0 }],
      },
    })
  })

  it('starts a new block for a slice of another type or without an index', () => {
    const blocks: Array<Record<string, unknown>> = []
    mergeReasoningDetails(blocks, [{ type: 'reasoning.text', text: 'a', index: 0 }])
    mergeReasoningDetails(blocks, [
      { type: 'reasoning.encrypted', data: 'x', index: 0 },
      { type: 'reasoning.summary', summary: 's' },
    ])
    expect(blocks).toEqual([
      { type: 'reasoning.text', text: 'a', index: 0 },
      { type: 'reasoning.encrypted', data: 'x', index: 0 },
      { type: 'reasoning.summary', summary: 's' },
    ])
  })
})

describe('provider metadata', () => {
  it('reads the fingerprint, the tier and the log probabilities of a completion', () => {
    const logprobs = [{ token: 'Hi', logprob: -0.1, bytes: [72, 105], top_logprobs: [] }]
    const result = parseOpenAIResponse(
      {
        system_fingerprint: 'fp_1',
        service_tier: 'flex',
        choices: [
          { message: { role: 'assistant', content: 'Hi' }, logprobs: { content: logprobs, refusal: null } },
        ],
      },
      { extractMetadata: (payload) => ({ vendor: payload.vendor_field }) },
    )
    expect(result.providerMetadata).toEqual({
      systemFingerprint: 'fp_1',
      serviceTier: 'flex',
      logprobs,
      vendor: undefined,
    })
  })

  it("adds up a stream's log probabilities and puts them on finish; includeRaw emits each chunk", async () => {
    const lp = (token: string) => ({ token, logprob: -1, bytes: [], top_logprobs: [] })
    const events = await collect(
      [
        {
          ...chunk({ content: 'A' }),
          choices: [{ index: 0, delta: { content: 'A' }, logprobs: { content: [lp('A')] } }],
        },
        {
          ...chunk({ content: 'B' }),
          choices: [{ index: 0, delta: { content: 'B' }, logprobs: { content: [lp('B')] } }],
        },
        {
          ...chunk({}, { system_fingerprint: 'fp_2' }),
          choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
        },
      ],
      {},
      true,
    )
    expect(events.filter((event) => event.type === 'raw')).toHaveLength(3)
    expect(events.at(-1)).toMatchObject({
      type: 'finish',
      providerMetadata: { logprobs: [lp('A'), lp('B')], systemFingerprint: 'fp_2' },
    })
  })
})

describe('usage', () => {
  it("reads OpenRouter's cache_write_tokens apart from the cached reads", () => {
    expect(
      convertOpenAIUsage({
        prompt_tokens: 100,
        completion_tokens: 5,
        prompt_tokens_details: { cached_tokens: 40, cache_write_tokens: 30 },
      }),
    ).toMatchObject({ inputTokens: 100, cachedInputTokens: 40, cacheWriteInputTokens: 30 })
  })
})

describe('providerOptions', () => {
  it('writes known camelCase keys under their wire names with snake_case objects; unknown keys go as given', () => {
    expect(
      convertOpenAIProviderOptions(
        {
          topLogprobs: 3,
          logprobs: true,
          parallelToolCalls: false,
          reasoning: { maxTokens: 10 },
          someKey: { camelCase: 1 },
        },
        {
          topLogprobs: 'top_logprobs',
          logprobs: 'logprobs',
          parallelToolCalls: 'parallel_tool_calls',
          reasoning: 'reasoning',
        },
      ),
    ).toEqual({
      top_logprobs: 3,
      logprobs: true,
      parallel_tool_calls: false,
      reasoning: { max_tokens: 10 },
      someKey: { camelCase: 1 },
    })
  })

  it('merges the vendor keys over the shared ones in the request body', () => {
    const request = {
      model: 'm',
      messages: [{ role: 'user', content: 'Hi' }],
      tools: [],
    } as unknown as AdapterRequest
    const body = convertToOpenAIRequest(
      request,
      context({ serviceTier: 'flex', reasoningFormat: 'parsed', raw_field: 1 }),
      { providerOptionKeys: { reasoningFormat: 'reasoning_format' } },
    )
    expect(body).toMatchObject({ service_tier: 'flex', reasoning_format: 'parsed', raw_field: 1 })
    expect(body).not.toHaveProperty('serviceTier')
  })
})
