import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InternalServerException,
  ModelStreamErrorException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime'
import {
  awsEvent,
  awsEventStreamResponse,
  awsException,
  connectionDroppedError,
} from '@modelplex/conformance'
import {
  AbortedError,
  AuthenticationError,
  ConfigError,
  ConnectionError,
  ContentFilterError,
  ContextWindowExceededError,
  InvalidRequestError,
  MalformedResponseError,
  ModelplexError,
  NotFoundError,
  RateLimitError,
  ServerError,
} from '@modelplex/core'
import { FetchHttpHandler } from '@smithy/fetch-http-handler'
import { describe, expect, it } from 'vitest'
import contentFilter from './__fixtures__/error-400-content-filter.json' with { type: 'json' }
import inputTooLong from './__fixtures__/error-400-input-too-long.json' with { type: 'json' }
import invalidModel from './__fixtures__/error-400-invalid-model.json' with { type: 'json' }
import serviceQuota from './__fixtures__/error-400-service-quota.json' with { type: 'json' }
import validation from './__fixtures__/error-400-validation.json' with { type: 'json' }
import accessDenied from './__fixtures__/error-403-access-denied.json' with { type: 'json' }
import expiredToken from './__fixtures__/error-403-expired-token.json' with { type: 'json' }
import unrecognizedClient from './__fixtures__/error-403-unrecognized-client.json' with { type: 'json' }
import resourceNotFound from './__fixtures__/error-404-resource-not-found.json' with { type: 'json' }
import modelTimeout from './__fixtures__/error-408-model-timeout.json' with { type: 'json' }
import modelError from './__fixtures__/error-424-model-error.json' with { type: 'json' }
import modelNotReady from './__fixtures__/error-429-model-not-ready.json' with { type: 'json' }
import throttling from './__fixtures__/error-429-throttling.json' with { type: 'json' }
import internalServer from './__fixtures__/error-500-internal-server.json' with { type: 'json' }
import serviceUnavailable from './__fixtures__/error-503-service-unavailable.json' with { type: 'json' }
import { mapBedrockError } from './map-bedrock-error.js'

interface ErrorFixture {
  status: number
  headers: Record<string, string>
  body: unknown
}

const context = { name: 'Amazon Bedrock', model: 'amazon.nova-lite-v1:0' }
const messages = [{ role: 'user' as const, content: [{ text: 'Hi' }] }]

function clientAnswering(answer: () => Response | Promise<Response>): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIAMAPERRORTEST0001', secretAccessKey: 'map-error-secret-key-0123456789' },
    requestHandler: new FetchHttpHandler({ customFetch: async () => answer() }),
  })
}

/** What the SDK throws for an error response written as bedrock-runtime writes it. */
async function sdkErrorFor(
  fixture: ErrorFixture,
  extraHeaders: Record<string, string> = {},
): Promise<unknown> {
  const client = clientAnswering(
    () =>
      new Response(JSON.stringify(fixture.body), {
        status: fixture.status,
        headers: { ...fixture.headers, ...extraHeaders },
      }),
  )
  return client.send(new ConverseCommand({ modelId: context.model, messages })).catch((error) => error)
}

async function mapped(fixture: ErrorFixture, extraHeaders?: Record<string, string>): Promise<ModelplexError> {
  return mapBedrockError(await sdkErrorFor(fixture, extraHeaders), context)
}

