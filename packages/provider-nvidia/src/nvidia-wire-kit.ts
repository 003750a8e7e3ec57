import type { WireErrorEntry, WireErrorKind, WireKit } from '@modelplex/conformance'
import {
  createOpenAICompatibleWireKit,
  type OpenAICompatibleWireKitOptions,
} from '@modelplex/provider-openai-compatible/testing'
import contextLength from './__fixtures__/error-400-context-length.json' with { type: 'json' }
import maxTokens from './__fixtures__/error-400-max-tokens.json' with { type: 'json' }
import authorizationFailed from './__fixtures__/error-403-authorization-failed.json' with { type: 'json' }
import functionNotFound from './__fixtures__/error-404-function-not-found.json' with { type: 'json' }
import tooManyRequests from './__fixtures__/error-429-too-many-requests.json' with { type: 'json' }
import internalServerError from './__fixtures__/error-500-internal-server-error.json' with { type: 'json' }
import serviceUnavailable from './__fixtures__/error-503-service-unavailable.json' with { type: 'json' }
/** The kinds NIM has a wire form for: it has no content filter. */
export type NvidiaErrorKind = Exclude<WireErrorKind, 'content-filter'>

/**
 * NIM's error bodies. The hosted gateway (NVCF) answers auth, routing and rate errors with
 * problem details (`{ status, title, detail }`: a bad key is 403 "Authorization failed", a model
 * the account may not use is 404 "Function …: Not found for account …"); the model server behind
 * it answers request errors in OpenAI's shape with a numeric `code`.
 */
export const nvidiaErrors: Record<NvidiaErrorKind, WireErrorEntry> = {
  'bad-request': { status: 400, body: maxTokens },
  unauthorized: { status: 403, body: authorizationFailed },
  forbidden: { status: 403, body: authorizationFailed },
  'not-found': { status: 404, body: functionNotFound },
  'context-window': { status: 400, body: contextLength },
  'rate-limit': { status: 429, body: tooManyRequests },
  server: { status: 500, body: internalServerError },
  overloaded: { status: 503, body: serviceUnavailable },
}

/** NIM's status and body for a kind. */
export function nvidiaErrorPayload(kind: NvidiaErrorKind): WireErrorEntry {
  return nvidiaErrors[kind]
}

/** A wire kit that answers like integrate.api.nvidia.com (NVIDIA's hosted NIM), on a test host. */
export function createNvidiaWireKit(options: OpenAICompatibleWireKitOptions = {}): WireKit {
  return createOpenAICompatibleWireKit({
    baseURL: 'https://integrate.api.nvidia.modelplex.test/v1',
    apiKey: 'nvapi-modelplex-test-0123456789abcdef',
    models: { chat: 'meta/llama-3.1-8b-instruct', embedding: 'nvidia/nv-embedqa-e5-v5' },
    ownedBy: 'meta',
    errors: {
      ...nvidiaErrors,
      'content-filter': () => {
        throw new Error('nvidia wire kit: NIM has no content filter, so no wire form for "content-filter"')
      },
    },
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
export const kit: WireKit = createNvidiaWireKit()
