import type { WireReply, WireRequestView } from '@modelplex/conformance'
import { ConfigError } from '@modelplex/core'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import spec, { createMistral } from './index.js'
import { toServerURL } from './mistral-adapter.js'
import { fixture, jsonResponse, TEST_KEY, testProvider } from './mistral-test-helpers.js'
import { createMistralWireKit } from './testing.js'

const hello = [{ role: 'user' as const, content: 'Hi' }]
const ok = () => jsonResponse(fixture('chat-completion-text.json'))

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('the spec', () => {
  it('names the SDK, the env variables, the defaults and every capability', () => {
    expect(spec.id).toBe('mistral')
    expect(spec.sdk).toEqual({ package: '@mistralai/mistralai', range: '^2.7.0' })
    expect(spec.env).toEqual({ apiKey: ['MISTRAL_API_KEY'], baseURL: ['MISTRAL_BASE_URL'] })
    expect(spec.defaultModel).toBe('mistral-small-latest')
    expect(spec.defaultEmbeddingModel).toBe('mistral-embed')
    expect(spec.capabilities).toEqual({
      stream: true,
      tools: true,
      structuredOutput: 'json-schema',
      embeddings: true,
      vision: true,
      listModels: true,
      files: ['application/pdf', 'audio/*'],
      reasoning: true,
    })
  })
})

describe('settings', () => {
  it('reads MISTRAL_API_KEY and MISTRAL_BASE_URL', async () => {
    vi.stubEnv('MISTRAL_API_KEY', 'mistral-env-key-0123456789')
    vi.stubEnv('MISTRAL_BASE_URL', 'https://api.eu.mistral.ai')
    const { provider, requests } = testProvider(ok, { apiKey: undefined })
    await provider.generate({ messages: hello })
    expect(requests[0]!.url).toBe('https://api.eu.mistral.ai/v1/chat/completions')
    expect(requests[0]!.headers.authorization).toBe('Bearer mistral-env-key-0123456789')
  })

  it('throws ConfigError naming the option and the variable when there is no key', async () => {
    vi.stubEnv('MISTRAL_API_KEY', '')
    const { provider, requests } = testProvider(ok, { apiKey: undefined })
    const error = await provider.generate({ messages: hello }).catch((e) => e)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect(error.message).toContain('apiKey')
    expect(error.message).toContain('MISTRAL_API_KEY')
    expect(requests).toHaveLength(0)
  })

  it('rejects an unknown setting', async () => {
    const { provider } = testProvider(ok, { safePrompt: true })
    const error = await provider.generate({ messages: hello }).catch((e) => e)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect(error.message).toContain('safePrompt')
  })

  it('accepts an OpenAI-style base URL ending in /v1', async () => {
    const { provider, requests } = testProvider(ok, { baseURL: 'https://proxy.example.com/mistral/v1/' })
    await provider.generate({ messages: hello })
    expect(requests[0]!.url).toBe('https://proxy.example.com/mistral/v1/chat/completions')
    expect(toServerURL('https://api.mistral.ai')).toBe('https://api.mistral.ai')
    expect(toServerURL(undefined)).toBeUndefined()
  })

  it('sends the headers setting and per-call headers, the call winning', async () => {
    const { provider, requests } = testProvider(ok, { headers: { 'x-team': 'a', 'x-trace': 'settings' } })
    await provider.generate({ messages: hello, headers: { 'x-trace': 'call' } })
    expect(requests[0]!.headers['x-team']).toBe('a')
    expect(requests[0]!.headers['x-trace']).toBe('call')
  })

  it('refuses an sdk setting that is not the module', async () => {
    const { provider } = testProvider(ok, { sdk: { Mistral: class {} } })
    const error = await provider.generate({ messages: hello }).catch((e) => e)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect(error.message).toContain('@mistralai/mistralai')
  })

  it('uses an injected SDK module instead of importing one', async () => {
    const sdk = await import('@mistralai/mistralai')
    const { provider, requests } = testProvider(ok, { sdk })
    expect((await provider.generate({ messages: hello })).text).toContain('Bonjour')
    expect(requests).toHaveLength(1)
  })
})

describe('providerOptions.mistral', () => {
  it('are merged into the wire body last, as Mistral wire fields, and the marker never leaves', async () => {
    const { provider, requests } = testProvider(ok)
    await provider.generate({
      messages: hello,
      maxOutputTokens: 50,
      providerOptions: { mistral: { safe_prompt: true, prompt_mode: 'reasoning', max_tokens: 5 } },
    })
    const { body, headers } = requests[0]!
    expect(body.safe_prompt).toBe(true)
    expect(body.prompt_mode).toBe('reasoning')
    expect(body.max_tokens).toBe(5)
    expect(Object.keys(headers).filter((name) => name.startsWith('x-modelplex'))).toEqual([])
  })

  it('are not applied to listModels, a GET without a body, which still works', async () => {
    const { provider, requests } = testProvider(() => jsonResponse(fixture('models.json')))
    const models = await provider.listModels({ providerOptions: { mistral: { safe_prompt: true } } })
    expect(models.length).toBeGreaterThan(0)
    expect(requests[0]!.body).toBeUndefined()
    expect(Object.keys(requests[0]!.headers).filter((name) => name.startsWith('x-modelplex'))).toEqual([])
  })

  it('reach embeddings too', async () => {
    const { provider, requests } = testProvider(() => jsonResponse(fixture('embeddings.json')))
    await provider.embed({ input: 'a', providerOptions: { mistral: { output_dtype: 'int8' } } })
    expect(requests[0]!.body).toEqual({ model: 'mistral-embed', input: ['a'], output_dtype: 'int8' })
  })
})

