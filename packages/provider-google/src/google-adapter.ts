import type { AdapterRequest, CallContext, ProviderAdapter } from '@modelplex/core/adapter'
import { convertToGoogleRequest } from './convert-to-google-request.js'
import { GOOGLE_CONFIG_KEYS } from './google-provider-options.js'
import { GoogleEventSource, GoogleStreamTranslator } from './google-stream.js'
import { mapGoogleError } from './map-google-error.js'
import {
  type ParseContext,
  parseGoogleEmbeddings,
  parseGoogleModel,
  parseGoogleResponse,
} from './parse-google-response.js'

/** The part of a `GoogleGenAI` client the adapter calls. */
export interface GoogleGenAIClient {
  models: {
    generateContent(params: Record<string, unknown>): Promise<unknown>
    generateContentStream(params: Record<string, unknown>): Promise<AsyncIterable<unknown>>
    embedContent(params: Record<string, unknown>): Promise<unknown>
    list(params?: Record<string, unknown>): Promise<AsyncIterable<unknown>>
  }
}

export interface GoogleAdapterOptions {
  provider: string
  name: string
  client: GoogleGenAIClient
  /** The SDK's `ApiError` class, for `instanceof`. */
  ApiError?: abstract new (
    ...args: any[]
  ) => Error
  /** The fetch the SDK uses; read per call, so a fetch patched later (mocks, tracing) is honoured. */
  fetch?: typeof fetch
}

/** What one call's fetch saw that the SDK does not pass on. */
interface WireCapture {
  /** Headers of a failed response (`Retry-After`); the SDK's ApiError keeps only the body. */
  errorHeaders?: Headers
  /** `usageMetadata.promptTokenCount` of an embeddings body; the SDK's parser drops the field. */
  promptTokenCount?: number
  /** Set on a stream call: the OK response, its body unread, kept for the shared SSE reader. */
  streamResponse?: Response | null
}

/** The `EmbedContentConfig` fields `providerOptions.google` may set on an embedding call. */
const EMBED_CONFIG_KEYS = new Set(['taskType', 'title', 'outputDimensionality', 'mimeType', 'autoTruncate'])

/** Reads `usageMetadata.promptTokenCount` near the end of a JSON body without parsing the vectors twice. */
export function readPromptTokenCount(body: string): number | undefined {
  const key = body.lastIndexOf('"usageMetadata"')
  if (key < 0) return undefined
  const start = body.indexOf('{', key)
  let depth = 0
  for (let index = start; start >= 0 && index < body.length; index++) {
    const char = body[index]
    if (char === '{') depth++
    else if (char === '}' && --depth === 0) {
      try {
        const count = JSON.parse(body.slice(start, index + 1))?.promptTokenCount
        return typeof count === 'number' ? count : undefined
      } catch {
        return undefined
      }
    }
  }
  return undefined
}

/**
 * The Gemini adapter over `@google/genai`: `models.generateContent`, `generateContentStream`,
 * `embedContent` and `list`, each with the call's signal, headers and `providerOptions` (merged
 * into the wire body through `httpOptions.extraBody`).
 */
