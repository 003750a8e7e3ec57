import {
  type BaseSettings,
  createProvider,
  MalformedResponseError,
  type ModelInfo,
  type Provider,
  type ProviderOptions,
  type ResolvedSettings,
} from '@modelplex/core'
import { type CallContext, defineProvider, importSdk, type ProviderAdapter } from '@modelplex/core/adapter'
import type { CohereClientV2 } from 'cohere-ai'
import { type CohereStreamCapture, type CohereStreamCaptures, createCohereFetcher } from './cohere-fetcher.js'
import { cohereContextWindows, coherePricing } from './cohere-pricing.js'
import { CohereEventSource, CohereStreamTranslator } from './cohere-stream.js'
import {
  convertToCohereEmbedRequest,
  convertToCohereRequest,
  MAX_TEXTS_PER_EMBED_CALL,
} from './convert-to-cohere-request.js'
import { type CohereErrorClasses, mapCohereError } from './map-cohere-error.js'
import { parseCohereEmbeddings, parseCohereModels, parseCohereResponse } from './parse-cohere-response.js'

/** Settings of the Cohere provider. */
export interface CohereSettings extends BaseSettings {
  /** Sent as `X-Client-Name`, which Cohere uses to attribute traffic to an application. */
  clientName?: string
}

/** Chat models with autocomplete; any other id is accepted. */
export type CohereChatModelId =
  | 'command-a-03-2025'
  | 'command-a-plus-05-2026'
  | 'command-a-reasoning-08-2025'
  | 'command-a-vision-07-2025'
  | 'command-a-translate-08-2025'
  | 'command-r7b-12-2024'
  | 'command-r-08-2024'
  | 'command-r-plus-08-2024'
  | (string & {})

/** Embedding models with autocomplete; any other id is accepted. */
export type CohereEmbeddingModelId =
  | 'embed-v4.0'
  | 'embed-english-v3.0'
  | 'embed-multilingual-v3.0'
  | 'embed-english-light-v3.0'
  | 'embed-multilingual-light-v3.0'
  | (string & {})

const NAME = 'Cohere'
const PROVIDER = 'cohere'
/** `GET /v1/models` pages; a runaway `next_page_token` must not loop forever. */
const MODEL_PAGE_SIZE = 1000
const MAX_MODEL_PAGES = 50

type CohereClientClass = new (options: ConstructorParameters<typeof CohereClientV2>[0]) => CohereClientV2

/**
 * Per-request options of `cohere-ai`: retries off, core's signal (which carries core's timeout),
 * the call's headers. No `timeoutInSeconds`: the transport (cohere-fetcher.ts) arms no SDK timer.
 */
function requestOptions(context: CallContext) {
  return { abortSignal: context.signal, maxRetries: 0, headers: context.headers }
}

/** Builds the adapter around a connected `CohereClientV2`. */
export function createCohereAdapter(
  client: CohereClientV2,
  errors: CohereErrorClasses = {},
  streams?: CohereStreamCaptures,
): ProviderAdapter {
  return {
    async generate(request, context) {
      const body = convertToCohereRequest(request, context)
      const response = await client.chat(body as any, requestOptions(context))
      return parseCohereResponse(response, PROVIDER)
    },

    async stream(request, context) {
      const body = convertToCohereRequest(request, context)
      const capture: CohereStreamCapture = {}
      streams?.set(context.signal, capture)
      let stream: unknown
      try {
        stream = await client.chatStream(body as any, requestOptions(context))
      } finally {
        streams?.delete(context.signal)
      }
      // The SDK sent the request and threw HTTP errors; the body is read off the raw response by
      // core's SSE reader, linear in its bytes (the SDK's reader re-slices its buffer per line). A
      // transport that kept no response (a test double) leaves the SDK's stream.
      const source = capture.response
        ? new CohereEventSource(capture.response)
        : (stream as AsyncIterable<unknown>)
      return new CohereStreamTranslator(source, PROVIDER, context.signal, {
        includeRaw: context.includeRaw === true,
      })
    },

    async embed(request, context) {
      // Cohere takes at most 96 texts per call: larger inputs go out in batches, in order.
      const responses: unknown[] = []
      for (let start = 0; start < request.input.length; start += MAX_TEXTS_PER_EMBED_CALL) {
        const texts = request.input.slice(start, start + MAX_TEXTS_PER_EMBED_CALL)
        const body = convertToCohereEmbedRequest(request, texts, context)
        responses.push(await client.embed(body as any, requestOptions(context)))
      }
      return parseCohereEmbeddings(responses, request.input.length, PROVIDER)
    },

    async listModels(context) {
      const models: ModelInfo[] = []
      let pageToken: string | undefined
      for (let page = 0; page < MAX_MODEL_PAGES; page++) {
        const response = await client.models.list(
          { pageSize: MODEL_PAGE_SIZE, ...(pageToken ? { pageToken } : {}) },
          requestOptions(context),
        )
        models.push(...parseCohereModels(response, PROVIDER))
        const next = (response as { nextPageToken?: unknown }).nextPageToken
        if (typeof next !== 'string' || next === '' || next === pageToken) return models
        pageToken = next
      }
      throw new MalformedResponseError(`${NAME}: the model list did not end after ${MAX_MODEL_PAGES} pages`, {
        provider: PROVIDER,
      })
    },

    mapError(error, context) {
      return mapCohereError(error, { provider: PROVIDER, name: NAME, model: context.model, errors })
    },
  }
}

