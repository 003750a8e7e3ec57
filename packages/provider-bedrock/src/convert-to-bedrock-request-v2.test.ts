import { type GenerateRequest, InvalidRequestError, UnsupportedCapabilityError } from '@modelplex/core'
import type { AdapterRequest, CallContext } from '@modelplex/core/adapter'
import { describe, expect, it } from 'vitest'
import { convertToBedrockRequest, documentName } from './convert-to-bedrock-request.js'

function contextWith(providerOptions: Record<string, unknown> = {}): CallContext {
  return { signal: new AbortController().signal, headers: {}, providerOptions, warn: () => {} }
}

function request(overrides: Partial<AdapterRequest>): AdapterRequest {
  return {
    model: 'anthropic.claude-sonnet-4-20250514-v1:0',
    messages: [{ role: 'user', content: 'Hi' }],
    tools: undefined,
    ...overrides,
  }
}

const weather = {
  name: 'get_weather',
  description: 'Get the weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } } },
}

const cache = (ttl?: '5m' | '1h') => ({
  bedrock: { cachePoint: { type: 'default' as const, ...(ttl ? { ttl } : {}) } },
})

const state = () => ({ cachePoints: 0, documents: 0, names: new Set<string>(), provider: 'bedrock' })

describe('convertToBedrockRequest: reasoning', () => {
  it('sends signed and redacted reasoning back before the tool use, unchanged', async () => {
    const redacted = new Uint8Array([0, 1, 2, 250, 255])
    const input = await convertToBedrockRequest(
      request({
        messages: [
          { role: 'user', content: 'Weather?' },
          {
            role: 'assistant',
            content: [
              {
                type: 'reasoning',
                text: 'Call the tool.',
                providerMetadata: { bedrock: { signature: 'c2ln+/==' } },
              },
              { type: 'reasoning', text: '', providerMetadata: { bedrock: { redactedData: 'AAEC+v8=' } } },
              { type: 'tool-call', toolCallId: 't1', toolName: 'get_weather', input: { city: 'Oslo' } },
            ],
          },
        ],
      }),
      contextWith(),
    )
    expect(input.messages?.[1]?.content).toEqual([
      { reasoningContent: { reasoningText: { text: 'Call the tool.', signature: 'c2ln+/==' } } },
      { reasoningContent: { redactedContent: redacted } },
      { toolUse: { toolUseId: 't1', name: 'get_weather', input: { city: 'Oslo' } } },
    ])
  })

  it('unsigned reasoning goes back as text alone; empty unsigned reasoning is left out', async () => {
    const input = await convertToBedrockRequest(
      request({
        messages: [
          { role: 'user', content: 'Hi' },
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'Thinking.', providerMetadata: { bedrock: {} } },
              { type: 'reasoning', text: '', providerMetadata: { bedrock: {} } },
              { type: 'text', text: 'Hello.' },
            ],
          },
        ],
      }),
      contextWith(),
    )
    expect(input.messages?.[1]?.content).toEqual([
      { reasoningContent: { reasoningText: { text: 'Thinking.' } } },
      { text: 'Hello.' },
    ])
  })

  it('reasoningConfig becomes Claude thinking with budget_tokens, merged with top-k and extra fields', async () => {
    const input = await convertToBedrockRequest(
      request({ topK: 5 }),
      contextWith({
        reasoningConfig: { type: 'enabled', budgetTokens: 2048 },
        additionalModelRequestFields: { anthropic_beta: ['interleaved-thinking-2025-05-14'] },
        requestMetadata: { team: 'search' },
      }),
    )
    expect(input.additionalModelRequestFields).toEqual({
      top_k: 5,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      anthropic_beta: ['interleaved-thinking-2025-05-14'],
    })
    // Unknown and Converse-native keys pass through; the typed ones do not reach the body as given.
    expect(input).toMatchObject({ requestMetadata: { team: 'search' } })
    expect(input).not.toHaveProperty('reasoningConfig')
  })

  it('reasoningConfig becomes Nova reasoningConfig with maxReasoningEffort', async () => {
    const input = await convertToBedrockRequest(
      request({ model: 'us.amazon.nova-2-lite-v1:0' }),
      contextWith({ reasoningConfig: { type: 'enabled', maxReasoningEffort: 'low' } }),
    )
    expect(input.additionalModelRequestFields).toEqual({
      reasoningConfig: { type: 'enabled', maxReasoningEffort: 'low' },
    })
  })
})

