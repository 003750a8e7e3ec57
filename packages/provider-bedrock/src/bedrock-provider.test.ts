import { awsEvent, awsEventStreamResponse, awsException } from '@modelplex/conformance'
import { AuthenticationError, ConfigError, type Provider, UnsupportedCapabilityError } from '@modelplex/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import cohereV3 from './__fixtures__/cohere-embed-v3.json' with { type: 'json' }
import text from './__fixtures__/converse-text.json' with { type: 'json' }
import titanV2 from './__fixtures__/titan-embed-v2.json' with { type: 'json' }
import { COHERE_BATCH_SIZE } from './bedrock-embeddings.js'
import spec, { type BedrockSettings, createBedrock } from './index.js'

const baseURL = 'https://bedrock-runtime.us-east-1.modelplex.test'
const accessKeyId = 'AKIAPROVIDERTEST0001'
const secretAccessKey = 'provider/test/secret+abcdefghijklmnop0123'
const messages = [{ role: 'user' as const, content: 'Hi' }]

interface Sent {
  url: string
  headers: Record<string, string>
  body: any
}

/** A fetch that records what the SDK sends and answers with `respond`. */
function wire(
  respond: (sent: Sent, index: number) => Response | Promise<Response> = () => Response.json(text),
) {
  const sent: Sent[] = []
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init)
    const raw = await request.text()
    let body: unknown = raw
    try {
      body = JSON.parse(raw)
    } catch {}
    const entry = { url: request.url, headers: Object.fromEntries(request.headers), body }
    sent.push(entry)
    return respond(entry, sent.length - 1)
  }
  return { fetch: fetch as typeof globalThis.fetch, sent }
}

function provider(settings: Partial<BedrockSettings> & Record<string, unknown>): Provider {
  return createBedrock({
    region: 'us-east-1',
    baseURL,
    accessKeyId,
    secretAccessKey,
    retry: { maxRetries: 0 },
    ...settings,
  })
}

/** Every variable the AWS SDK's region and credential chains read, cleared for a test and restored after. */
const AWS_VARIABLES = [
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_BEARER_TOKEN_BEDROCK',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_AUTH_SCHEME_PREFERENCE',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_BEDROCK_RUNTIME',
]
let saved: Record<string, string | undefined> = {}
beforeEach(() => {
  saved = {}
  for (const name of [
    ...AWS_VARIABLES,
    'AWS_CONFIG_FILE',
    'AWS_SHARED_CREDENTIALS_FILE',
    'AWS_EC2_METADATA_DISABLED',
  ]) {
    saved[name] = process.env[name]
    delete process.env[name]
  }
  // No ~/.aws files and no instance metadata: the chain must end quickly, offline.
  process.env.AWS_CONFIG_FILE = '/nonexistent/modelplex/aws-config'
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/modelplex/aws-credentials'
  process.env.AWS_EC2_METADATA_DISABLED = 'true'
})
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
})

