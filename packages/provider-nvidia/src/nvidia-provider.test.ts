import { ConfigError } from '@modelplex/core'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import completion from './__fixtures__/chat-completion.json' with { type: 'json' }
import embeddings from './__fixtures__/embeddings.json' with { type: 'json' }
import spec, { createNvidia } from './index.js'

const apiKey = 'nvapi-unit-test-0123456789'
const selfHosted = 'http://nim.modelplex.test:8000/v1'
const requests: Array<{ url: string; headers: Headers; body: any }> = []
async function record(request: Request) {
  const body = (await request.json()) as any
  requests.push({ url: request.url, headers: request.headers, body })
  return body
}
const server = setupServer(
  // NVIDIA's hosted endpoint (the default base URL) and a self-hosted NIM, both intercepted by MSW.
  ...['https://integrate.api.nvidia.com/v1', selfHosted].flatMap((root) => [
    http.post(`${root}/chat/completions`, async ({ request }) => {
      await record(request)
      return HttpResponse.json(completion)
    }),
    http.post(`${root}/embeddings`, async ({ request }) => {
      await record(request)
      return HttpResponse.json(embeddings)
    }),
  ]),
)
const messages = [{ role: 'user' as const, content: 'Why are GPUs fast?' }]

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  requests.length = 0
  vi.unstubAllEnvs()
})
afterAll(() => server.close())

describe('nvidia provider', () => {
  it('declares id, SDK, env variables, defaults, capabilities and no prices', () => {
    expect(spec).toMatchObject({
      id: 'nvidia',
      name: 'NVIDIA NIM',
      sdk: { package: 'openai', range: '^6.0.0' },
      env: { apiKey: ['NVIDIA_API_KEY'], baseURL: ['NVIDIA_BASE_URL'] },
      defaultModel: 'meta/llama-3.1-8b-instruct',
      defaultEmbeddingModel: 'nvidia/nv-embedqa-e5-v5',
      capabilities: {
        stream: true,
        tools: true,
        structuredOutput: 'json-schema',
        embeddings: true,
        vision: true,
        listModels: true,
      },
      pricing: { models: {} },
    })
    expect(spec.pricing.free).toBeUndefined()
  })

  it('sends max_tokens to the hosted endpoint with the nvapi key; an unpriced call has no cost', async () => {
    const result = await createNvidia({ apiKey }).generate({ messages, maxOutputTokens: 64 })
    expect(requests[0]!.url).toBe('https://integrate.api.nvidia.com/v1/chat/completions')
    expect(requests[0]!.headers.get('authorization')).toBe(`Bearer ${apiKey}`)
    expect(requests[0]!.body).toMatchInlineSnapshot(`
      {
        "max_tokens": 64,
        "messages": [
          {
            "content": "Why are GPUs fast?",
            "role": "user",
          },
        ],
        "model": "meta/llama-3.1-8b-instruct",
      }
    `)
    expect(result.text).toBe('GPUs run many threads in parallel.')
    expect(result.usage).toEqual({ inputTokens: 17, outputTokens: 8, totalTokens: 25 })
    expect(result.cost).toBeUndefined()
  })

  it("embeds with input_type 'query' by default, before providerOptions", async () => {
    const result = await createNvidia({ apiKey }).embed({ input: ['What is NIM?', 'And CUDA?'] })
    expect(requests[0]!.url).toBe('https://integrate.api.nvidia.com/v1/embeddings')
    expect(requests[0]!.body).toMatchInlineSnapshot(`
      {
        "encoding_format": "float",
        "input": [
          "What is NIM?",
          "And CUDA?",
        ],
        "input_type": "query",
        "model": "nvidia/nv-embedqa-e5-v5",
      }
    `)
    expect(result.embeddings).toEqual([
      [0.0204, -0.0311, 0.0127],
      [-0.0058, 0.0442, 0.0093],
    ])
    expect(result.usage).toEqual({ inputTokens: 14 })
  })

  it("embeds documents with providerOptions.nvidia: input_type 'passage' and truncate", async () => {
    await createNvidia({ apiKey }).embed({
      input: 'NIM packages models as containers.',
      providerOptions: { nvidia: { input_type: 'passage', truncate: 'END' } },
    })
    expect(requests[0]!.body).toMatchObject({ input_type: 'passage', truncate: 'END' })
  })

  it('talks to a self-hosted NIM at baseURL without a key', async () => {
    vi.stubEnv('NVIDIA_API_KEY', '')
    const result = await createNvidia({ baseURL: selfHosted }).generate({ messages })
    expect(requests[0]!.url).toBe(`${selfHosted}/chat/completions`)
    expect(result.text).toBe('GPUs run many threads in parallel.')
  })

  it('reads NVIDIA_API_KEY and NVIDIA_BASE_URL', async () => {
    vi.stubEnv('NVIDIA_API_KEY', 'nvapi-from-the-environment')
    vi.stubEnv('NVIDIA_BASE_URL', selfHosted)
    await createNvidia().generate({ messages })
    expect(requests[0]!.url).toBe(`${selfHosted}/chat/completions`)
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer nvapi-from-the-environment')
  })

  it('without a key or a base URL throws ConfigError naming apiKey and NVIDIA_API_KEY, before any request', async () => {
    vi.stubEnv('NVIDIA_API_KEY', '')
    vi.stubEnv('NVIDIA_BASE_URL', '')
    const error = await createNvidia()
      .generate({ messages })
      .catch((caught: unknown) => caught)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect((error as Error).message).toMatch(/apiKey.*NVIDIA_API_KEY/)
    expect(requests).toHaveLength(0)
  })
})
