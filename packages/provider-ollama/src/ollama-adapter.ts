import { InvalidRequestError } from '@modelplex/core'
import { bytesToBase64, type CallContext, downloadImage, type ProviderAdapter } from '@modelplex/core/adapter'
import { convertToOllamaRequest, type ImageLoader } from './convert-to-ollama-request.js'
import { mapOllamaError, readOllamaHttpError } from './map-ollama-error.js'
import { OllamaLineReader } from './ollama-ndjson-check.js'
import { OllamaStreamTranslator } from './ollama-stream.js'
import {
  parseOllamaChatResponse,
  parseOllamaEmbedResponse,
  parseOllamaModels,
} from './parse-ollama-response.js'

/** The SDK's client, as far as the adapter uses it. */
export interface OllamaClient {
  chat(request: Record<string, unknown>): Promise<unknown>
  embed(request: Record<string, unknown>): Promise<unknown>
  list(): Promise<unknown>
}

/** The SDK's `Ollama` class. */
export type OllamaClientClass = new (config: {
  host: string
  fetch: typeof fetch
  headers: Record<string, string>
}) => OllamaClient

export interface OllamaAdapterOptions {
  Ollama: OllamaClientClass
  /** The normalized server address, e.g. `http://127.0.0.1:11434`. */
  host: string
  /** Sent as `Authorization: Bearer` (ollama.com or a proxy in front of Ollama). */
  apiKey?: string | undefined
  headers?: Record<string, string> | undefined
  fetch?: typeof fetch | undefined
}

function mergeSignals(own: AbortSignal | null | undefined, call: AbortSignal): AbortSignal {
  if (!own) return call
  return typeof AbortSignal.any === 'function' ? AbortSignal.any([own, call]) : call
}

/** Where an image came from, without its query string (which may hold a token). */
function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`
}

/**
 * The adapter over the `ollama` SDK. The SDK takes no per-request signal or headers (`chat`,
 * `embed` and `list` take the body only, and `abort()` cancels every stream of a client), so each
 * call gets its own client, whose `fetch` carries the call's signal and headers. A client is a
 * plain object holding its config, so this costs a few allocations, not a connection. The SDK
 * never retries; core does.
 */
export function createOllamaAdapter(options: OllamaAdapterOptions): ProviderAdapter {
  const { Ollama, host } = options
  // Resolved per call, so a fetch patched after connect (mocks, tracing) is honoured.
  const baseFetch: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const baseHeaders: Record<string, string> = {
    ...(options.apiKey ? { Authorization: `Bearer ${options.apiKey}` } : {}),
    ...options.headers,
  }

  /**
   * A client for one call. Its fetch adds the call's signal, and turns an error answer into an
   * OllamaHttpError before the SDK reads it (the SDK keeps no headers and logs non-JSON bodies).
   * For a stream it keeps the OK response in `capture`, body unread, and hands the SDK an empty
   * body it never reads: the lines are read by OllamaLineReader.
   */
  function client(context: CallContext, capture?: { response?: Response }): OllamaClient {
    const signal = context.signal
    return new Ollama({
      host,
      headers: { ...baseHeaders, ...context.headers },
      fetch: async (input, init) => {
        const response = await baseFetch(input, { ...init, signal: mergeSignals(init?.signal, signal) })
        if (!response.ok) throw await readOllamaHttpError(response)
        if (!capture) return response
        capture.response = response
        const { status, statusText, headers } = response
        return new Response('', { status, statusText, headers })
      },
    })
  }

  /** Ollama takes base64 only, so image URLs are downloaded with the call's fetch and signal. */
  function imageLoader(context: CallContext): ImageLoader {
    return async (url, field) => {
      const image = await downloadImage(url.href, {
        fetch: baseFetch,
        signal: context.signal,
        failure: (reason, cause) =>
          new InvalidRequestError(
            `Ollama takes images as base64, and the image at ${describeUrl(url)} (${field}) could not be downloaded: ${reason}`,
            { provider: 'ollama', field, ...(cause ? { cause } : {}) },
          ),
      })
      return bytesToBase64(image.bytes)
    }
  }

  return {
    async generate(request, context) {
      const body = await convertToOllamaRequest(request, context, {
        stream: false,
        loadImage: imageLoader(context),
      })
      const response = await client(context).chat(body)
      return parseOllamaChatResponse(response)
    },

    async stream(request, context) {
      const body = await convertToOllamaRequest(request, context, {
        stream: true,
        loadImage: imageLoader(context),
      })
      const capture: { response?: Response } = {}
      // The SDK sends the request; the body is read off the raw response by core's NDJSON reader.
      const source = await client(context, capture).chat(body)
      const options = { includeRaw: context.includeRaw === true, signal: context.signal }
      if (capture.response) return new OllamaStreamTranslator(new OllamaLineReader(capture.response), options)
      // An SDK double that did not call the given fetch keeps its own stream.
      return new OllamaStreamTranslator(source as AsyncIterable<unknown> & { abort?(): void }, options)
    },

    async embed(request, context) {
      const body: Record<string, unknown> = { model: request.model, input: request.input }
      if (request.dimensions !== undefined) body.dimensions = request.dimensions
      Object.assign(body, context.providerOptions)
      const response = await client(context).embed(body)
      const result = parseOllamaEmbedResponse(response, request.input.length)
      const size = result.embeddings[0]?.length
      if (request.dimensions !== undefined && size !== undefined && size !== request.dimensions) {
        context.warn({
          type: 'unsupported-setting',
          setting: 'dimensions',
          message: `asked for ${request.dimensions} dimensions, got ${size}: this Ollama server or model ignores dimensions`,
        })
      }
      return result
    },

    async listModels(context) {
      const response = await client(context).list()
      return parseOllamaModels(response)
    },

    mapError(error, context) {
      return mapOllamaError(error, { provider: 'ollama', model: context.model, host })
    },
  }
}