describe('the Converse request on the wire', () => {
  it('POSTs the JSON body to /model/{modelId}/converse, SigV4-signed with the access key', async () => {
    const { fetch, sent } = wire()
    const result = await provider({ fetch }).generate({
      model: 'anthropic.claude-3-5-haiku-20241022-v1:0',
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', image: 'AQID', mediaType: 'image/png' },
          ],
        },
      ],
      maxOutputTokens: 64,
      temperature: 0.1,
      stopSequences: ['STOP'],
      tools: [{ name: 'lookup', description: 'Look up', parameters: { type: 'object', properties: {} } }],
      toolChoice: 'required',
    })
    expect(result.text).toContain('Wannabe')
    expect(sent).toHaveLength(1)
    expect(sent[0]!.url).toBe(`${baseURL}/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse`)
    expect(sent[0]!.headers['content-type']).toBe('application/json')
    expect(sent[0]!.headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${accessKeyId}/\\d{8}/us-east-1/bedrock/aws4_request, SignedHeaders=`,
      ),
    )
    // The SDK writes image bytes as base64 in the JSON body.
    expect(sent[0]!.body).toMatchInlineSnapshot(`
      {
        "inferenceConfig": {
          "maxTokens": 64,
          "stopSequences": [
            "STOP",
          ],
          "temperature": 0.1,
        },
        "messages": [
          {
            "content": [
              {
                "text": "What is this?",
              },
              {
                "image": {
                  "format": "png",
                  "source": {
                    "bytes": "AQID",
                  },
                },
              },
            ],
            "role": "user",
          },
        ],
        "system": [
          {
            "text": "Be brief.",
          },
        ],
        "toolConfig": {
          "toolChoice": {
            "any": {},
          },
          "tools": [
            {
              "toolSpec": {
                "description": "Look up",
                "inputSchema": {
                  "json": {
                    "properties": {},
                    "type": "object",
                  },
                },
                "name": "lookup",
              },
            },
          ],
        },
      }
    `)
  })

  it('sends settings headers and per-call headers, inside the signature', async () => {
    const { fetch, sent } = wire()
    await provider({ fetch, headers: { 'x-team': 'search' } }).generate({
      messages,
      headers: { 'x-trace-id': 'trace-1' },
    })
    const headers = sent[0]!.headers
    expect(headers['x-team']).toBe('search')
    expect(headers['x-trace-id']).toBe('trace-1')
    expect(headers.authorization).toMatch(/SignedHeaders=[^,]*x-team;x-trace-id/)
  })

  it('sends the session token of temporary credentials as x-amz-security-token', async () => {
    const { fetch, sent } = wire()
    await provider({ fetch, sessionToken: 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN' }).generate({ messages })
    expect(sent[0]!.headers['x-amz-security-token']).toBe('FwoGZXIvYXdzEXAMPLESESSIONTOKEN')
  })

  it('a Bedrock API key (apiKey) goes out as Authorization: Bearer, without SigV4', async () => {
    const { fetch, sent } = wire()
    await createBedrock({
      region: 'us-east-1',
      baseURL,
      apiKey: 'ABSKbedrock-api-key-0123456789',
      fetch,
    }).generate({
      messages,
    })
    expect(sent[0]!.headers.authorization).toBe('Bearer ABSKbedrock-api-key-0123456789')
  })

  it('AWS_BEARER_TOKEN_BEDROCK is read as the API key', async () => {
    process.env.AWS_BEARER_TOKEN_BEDROCK = 'ABSKfrom-the-environment-0123'
    const { fetch, sent } = wire()
    await createBedrock({ region: 'us-east-1', baseURL, fetch }).generate({ messages })
    expect(sent[0]!.headers.authorization).toBe('Bearer ABSKfrom-the-environment-0123')
  })

  it('explicit access keys win over AWS_BEARER_TOKEN_BEDROCK from the environment', async () => {
    process.env.AWS_BEARER_TOKEN_BEDROCK = 'ABSKfrom-the-environment-0123'
    const { fetch, sent } = wire()
    await provider({ fetch }).generate({ messages })
    expect(sent[0]!.headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${accessKeyId}/`))
  })

  it('an explicit apiKey wins over explicit access keys', async () => {
    const { fetch, sent } = wire()
    await provider({ fetch, apiKey: 'ABSKexplicit-key-0123456789' }).generate({ messages })
    expect(sent[0]!.headers.authorization).toBe('Bearer ABSKexplicit-key-0123456789')
  })

  it('a credentials provider (e.g. fromIni, an assumed role) signs the request', async () => {
    const { fetch, sent } = wire()
    const credentials = async () => ({
      accessKeyId: 'ASIAFROMPROVIDER0001',
      secretAccessKey: 'provided-secret-0123',
    })
    await createBedrock({ region: 'eu-west-1', baseURL, credentials, fetch }).generate({ messages })
    expect(sent[0]!.headers.authorization).toContain('Credential=ASIAFROMPROVIDER0001/')
    expect(sent[0]!.headers.authorization).toContain('/eu-west-1/bedrock/aws4_request')
  })

  it('takes the region from AWS_REGION, then AWS_DEFAULT_REGION', async () => {
    process.env.AWS_DEFAULT_REGION = 'ap-southeast-2'
    const first = wire()
    await createBedrock({ baseURL, accessKeyId, secretAccessKey, fetch: first.fetch }).generate({ messages })
    expect(first.sent[0]!.headers.authorization).toContain('/ap-southeast-2/bedrock/')
    process.env.AWS_REGION = 'us-west-2'
    const second = wire()
    await createBedrock({ baseURL, accessKeyId, secretAccessKey, fetch: second.fetch }).generate({ messages })
    expect(second.sent[0]!.headers.authorization).toContain('/us-west-2/bedrock/')
  })

  it('without baseURL the request goes to the regional endpoint', async () => {
    const { fetch, sent } = wire()
    await createBedrock({ region: 'us-west-2', accessKeyId, secretAccessKey, fetch }).generate({ messages })
    expect(sent[0]!.url).toBe(
      'https://bedrock-runtime.us-west-2.amazonaws.com/model/amazon.nova-lite-v1%3A0/converse',
    )
  })

  it('a requestHandler setting replaces the fetch handler', async () => {
    const seen: string[] = []
    const requestHandler = {
      handle: async (request: { path: string }) => {
        seen.push(request.path)
        return {
          response: {
            statusCode: 200,
            headers: { 'content-type': 'application/json' },
            body: new Blob([JSON.stringify(text)]).stream(),
          },
        }
      },
    }
    const result = await provider({ requestHandler }).generate({ messages })
    expect(seen).toEqual(['/model/amazon.nova-lite-v1%3A0/converse'])
    expect(result.finishReason).toBe('stop')
  })
})