describe('warnings', () => {
  it('topK is not sent and yields a warning', async () => {
    const { provider, requests } = testProvider(ok)
    const result = await provider.generate({ messages: hello, topK: 5 })
    expect(result.warnings).toEqual([expect.objectContaining({ setting: 'topK' })])
    expect(JSON.stringify(requests[0]!.body)).not.toContain('top_k')
  })

  it('dimensions: sent as output_dimension to codestral-embed, warned and dropped for mistral-embed', async () => {
    const { provider, requests } = testProvider(() => jsonResponse(fixture('embeddings.json')))
    const codestral = await provider.embed({ model: 'codestral-embed', input: 'a', dimensions: 256 })
    expect(requests[0]!.body.output_dimension).toBe(256)
    expect(codestral.warnings).toEqual([])
    const mistral = await provider.embed({ model: 'mistral-embed', input: 'a', dimensions: 256 })
    expect(requests[1]!.body).not.toHaveProperty('output_dimension')
    expect(mistral.warnings).toEqual([expect.objectContaining({ setting: 'dimensions' })])
    const native = await provider.embed({ model: 'mistral-embed', input: 'a', dimensions: 1024 })
    expect(native.warnings).toEqual([])
  })
})

describe('retries', () => {
  it("are core's only: the SDK sends one request per attempt", async () => {
    const failing = () =>
      jsonResponse({ object: 'error', message: 'x', type: 'server_error', param: null, code: null }, 503)
    const once = testProvider(failing)
    await once.provider.generate({ messages: hello }).catch(() => {})
    expect(once.requests).toHaveLength(1)
    const twice = testProvider(failing, { retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 1 } })
    await twice.provider.generate({ messages: hello }).catch(() => {})
    expect(twice.requests).toHaveLength(2)
  })
})

describe('tool call ids (through the wire kit)', () => {
  const kit = createMistralWireKit()
  const views: WireRequestView[] = []
  const reply: WireReply = {
    type: 'generate',
    text: 'Done.',
    finishReason: 'stop',
    usage: { inputTokens: 1, outputTokens: 1 },
  }
  const server = setupServer(
    ...kit.handlers((view) => {
      views.push(view)
      return reply
    }),
  )
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterAll(() => server.close())

  const conversation = [
    { role: 'user' as const, content: 'Weather?' },
    {
      role: 'assistant' as const,
      content: [
        {
          type: 'tool-call' as const,
          toolCallId: 'call_PTLP8xhu3uwZk4l3nlnrrJha',
          toolName: 'get_weather',
          input: {},
        },
        { type: 'tool-call' as const, toolCallId: 'gSIMJiOkT', toolName: 'get_time', input: {} },
      ],
    },
    {
      role: 'tool' as const,
      content: [
        {
          type: 'tool-result' as const,
          toolCallId: 'call_PTLP8xhu3uwZk4l3nlnrrJha',
          toolName: 'get_weather',
          output: 'sun',
        },
        { type: 'tool-result' as const, toolCallId: 'gSIMJiOkT', toolName: 'get_time', output: 'noon' },
      ],
    },
  ]

  it('are rewritten by default to 9 letters or digits, a call and its result alike', async () => {
    views.length = 0
    const provider = createMistral({ ...kit.settings, normalizeToolCallIds: undefined } as never)
    await provider.generate({ messages: conversation })
    const [, assistant, weather, time] = views[0]!.messages
    const rewritten = assistant!.toolCallIds![0]!
    expect(rewritten).toMatch(/^[a-zA-Z0-9]{9}$/)
    expect(assistant!.toolCallIds).toEqual([rewritten, 'gSIMJiOkT'])
    expect(weather!.toolCallIds).toEqual([rewritten])
    expect(time!.toolCallIds).toEqual(['gSIMJiOkT'])
  })

  it('pass unchanged with normalizeToolCallIds: false', async () => {
    views.length = 0
    const provider = createMistral({ ...kit.settings, normalizeToolCallIds: false } as never)
    await provider.generate({ messages: conversation })
    expect(views[0]!.messages[1]!.toolCallIds).toEqual(['call_PTLP8xhu3uwZk4l3nlnrrJha', 'gSIMJiOkT'])
    expect(views[0]!.apiKey).toBe(kit.apiKey)
    expect(TEST_KEY).not.toBe(kit.apiKey)
  })
})
