import * as genai from '@google/genai'
import {
  AuthenticationError,
  ConfigError,
  MalformedResponseError,
  RateLimitError,
  ServerError,
  StreamInterruptedError,
} from '@modelplex/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import embeddings from './__fixtures__/batch-embed-contents.json' with { type: 'json' }
import unavailable from './__fixtures__/error-503-unavailable.json' with { type: 'json' }
import functionCall from './__fixtures__/generate-content-function-call.json' with { type: 'json' }
import text from './__fixtures__/generate-content-text.json' with { type: 'json' }
import listModels from './__fixtures__/list-models.json' with { type: 'json' }
import listModelsPage2 from './__fixtures__/list-models-page-2.json' with { type: 'json' }
import { readPromptTokenCount } from './google-adapter.js'
import spec, { createGoogle } from './index.js'

interface Sent {
  url: string
  headers: Record<string, string>
  body: any
}

const KEY = 'AIzaSy-provider-test-0123456789'

/** A fetch that records each request and answers from `replies` (the last repeats). */
function recordingFetch(...replies: Array<() => Response>) {
  const sent: Sent[] = []
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers: Record<string, string> = {}
    new Headers(init?.headers).forEach((value, name) => {
      headers[name] = value
    })
    sent.push({ url: String(input), headers, body: init?.body ? JSON.parse(String(init.body)) : undefined })
    return replies[Math.min(sent.length, replies.length) - 1]!()
  })
  return { sent, fetch: fetch as unknown as typeof globalThis.fetch }
}