describe('streams', () => {
  it('an exception frame before any content is retried like an HTTP error (metadata is held back)', async () => {
    const { fetch, sent } = wire((_, index) =>
      index === 0
        ? awsEventStreamResponse(
            [
              awsEvent('messageStart', { role: 'assistant' }),
              awsException('throttlingException', 'Too many tokens, please wait before trying again.'),
            ],
            { headers: { 'x-amzn-requestid': 'req-first' } },
          )
        : awsEventStreamResponse(
            [
              awsEvent('messageStart', { role: 'assistant' }),
              awsEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hello' } }),
              awsEvent('messageStop', { stopReason: 'end_turn' }),
              awsEvent('metadata', { usage: { inputTokens: 3, outputTokens: 1, totalTokens: 4 } }),
            ],
            { headers: { 'x-amzn-requestid': 'req-second' } },
          ),
    )
    const stream = provider({ fetch, retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 2 } }).stream({
      messages,
    })
    const result = await stream.result()
    expect(sent).toHaveLength(2)
    expect(sent[1]!.url).toBe(`${baseURL}/model/amazon.nova-lite-v1%3A0/converse-stream`)
    expect(result.text).toBe('Hello')
    expect(result.id).toBe('req-second')
    expect(result.usage).toEqual({ inputTokens: 3, outputTokens: 1, totalTokens: 4 })
  })
})

