import {
  AbortedError,
  AuthenticationError,
  ConnectionError,
  ContentFilterError,
  ContextWindowExceededError,
  InvalidRequestError,
  MalformedResponseError,
  ModelplexError,
  NotFoundError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from '@modelplex/core'
import { OpenAI } from 'openai'
import { describe, expect, it } from 'vitest'
import contentFilter from './__fixtures__/error-400-content-filter.json' with { type: 'json' }
import contextLength from './__fixtures__/error-400-context-length.json' with { type: 'json' }
import contextLengthNoCode from './__fixtures__/error-400-context-length-no-code.json' with { type: 'json' }
import invalidValue from './__fixtures__/error-400-invalid-value.json' with { type: 'json' }
import invalidApiKey from './__fixtures__/error-401-invalid-api-key.json' with { type: 'json' }
import insufficientQuota from './__fixtures__/error-429-insufficient-quota.json' with { type: 'json' }
import rateLimit from './__fixtures__/error-429-rate-limit.json' with { type: 'json' }
import streamServerError from './__fixtures__/error-stream-server-error.json' with { type: 'json' }
import { mapOpenAIError } from './map-openai-error.js'

const context = { provider: 'openai', name: 'OpenAI', model: 'gpt-4o-mini', errors: OpenAI }

/** The error the SDK throws for an HTTP error response, built the way the SDK builds it. */
function httpError(status: number, body: unknown, headers: Record<string, string> = {}) {
  return OpenAI.APIError.generate(
    status,
    body as object,
    undefined,
    new Headers({ 'x-request-id': 'req_123', ...headers }),
  )
}

describe('mapOpenAIError', () => {
  it('401 invalid_api_key → AuthenticationError with status, code and request id, not retryable', () => {
    const error = mapOpenAIError(httpError(401, invalidApiKey), context)
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error).toMatchObject({
      status: 401,
      code: 'invalid_api_key',
      requestId: 'req_123',
      provider: 'openai',
      model: 'gpt-4o-mini',
      retryable: false,
    })
    expect(error.message).toMatch(/^OpenAI: 401 Incorrect API key provided/)
    expect(error.cause).toBeInstanceOf(OpenAI.AuthenticationError)
  })

  it('403 → AuthenticationError, 404 → NotFoundError, 422 → InvalidRequestError', () => {
    expect(
      mapOpenAIError(httpError(403, { error: { message: 'no', type: 'x', code: null } }), context),
    ).toBeInstanceOf(AuthenticationError)
    expect(
      mapOpenAIError(
        httpError(404, { error: { message: 'The model `x` does not exist', code: 'model_not_found' } }),
        context,
      ),
    ).toBeInstanceOf(NotFoundError)
    expect(mapOpenAIError(httpError(422, { error: { message: 'bad' } }), context)).toBeInstanceOf(
      InvalidRequestError,
    )
  })

  it('429 → RateLimitError carrying retry-after-ms', () => {
    const error = mapOpenAIError(httpError(429, rateLimit, { 'retry-after-ms': '210' }), context)
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({
      status: 429,
      code: 'rate_limit_exceeded',
      retryable: true,
      retryAfterMs: 210,
    })
  })

  it('429 → RateLimitError carrying Retry-After seconds when there is no retry-after-ms', () => {
    const error = mapOpenAIError(httpError(429, rateLimit, { 'retry-after': '2' }), context)
    expect(error.retryAfterMs).toBe(2000)
  })

  it('429 insufficient_quota → RateLimitError that is not retried', () => {
    const error = mapOpenAIError(httpError(429, insufficientQuota, { 'retry-after': '1' }), context)
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({ status: 429, code: 'insufficient_quota', retryable: false })
  })

  it('400 context_length_exceeded → ContextWindowExceededError', () => {
    const error = mapOpenAIError(httpError(400, contextLength), context)
    expect(error).toBeInstanceOf(ContextWindowExceededError)
    expect(error).toMatchObject({ status: 400, code: 'context_length_exceeded', retryable: false })
  })

  it('400 without a code but with "maximum context length" (vLLM) → ContextWindowExceededError (phrase fallback)', () => {
    const error = mapOpenAIError(httpError(400, contextLengthNoCode), context)
    expect(error).toBeInstanceOf(ContextWindowExceededError)
    // The numeric code is the HTTP status, not a vendor code.
    expect(error.code).toBe('BadRequestError')
  })

  it("llama.cpp's exceed_context_size_error → ContextWindowExceededError", () => {
    const body = {
      error: {
        code: 400,
        message: 'the request exceeds the available context size',
        type: 'exceed_context_size_error',
      },
    }
    expect(mapOpenAIError(httpError(400, body), context)).toBeInstanceOf(ContextWindowExceededError)
  })

  // Issue 15: the wordings of the servers people put behind openai-compatible, as they answer today.
  it.each([
    [
      'vLLM (current)',
      400,
      "You passed 894 input characters and requested 4096 output tokens. However, the model's context length is only 4096 tokens, resulting in a maximum input length of 0 tokens. Please reduce the length of the input prompt.",
      // github.com/vllm-project/vllm/issues/33418 (issue 15 quotes it)
    ],
    [
      'vLLM (max_tokens too large)',
      400,
      "'max_tokens' or 'max_completion_tokens' is too large: 1000. This model's maximum context length is 1000 tokens and your request has 203 input tokens (1000 > 1000 - 203).",
      // github.com/UKGovernmentBEIS/inspect_ai/issues/2634
    ],
    [
      'vLLM V1 (decoder prompt)',
      400,
      'The decoder prompt (length 5120) is longer than the maximum model length of 4096. Make sure that `max_model_len` is no smaller than the number of text tokens.',
      // github.com/vllm-project/vllm/pull/12600
    ],
    [
      'vLLM (older scheduler)',
      400,
      'Input prompt (35247 tokens) is too long and exceeds limit of 1000',
      // github.com/vllm-project/vllm/issues/10440
    ],
    [
      'llama.cpp server (400)',
      400,
      'request (4390 tokens) exceeds the available context size (4096 tokens), try increasing it',
      // github.com/ggml-org/llama.cpp/issues/19774
    ],
    [
      'llama.cpp server (500)',
      500,
      'Context size has been exceeded.',
      // github.com/ggml-org/llama.cpp/issues/19774
    ],
    [
      'LM Studio',
      400,
      'Trying to keep the first 5000 tokens when context the overflows. However, the model is loaded with context length of only 4096 tokens, which is not enough. Try to load the model with a larger context length, or provide a shorter input',
      // lmstudio.ai community reports of the OpenAI-compatible server's error
    ],
    [
      "Ollama's /v1",
      400,
      'the input length exceeds the context length',
      // Ollama's OpenAI-compatible endpoint with truncation off
    ],
    [
      'TGI',
      422,
      'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 2048. Given: 1244 `inputs` tokens and 1000 `max_new_tokens`',
      // github.com/huggingface/text-generation-inference/issues/628
    ],
    [
      'SGLang',
      400,
      "The input (61709 tokens) is longer than the model's context length (40960 tokens).",
      // github.com/QwenLM/Qwen3/issues/1321
    ],
  ])(
    '%s: its context-length wording → ContextWindowExceededError, so fallback can move to a larger window',
    (_, status, message) => {
      const error = mapOpenAIError(
        httpError(status, { error: { message, type: 'BadRequestError', param: null, code: status } }),
        context,
      )
      expect(error).toBeInstanceOf(ContextWindowExceededError)
      expect(error.retryable).toBe(false)
    },
  )

  it('a context phrase on a 429 or 401 is not a context error', () => {
    const message = "This model's maximum context length is 4096 tokens."
    expect(mapOpenAIError(httpError(429, { error: { message } }), context)).not.toBeInstanceOf(
      ContextWindowExceededError,
    )
    expect(mapOpenAIError(httpError(401, { error: { message } }), context)).not.toBeInstanceOf(
      ContextWindowExceededError,
    )
  })

  it('400 content_filter and content_policy_violation → ContentFilterError', () => {
    expect(mapOpenAIError(httpError(400, contentFilter), context)).toBeInstanceOf(ContentFilterError)
    const policy = {
      error: {
        message: 'Your request was rejected',
        type: 'invalid_request_error',
        code: 'content_policy_violation',
      },
    }
    expect(mapOpenAIError(httpError(400, policy), context)).toBeInstanceOf(ContentFilterError)
  })

  it('other 400 → InvalidRequestError, neither context window nor content filter', () => {
    const error = mapOpenAIError(httpError(400, invalidValue), context)
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect(error).not.toBeInstanceOf(ContextWindowExceededError)
    expect(error).not.toBeInstanceOf(ContentFilterError)
    expect(error.code).toBe('invalid_value')
  })

  it('5xx → retryable ServerError', () => {
    for (const status of [500, 502, 503]) {
      const error = mapOpenAIError(httpError(status, streamServerError), context)
      expect(error).toBeInstanceOf(ServerError)
      expect(error.retryable).toBe(true)
    }
  })

  it('an error event inside a stream (no status) → ServerError, or by its code', () => {
    const inStream = new OpenAI.APIError(undefined, streamServerError.error, undefined, new Headers())
    const error = mapOpenAIError(inStream, context)
    expect(error).toBeInstanceOf(ServerError)
    expect(error.status).toBeUndefined()
    expect(error.message).toContain('The server had an error')
    const limited = new OpenAI.APIError(undefined, rateLimit.error, undefined, new Headers())
    expect(mapOpenAIError(limited, context)).toBeInstanceOf(RateLimitError)
  })

  it('connection failures → ConnectionError, timeouts → TimeoutError, SDK aborts → AbortedError', () => {
    const refused = new OpenAI.APIConnectionError({
      message: 'Connection error.',
      cause: new TypeError('fetch failed'),
    })
    expect(mapOpenAIError(refused, context)).toBeInstanceOf(ConnectionError)
    expect(mapOpenAIError(new OpenAI.APIConnectionTimeoutError(), context)).toBeInstanceOf(TimeoutError)
    expect(mapOpenAIError(new OpenAI.APIUserAbortError(), context)).toBeInstanceOf(AbortedError)
    // A body cut mid-stream surfaces as undici's `terminated`.
    const cut = new TypeError('terminated', {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    })
    expect(mapOpenAIError(cut, context)).toBeInstanceOf(ConnectionError)
  })

  it('recognises SDK errors by class name when the classes are not given', () => {
    const { errors: _, ...withoutClasses } = context
    expect(mapOpenAIError(new OpenAI.APIConnectionTimeoutError(), withoutClasses)).toBeInstanceOf(
      TimeoutError,
    )
    expect(mapOpenAIError(httpError(401, invalidApiKey), withoutClasses)).toBeInstanceOf(AuthenticationError)
  })

  it('invalid JSON → MalformedResponseError', () => {
    let syntax: unknown
    try {
      JSON.parse('<html>')
    } catch (error) {
      syntax = error
    }
    expect(mapOpenAIError(syntax, context)).toBeInstanceOf(MalformedResponseError)
  })

  it('reads code, type and message from a whole-body envelope (groq-sdk, together-ai keep `{ error }`)', () => {
    // Those Stainless SDKs store the whole JSON body in `error`, where `openai` stores `body.error`.
    const wholeBody = new OpenAI.APIError(
      400,
      contextLength,
      undefined,
      new Headers({ 'x-request-id': 'req_9' }),
    )
    const error = mapOpenAIError(wholeBody, context)
    expect(error).toBeInstanceOf(ContextWindowExceededError)
    expect(error).toMatchObject({ status: 400, code: 'context_length_exceeded', requestId: 'req_9' })
    expect(error.message).toBe(`OpenAI: 400 ${contextLength.error.message}`)
  })

  it('returns modelplex errors unchanged and wraps anything else', () => {
    const own = new ServerError('x')
    expect(mapOpenAIError(own, context)).toBe(own)
    const other = mapOpenAIError(new Error('boom'), context)
    expect(other.constructor).toBe(ModelplexError)
    expect(other.message).toBe('OpenAI: boom')
  })
})