export function createGoogleAdapter(options: GoogleAdapterOptions): ProviderAdapter {
  const { provider, name, client, ApiError } = options
  function capturingFetch(capture: WireCapture, readUsage: boolean): typeof fetch {
    const base = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
    return async (input, init) => {
      const response = await base(input, init)
      if (!response.ok) {
        capture.errorHeaders = response.headers
        return response
      }
      if (capture.streamResponse === null) {
        // The body is read by the shared SSE reader; the SDK gets the head and an empty body it never reads.
        capture.streamResponse = response
        const { status, statusText, headers } = response
        return new Response('', { status, statusText, headers })
      }
      if (!readUsage) return response
      const body = await response.text()
      capture.promptTokenCount = readPromptTokenCount(body)
      const { status, statusText, headers } = response
      return new Response(body, { status, statusText, headers })
    }
  }

  /** The per-call options every SDK call gets. */
  function callConfig(
    context: CallContext,
    capture: WireCapture,
    readUsage = false,
    typedKeys?: ReadonlySet<string>,
  ): Record<string, unknown> {
    // Keys the converter already put in the SDK's config are not merged into the body a second time.
    const rest = typedKeys
      ? Object.fromEntries(Object.entries(context.providerOptions).filter(([key]) => !typedKeys.has(key)))
      : context.providerOptions
    const extraBody = Object.keys(rest).length > 0 ? rest : undefined
    return {
      abortSignal: context.signal,
      httpOptions: {
        headers: context.headers,
        fetch: capturingFetch(capture, readUsage),
        ...(extraBody ? { extraBody } : {}),
      },
    }
  }

  function parseContext(model: string): ParseContext {
    return { provider, name, model }
  }

  function fail(error: unknown, model: string | undefined, capture: WireCapture): never {
    throw mapGoogleError(error, { provider, name, model, ApiError, headers: capture.errorHeaders })
  }

  function generateParams(request: AdapterRequest, context: CallContext, capture: WireCapture) {
    const params = convertToGoogleRequest(request, context)
    // Automatic continuation would send follow-up requests of its own: retries are core's policy.
    Object.assign(params.config, callConfig(context, capture, false, GOOGLE_CONFIG_KEYS), {
      automaticContinuation: false,
    })
    return params as unknown as Record<string, unknown>
  }

  return {
    async generate(request, context) {
      const capture: WireCapture = {}
      const params = generateParams(request, context, capture)
      let response: unknown
      try {
        response = await client.models.generateContent(params)
      } catch (error) {
        fail(error, request.model, capture)
      }
      return parseGoogleResponse(response, parseContext(request.model))
    },

    async stream(request, context) {
      const capture: WireCapture = { streamResponse: null }
      const params = generateParams(request, context, capture)
      let source: AsyncIterable<unknown>
      try {
        source = await client.models.generateContentStream(params)
      } catch (error) {
        fail(error, request.model, capture)
      }
      // The SDK sent the request and threw for an HTTP error; the body is read off the raw response
      // by core's SSE reader, linear in its bytes (the SDK's reader rescans its buffer on every read).
      // A client that did not call the given fetch (a test double) keeps the SDK's stream.
      const response = capture.streamResponse
      const events = response ? new GoogleEventSource(response, ApiError) : source
      return new GoogleStreamTranslator(events, parseContext(request.model), context.signal, {
        includeRaw: context.includeRaw,
      })
    },

    async embed(request, context) {
      const capture: WireCapture = {}
      // Embedding options (taskType, title) are fields of each request of the batch, which a body
      // merge cannot reach: here providerOptions go into the SDK's per-request config instead.
      const { providerOptions } = context
      const config = callConfig({ ...context, providerOptions: {} }, capture, true)
      if (request.dimensions !== undefined) config.outputDimensionality = request.dimensions
      for (const [key, value] of Object.entries(providerOptions)) {
        if (EMBED_CONFIG_KEYS.has(key)) config[key] = value
        else
          context.warn({
            type: 'unsupported-setting',
            setting: `providerOptions.google.${key}`,
            message: `"${key}" is not an embedContent setting (${[...EMBED_CONFIG_KEYS].join(', ')}); it was not sent.`,
          })
      }
      let response: unknown
      try {
        response = await client.models.embedContent({
          model: request.model,
          // Content objects, one per input: bare strings would be merged into one content for
          // multimodal models (gemini-embedding-2), giving one vector for the whole batch.
          contents: request.input.map((text) => ({ parts: [{ text }] })),
          config,
        })
      } catch (error) {
        fail(error, request.model, capture)
      }
      return parseGoogleEmbeddings(response, capture.promptTokenCount, parseContext(request.model))
    },

    async listModels(context) {
      const capture: WireCapture = {}
      const models = []
      try {
        // The pager fetches further pages with the same config, signal included.
        const pager = await client.models.list({ config: callConfig(context, capture) })
        for await (const model of pager) {
          const info = parseGoogleModel(model)
          if (info) models.push(info)
        }
      } catch (error) {
        fail(error, undefined, capture)
      }
      return models
    },

    mapError(error, context) {
      return mapGoogleError(error, {
        provider,
        name,
        model: context.model,
        ApiError,
        streaming: context.streaming,
      })
    },
  }
}