describe('streams off the raw body', () => {
  it('items are the wire JSON, with fields the SDK schema would drop (the p padding), as raw events', async () => {
    const { fetch } = wire(() =>
      awsEventStreamResponse(
        [
          awsEvent('messageStart', { role: 'assistant' }),
          awsEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hi' }, p: 'abcdef' }),
          awsEvent('messageStop', { stopReason: 'end_turn' }),
          awsEvent('metadata', { usage: { inputTokens: 3, outputTokens: 1, totalTokens: 4 } }),
        ],
        { chunkBytes: 7 },
      ),
    )
    const result = await provider({ fetch }).stream({ messages, includeRaw: true }).result()
    expect(result.text).toBe('Hi')
    expect(result.raw).toContainEqual({
      contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Hi' }, p: 'abcdef' },
    })
  })

  it('an HTTP error answer to ConverseStream is still read by the SDK (only a 2xx body is taken)', async () => {
    const { fetch } = wire(() =>
      Response.json(
        { message: 'Malformed input request: messages must not be empty' },
        {
          status: 400,
          headers: { 'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/' },
        },
      ),
    )
    const error = await provider({ fetch })
      .stream({ messages })
      .result()
      .catch((caught) => caught)
    expect(error.name).toBe('InvalidRequestError')
    expect(error.status).toBe(400)
    expect(error.code).toBe('ValidationException')
    expect(error.message).toContain('messages must not be empty')
  })

  it('a corrupted frame → MalformedResponseError naming the framing, after the text before it', async () => {
    const good = awsEventStreamResponse([
      awsEvent('messageStart', { role: 'assistant' }),
      awsEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hel' } }),
      awsEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'lo' } }),
    ])
    const bytes = new Uint8Array(await good.arrayBuffer())
    bytes[bytes.length - 6]! ^= 0xff
    const { fetch } = wire(
      () => new Response(bytes, { headers: { 'content-type': 'application/vnd.amazon.eventstream' } }),
    )
    const stream = provider({ fetch }).stream({ messages })
    let text = ''
    const error = await (async () => {
      for await (const event of stream) if (event.type === 'text-delta') text += event.text
    })().catch((caught) => caught)
    expect(text).toBe('Hel')
    expect(error.name).toBe('MalformedResponseError')
    expect(error.message).toMatch(/not AWS event-stream framing .*checksum/)
  })
})

describe('secrets in errors', () => {
  it('the secret access key and session token never reach a message (core redacts the spec secrets)', async () => {
    const sessionToken = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN0123'
    const { fetch } = wire(() =>
      Response.json(
        { message: `Signature used ${secretAccessKey} with ${sessionToken} wrongly` },
        { status: 400, headers: { 'x-amzn-errortype': 'ValidationException' } },
      ),
    )
    const error = await provider({ fetch, sessionToken })
      .generate({ messages })
      .catch((e) => e)
    expect(error.message).not.toContain(secretAccessKey)
    expect(error.message).not.toContain(sessionToken)
    expect(error.message).toContain('Signature used [redacted] with [redacted] wrongly')
  })
})