/**
 * Imports `cohere-ai` (once, on the first call) and builds the v2 client with its retries off and
 * a transport without the SDK's timer: retries and timeouts are core's policies.
 */
async function connectCohere(settings: ResolvedSettings<CohereSettings>): Promise<ProviderAdapter> {
  const sdk: any = await importSdk('cohere-ai', settings.sdk, () => import('cohere-ai'), PROVIDER)
  const streams: CohereStreamCaptures = new WeakMap()
  // The `sdk` setting may hold the module or the CohereClientV2 class itself.
  const Client: CohereClientClass =
    typeof sdk === 'function' ? sdk : (sdk.CohereClientV2 ?? sdk.default?.CohereClientV2)
  const client = new Client({
    token: settings.apiKey,
    ...(settings.baseURL ? { baseUrl: settings.baseURL.replace(/\/$/, '') } : {}),
    ...(settings.clientName ? { clientName: settings.clientName } : {}),
    ...(settings.headers ? { headers: settings.headers } : {}),
    maxRetries: 0,
    fetcher: createCohereFetcher(() => settings.fetch ?? globalThis.fetch, streams) as never,
  })
  const errors: CohereErrorClasses =
    typeof sdk === 'function'
      ? {}
      : {
          CohereError: sdk.CohereError ?? sdk.default?.CohereError,
          CohereTimeoutError: sdk.CohereTimeoutError ?? sdk.default?.CohereTimeoutError,
        }
  return createCohereAdapter(client, errors, streams)
}

/** Cohere's v2 API through its official SDK, `cohere-ai`. */
const cohere = defineProvider<CohereSettings>({
  id: PROVIDER,
  name: NAME,
  sdk: { package: 'cohere-ai', range: '^8.1.0' },
  settingsSchema: (z, base) => base.extend({ clientName: z.string().min(1).optional() }).strict(),
  settingChecks: { clientName: (value) => typeof value === 'string' && value.length > 0 },
  // CO_API_KEY and CO_API_URL are the names Cohere's own SDKs read.
  env: { apiKey: ['CO_API_KEY', 'COHERE_API_KEY'], baseURL: ['CO_API_URL'] },
  defaultModel: 'command-a-03-2025',
  defaultEmbeddingModel: 'embed-v4.0',
  capabilities: {
    stream: true,
    tools: true,
    structuredOutput: 'json-schema',
    embeddings: true,
    vision: true,
    listModels: true,
    // The v2 user message takes text and images only; documents go to `documents` (RAG, as text
    // through providerOptions), so no file part is sent (docs.cohere.com/reference/chat).
    files: [],
    // `thinking` content of command-a-reasoning (and the `tool_plan` before tool calls).
    reasoning: true,
  },
  pricing: coherePricing,
  contextWindows: cohereContextWindows,
  connect: connectCohere,
})

export default cohere

/** Creates the Cohere provider, e.g. `createCohere({ apiKey })`; the key defaults to `CO_API_KEY`. */
export function createCohere(settings: ProviderOptions<CohereSettings> = {}): Provider {
  return createProvider(cohere, settings)
}
