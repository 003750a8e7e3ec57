import { afterEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { ConfigError, InvalidRequestError, ModelplexError, UnsupportedCapabilityError } from './errors.js'
import { createProvider } from './provider.js'
import type { AdapterRequest } from './provider-spec.js'
import { eventsOf, fakeSpec, finish, messages, textResult } from './test-helpers.js'
import type { GenerateRequest } from './types.js'

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('request validation, before any network call', () => {
  const invalid: Array<{ title: string; request: unknown; field: string; says: RegExp }> = [
    { title: 'no messages', request: { messages: [] }, field: 'messages', says: /at least one message/ },
    { title: 'messages missing', request: {}, field: 'messages', says: /"messages"/ },
    {
      title: 'an unknown role',
      request: { messages: [{ role: 'robot', content: 'beep' }] },
      field: 'messages.0.role',
      says: /"messages\.0\.role".*'system' \| 'user' \| 'assistant' \| 'tool'/,
    },
    {
      title: 'a negative maxOutputTokens',
      request: { messages, maxOutputTokens: -5 },
      field: 'maxOutputTokens',
      says: /"maxOutputTokens"/,
    },
    {
      title: 'a fractional maxOutputTokens',
      request: { messages, maxOutputTokens: 1.5 },
      field: 'maxOutputTokens',
      says: /"maxOutputTokens"/,
    },
    {
      title: 'temperature 3',
      request: { messages, temperature: 3 },
      field: 'temperature',
      says: /"temperature".*2/,
    },
    { title: 'topP above 1', request: { messages, topP: 1.5 }, field: 'topP', says: /"topP"/ },
    {
      title: 'a tool without a name',
      request: { messages, tools: [{ description: 'weather', parameters: {} }] },
      field: 'tools.0.name',
      says: /"tools\.0\.name"/,
    },
    {
      title: 'a tool name with spaces',
      request: { messages, tools: [{ name: 'get weather', parameters: {} }] },
      field: 'tools.0.name',
      says: /1-64 letters/,
    },
    {
      title: 'an unknown key (maxTokens)',
      request: { messages, maxTokens: 100 },
      field: 'maxTokens',
      says: /maxTokens/,
    },
    {
      title: 'base64 image data without a mediaType',
      request: {
        messages: [{ role: 'user', content: [{ type: 'image', image: 'iVBORw0KGgoAAAANSUhEUg==' }] }],
      },
      field: 'messages.0.content.0.mediaType',
      says: /needs a mediaType/,
    },
    {
      title: 'a tool message without results',
      request: { messages: [{ role: 'tool', content: [] }] },
      field: 'messages.0.content',
      says: /"messages\.0\.content"/,
    },
  ]

  it.each(invalid)('$title → InvalidRequestError naming $field', async ({ request, field, says }) => {
    const spec = fakeSpec()
    const provider = createProvider(spec)
    const error = await provider.generate(request as GenerateRequest).catch((e: unknown) => e)
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    const invalidError = error as InvalidRequestError
    expect(invalidError.field).toBe(field)
    expect(invalidError.message).toMatch(says)
    expect(invalidError.message).toContain(field.split('.').at(-1))
    expect(invalidError.provider).toBe('fake')
    expect(spec.connect).not.toHaveBeenCalled()
  })

  it('streams validate too, and fail on the first next() without connecting', async () => {
    const spec = fakeSpec()
    const stream = createProvider(spec).stream({ messages, temperature: -1 })
    const error = await stream.result().catch((e: unknown) => e)
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    expect((error as InvalidRequestError).field).toBe('temperature')
    expect(spec.connect).not.toHaveBeenCalled()
  })

  it('embed validates: an empty input list and an unknown key', async () => {
    const spec = fakeSpec({ embed: vi.fn() })
    const provider = createProvider(spec)
    const empty = await provider.embed({ input: [] }).catch((e: unknown) => e)
    expect((empty as InvalidRequestError).field).toBe('input')
    const unknown = await provider.embed({ input: 'a', dimension: 3 } as never).catch((e: unknown) => e)
    expect(InvalidRequestError.isInstance(unknown)).toBe(true)
    expect((unknown as InvalidRequestError).field).toBe('dimension')
    expect(spec.connect).not.toHaveBeenCalled()
  })

  it('a valid request reaches the adapter with the default model and the tools converted to JSON Schema', async () => {
    const generate = vi.fn(async () => textResult('sunny'))
    const provider = createProvider(fakeSpec({ generate }))
    const result = await provider.generate({
      messages: [
        { role: 'system', content: 'Be brief' },
        { role: 'user', content: [{ type: 'image', image: 'AAAA', mediaType: 'image/png' }] },
      ],
      temperature: 0.2,
      tools: [{ name: 'weather', parameters: z.object({ city: z.string() }) }],
      headers: { 'x-trace': '1' },
      providerOptions: { fake: { store: true }, other: { ignored: true } },
    })
    expect(result.text).toBe('sunny')
    const [request, context] = generate.mock.calls[0] as unknown as [
      Record<string, unknown>,
      Record<string, unknown>,
    ]
    expect(request.model).toBe('fake-model')
    expect(request.temperature).toBe(0.2)
    expect(request.tools).toEqual([
      {
        name: 'weather',
        description: undefined,
        parameters: {
          type: 'object',
          properties: { city: { type: 'string' } },
          required: ['city'],
          additionalProperties: false,
        },
      },
    ])
    // Call options travel in the context, not in the request.
    expect(request).not.toHaveProperty('headers')
    expect(request).not.toHaveProperty('signal')
    expect(context.headers).toEqual({ 'x-trace': '1' })
    expect(context.providerOptions).toEqual({ store: true })
    expect(context.signal).toBeInstanceOf(AbortSignal)
  })
})

describe('settings', () => {
  const keyed = () =>
    fakeSpec(
      {},
      { requiresApiKey: true, env: { apiKey: ['FAKE_API_KEY', 'FAKE_KEY'], baseURL: ['FAKE_BASE_URL'] } },
    )

  it('a missing key → ConfigError naming the option and the environment variables, before connecting', async () => {
    vi.stubEnv('FAKE_API_KEY', '')
    vi.stubEnv('FAKE_KEY', '')
    const spec = keyed()
    const error = await createProvider(spec)
      .generate({ messages })
      .catch((e: unknown) => e)
    expect(ConfigError.isInstance(error)).toBe(true)
    const message = (error as ConfigError).message
    expect(message).toContain('apiKey')
    expect(message).toContain('FAKE_API_KEY')
    expect(message).toContain('FAKE_KEY')
    expect(spec.connect).not.toHaveBeenCalled()
  })

  it('reads the key from the environment lazily: set after createProvider, before the call', async () => {
    vi.stubEnv('FAKE_API_KEY', '')
    const spec = keyed()
    const provider = createProvider(spec)
    vi.stubEnv('FAKE_API_KEY', 'env-key-123456789')
    vi.stubEnv('FAKE_BASE_URL', 'http://127.0.0.1:9999/v1')
    await provider.generate({ messages })
    expect(spec.connect).toHaveBeenCalledTimes(1)
    expect(spec.connect.mock.calls[0]![0]).toMatchObject({
      apiKey: 'env-key-123456789',
      baseURL: 'http://127.0.0.1:9999/v1',
    })
  })

  it('the argument wins over the environment, and the second variable is read when the first is unset', async () => {
    vi.stubEnv('FAKE_API_KEY', '')
    vi.stubEnv('FAKE_KEY', 'second-var-key-1234')
    const fromEnv = keyed()
    await createProvider(fromEnv).generate({ messages })
    expect(fromEnv.connect.mock.calls[0]![0].apiKey).toBe('second-var-key-1234')
    const fromArgument = keyed()
    await createProvider(fromArgument, { apiKey: 'argument-key-1234' }).generate({ messages })
    expect(fromArgument.connect.mock.calls[0]![0].apiKey).toBe('argument-key-1234')
  })

  it('connects once for many calls', async () => {
    const spec = fakeSpec()
    const provider = createProvider(spec)
    await Promise.all([provider.generate({ messages }), provider.generate({ messages })])
    await provider.generate({ messages })
    expect(spec.connect).toHaveBeenCalledTimes(1)
  })

  it('a failed connection is not memoized: the call after setting the key works', async () => {
    vi.stubEnv('FAKE_API_KEY', '')
    const provider = createProvider(keyed())
    await expect(provider.generate({ messages })).rejects.toSatisfy((e) => ConfigError.isInstance(e))
    vi.stubEnv('FAKE_API_KEY', 'late-key-123456789')
    await expect(provider.generate({ messages })).resolves.toMatchObject({ text: 'ok' })
  })

  it('an unknown setting → ConfigError naming it', async () => {
    const spec = fakeSpec()
    const error = await createProvider(spec, { apiKy: 'x' } as never)
      .generate({ messages })
      .catch((e: unknown) => e)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect((error as ConfigError).message).toContain('apiKy')
    expect(spec.connect).not.toHaveBeenCalled()
  })

  it('an invalid baseURL → ConfigError naming baseURL; the key never appears in it', async () => {
    const secret = 'sk-live-0123456789abcdef'
    const error = await createProvider(fakeSpec(), { apiKey: secret, baseURL: 'not a url' })
      .generate({ messages })
      .catch((e: unknown) => e)
    expect(ConfigError.isInstance(error)).toBe(true)
    const configError = error as ConfigError
    expect(configError.message).toContain('baseURL')
    expect(configError.message).not.toContain(secret)
    expect(configError.stack).not.toContain(secret)
    expect(JSON.stringify(configError)).not.toContain(secret)
  })

  it("a provider's own settings schema extends the base one", async () => {
    const spec = fakeSpec(
      {},
      {
        settingsSchema: (zod, base) =>
          base.extend({ organization: zod.string().startsWith('org-').optional() }).strict(),
      },
    )
    await createProvider(spec, { organization: 'org-1' } as never).generate({ messages })
    expect(spec.connect.mock.calls[0]![0].organization).toBe('org-1')
    const error = await createProvider(spec, { organization: 'acme' } as never)
      .generate({ messages })
      .catch((e: unknown) => e)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect((error as ConfigError).message).toContain('organization')
  })
})

describe('the API key never leaks', () => {
  const secret = 'sk-test-SECRET-0123456789'

  it('is redacted from the message and stack of an error the adapter mapped', async () => {
    const provider = createProvider(
      fakeSpec(
        {
          generate: async () => {
            throw new Error(`401 Incorrect API key provided: ${secret}`)
          },
          mapError: (error) => new ModelplexError((error as Error).message, { status: 401, cause: error }),
        },
        { requiresApiKey: true },
      ),
      { apiKey: secret, retry: { maxRetries: 0 } },
    )
    const error = (await provider.generate({ messages }).catch((e: unknown) => e)) as ModelplexError
    expect(ModelplexError.isInstance(error)).toBe(true)
    expect(error.message).toContain('Incorrect API key provided: [redacted]')
    expect(error.message).not.toContain(secret)
    expect(error.stack).not.toContain(secret)
    expect(JSON.stringify(error)).not.toContain(secret)
    expect(error.provider).toBe('fake')
  })

  it('is redacted from the whole cause chain, util.inspect at any depth, and hook payloads', async () => {
    const { inspect } = await import('node:util')
    const seen: unknown[] = []
    const provider = createProvider(
      fakeSpec(
        {
          generate: async () => {
            const sdk = new Error(`401 Incorrect API key provided: ${secret}`)
            Object.assign(sdk, { error: { message: `Incorrect API key provided: ${secret}` } })
            throw sdk
          },
          mapError: (error) =>
            new ModelplexError('OpenAI: authentication failed', { status: 401, cause: error }),
        },
        { requiresApiKey: true },
      ),
      {
        apiKey: secret,
        retry: { maxRetries: 0 },
        hooks: { onError: (event) => seen.push(inspect(event, { depth: Number.POSITIVE_INFINITY })) },
      },
    )
    const error = (await provider.generate({ messages }).catch((e: unknown) => e)) as ModelplexError
    const cause = error.cause as Error
    for (const text of [
      String(cause),
      String(cause.stack),
      inspect(error, { depth: Number.POSITIVE_INFINITY }),
      JSON.stringify((cause as unknown as { error: unknown }).error),
      ...seen.map(String),
    ]) {
      expect(text).not.toContain(secret)
    }
    expect(seen).toHaveLength(1)
    expect(cause.message).toBe('401 Incorrect API key provided: [redacted]')
  })

  it('redacts credentials given as headers (a bearer token, an api-key header)', async () => {
    const token = 'entra-bearer-token-0123456789'
    const headerKey = 'azure-api-key-header-0123456789'
    const provider = createProvider(
      fakeSpec({
        generate: async () => {
          throw new Error(`rejected ${token} and ${headerKey}`)
        },
      }),
      { headers: { Authorization: `Bearer ${token}`, 'api-key': headerKey }, retry: { maxRetries: 0 } },
    )
    const error = (await provider.generate({ messages }).catch((e: unknown) => e)) as ModelplexError
    expect(error.message).toBe('rejected [redacted] and [redacted]')
  })

  it('is redacted when it came from the environment', async () => {
    vi.stubEnv('FAKE_API_KEY', secret)
    const provider = createProvider(
      fakeSpec(
        {
          generate: async () => {
            throw new Error(`bad key ${secret}`)
          },
        },
        { requiresApiKey: true, env: { apiKey: ['FAKE_API_KEY'] } },
      ),
      { retry: { maxRetries: 0 } },
    )
    const error = (await provider.generate({ messages }).catch((e: unknown) => e)) as ModelplexError
    expect(error.message).toBe('bad key [redacted]')
    expect(error.stack).not.toContain(secret)
  })
})

describe('toolChoice names a tool that is in tools', () => {
  const weather = { name: 'get_weather', description: 'Weather', parameters: { type: 'object' } }

  it.each([
    ['a tool not offered', [weather]],
    ['no tools at all', undefined],
  ])('%s → InvalidRequestError on toolChoice, before connecting', async (_, tools) => {
    const spec = fakeSpec()
    const error = await createProvider(spec)
      .generate({ messages, tools, toolChoice: { type: 'tool', toolName: 'get_time' } })
      .catch((e: unknown) => e)
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    expect((error as InvalidRequestError).field).toBe('toolChoice')
    expect((error as InvalidRequestError).message).toContain('"get_time"')
    expect((error as InvalidRequestError).provider).toBe('fake')
    expect(spec.connect).not.toHaveBeenCalled()
  })

  it('a toolChoice naming an offered tool reaches the adapter', async () => {
    const generate = vi.fn(async (_request: unknown) => textResult())
    await createProvider(fakeSpec({ generate })).generate({
      messages,
      tools: [weather],
      toolChoice: { type: 'tool', toolName: 'get_weather' },
    })
    expect(generate.mock.calls[0]![0]).toMatchObject({
      toolChoice: { type: 'tool', toolName: 'get_weather' },
    })
  })
})

describe('the spec owns every setting', () => {
  const isText = (value: unknown) => typeof value === 'string' && value.length > 0

  it('env names a variable for any setting; arguments win; connect learns which came from where', async () => {
    vi.stubEnv('FAKE_REGION', '')
    vi.stubEnv('FAKE_DEFAULT_REGION', 'eu-north-1')
    vi.stubEnv('FAKE_PROFILE', 'from-env')
    const spec = fakeSpec(
      {},
      {
        env: { region: ['FAKE_REGION', 'FAKE_DEFAULT_REGION'], profile: ['FAKE_PROFILE'] },
        settingChecks: { region: isText, profile: isText },
      },
    )
    await createProvider(spec, { profile: 'given' } as never).generate({ messages })
    const [settings, context] = spec.connect.mock.calls[0]!
    expect(settings).toMatchObject({ region: 'eu-north-1', profile: 'given' })
    expect(context).toEqual({ fromEnvironment: { region: 'FAKE_DEFAULT_REGION' } })
  })

  it('redacts every secret setting the spec lists, given or read from the environment', async () => {
    const secretKey = 'aws-secret-access-key-0123456789'
    const token = 'session-token-from-the-env-0123'
    vi.stubEnv('FAKE_SESSION_TOKEN', token)
    const provider = createProvider(
      fakeSpec(
        {
          generate: async () => {
            throw new Error(`signed with ${secretKey} and ${token}`)
          },
        },
        {
          env: { sessionToken: ['FAKE_SESSION_TOKEN'] },
          secrets: ['secretKey', 'sessionToken'],
          settingChecks: { secretKey: isText, sessionToken: isText },
        },
      ),
      { secretKey, retry: { maxRetries: 0 } } as never,
    )
    const error = (await provider.generate({ messages }).catch((e: unknown) => e)) as ModelplexError
    expect(error.message).toBe('signed with [redacted] and [redacted]')
    expect(error.stack).not.toContain(secretKey)
    expect(error.stack).not.toContain(token)
  })

  it("redacts the adapter's runtime secrets (tokens no setting holds)", async () => {
    const token = 'entra-id-token-0123456789'
    const provider = createProvider(
      fakeSpec({
        generate: async () => {
          throw new Error(`token ${token} expired`)
        },
        secrets: () => [token],
      }),
      { retry: { maxRetries: 0 } },
    )
    const error = (await provider.generate({ messages }).catch((e: unknown) => e)) as ModelplexError
    expect(error.message).toBe('token [redacted] expired')
  })

  it('Provider.defaultModel is the defaultModel setting when one is given', () => {
    expect(createProvider(fakeSpec(), { defaultModel: 'my-model' }).defaultModel).toBe('my-model')
    expect(createProvider(fakeSpec()).defaultModel).toBe('fake-model')
  })
})

describe('capabilities: unsupported → UnsupportedCapabilityError before any request', () => {
  const none = {
    stream: false,
    tools: false,
    structuredOutput: false,
    embeddings: false,
    vision: false,
    listModels: false,
  } as const

  async function expectUnsupported(
    run: (provider: ReturnType<typeof createProvider>) => Promise<unknown>,
    capability: string,
  ) {
    const spec = fakeSpec({ embed: vi.fn(), listModels: vi.fn(), stream: vi.fn() }, { capabilities: none })
    const error = await run(createProvider(spec)).catch((e: unknown) => e)
    expect(UnsupportedCapabilityError.isInstance(error)).toBe(true)
    expect((error as UnsupportedCapabilityError).capability).toBe(capability)
    expect((error as UnsupportedCapabilityError).provider).toBe('fake')
    expect(spec.connect).not.toHaveBeenCalled()
  }

  it('tools', () =>
    expectUnsupported((p) => p.generate({ messages, tools: [{ name: 'lookup', parameters: {} }] }), 'tools'))

  it('images', () =>
    expectUnsupported(
      (p) =>
        p.generate({
          messages: [{ role: 'user', content: [{ type: 'image', image: 'https://example.test/cat.png' }] }],
        }),
      'vision',
    ))

  it('embeddings', () => expectUnsupported((p) => p.embed({ input: ['a'] }), 'embeddings'))

  it('listModels', () => expectUnsupported((p) => p.listModels(), 'listModels'))

  it('stream', () => expectUnsupported((p) => p.stream({ messages }).result(), 'stream'))

  it('structured output', () =>
    expectUnsupported(
      (p) => p.generateObject({ messages, schema: z.object({ a: z.string() }) }),
      'structuredOutput',
    ))

  it('a claimed capability whose adapter member is missing still fails typed, without a TypeError', async () => {
    const provider = createProvider(fakeSpec({}))
    await expect(provider.embed({ input: 'a' })).rejects.toSatisfy((e) =>
      UnsupportedCapabilityError.isInstance(e),
    )
    await expect(provider.listModels()).rejects.toSatisfy((e) => UnsupportedCapabilityError.isInstance(e))
    await expect(provider.stream({ messages }).result()).rejects.toSatisfy((e) =>
      UnsupportedCapabilityError.isInstance(e),
    )
  })
})

describe('results and cost', () => {
  it('a priced model gets a cost; the result carries provider, model and warnings', async () => {
    const provider = createProvider(
      fakeSpec({
        generate: async (request, context) => {
          context.warn({ type: 'unsupported-setting', setting: 'seed', message: 'seed is ignored' })
          return textResult('hi', { model: `${request.model}-2025-01-01` })
        },
      }),
    )
    const result = await provider.generate({ model: 'priced-model', messages, seed: 1 })
    // 1 000 input tokens at $1/M and 500 output tokens at $2/M; the dated id matches by prefix.
    expect(result.cost).toEqual({ input: 0.001, output: 0.001, total: 0.002, currency: 'USD' })
    expect(result.model).toBe('priced-model-2025-01-01')
    expect(result.provider).toBe('fake')
    expect(result.id).toBe('resp_1')
    expect(result.warnings).toEqual([
      { type: 'unsupported-setting', setting: 'seed', message: 'seed is ignored' },
    ])
    expect(result.raw).toEqual({ text: 'hi' })
  })

  it('an unpriced model has no cost (absent, not zero)', async () => {
    const result = await createProvider(fakeSpec()).generate({ model: 'unpriced-model', messages })
    expect(result.cost).toBeUndefined()
    expect(result.usage).toBeDefined()
  })

  it('a cost the vendor reported wins over the pricing table, for the result and the hooks', async () => {
    const reported = { input: 0.3, output: 0.2, total: 0.5, currency: 'USD' as const }
    const onResponse = vi.fn()
    const provider = createProvider(
      fakeSpec({ generate: async () => textResult('hi', { cost: reported }) }),
      {
        hooks: { onResponse },
      },
    )
    // priced-model would cost 0.002 by the table; the vendor's own charge is what the call cost.
    const result = await provider.generate({ model: 'priced-model', messages })
    expect(result.cost).toEqual(reported)
    expect(onResponse.mock.calls[0]![0].cost).toEqual(reported)
  })

  it('pricing given to createProvider overrides the table', async () => {
    const provider = createProvider(fakeSpec(), { pricing: { 'priced-model': { input: 10, output: 20 } } })
    const result = await provider.generate({ model: 'priced-model', messages })
    expect(result.cost?.total).toBeCloseTo(0.02, 10)
  })

  it('embed returns vectors, usage and an input-only cost', async () => {
    const embed = vi.fn(
      async (request: { model: string; input: string[]; dimensions: number | undefined }) => ({
        embeddings: request.input.map(() => [0.1, 0.2]),
        usage: { inputTokens: 2_000_000 },
        model: undefined,
        raw: null,
      }),
    )
    const provider = createProvider(fakeSpec({ embed }), {
      pricing: { 'fake-embedding': { input: 0.02, output: 0 } },
    })
    const result = await provider.embed({ input: 'one text', dimensions: 2 })
    expect(embed.mock.calls[0]![0]).toEqual({ model: 'fake-embedding', input: ['one text'], dimensions: 2 })
    expect(result.embeddings).toEqual([[0.1, 0.2]])
    expect(result.cost).toEqual({ input: 0.04, output: 0, total: 0.04, currency: 'USD' })
    expect(result.model).toBe('fake-embedding')
  })

  it('listModels returns what the adapter lists', async () => {
    const provider = createProvider(fakeSpec({ listModels: async () => [{ id: 'a' }, { id: 'b' }] }))
    expect(await provider.listModels()).toEqual([{ id: 'a' }, { id: 'b' }])
  })
})

describe('the defaultModel and defaultEmbeddingModel settings', () => {
  it('name the model a request leaves out; an explicit model still wins', async () => {
    const generate = vi.fn(async (request: { model: string }) => textResult(`to ${request.model}`))
    const provider = createProvider(fakeSpec({ generate }), { defaultModel: 'my-deployment' })
    expect((await provider.generate({ messages })).text).toBe('to my-deployment')
    expect((await provider.generate({ messages, model: 'fake-model' })).text).toBe('to fake-model')
  })

  it('reach streams and embeddings too', async () => {
    const stream = vi.fn(async (_request: { model: string }) =>
      eventsOf([{ type: 'text-delta', text: 'hi' }, finish]),
    )
    const embed = vi.fn(async (request: { model: string }) => ({
      embeddings: [[1]],
      usage: undefined,
      model: request.model,
      raw: null,
    }))
    const provider = createProvider(fakeSpec({ stream, embed }), {
      defaultModel: 'chat-deployment',
      defaultEmbeddingModel: 'embed-deployment',
    })
    expect((await provider.stream({ messages }).result()).model).toBe('chat-deployment')
    expect(stream.mock.calls[0]![0]).toMatchObject({ model: 'chat-deployment' })
    expect((await provider.embed({ input: 'a' })).model).toBe('embed-deployment')
  })

  it('without them, the spec defaults apply', async () => {
    const generate = vi.fn(async (request: { model: string }) => textResult(request.model))
    expect((await createProvider(fakeSpec({ generate })).generate({ messages })).text).toBe('fake-model')
  })
})

describe('a JSON Schema tool is checked against the meta-schema before the network (issue 15)', () => {
  it.each([
    [
      'a misspelt type and properties that are no object',
      { type: 'objekt', properties: 5 },
      ['/type', '/properties'],
    ],
    ['required that is no list', { type: 'object', required: 'city' }, ['/required']],
  ])('%s → InvalidRequestError naming the tool and the paths', async (_, parameters, paths) => {
    const spec = fakeSpec()
    const error = (await createProvider(spec)
      .generate({ messages, tools: [{ name: 'get_weather', description: 'Weather', parameters }] })
      .catch((e: unknown) => e)) as InvalidRequestError
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    expect(error.field).toBe('tools.0.parameters')
    expect(error.message).toContain('Tool "get_weather" parameters is not a valid JSON Schema')
    for (const path of paths) expect(error.message).toContain(path)
    expect(error.provider).toBe('fake')
    expect(spec.connect).not.toHaveBeenCalled()
  })

  it('a valid JSON Schema (with a $schema of 2020-12) is sent as given', async () => {
    const generate = vi.fn(async (_request: AdapterRequest) => textResult())
    const parameters = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
    }
    await createProvider(fakeSpec({ generate })).generate({
      messages,
      tools: [{ name: 'get_weather', description: 'Weather', parameters }],
    })
    expect(generate.mock.calls[0]![0].tools![0]!.parameters).toEqual(parameters)
  })
})
