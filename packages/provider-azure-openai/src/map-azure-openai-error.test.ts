import {
  AuthenticationError,
  ConfigError,
  ConnectionError,
  ContentFilterError,
  ContextWindowExceededError,
  InvalidRequestError,
  MalformedResponseError,
  type ModelplexError,
  NotFoundError,
  RateLimitError,
  ServerError,
} from '@modelplex/core'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { AzureOpenAI } from 'openai'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import contentFilter from './__fixtures__/error-400-content-filter.json' with { type: 'json' }
import blocklist from './__fixtures__/error-400-content-filter-blocklist.json' with { type: 'json' }
import contextLength from './__fixtures__/error-400-context-length.json' with { type: 'json' }
import invalidKey from './__fixtures__/error-401-invalid-key.json' with { type: 'json' }
import permissionDenied from './__fixtures__/error-401-permission-denied.json' with { type: 'json' }
import firewall from './__fixtures__/error-403-firewall.json' with { type: 'json' }
import deploymentNotFound from './__fixtures__/error-404-deployment-not-found.json' with { type: 'json' }
import rateLimit from './__fixtures__/error-429-rate-limit.json' with { type: 'json' }
import { createAzureOpenAI } from './index.js'
import { mapAzureOpenAIError } from './map-azure-openai-error.js'

const context = { model: 'prod-gpt-4o', errors: AzureOpenAI }

/** The error the SDK throws for an HTTP error response, built the way the SDK builds it. */
function httpError(status: number, body: unknown, headers: Record<string, string> = {}) {
  return AzureOpenAI.APIError.generate(
    status,
    body as object,
    undefined,
    new Headers({ 'apim-request-id': 'a1b2c3d4-apim', ...headers }),
  )
}

describe('mapAzureOpenAIError', () => {
  it('400 content_filter → ContentFilterError naming the filtered categories, with code and request id', () => {
    const error = mapAzureOpenAIError(httpError(400, contentFilter), context)
    expect(ContentFilterError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({
      provider: 'azure-openai',
      model: 'prod-gpt-4o',
      status: 400,
      code: 'content_filter',
      requestId: 'a1b2c3d4-apim',
      retryable: false,
    })
    expect(error.message).toMatch(/^Azure OpenAI: 400 The response was filtered/)
    expect(error.message).toContain('[filtered: violence (medium)]')
    expect(error.message).not.toContain('hate')
  })

  it('a custom blocklist hit is named by its id', () => {
    const error = mapAzureOpenAIError(httpError(400, blocklist), context)
    expect(ContentFilterError.isInstance(error)).toBe(true)
    expect(error.message).toContain('[filtered: custom_blocklists:raiBlocklistName]')
  })

  it('an innererror ResponsibleAIPolicyViolation without the content_filter code is still a content filter', () => {
    const body = {
      error: {
        code: 'BadRequest',
        message: 'Filtered.',
        innererror: { code: 'ResponsibleAIPolicyViolation' },
      },
    }
    const error = mapAzureOpenAIError(httpError(400, body), context)
    expect(ContentFilterError.isInstance(error)).toBe(true)
    expect(error.code).toBe('BadRequest')
  })

  it('404 DeploymentNotFound → NotFoundError that names the deployment', () => {
    const error = mapAzureOpenAIError(httpError(404, deploymentNotFound), context)
    expect(NotFoundError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ status: 404, code: 'DeploymentNotFound' })
    expect(error.message).toContain('"prod-gpt-4o"')
  })

  it('401 invalid subscription key → AuthenticationError, not retryable', () => {
    const error = mapAzureOpenAIError(httpError(401, invalidKey), context)
    expect(AuthenticationError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ status: 401, code: '401', retryable: false })
    expect(error.message).toContain('invalid subscription key')
  })

  it('401 PermissionDenied (an Entra ID principal without a role) → AuthenticationError', () => {
    const error = mapAzureOpenAIError(httpError(401, permissionDenied), context)
    expect(AuthenticationError.isInstance(error)).toBe(true)
    expect(error.code).toBe('PermissionDenied')
  })

  it('403 firewall → AuthenticationError with status 403', () => {
    const error = mapAzureOpenAIError(httpError(403, firewall), context)
    expect(AuthenticationError.isInstance(error)).toBe(true)
    expect(error.status).toBe(403)
  })

  it('429 → RateLimitError with retry-after-ms first, else retry-after seconds', () => {
    const ms = mapAzureOpenAIError(
      httpError(429, rateLimit, { 'retry-after-ms': '6000', 'retry-after': '7' }),
      context,
    )
    expect(RateLimitError.isInstance(ms)).toBe(true)
    expect(ms).toMatchObject({ status: 429, code: '429', retryable: true, retryAfterMs: 6000 })
    const seconds = mapAzureOpenAIError(httpError(429, rateLimit, { 'retry-after': '6' }), context)
    expect(seconds.retryAfterMs).toBe(6000)
  })

  it('400 context_length_exceeded (relayed from the model) → ContextWindowExceededError', () => {
    const error = mapAzureOpenAIError(httpError(400, contextLength), context)
    expect(ContextWindowExceededError.isInstance(error)).toBe(true)
  })

  it('other 400s → InvalidRequestError; 500 → ServerError; x-request-id wins over apim-request-id', () => {
    const unknownArgument = {
      error: {
        message: 'Unrecognized request argument supplied: max_completion_tokens',
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    }
    const bad = mapAzureOpenAIError(httpError(400, unknownArgument, { 'x-request-id': 'req-model' }), context)
    expect(InvalidRequestError.isInstance(bad)).toBe(true)
    expect(ContentFilterError.isInstance(bad)).toBe(false)
    expect(bad.requestId).toBe('req-model')
    const server = mapAzureOpenAIError(
      httpError(500, { error: { code: 'InternalServerError', message: 'x' } }),
      context,
    )
    expect(ServerError.isInstance(server)).toBe(true)
    expect(server.requestId).toBe('a1b2c3d4-apim')
  })

  it('keeps the typed error a token provider raised through the SDK wrapping', () => {
    const raised = new AuthenticationError('Azure OpenAI: azureADTokenProvider failed: no credential', {
      provider: 'azure-openai',
    })
    const wrapped = new AzureOpenAI.OpenAIError("Failed to get token from 'apiKey' function: no credential")
    Object.defineProperty(wrapped, 'cause', { value: raised })
    expect(mapAzureOpenAIError(wrapped, context)).toBe(raised)
  })

  it('connection failures and invalid JSON go through the shared mapping', () => {
    const reset = new AzureOpenAI.APIConnectionError({
      message: 'Connection error.',
      cause: new TypeError('terminated'),
    })
    expect(ConnectionError.isInstance(mapAzureOpenAIError(reset, context))).toBe(true)
    expect(
      MalformedResponseError.isInstance(mapAzureOpenAIError(new SyntaxError('Unexpected token <'), context)),
    ).toBe(true)
  })
})

