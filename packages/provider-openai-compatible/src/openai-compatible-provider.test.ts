import type { WireReply, WireRequestView } from '@modelplex/conformance'
import { ConfigError } from '@modelplex/core'
import { setupServer } from 'msw/node'
import { OpenAI } from 'openai'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import spec, { createOpenAICompatible } from './index.js'
import { createOpenAICompatibleWireKit } from './openai-compatible-wire-kit.js'

const kit = createOpenAICompatibleWireKit({ baseURL: 'http://localhost:8000/v1' })
const views: WireRequestView[] = []
const defaultReply: WireReply = {
  type: 'generate',
  text: 'Hi there',
  finishReason: 'stop',
  usage: { inputTokens: 1_000_000, outputTokens: 1_000_000 },
}
let reply: WireReply = defaultReply
const server = setupServer(
  ...kit.handlers((view) => {
    views.push(view)
    return reply
  }),
)
const messages = [{ role: 'user' as const, content: 'Hello' }]

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  views.length = 0
  reply = defaultReply
  vi.unstubAllEnvs()
})
afterAll(() => server.close())

describe('openai-compatible provider', () => {
  it('declares the id, the env variables and every capability', () => {
    expect(spec.id).toBe('openai-compatible')
    expect(spec.env).toEqual({
      apiKey: ['OPENAI_COMPATIBLE_API_KEY'],
      baseURL: ['OPENAI_COMPATIBLE_BASE_URL'],
    })
    expect(spec.requiresApiKey).toBe(false)
    expect(spec.capabilities).toEqual({
      reasoning: true,
      files: [],
      stream: true,
      tools: true,
      structuredOutput: 'json-schema',
      embeddings: true,
      vision: true,
      listModels: true,
    })
  })

  it('throws ConfigError naming the baseURL setting and OPENAI_COMPATIBLE_BASE_URL when no base URL is given', async () => {
    vi.stubEnv('OPENAI_COMPATIBLE_BASE_URL', '')
    const error = await createOpenAICompatible({})
      .generate({ model: 'llama', messages })
      .catch((caught: unknown) => caught)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect((error as Error).message).toContain('baseURL')
    expect((error as Error).message).toContain('OPENAI_COMPATIBLE_BASE_URL')
    expect(views).toHaveLength(0)
  })

  it('reads the base URL and key from the environment', async () => {
    vi.stubEnv('OPENAI_COMPATIBLE_BASE_URL', 'http://localhost:8000/v1')
    vi.stubEnv('OPENAI_COMPATIBLE_API_KEY', 'local-secret-key')
    const result = await createOpenAICompatible().generate({ model: 'llama', messages })
    expect(result.text).toBe('Hi there')
    expect(views[0]!.apiKey).toBe('local-secret-key')
  })

  it('sends a placeholder key when none is configured, and max_tokens by default', async () => {
    vi.stubEnv('OPENAI_COMPATIBLE_API_KEY', '')
    const provider = createOpenAICompatible({ baseURL: 'http://localhost:8000/v1' })
    await provider.generate({ model: 'llama', messages, maxOutputTokens: 64 })
    expect(views[0]!.apiKey).toBe('not-needed')
    expect(views[0]!.body).toMatchObject({ max_tokens: 64 })
    expect(views[0]!.body).not.toHaveProperty('max_completion_tokens')
  })

  it('honours maxTokensField and sendTopK', async () => {
    const provider = createOpenAICompatible({
      baseURL: 'http://localhost:8000/v1',
      maxTokensField: 'max_completion_tokens',
      sendTopK: true,
    })
    const result = await provider.generate({ model: 'llama', messages, maxOutputTokens: 64, topK: 20 })
    expect(views[0]!.body).toMatchObject({ max_completion_tokens: 64, top_k: 20 })
    expect(result.warnings).toEqual([])
  })

  it('costs 0 by default and follows the pricing the user gives', async () => {
    const free = await createOpenAICompatible({ baseURL: 'http://localhost:8000/v1' }).generate({
      model: 'llama',
      messages,
    })
    expect(free.cost).toEqual({ input: 0, output: 0, total: 0, currency: 'USD' })
    const priced = await createOpenAICompatible({
      baseURL: 'http://localhost:8000/v1',
      pricing: { llama: { input: 0.5, output: 1.5 } },
    }).generate({ model: 'llama', messages })
    expect(priced.cost).toEqual({ input: 0.5, output: 1.5, total: 2, currency: 'USD' })
  })

  it('builds the SDK client once, with its retries off, and sends settings and call headers', async () => {
    const constructed: ConstructorParameters<typeof OpenAI>[0][] = []
    class CountingOpenAI extends OpenAI {
      constructor(options: ConstructorParameters<typeof OpenAI>[0]) {
        super(options)
        constructed.push(options)
      }
    }
    const provider = createOpenAICompatible({
      baseURL: 'http://localhost:8000/v1',
      headers: { 'x-team': 'search' },
      sdk: { OpenAI: CountingOpenAI },
    })
    await provider.generate({ model: 'llama', messages, headers: { 'x-trace': 'abc' } })
    await provider.generate({ model: 'llama', messages })
    expect(constructed).toHaveLength(1)
    expect(constructed[0]).toMatchObject({
      maxRetries: 0,
      baseURL: 'http://localhost:8000/v1',
      organization: null,
    })
    expect(constructed[0]!.timeout).toBeGreaterThan(600_000)
    expect(views[0]!.headers).toMatchObject({ 'x-team': 'search', 'x-trace': 'abc' })
    expect(views[1]!.headers).not.toHaveProperty('x-trace')
  })

  it('warns about topK when not told to send it', async () => {
    const result = await createOpenAICompatible({ baseURL: 'http://localhost:8000/v1' }).generate({
      model: 'llama',
      messages,
      topK: 5,
    })
    expect(result.warnings).toEqual([expect.objectContaining({ setting: 'topK' })])
    expect(views[0]!.body).not.toHaveProperty('top_k')
  })

  it('streams with stream_options.include_usage so the finish carries usage', async () => {
    reply = {
      type: 'stream',
      parts: [
        { type: 'text', text: 'Hel' },
        { type: 'text', text: 'lo' },
      ],
      finishReason: 'stop',
      usage: { inputTokens: 4, outputTokens: 2 },
    }
    const result = await createOpenAICompatible({ baseURL: 'http://localhost:8000/v1' })
      .stream({ model: 'llama', messages })
      .result()
    expect(result.text).toBe('Hello')
    expect(result.usage).toEqual({ inputTokens: 4, outputTokens: 2, totalTokens: 6 })
    expect(views[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } })
  })

  it('rejects unknown settings', async () => {
    const error = await createOpenAICompatible({
      baseURL: 'http://localhost:8000/v1',
      organisation: 'x',
    } as never)
      .generate({ model: 'llama', messages })
      .catch((caught: unknown) => caught)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect((error as Error).message).toContain('organisation')
  })
})