describe('configuration errors', () => {
  it('no credentials anywhere → ConfigError naming the settings and variables, nothing sent', async () => {
    const { fetch, sent } = wire()
    const error = await createBedrock({ region: 'us-east-1', baseURL, fetch, retry: { maxRetries: 2 } })
      .generate({ messages })
      .catch((e) => e)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect(error.message).toContain('accessKeyId and secretAccessKey (or apiKey)')
    expect(error.message).toContain('AWS_ACCESS_KEY_ID')
    expect(error.message).toContain('AWS_PROFILE')
    expect(error.message).toContain('AWS_BEARER_TOKEN_BEDROCK')
    expect(sent).toHaveLength(0)
  })

  it('no region anywhere → ConfigError naming the setting and AWS_REGION', async () => {
    const { fetch, sent } = wire()
    const error = await createBedrock({ baseURL, accessKeyId, secretAccessKey, fetch })
      .generate({ messages })
      .catch((e) => e)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect(error.message).toBe('Amazon Bedrock: no AWS Region. Pass the region setting or set AWS_REGION.')
    expect(sent).toHaveLength(0)
  })

  it('SigV4 settings pass the fast checks: the zod schema is not built for them', async () => {
    const { fetch } = wire()
    const original = spec.settingsSchema
    let built = 0
    ;(spec as { settingsSchema: unknown }).settingsSchema = (...args: unknown[]) => {
      built++
      return (original as (...args: unknown[]) => unknown)(...args)
    }
    try {
      await createBedrock({ region: 'us-east-1', accessKeyId, secretAccessKey, baseURL, fetch }).generate({
        messages,
      })
      expect(built).toBe(0)
      // A secret without its key id still passes the fast checks; connect() refuses it.
      const error = await createBedrock({ region: 'us-east-1', secretAccessKey, baseURL, fetch })
        .generate({ messages })
        .catch((e) => e)
      expect(built).toBe(0)
      expect(ConfigError.isInstance(error)).toBe(true)
      expect(error.message).toContain('accessKeyId and secretAccessKey go together')
    } finally {
      ;(spec as { settingsSchema: unknown }).settingsSchema = original
    }
  })

  it('an access key without its secret → ConfigError', async () => {
    const error = await createBedrock({ region: 'us-east-1', accessKeyId })
      .generate({ messages })
      .catch((e) => e)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect(error.message).toContain('accessKeyId and secretAccessKey go together')
  })

  it('a session token without access keys → ConfigError', async () => {
    const error = await createBedrock({ region: 'us-east-1', sessionToken: 'token-only-0123' })
      .generate({ messages })
      .catch((e) => e)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect(error.message).toContain('sessionToken needs accessKeyId and secretAccessKey')
  })

  it('a misspelt setting → ConfigError naming it', async () => {
    const error = await createBedrock({ regoin: 'us-east-1' } as never)
      .generate({ messages })
      .catch((e) => e)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect(error.message).toContain('regoin')
  })

  it('a 403 never shows the secret, the session token or the API key', async () => {
    const { fetch } = wire(
      () =>
        new Response(JSON.stringify({ message: 'The security token included in the request is invalid.' }), {
          status: 403,
          headers: { 'x-amzn-errortype': 'UnrecognizedClientException', 'content-type': 'application/json' },
        }),
    )
    const error = await provider({ fetch, sessionToken: 'session-token-secret-0123' })
      .generate({ messages })
      .catch((e) => e)
    expect(AuthenticationError.isInstance(error)).toBe(true)
    const rendered = `${error.message} ${JSON.stringify(error)} ${String(error)}`
    expect(rendered).not.toContain(secretAccessKey)
    expect(rendered).not.toContain('session-token-secret-0123')
  })

  it('listModels is not offered by the runtime API → UnsupportedCapabilityError', async () => {
    const error = await provider({})
      .listModels()
      .catch((e) => e)
    expect(UnsupportedCapabilityError.isInstance(error)).toBe(true)
    expect(spec.capabilities.listModels).toBe(false)
  })
})

