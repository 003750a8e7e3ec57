import type { WireErrorKind, WireKit } from '@modelplex/conformance'
import {
  createOpenAIWireKit,
  type OpenAIWireKitOptions,
  type WireErrorPayload,
} from '@modelplex/provider-openai-compatible/testing'

/**
 * NIM's error bodies. The hosted gateway (NVCF) answers auth, routing and rate errors with
 * problem details (`{ status, title, detail }`: a bad key is 403 "Authorization failed", a model
 * the account may not use is 404 "Function …: Not found for account …"); the model server behind
 * it answers request errors in OpenAI's shape with a numeric `code`. The 500 and 503 bodies
 * follow the problem-details form; NIM has no content filter, so `content-filter` has no wire form.
 */
export function nvidiaErrorPayload(kind: WireErrorKind): WireErrorPayload {
  const problem = (status: number, title: string, detail?: string): WireErrorPayload => ({
    status,
    body: { status, title, ...(detail ? { detail } : {}) },
  })
  const modelError = (status: number, message: string): WireErrorPayload => ({
    status,
    body: { error: { message, type: 'Bad Request', code: status } },
  })
  switch (kind) {
    case 'bad-request':
      return modelError(400, 'max_tokens must be at least 1, got 0.')
    case 'unauthorized':
    case 'forbidden':
      return problem(403, 'Forbidden', 'Authorization failed')
    case 'not-found':
      return {
        status: 404,
        body: {
          detail:
            "Function 'a2b4c6d8-e0f2-4a6c-8e0a-2c4e6a8c0e2a': Not found for account 'modelplex-test-account'",
        },
      }
    case 'context-window':
      return modelError(
        400,
        "This model's maximum context length is 131072 tokens. However, your messages resulted in 140000 tokens. Please reduce the length of the messages.",
      )
    case 'content-filter':
      throw new Error('nvidia wire kit: NIM has no content filter, so no wire form for "content-filter"')
    case 'rate-limit':
      return problem(429, 'Too Many Requests')
    case 'server':
      return problem(500, 'Internal Server Error')
    case 'overloaded':
      return problem(503, 'Service Unavailable')
  }
}

/** A wire kit that answers like integrate.api.nvidia.com (NVIDIA's hosted NIM), on a test host. */
export function createNvidiaKit(options: OpenAIWireKitOptions = {}): WireKit {
  return createOpenAIWireKit({
    baseURL: 'https://integrate.api.nvidia.modelplex.test/v1',
    apiKey: 'nvapi-modelplex-test-0123456789abcdef',
    models: { chat: 'meta/llama-3.1-8b-instruct', embedding: 'nvidia/nv-embedqa-e5-v5' },
    ownedBy: 'meta',
    errorBody: nvidiaErrorPayload,
    // vLLM, behind NIM, writes a failure mid-stream as an `error` object in a data frame.
    streamError: () => ({
      error: {
        object: 'error',
        message: 'Internal server error',
        type: 'InternalServerError',
        param: null,
        code: 500,
      },
    }),
    ...options,
  })
}

/** The default kit of `@modelplex/provider-nvidia`, used by its conformance test. */
export const kit: WireKit = createNvidiaKit()