describe('mapBedrockError: HTTP errors through the SDK', () => {
  it('ThrottlingException 429 → RateLimitError, retryable, with status, code and request id', async () => {
    const error = await mapped(throttling)
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({
      status: 429,
      code: 'ThrottlingException',
      requestId: '3f6e1c1a-2b7d-4e8f-9a0b-c1d2e3f4a5b6',
      provider: 'bedrock',
      model: 'amazon.nova-lite-v1:0',
      retryable: true,
      retryAfterMs: undefined,
    })
    expect(error.message).toBe(
      'Amazon Bedrock: 429 ThrottlingException: Too many requests, please wait before trying again.',
    )
    expect((error.cause as Error).name).toBe('ThrottlingException')
  })

  it('a Retry-After on the response (a proxy or gateway) becomes retryAfterMs', async () => {
    const error = await mapped(throttling, { 'retry-after': '3' })
    expect(error.retryAfterMs).toBe(3000)
  })

  it('ServiceQuotaExceededException 400 → RateLimitError (resubmitting later succeeds)', async () => {
    const error = await mapped(serviceQuota)
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({ status: 400, code: 'ServiceQuotaExceededException', retryable: true })
  })

  it('ValidationException 400 → InvalidRequestError, not retryable, neither context nor filter', async () => {
    const error = await mapped(validation)
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect(error).not.toBeInstanceOf(ContextWindowExceededError)
    expect(error).not.toBeInstanceOf(ContentFilterError)
    expect(error).toMatchObject({ status: 400, code: 'ValidationException', retryable: false })
  })

  it('ValidationException "Input is too long for requested model." → ContextWindowExceededError', async () => {
    const error = await mapped(inputTooLong)
    expect(error).toBeInstanceOf(ContextWindowExceededError)
    expect(error).toMatchObject({ status: 400, code: 'ValidationException', retryable: false })
  })

  it('ValidationException "blocked by our content filters" → ContentFilterError', async () => {
    const error = await mapped(contentFilter)
    expect(error).toBeInstanceOf(ContentFilterError)
    expect(error.status).toBe(400)
  })

  it('ValidationException "The provided model identifier is invalid." → NotFoundError', async () => {
    const error = await mapped(invalidModel)
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error).toMatchObject({ status: 400, code: 'ValidationException' })
  })

  it.each([
    ['AccessDeniedException', accessDenied],
    ['UnrecognizedClientException', unrecognizedClient],
    ['ExpiredTokenException', expiredToken],
  ])('%s 403 → AuthenticationError, not retryable', async (code, fixture) => {
    const error = await mapped(fixture)
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error).toMatchObject({ status: 403, code, retryable: false })
  })

  it('ResourceNotFoundException 404 → NotFoundError', async () => {
    const error = await mapped(resourceNotFound)
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error).toMatchObject({ status: 404, code: 'ResourceNotFoundException' })
  })

  it.each([
    ['InternalServerException', 500, internalServer],
    ['ServiceUnavailableException', 503, serviceUnavailable],
    ['ModelNotReadyException', 429, modelNotReady],
    ['ModelErrorException', 424, modelError],
    ['ModelTimeoutException', 408, modelTimeout],
  ])('%s %d → ServerError, retryable', async (code, status, fixture) => {
    const error = await mapped(fixture)
    expect(error).toBeInstanceOf(ServerError)
    expect(error).toMatchObject({ status, code, retryable: true })
  })

  it('an unmodeled exception falls back to its status', async () => {
    const fixture = {
      status: 409,
      headers: { 'x-amzn-errortype': 'SomethingNewException', 'content-type': 'application/json' },
      body: { message: 'new' },
    }
    const error = await mapped(fixture)
    expect(error).toBeInstanceOf(ServerError)
    expect(error.status).toBe(409)
  })

  it('a 200 body that is not JSON → MalformedResponseError', async () => {
    const client = clientAnswering(
      () =>
        new Response('<html>Bad gateway</html>', {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
    )
    const raw = await client.send(new ConverseCommand({ modelId: 'm', messages })).catch((error) => error)
    expect(mapBedrockError(raw, context)).toBeInstanceOf(MalformedResponseError)
  })

  /** What the SDK throws for a ConverseStream answered by a proxy's HTML page with `status`. */
  async function proxyPage(status: number, headers: Record<string, string> = {}): Promise<unknown> {
    const client = clientAnswering(
      () =>
        new Response('<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n</html>\r\n', {
          status,
          headers: { 'content-type': 'text/html', ...headers },
        }),
    )
    return client.send(new ConverseStreamCommand({ modelId: 'm', messages })).catch((error) => error)
  }

  it("a proxy's HTML 502 → retryable ServerError by its status, not MalformedResponseError", async () => {
    const raw = await proxyPage(502)
    // The SDK reports the body's SyntaxError; only the status it attaches tells a 502 from a bad 200.
    expect((raw as Error).name).toBe('SyntaxError')
    const error = mapBedrockError(raw, context)
    expect(error).toBeInstanceOf(ServerError)
    expect(error).toMatchObject({ status: 502, retryable: true, provider: 'bedrock' })
    expect(error.message).toMatch(/^Amazon Bedrock: 502 with a body that is not JSON \(Unexpected token/)
  })

  it('an HTML 429 → RateLimitError with its Retry-After; an HTML 403 → AuthenticationError', async () => {
    const limited = mapBedrockError(await proxyPage(429, { 'retry-after': '2' }), context)
    expect(limited).toBeInstanceOf(RateLimitError)
    expect(limited).toMatchObject({ status: 429, retryable: true, retryAfterMs: 2000 })
    const denied = mapBedrockError(await proxyPage(403), context)
    expect(denied).toBeInstanceOf(AuthenticationError)
    expect(denied).toMatchObject({ status: 403, retryable: false })
  })

  it('a SyntaxError carrying only the raw $response status is classified by it', () => {
    const raw = Object.assign(new SyntaxError('Unexpected token <'), { $response: { statusCode: 503 } })
    expect(mapBedrockError(raw, context)).toMatchObject({ name: 'ServerError', status: 503 })
  })

  it('a refused connection → ConnectionError, retryable', async () => {
    const client = clientAnswering(() => Promise.reject(new TypeError('fetch failed')))
    const raw = await client.send(new ConverseCommand({ modelId: 'm', messages })).catch((error) => error)
    const error = mapBedrockError(raw, context)
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error.retryable).toBe(true)
  })
})