const json =
  (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    })

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('createGoogle', () => {
  it('sends generateContent with the key in x-goog-api-key, and this exact body', async () => {
    const { sent, fetch } = recordingFetch(json(text))
    const provider = createGoogle({ apiKey: KEY, fetch, headers: { 'x-app': 'modelplex-test' } })
    const result = await provider.generate({
      model: 'gemini-2.5-flash',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Hi' },
      ],
      temperature: 0.4,
      maxOutputTokens: 100,
      tools: [
        { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: {} } },
      ],
      toolChoice: 'auto',
      headers: { 'x-call': 'one' },
      providerOptions: { google: { generationConfig: { thinkingConfig: { includeThoughts: true } } } },
    })
    expect(sent).toHaveLength(1)
    expect(sent[0]!.url).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent',
    )
    expect(sent[0]!.headers).toMatchObject({
      'x-goog-api-key': KEY,
      'x-app': 'modelplex-test',
      'x-call': 'one',
    })
    expect(sent[0]!.body).toMatchInlineSnapshot(`
      {
        "contents": [
          {
            "parts": [
              {
                "text": "Hi",
              },
            ],
            "role": "user",
          },
        ],
        "generationConfig": {
          "maxOutputTokens": 100,
          "temperature": 0.4,
          "thinkingConfig": {
            "includeThoughts": true,
          },
        },
        "systemInstruction": {
          "parts": [
            {
              "text": "You are terse.",
            },
          ],
        },
        "toolConfig": {
          "functionCallingConfig": {
            "mode": "AUTO",
          },
        },
        "tools": [
          {
            "functionDeclarations": [
              {
                "description": "Weather",
                "name": "get_weather",
                "parametersJsonSchema": {
                  "properties": {},
                  "type": "object",
                },
              },
            ],
          },
        ],
      }
    `)
    expect(result).toMatchObject({
      text: 'Hello! How can I help you today?',
      provider: 'google',
      model: 'gemini-2.5-flash',
    })
    // 3 uncached input at $0.30, 2 cached at $0.03, 225 output (thinking included) at $2.50 per million.
    expect(result.cost).toEqual({ input: 0.00000096, output: 0.0005625, total: 0.00056346, currency: 'USD' })
  })

  it("makes one request per attempt: the SDK's own retries are off", async () => {
    const { sent, fetch } = recordingFetch(json(unavailable, 503))
    const provider = createGoogle({ apiKey: KEY, fetch })
    const error = await provider
      .generate({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'Hi' }], maxRetries: 0 })
      .catch((caught) => caught)
    expect(error).toBeInstanceOf(ServerError)
    expect(sent).toHaveLength(1)
  })

  it('a stream cut inside a frame → StreamInterruptedError with the text so far; inside the first → MalformedResponseError, once', async () => {
    const frame = (text: string) =>
      `data: ${JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text }] } }], responseId: 'r1' })}\r\n\r\n`
    const sse = (body: string) => () =>
      new Response(body, { headers: { 'content-type': 'text/event-stream' } })
    const request = { model: 'gemini-2.5-flash', messages: [{ role: 'user' as const, content: 'Hi' }] }

    const late = recordingFetch(sse(`${frame('Hello')}${frame(' world').slice(0, 30)}`))
    const stream = createGoogle({ apiKey: KEY, fetch: late.fetch }).stream(request)
    const error = await stream.result().catch((caught) => caught)
    expect(StreamInterruptedError.isInstance(error)).toBe(true)
    expect(error.partial.text).toBe('Hello')

    const early = recordingFetch(sse(frame('Hello').slice(0, 30)))
    const first = await createGoogle({ apiKey: KEY, fetch: early.fetch })
      .stream(request)
      .result()
      .catch((caught) => caught)
    expect(MalformedResponseError.isInstance(first)).toBe(true)
    // Not retried: a body that ends early is not a connection failure.
    expect(early.sent).toHaveLength(1)
  })

  it('honours a Retry-After header on a 429 without RetryInfo, then succeeds', async () => {
    const quota = {
      error: {
        code: 429,
        message: 'Resource has been exhausted (e.g. check quota).',
        status: 'RESOURCE_EXHAUSTED',
      },
    }
    const { sent, fetch } = recordingFetch(json(quota, 429, { 'retry-after': '0' }), json(text))
    const onRetry = vi.fn()
    const provider = createGoogle({ apiKey: KEY, fetch, hooks: { onRetry } })
    const result = await provider.generate({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'Hi' }],
    })
    expect(result.text).toBe('Hello! How can I help you today?')
    expect(sent).toHaveLength(2)
    expect(onRetry.mock.calls[0]![0]).toMatchObject({ delayMs: 0 })
    expect(RateLimitError.isInstance(onRetry.mock.calls[0]![0].error)).toBe(true)
    expect(onRetry.mock.calls[0]![0].error.retryAfterMs).toBe(0)
  })

  it('sends a Gemini 3 tool call back with the thought signature it came with', async () => {
    const { sent, fetch } = recordingFetch(json(functionCall), json(text))
    const provider = createGoogle({ apiKey: KEY, fetch })
    const first = await provider.generate({
      model: 'gemini-3.8-flash',
      messages: [{ role: 'user', content: 'Weather and time in Paris?' }],
    })
    const [weather, time] = first.toolCalls
    await provider.generate({
      model: 'gemini-3.8-flash',
      messages: [
        { role: 'user', content: 'Weather and time in Paris?' },
        {
          role: 'assistant',
          content: first.toolCalls.map((call) => ({ type: 'tool-call' as const, ...call })),
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: weather!.toolCallId,
              toolName: 'get_weather',
              output: { celsius: 21 },
            },
            { type: 'tool-result', toolCallId: time!.toolCallId, toolName: 'get_time', output: '14:05' },
          ],
        },
      ],
    })
    expect(sent[1]!.body.contents[1]).toEqual({
      role: 'model',
      parts: [
        {
          functionCall: {
            id: 'call_e7dXabCdEfGhIjKl_0',
            name: 'get_weather',
            args: { city: 'Paris', unit: 'celsius' },
          },
          thoughtSignature: 'CiQB0e2Kb3mSzgdmodelplexSignature0001',
        },
        {
          functionCall: {
            id: 'call_e7dXabCdEfGhIjKl_1',
            name: 'get_time',
            args: { timeZone: 'Europe/Paris' },
          },
        },
      ],
    })
  })

  it('runs a 3-turn tool loop with thinking across restarts: every signature goes back on its part, byte for byte', async () => {
    // Gemini 3 with includeThoughts: a thought summary, then the signed first function call
    // (ai.google.dev/gemini-api/docs/thought-signatures); the last turn's signature sits alone on an empty part.
    const SIGNATURE_1 = 'CiQB0e2Kb3mSzgd/turn1+call==Signature'
    const SIGNATURE_2 = 'CiQB0e2Kb3mSzgd/turn2+call==Signature'
    const SIGNATURE_3 = 'CiQB0e2Kb3mSzgd/turn3+text==Signature'
    const usageMetadata = {
      promptTokenCount: 20,
      candidatesTokenCount: 5,
      thoughtsTokenCount: 7,
      totalTokenCount: 32,
    }
    const turn1 = {
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { text: '**Planning**\n\nI need the weather first.', thought: true },
              {
                functionCall: { id: 'fc_1', name: 'get_weather', args: { city: 'Paris' } },
                thoughtSignature: SIGNATURE_1,
              },
            ],
          },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata,
      modelVersion: 'gemini-3.8-flash',
      responseId: 'turn-1',
    }
    // The second turn streams: the thought, then the signed call in a chunk of its own.
    const frames = [
      {
        candidates: [
          { content: { role: 'model', parts: [{ text: 'Now the time.', thought: true }] }, index: 0 },
        ],
        modelVersion: 'gemini-3.8-flash',
        responseId: 'turn-2',
      },
      {
        candidates: [
          {
            content: {
              role: 'model',
              parts: [
                {
                  functionCall: { id: 'fc_2', name: 'get_time', args: { city: 'Paris' } },
                  thoughtSignature: SIGNATURE_2,
                },
              ],
            },
            finishReason: 'STOP',
            index: 0,
          },
        ],
        usageMetadata,
        modelVersion: 'gemini-3.8-flash',
        responseId: 'turn-2',
      },
    ]
    const turn2 = () =>
      new Response(frames.map((frame) => `data: ${JSON.stringify(frame)}\r\n\r\n`).join(''), {
        headers: { 'content-type': 'text/event-stream' },
      })
    const turn3 = {
      candidates: [
        {
          content: {
            role: 'model',
            parts: [{ text: 'It is 21 °C and 14:05 in Paris.' }, { text: '', thoughtSignature: SIGNATURE_3 }],
          },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata,
      modelVersion: 'gemini-3.8-flash',
      responseId: 'turn-3',
    }
    const { sent, fetch } = recordingFetch(json(turn1), turn2, json(turn3), json(text))
    const tools = [
      { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
      { name: 'get_time', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
    ]
    const providerOptions = { google: { thinkingConfig: { includeThoughts: true, thinkingLevel: 'low' } } }
    /** A conversation saved as JSON and read back, as after a process restart. */
    const restart = (messages: unknown) => JSON.parse(JSON.stringify(messages))
    const call = () => createGoogle({ apiKey: KEY, fetch })

    let history = [{ role: 'user' as const, content: 'Weather and time in Paris?' }] as any[]
    const first = await call().generate({
      model: 'gemini-3.8-flash',
      messages: history,
      tools,
      providerOptions,
    })
    expect(first.toolCalls[0]!.providerMetadata).toEqual({ google: { thoughtSignature: SIGNATURE_1 } })
    history = restart([
      ...history,
      ...first.messages,
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'fc_1', toolName: 'get_weather', output: { celsius: 21 } },
        ],
      },
    ])

    const stream = call().stream({ model: 'gemini-3.8-flash', messages: history, tools, providerOptions })
    const second = await stream.result()
    expect(second.reasoning).toBe('Now the time.')
    history = restart([
      ...history,
      ...second.messages,
      {
        role: 'tool',
        content: [{ type: 'tool-result', toolCallId: 'fc_2', toolName: 'get_time', output: '14:05' }],
      },
    ])

    const third = await call().generate({
      model: 'gemini-3.8-flash',
      messages: history,
      tools,
      providerOptions,
    })
    expect(third.text).toBe('It is 21 °C and 14:05 in Paris.')
    history = restart([...history, ...third.messages, { role: 'user', content: 'Thanks!' }])
    await call().generate({ model: 'gemini-3.8-flash', messages: history, tools, providerOptions })

    expect(sent).toHaveLength(4)
    expect(sent[1]!.url).toContain(':streamGenerateContent')
    // The typed thinking options reach generationConfig, on every turn.
    for (const request of sent) {
      expect(request.body.generationConfig.thinkingConfig).toEqual({
        includeThoughts: true,
        thinkingLevel: 'low',
      })
    }
    const modelTurn1 = {
      role: 'model',
      parts: [
        { text: '**Planning**\n\nI need the weather first.', thought: true },
        {
          functionCall: { id: 'fc_1', name: 'get_weather', args: { city: 'Paris' } },
          thoughtSignature: SIGNATURE_1,
        },
      ],
    }
    const modelTurn2 = {
      role: 'model',
      parts: [
        { text: 'Now the time.', thought: true },
        {
          functionCall: { id: 'fc_2', name: 'get_time', args: { city: 'Paris' } },
          thoughtSignature: SIGNATURE_2,
        },
      ],
    }
    const modelTurn3 = {
      role: 'model',
      parts: [{ text: 'It is 21 °C and 14:05 in Paris.' }, { text: '', thoughtSignature: SIGNATURE_3 }],
    }
    expect(sent[1]!.body.contents[1]).toEqual(modelTurn1)
    expect(sent[2]!.body.contents[1]).toEqual(modelTurn1)
    expect(sent[2]!.body.contents[3]).toEqual(modelTurn2)
    expect(sent[3]!.body.contents.filter((content: any) => content.role === 'model')).toEqual([
      modelTurn1,
      modelTurn2,
      modelTurn3,
    ])
    expect(sent[3]!.body.contents.at(-1)).toEqual({ role: 'user', parts: [{ text: 'Thanks!' }] })
  })

  it('sends typed providerOptions where Gemini reads them, and unknown keys to the body untouched', async () => {
    const { sent, fetch } = recordingFetch(json(text))
    await createGoogle({ apiKey: KEY, fetch }).generate({
      model: 'gemini-2.5-flash',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What happens at 0:10?' },
            {
              type: 'file',
              data: 'https://generativelanguage.googleapis.com/v1beta/files/clip-1',
              mediaType: 'video/mp4',
              providerOptions: { google: { videoMetadata: { startOffset: '10s', endOffset: '20s' } } },
            },
          ],
        },
      ],
      providerOptions: {
        google: {
          thinkingConfig: { thinkingBudget: 512 },
          cachedContent: 'cachedContents/abc123',
          safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
          responseModalities: ['TEXT'],
          futureField: { enabled: true },
        },
      },
    })
    const body = sent[0]!.body
    expect(body.generationConfig).toMatchObject({
      thinkingConfig: { thinkingBudget: 512 },
      responseModalities: ['TEXT'],
    })
    expect(body.cachedContent).toBe('cachedContents/abc123')
    expect(body.safetySettings).toEqual([{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }])
    expect(body.futureField).toEqual({ enabled: true })
    expect(body).not.toHaveProperty('thinkingConfig')
    expect(body.contents[0].parts[1]).toEqual({
      fileData: {
        mimeType: 'video/mp4',
        fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/clip-1',
      },
      videoMetadata: { startOffset: '10s', endOffset: '20s' },
    })
  })

  it('embeds through batchEmbedContents, one content per input, usage read off the wire', async () => {
    const { sent, fetch } = recordingFetch(json(embeddings))
    const provider = createGoogle({ apiKey: KEY, fetch })
    const result = await provider.embed({
      model: 'gemini-embedding-2',
      input: ['alpha', 'beta'],
      dimensions: 3,
    })
    expect(sent[0]!.url).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-2:batchEmbedContents',
    )
    expect(sent[0]!.body).toEqual({
      requests: [
        {
          content: { parts: [{ text: 'alpha' }] },
          outputDimensionality: 3,
          model: 'models/gemini-embedding-2',
        },
        {
          content: { parts: [{ text: 'beta' }] },
          outputDimensionality: 3,
          model: 'models/gemini-embedding-2',
        },
      ],
    })
    expect(result.embeddings).toHaveLength(2)
    expect(result.usage).toEqual({ inputTokens: 9 })
    expect(result.cost).toEqual({ input: 0.0000018, output: 0, total: 0.0000018, currency: 'USD' })
  })

  it('applies embedding providerOptions to every request of the batch, and warns about unknown ones', async () => {
    const { sent, fetch } = recordingFetch(json(embeddings))
    const result = await createGoogle({ apiKey: KEY, fetch }).embed({
      input: ['alpha', 'beta'],
      providerOptions: { google: { taskType: 'RETRIEVAL_DOCUMENT', pooling: 'mean' } },
    })
    expect(sent[0]!.url).toContain('/models/gemini-embedding-001:batchEmbedContents')
    expect(sent[0]!.body.requests.map((entry: any) => entry.taskType)).toEqual([
      'RETRIEVAL_DOCUMENT',
      'RETRIEVAL_DOCUMENT',
    ])
    expect(JSON.stringify(sent[0]!.body)).not.toContain('pooling')
    expect(result.warnings).toEqual([
      expect.objectContaining({ type: 'unsupported-setting', setting: 'providerOptions.google.pooling' }),
    ])
  })

  it('lists models across pages, with the signal and headers on every page', async () => {
    const { sent, fetch } = recordingFetch(json(listModels), json(listModelsPage2))
    const provider = createGoogle({ apiKey: KEY, fetch })
    const models = await provider.listModels({ headers: { 'x-call': 'list' } })
    expect(models.map((model) => model.id)).toEqual([
      'gemini-2.5-flash',
      'gemini-embedding-001',
      'gemini-3.8-flash',
    ])
    expect(sent.map((request) => new URL(request.url).searchParams.get('pageToken'))).toEqual([
      null,
      'Ch5tb2RlbHMvZ2VtaW5pLWVtYmVkZGluZy0wMDE=',
    ])
    expect(sent.every((request) => request.headers['x-call'] === 'list')).toBe(true)
  })

  it('reads the key from GEMINI_API_KEY before GOOGLE_API_KEY, and the base URL from GOOGLE_GEMINI_BASE_URL', async () => {
    vi.stubEnv('GEMINI_API_KEY', 'AIzaSy-from-gemini-env-000')
    vi.stubEnv('GOOGLE_API_KEY', 'AIzaSy-from-google-env-000')
    vi.stubEnv('GOOGLE_GEMINI_BASE_URL', 'https://gemini-proxy.example.com')
    const { sent, fetch } = recordingFetch(json(text))
    await createGoogle({ fetch, apiVersion: 'v1' }).generate({ messages: [{ role: 'user', content: 'Hi' }] })
    expect(sent[0]!.headers['x-goog-api-key']).toBe('AIzaSy-from-gemini-env-000')
    expect(sent[0]!.url).toBe('https://gemini-proxy.example.com/v1/models/gemini-3.8-flash:generateContent')
  })

  it('without a key → ConfigError naming both variables, before any request', async () => {
    vi.stubEnv('GEMINI_API_KEY', '')
    vi.stubEnv('GOOGLE_API_KEY', '')
    const { sent, fetch } = recordingFetch(json(text))
    const error = await createGoogle({ fetch })
      .generate({ messages: [{ role: 'user', content: 'Hi' }] })
      .catch((caught) => caught)
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toContain('GEMINI_API_KEY or GOOGLE_API_KEY')
    expect(sent).toHaveLength(0)
  })

  it('rejects Vertex-only settings without vertexai, and unknown settings', async () => {
    const project = await createGoogle({ apiKey: KEY, project: 'my-project' })
      .generate({ messages: [{ role: 'user', content: 'Hi' }] })
      .catch((caught) => caught)
    expect(project).toBeInstanceOf(ConfigError)
    expect(project.message).toContain('vertexai: true')
    const unknown = await createGoogle({ apiKey: KEY, region: 'eu' } as never)
      .generate({ messages: [{ role: 'user', content: 'Hi' }] })
      .catch((caught) => caught)
    expect(unknown).toBeInstanceOf(ConfigError)
    expect(unknown.message).toContain('region')
  })

  it('uses an injected SDK module (the sdk setting) and maps its ApiError', async () => {
    const GoogleGenAI = vi.fn(function (this: unknown, options: unknown) {
      return new genai.GoogleGenAI(options as never)
    })
    const { fetch } = recordingFetch(
      json({ error: { code: 403, message: 'denied', status: 'PERMISSION_DENIED' } }, 403),
    )
    const error = await createGoogle({ apiKey: KEY, fetch, sdk: { ...genai, GoogleGenAI } })
      .generate({ messages: [{ role: 'user', content: 'Hi' }] })
      .catch((caught) => caught)
    expect(GoogleGenAI).toHaveBeenCalledOnce()
    expect(GoogleGenAI.mock.calls[0]![0]).toMatchObject({
      vertexai: false,
      httpOptions: { retryOptions: { attempts: 1 } },
    })
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error.message).not.toContain(KEY)
  })

  it('declares the spec the issue asks for', () => {
    expect(spec).toMatchObject({
      id: 'google',
      sdk: { package: '@google/genai' },
      env: { apiKey: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'], baseURL: ['GOOGLE_GEMINI_BASE_URL'] },
      capabilities: {
        stream: true,
        tools: true,
        structuredOutput: 'json-schema',
        embeddings: true,
        vision: true,
        listModels: true,
      },
    })
    expect(spec.pricing.models[spec.defaultModel]).toBeDefined()
    expect(spec.pricing.models[spec.defaultEmbeddingModel!]).toBeDefined()
  })
})

describe('readPromptTokenCount', () => {
  it('finds usageMetadata.promptTokenCount at the end of a body, or nothing', () => {
    expect(readPromptTokenCount(JSON.stringify(embeddings, null, 2))).toBe(9)
    expect(readPromptTokenCount('{"embeddings":[{"values":[1]}]}')).toBeUndefined()
    expect(readPromptTokenCount('{"usageMetadata": {"promptTokenCount": ')).toBeUndefined()
  })
})