const endpoint = 'https://contoso.openai.azure.com'
const apiKey = 'azure-key-that-must-not-leak-0123456789'
let answer: () => Response = () => HttpResponse.json({})
let calls = 0
const server = setupServer(
  http.post(`${endpoint}/openai/deployments/:deployment/chat/completions`, () => {
    calls++
    return answer()
  }),
)

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  calls = 0
})
afterAll(() => server.close())

/** Answers every request with `status` and the documented body, and returns what the call threw. */
async function failWith(status: number, body: unknown, headers: Record<string, string> = {}, maxRetries = 0) {
  answer = () =>
    HttpResponse.json(body as object, { status, headers: { 'apim-request-id': 'apim-1', ...headers } })
  const provider = createAzureOpenAI({ apiKey, endpoint, retry: { initialDelayMs: 1, maxDelayMs: 2 } })
  const error = (await provider
    .generate({ model: 'prod-gpt-4o', messages: [{ role: 'user', content: 'Hi' }], maxRetries })
    .catch((caught) => caught)) as ModelplexError
  expect(JSON.stringify(error.toJSON())).not.toContain(apiKey)
  expect(error.message).not.toContain(apiKey)
  return error
}

describe('Azure OpenAI errors through the provider', () => {
  it('429 with retry-after-ms is retried after that many milliseconds, until retries run out', async () => {
    const error = await failWith(429, rateLimit, { 'retry-after-ms': '15', 'retry-after': '1' }, 1)
    expect(RateLimitError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ retryAfterMs: 15, requestId: 'apim-1', attempts: 2 })
    expect(calls).toBe(2)
  })

  it('DeploymentNotFound and content filter are not retried', async () => {
    expect(NotFoundError.isInstance(await failWith(404, deploymentNotFound, {}, 2))).toBe(true)
    expect(calls).toBe(1)
    calls = 0
    expect(ContentFilterError.isInstance(await failWith(400, contentFilter, {}, 2))).toBe(true)
    expect(calls).toBe(1)
  })

  it('a settings mistake is a ConfigError before any request', async () => {
    const error = await createAzureOpenAI({ apiKey, endpoint, resourceName: 'contoso' })
      .generate({ messages: [{ role: 'user', content: 'Hi' }] })
      .catch((caught) => caught)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect(calls).toBe(0)
  })
})