describe('mapBedrockError: stream exceptions', () => {
  /** Sends a ConverseStream and reads it to its end; the error thrown on the way (the SDK reads the first frame in `send`). */
  async function failureOf(client: BedrockRuntimeClient): Promise<unknown> {
    try {
      const output = await client.send(new ConverseStreamCommand({ modelId: 'm', messages }))
      for await (const _ of output.stream!) {
      }
    } catch (error) {
      return error
    }
    throw new Error('the stream did not fail')
  }

  async function streamFailure(...tail: Parameters<typeof awsEventStreamResponse>[0]) {
    const client = clientAnswering(() =>
      awsEventStreamResponse([awsEvent('messageStart', { role: 'assistant' }), ...tail]),
    )
    return mapBedrockError(await failureOf(client), context)
  }

  it('an internalServerException frame → ServerError without a status', async () => {
    const error = await streamFailure(awsException('internalServerException', 'Internal failure'))
    expect(error).toBeInstanceOf(ServerError)
    expect(error).toMatchObject({ code: 'InternalServerException', status: undefined, retryable: true })
  })

  it('a modelStreamErrorException frame → ServerError', async () => {
    const error = await streamFailure(awsException('modelStreamErrorException', 'Model stream error'))
    expect(error).toBeInstanceOf(ServerError)
    expect(error.code).toBe('ModelStreamErrorException')
  })

  it('a throttlingException frame → RateLimitError', async () => {
    expect(await streamFailure(awsException('throttlingException', 'slow down'))).toBeInstanceOf(
      RateLimitError,
    )
  })

  it('a validationException frame saying the input is too long → ContextWindowExceededError', async () => {
    const error = await streamFailure(
      awsException('validationException', 'Input is too long for requested model.'),
    )
    expect(error).toBeInstanceOf(ContextWindowExceededError)
  })

  it('bytes that are not event-stream frames → MalformedResponseError', async () => {
    const client = clientAnswering(
      () =>
        new Response('<html><body>Bad gateway</body></html>', {
          headers: { 'content-type': 'application/vnd.amazon.eventstream' },
        }),
    )
    expect(mapBedrockError(await failureOf(client), context)).toBeInstanceOf(MalformedResponseError)
  })

  it('a frame whose CRC is corrupt → MalformedResponseError', async () => {
    const response = awsEventStreamResponse([awsEvent('messageStart', { role: 'assistant' })])
    const bytes = new Uint8Array(await response.arrayBuffer())
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff
    const client = clientAnswering(
      () => new Response(bytes, { headers: { 'content-type': 'application/vnd.amazon.eventstream' } }),
    )
    expect(mapBedrockError(await failureOf(client), context)).toBeInstanceOf(MalformedResponseError)
  })
})