describe('embeddings through InvokeModel', () => {
  it('Titan: one call per input, concurrently, in order, token counts summed', async () => {
    const { fetch, sent } = wire((entry) =>
      Response.json({
        embedding: [entry.body.inputText.length, 0.5],
        inputTextTokenCount: entry.body.inputText.length,
      }),
    )
    const result = await provider({ fetch }).embed({ input: ['a', 'bbb', 'cc'], dimensions: 256 })
    expect(result.model).toBe('amazon.titan-embed-text-v2:0')
    expect(result.embeddings).toEqual([
      [1, 0.5],
      [3, 0.5],
      [2, 0.5],
    ])
    expect(result.usage).toEqual({ inputTokens: 6 })
    expect(sent.map((entry) => entry.url)).toEqual(
      Array(3).fill(`${baseURL}/model/amazon.titan-embed-text-v2%3A0/invoke`),
    )
    expect(sent.map((entry) => entry.body)).toEqual([
      { inputText: 'a', dimensions: 256, normalize: true },
      { inputText: 'bbb', dimensions: 256, normalize: true },
      { inputText: 'cc', dimensions: 256, normalize: true },
    ])
    expect(sent[0]!.headers.accept).toBe('application/json')
    expect(result.cost?.input).toBeCloseTo((6 * 0.02) / 1e6, 12)
  })

  it('Titan reads the documented v2 response', async () => {
    const { fetch } = wire(() => Response.json(titanV2))
    const result = await provider({ fetch }).embed({ input: 'hello' })
    expect(result.embeddings).toEqual([titanV2.embedding])
    expect(result.usage).toEqual({ inputTokens: 4 })
  })

  it('Titan v1 takes no dimensions or normalize: a warning, not a failure', async () => {
    const { fetch, sent } = wire(() => Response.json({ embedding: [0.1], inputTextTokenCount: 2 }))
    const result = await provider({ fetch }).embed({
      model: 'amazon.titan-embed-text-v1',
      input: ['x', 'y'],
      dimensions: 8,
    })
    expect(sent.map((entry) => entry.body)).toEqual([{ inputText: 'x' }, { inputText: 'y' }])
    expect(result.warnings).toEqual([expect.objectContaining({ setting: 'dimensions' })])
  })

  it('Cohere v3: one batched call with texts and input_type; the plain float list; tokens from the header', async () => {
    const { fetch, sent } = wire(
      () => new Response(JSON.stringify(cohereV3), { headers: { 'x-amzn-bedrock-input-token-count': '4' } }),
    )
    const result = await provider({ fetch }).embed({
      model: 'cohere.embed-english-v3',
      input: ['hello', 'world'],
      dimensions: 512,
    })
    expect(sent).toHaveLength(1)
    expect(sent[0]!.body).toEqual({
      texts: ['hello', 'world'],
      input_type: 'search_document',
      embedding_types: ['float'],
    })
    expect(result.embeddings).toEqual(cohereV3.embeddings)
    expect(result.usage).toEqual({ inputTokens: 4 })
    expect(result.warnings).toEqual([expect.objectContaining({ setting: 'dimensions' })])
  })

  it('Cohere v4: output_dimension, providerOptions merged last (input_type), batches of 96', async () => {
    const { fetch, sent } = wire(
      (entry) =>
        new Response(
          JSON.stringify({ embeddings: { float: entry.body.texts.map((t: string) => [Number(t)]) } }),
          { headers: { 'x-amzn-bedrock-input-token-count': String(entry.body.texts.length) } },
        ),
    )
    const input = Array.from({ length: COHERE_BATCH_SIZE + 4 }, (_, i) => String(i))
    const result = await provider({ fetch }).embed({
      model: 'us.cohere.embed-v4:0',
      input,
      dimensions: 256,
      providerOptions: { bedrock: { input_type: 'search_query' } },
    })
    expect(sent.map((entry) => entry.body.texts.length)).toEqual([96, 4])
    expect(sent[0]!.body).toMatchObject({ output_dimension: 256, input_type: 'search_query' })
    expect(result.embeddings).toEqual(input.map((t) => [Number(t)]))
    expect(result.usage).toEqual({ inputTokens: 100 })
  })

  it('without a token-count header the usage is unknown, not zero', async () => {
    const { fetch } = wire(() => Response.json({ embeddings: { float: [[1]] } }))
    const result = await provider({ fetch }).embed({ model: 'cohere.embed-v4:0', input: 'x' })
    expect(result.usage).toBeUndefined()
    expect(result.cost).toBeUndefined()
  })

  it('a response with fewer vectors than texts, or none, is malformed', async () => {
    const short = wire(() => Response.json({ embeddings: { float: [[1]] } }))
    const error = await provider({ fetch: short.fetch })
      .embed({ model: 'cohere.embed-v4:0', input: ['a', 'b'] })
      .catch((e) => e)
    expect(error.name).toBe('MalformedResponseError')
    const empty = wire(() => Response.json({ message: 'ok' }))
    const titanError = await provider({ fetch: empty.fetch })
      .embed({ input: 'a' })
      .catch((e) => e)
    expect(titanError.name).toBe('MalformedResponseError')
  })
})
