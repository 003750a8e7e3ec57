import { errorTable, type WireErrorEntry, type WireErrorKind, type WireKit } from '@modelplex/conformance'
import {
  createOpenAICompatibleWireKit,
  type OpenAICompatibleWireKitOptions,
} from '@modelplex/provider-openai-compatible/testing'
import contextWindow from './__fixtures__/error-400-context-length.json' with { type: 'json' }
import badRequest from './__fixtures__/error-400-max-tokens.json' with { type: 'json' }
import unauthorized from './__fixtures__/error-403-authorization-failed.json' with { type: 'json' }
import notFound from './__fixtures__/error-404-function-not-found.json' with { type: 'json' }
import rateLimit from './__fixtures__/error-429-too-many-requests.json' with { type: 'json' }
import server from './__fixtures__/error-500-internal-server-error.json' with { type: 'json' }
import overloaded from './__fixtures__/error-503-service-unavailable.json' with { type: 'json' }

/** The kinds NIM has a wire form for: it has no content filter. */
export type NvidiaErrorKind = Exclude<WireErrorKind, 'content-filter'>

/**
 * NIM's error bodies. The hosted gateway (NVCF) answers auth, routing and rate errors with
 * problem details (`{ status, title, detail }`: a bad key is 403 "Authorization failed", a model
 * the account may not use is 404 "Function …: Not found for account …"); the model server behind
 * it answers request errors in OpenAI's shape with a numeric `code`.
 */
export const nvidiaErrors: Record<NvidiaErrorKind, WireErrorEntry> = errorTable(
  {
    badRequest,
    unauthorized,
    forbidden: unauthorized,
    notFound,
    contextWindow,
    rateLimit,
    server,
    overloaded,
  },
  { unauthorized: 403 },
)

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
    v2: { reasoningOptions: { chatTemplateKwargs: { thinking: true } }, reasoningReturn: 'none' },
    ...options,
  })
}

/** The default kit of `@modelplex/provider-nvidia`, used by its conformance test. */
export const kit: WireKit = createNvidiaWireKit()