describe('mapBedrockError: context-window phrases (ValidationException gives nothing finer)', () => {
  const validationError = (message: string) =>
    new ValidationException({ message, $metadata: { httpStatusCode: 400, requestId: 'req-1' } })

  it.each([
    'Input is too long for requested model.',
    'The model returned the following errors: too many input tokens',
    'The model returned the following errors: prompt is too long: 210533 tokens > 200000 maximum',
    "This model's maximum context length is 131072 tokens. Please reduce the length of the prompt.",
  ])('"%s" → ContextWindowExceededError', (message) => {
    expect(mapBedrockError(validationError(message), context)).toBeInstanceOf(ContextWindowExceededError)
  })

  it('other validation messages stay InvalidRequestError', () => {
    const error = mapBedrockError(
      validationError('Malformed input request, please reformat your input.'),
      context,
    )
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect(error).not.toBeInstanceOf(ContextWindowExceededError)
  })
})

describe('mapBedrockError: everything else', () => {
  it('no resolvable credentials → ConfigError naming what to set', () => {
    const raw = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    })
    const error = mapBedrockError(raw, {
      ...context,
      credentialsHint: 'Pass accessKeyId, or set AWS_PROFILE',
    })
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.retryable).toBe(false)
    expect(error.message).toBe(
      'Amazon Bedrock: no AWS credentials could be resolved (Could not load credentials from any providers). Pass accessKeyId, or set AWS_PROFILE.',
    )
  })

  it('no region → ConfigError naming the setting and AWS_REGION', () => {
    const error = mapBedrockError(new Error('Region is missing'), context)
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toContain('region setting')
    expect(error.message).toContain('AWS_REGION')
  })

  it("the SDK's AbortError → AbortedError", () => {
    const raw = Object.assign(new Error('Request aborted'), { name: 'AbortError' })
    expect(mapBedrockError(raw, context)).toBeInstanceOf(AbortedError)
  })

  it('a body cut mid-stream (undici "terminated") → ConnectionError', () => {
    expect(mapBedrockError(connectionDroppedError(), context)).toBeInstanceOf(ConnectionError)
  })

  it('an exception of the SDK keeps its classes: instances work as well as responses', () => {
    const throttled = new ThrottlingException({
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 429 },
    })
    expect(mapBedrockError(throttled, context)).toBeInstanceOf(RateLimitError)
    const internal = new InternalServerException({ message: 'boom', $metadata: {} })
    expect(mapBedrockError(internal, context)).toBeInstanceOf(ServerError)
    const stream = new ModelStreamErrorException({ message: 'bad', $metadata: {}, originalStatusCode: 500 })
    expect(mapBedrockError(stream, context)).toBeInstanceOf(ServerError)
  })

  it('an unknown plain error → ModelplexError with its message', () => {
    const error = mapBedrockError(new Error('something odd'), context)
    expect(error.constructor).toBe(ModelplexError)
    expect(error.message).toBe('Amazon Bedrock: something odd')
  })

  it('a ModelplexError passes through untouched', () => {
    const original = new RateLimitError('already mapped')
    expect(mapBedrockError(original, context)).toBe(original)
  })
})