describe('convertToBedrockRequest: files', () => {
  it('a PDF becomes a document block with its bytes and a name from the filename', async () => {
    const input = await convertToBedrockRequest(
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Summarise.' },
              {
                type: 'file',
                data: 'JVBERi0=',
                mediaType: 'application/pdf',
                filename: 'Q3 report.final.pdf',
              },
              { type: 'file', data: new Uint8Array([104, 105]), mediaType: 'text/markdown' },
            ],
          },
        ],
      }),
      contextWith(),
    )
    expect(input.messages?.[0]?.content).toEqual([
      { text: 'Summarise.' },
      {
        document: {
          format: 'pdf',
          name: 'Q3 report-final',
          source: { bytes: new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d]) },
        },
      },
      { document: { format: 'md', name: 'document-2', source: { bytes: new Uint8Array([104, 105]) } } },
    ])
  })

  it("a file part's citations and context options go into its document block", async () => {
    const input = await convertToBedrockRequest(
      request({
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'file',
                data: 'aGk=',
                mediaType: 'text/plain',
                filename: 'notes.txt',
                providerOptions: {
                  bedrock: { citations: { enabled: true }, context: 'Meeting notes', ...cache().bedrock },
                },
              },
            ],
          },
        ],
      }),
      contextWith({ citations: { enabled: true } }),
    )
    expect(input.messages?.[0]?.content).toEqual([
      {
        document: {
          format: 'txt',
          name: 'notes',
          source: { bytes: new Uint8Array([104, 105]) },
          citations: { enabled: true },
          context: 'Meeting notes',
        },
      },
      { cachePoint: { type: 'default' } },
    ])
    // A part option given for the whole call is not a Converse field: it is not sent.
    expect(input).not.toHaveProperty('citations')
  })

  it('document names keep only what Converse allows and are unique per request', () => {
    const names = state()
    expect(documentName('a  b__c!.txt', names)).toBe('a b-c-')
    expect(documentName('report (v2) [draft].docx', names)).toBe('report (v2) [draft]')
    expect(documentName('report (v2) [draft].pdf', names)).toBe('report (v2) [draft]-2')
    expect(documentName('.....', names)).toBe('document-4')
  })

  it('s3:// data becomes an S3 location; an https URL is downloaded', async () => {
    const input = await convertToBedrockRequest(
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'file', data: 's3://bucket/a.csv', mediaType: 'text/csv', filename: 'a.csv' },
              { type: 'file', data: new URL('https://example.com/b.html'), mediaType: 'text/html' },
            ],
          },
        ],
      }),
      contextWith(),
      { fetch: async () => new Response('<p>hi</p>') },
    )
    expect(input.messages?.[0]?.content).toEqual([
      { document: { format: 'csv', name: 'a', source: { s3Location: { uri: 's3://bucket/a.csv' } } } },
      {
        document: {
          format: 'html',
          name: 'document-2',
          source: { bytes: new TextEncoder().encode('<p>hi</p>') },
        },
      },
    ])
  })

  it('audio becomes an audio block (bytes or S3), with no name', async () => {
    const input = await convertToBedrockRequest(
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'file', data: 'UklGRg==', mediaType: 'audio/wav', filename: 'clip.wav' },
              { type: 'file', data: 's3://bucket/talk.mp3', mediaType: 'audio/mpeg' },
            ],
          },
        ],
      }),
      contextWith(),
    )
    expect(input.messages?.[0]?.content).toEqual([
      { audio: { format: 'wav', source: { bytes: new Uint8Array([0x52, 0x49, 0x46, 0x46]) } } },
      { audio: { format: 'mp3', source: { s3Location: { uri: 's3://bucket/talk.mp3' } } } },
    ])
  })

  it('a media type Converse does not read → UnsupportedCapabilityError naming it', async () => {
    const error = await convertToBedrockRequest(
      request({
        messages: [{ role: 'user', content: [{ type: 'file', data: 'AAAA', mediaType: 'video/x-flv' }] }],
      }),
      contextWith(),
    ).catch((e) => e)
    expect(UnsupportedCapabilityError.isInstance(error)).toBe(true)
    expect(error.capability).toBe('files')
    expect(error.message).toContain('video/x-flv')
  })
})

describe('convertToBedrockRequest: cache checkpoints', () => {
  it('places cachePoint blocks after system, a part, a message and a tool', async () => {
    const input = await convertToBedrockRequest(
      request({
        messages: [
          { role: 'system', content: 'Be brief.', providerOptions: cache() },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Long document.', providerOptions: cache('1h') },
              { type: 'text', text: 'Question?' },
            ],
            providerOptions: cache(),
          },
        ],
        tools: [{ ...weather, providerOptions: cache() }],
      }),
      contextWith(),
    )
    expect(input.system).toEqual([{ text: 'Be brief.' }, { cachePoint: { type: 'default' } }])
    expect(input.messages?.[0]?.content).toEqual([
      { text: 'Long document.' },
      { cachePoint: { type: 'default', ttl: '1h' } },
      { text: 'Question?' },
      { cachePoint: { type: 'default' } },
    ])
    expect(input.toolConfig?.tools).toEqual([
      {
        toolSpec: {
          name: 'get_weather',
          description: 'Get the weather',
          inputSchema: { json: weather.parameters },
        },
      },
      { cachePoint: { type: 'default' } },
    ])
  })

  it('a fifth checkpoint → InvalidRequestError naming the limit of 4', async () => {
    const error = await convertToBedrockRequest(
      request({
        messages: [
          {
            role: 'user',
            content: Array.from({ length: 5 }, (_, i) => ({
              type: 'text' as const,
              text: `part ${i}`,
              providerOptions: cache(),
            })),
          },
        ],
      }),
      contextWith(),
    ).catch((e) => e)
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    expect(error.message).toContain('at most 4 cache checkpoints')
  })

  it('a cachePoint in the call options is not sent as a top-level field', async () => {
    const input = await convertToBedrockRequest(request({}), contextWith({ cachePoint: { type: 'default' } }))
    expect(input).not.toHaveProperty('cachePoint')
  })
})

describe('BedrockProviderOptions', () => {
  it('types providerOptions.bedrock once the package is imported (checked by tsc)', () => {
    const typed: GenerateRequest = {
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'text',
              text: 'doc',
              providerOptions: { bedrock: { cachePoint: { type: 'default', ttl: '1h' } } },
            },
          ],
        },
      ],
      providerOptions: {
        bedrock: { reasoningConfig: { type: 'enabled', budgetTokens: 1024 }, someNewField: 1 },
      },
    }
    const wrong: GenerateRequest = {
      messages: [],
      // @ts-expect-error budgetTokens is a number
      providerOptions: { bedrock: { reasoningConfig: { type: 'enabled', budgetTokens: 'many' } } },
    }
    expect(typed.providerOptions?.bedrock?.reasoningConfig?.budgetTokens).toBe(1024)
    expect(wrong.messages).toEqual([])
  })
})
