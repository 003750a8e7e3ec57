// Type-only: erased at build; the SDK itself is imported once, in the spec's connect().
import type * as MistralSdk from '@mistralai/mistralai'
import type { ChatCompletionStreamRequest, EmbeddingRequest } from '@mistralai/mistralai/models/components'
import type { BaseSettings } from '@modelplex/core'
import type { CallContext, ProviderAdapter } from '@modelplex/core/adapter'
import { convertToMistralRequest } from './convert-to-mistral-request.js'
import { mapMistralError } from './map-mistral-error.js'
import { toMistralWireOptions } from './mistral-provider-options.js'
import { MistralEventSource, MistralStreamTranslator } from './mistral-stream.js'
import { parseMistralEmbeddings, parseMistralModels, parseMistralResponse } from './parse-mistral-response.js'

/** The parts of `@mistralai/mistralai` the adapter uses. */
export type MistralModule = Pick<typeof MistralSdk, 'Mistral' | 'HTTPClient'>

export interface MistralAdapterOptions {
  sdk: MistralModule
  settings: BaseSettings & { normalizeToolCallIds?: boolean | undefined }
}

/**
 * Marks a request whose JSON body gets `providerOptions` merged in. The header never leaves the
 * process: the fetcher strips it. Needed because the SDK drops any field its schema does not know.
 */
const EXTRAS_HEADER = 'x-modelplex-provider-options'

/** The SDK's server URL is the host root (`https://api.mistral.ai`); an OpenAI-style `/v1` is dropped. */
export function toServerURL(baseURL: string | undefined): string | undefined {
  if (!baseURL) return undefined
  return baseURL.replace(/\/+$/, '').replace(/\/v1$/, '')
}

function isRequest(input: unknown): input is Request {
  return typeof input === 'object' && input !== null && 'headers' in input && 'url' in input
}

/** Rebuilds `request` without the marker header and with `fields` merged into its JSON body. */
async function withProviderOptions(request: Request, fields: Record<string, unknown> | undefined) {
  const headers = new Headers(request.headers)
  headers.delete(EXTRAS_HEADER)
  if (!fields) return new Request(request, { headers })
  const body = JSON.parse(await request.text()) as Record<string, unknown>
  for (const key in fields) body[key] = fields[key]
  return new Request(request.url, {
    method: request.method,
    headers,
    body: JSON.stringify(body),
    signal: request.signal,
  })
}

/**
 * The Mistral adapter: `chat.complete` and `chat.stream` for generate and stream, `embeddings.create`
 * and `models.list`. The client is built once, with the SDK's retries off (core retries) and every
 * call given core's abort signal (core owns the timeout).
 */
export function createMistralAdapter(options: MistralAdapterOptions): ProviderAdapter {
  const { sdk, settings } = options
  const normalizeToolCallIds = settings.normalizeToolCallIds ?? true
  const pending = new Map<string, Record<string, unknown>>()
  /** Stream calls by marker: the fetcher keeps their OK response here, body unread. */
  const captures = new Map<string, { response?: Response }>()
  let counter = 0
  // Resolved per call, so a fetch patched after the client was built (mocks, tracing) is honoured.
  const baseFetch: typeof fetch = settings.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const httpClient = new sdk.HTTPClient({
    fetcher: async (input, init) => {
      let request = input
      const key = isRequest(input) ? input.headers.get(EXTRAS_HEADER) : null
      if (key !== null && isRequest(input)) request = await withProviderOptions(input, pending.get(key))
      const response = await (init === undefined ? baseFetch(request) : baseFetch(request, init))
      const capture = key === null ? undefined : captures.get(key)
      if (!capture || !response.ok) return response
      // A stream: the body is read by core's SSE reader, the SDK gets the head and an empty body.
      capture.response = response
      const { status, statusText, headers } = response
      return new Response('', { status, statusText, headers })
    },
  })
  const client = new sdk.Mistral({
    apiKey: settings.apiKey ?? '',
    serverURL: toServerURL(settings.baseURL),
    retryConfig: { strategy: 'none' },
    httpClient,
  })

  /**
   * Per-call request options: core's signal, the headers, and a marker when the body gets provider
   * options. `release` forgets them once the request was sent (or failed before).
   */
  function callOptions(context: CallContext, hasBody = true, capture?: { response?: Response }) {
    const headers: Record<string, string> = { ...settings.headers, ...context.headers }
    let key: string | undefined
    if (capture || (hasBody && Object.keys(context.providerOptions).length > 0)) key = String(++counter)
    if (key !== undefined) {
      if (hasBody && Object.keys(context.providerOptions).length > 0) {
        pending.set(key, toMistralWireOptions(context.providerOptions))
      }
      if (capture) captures.set(key, capture)
      headers[EXTRAS_HEADER] = key
    }
    return {
      options: { signal: context.signal, headers },
      release: () => {
        if (key === undefined) return
        pending.delete(key)
        captures.delete(key)
      },
    }
  }

  return {
    async generate(request, context) {
      const body = convertToMistralRequest(request, context, { normalizeToolCallIds })
      const { options, release } = callOptions(context)
      try {
        return parseMistralResponse(await client.chat.complete(body, options))
      } finally {
        release()
      }
    },

    async stream(request, context) {
      const body = convertToMistralRequest(request, context, { stream: true, normalizeToolCallIds })
      const capture: { response?: Response } = {}
      const { options, release } = callOptions(context, true, capture)
      try {
        // Resolves once the response head arrived, so HTTP errors reject here, inside core's retries.
        const events = await client.chat.stream(body as ChatCompletionStreamRequest, options)
        // The body is read off the raw response by core's SSE reader, linear in its bytes (the SDK's
        // reader copies and rescans its whole buffer on every read). An SDK double keeps its stream.
        const source = capture.response ? new MistralEventSource(capture.response) : events
        return new MistralStreamTranslator(source as AsyncIterable<unknown>, context.signal, {
          includeRaw: context.includeRaw === true,
        })
      } finally {
        release()
      }
    },

    async embed(request, context) {
      const body: EmbeddingRequest = { model: request.model, inputs: request.input }
      if (request.dimensions !== undefined) {
        // mistral-embed always returns 1024 dimensions and has no output_dimension (codestral-embed has).
        if (/^mistral-embed/.test(request.model)) {
          if (request.dimensions !== 1024) {
            context.warn({
              type: 'unsupported-setting',
              setting: 'dimensions',
              message: `${request.model} always returns 1024 dimensions; dimensions was not sent`,
            })
          }
        } else {
          body.outputDimension = request.dimensions
        }
      }
      const { options, release } = callOptions(context)
      try {
        return parseMistralEmbeddings(await client.embeddings.create(body, options))
      } finally {
        release()
      }
    },

    async listModels(context) {
      // A GET has no body to merge provider options into.
      const { options, release } = callOptions(context, false)
      try {
        return parseMistralModels(await client.models.list(undefined, options))
      } finally {
        release()
      }
    },

    mapError(error, context) {
      return mapMistralError(error, { model: context.model })
    },
  }
}
