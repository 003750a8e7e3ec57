import { MalformedResponseError, type ModelInfo } from '@modelplex/core'
import type { CallContext, ProviderAdapter } from '@modelplex/core/adapter'
import { anthropicBetaHeader } from './anthropic-options.js'
import { AnthropicEventSource, AnthropicStreamTranslator, sdkStreamError } from './anthropic-stream.js'
import { convertToAnthropicRequest } from './convert-to-anthropic-request.js'
import { mapAnthropicError } from './map-anthropic-error.js'
import { parseAnthropicModels, parseAnthropicResponse } from './parse-anthropic-response.js'

/** The part of the `@anthropic-ai/sdk` client the adapter calls. */
export interface AnthropicClientLike {
  messages: {
    /** The SDK's `APIPromise` has `asResponse()`: the response once its status is OK, body unread. */
    create(body: unknown, options?: unknown): Promise<unknown> & { asResponse?(): Promise<Response> }
  }
  get(path: string, options?: unknown): Promise<unknown>
}

/** The client and settings the adapter is built from. */
export interface AnthropicAdapterOptions {
  client: AnthropicClientLike
  /** The `anthropic-version` the client sends when the setting overrides the SDK's own. */
  apiVersion?: string | undefined
  defaultMaxOutputTokens?: number | undefined
  /** Display name that prefixes error messages (default `Anthropic`). */
  name?: string
}

/** `/v1/models` pages hold at most 1000 models. */
const MODELS_PAGE_LIMIT = 1000

/** The Messages API adapter: generate and stream through `messages.create`, the model list, error mapping. */
export function createAnthropicAdapter(options: AnthropicAdapterOptions): ProviderAdapter {
  const { client } = options
  const name = options.name ?? 'Anthropic'
  const convertOptions = {
    apiVersion: options.apiVersion,
    defaultMaxOutputTokens: options.defaultMaxOutputTokens,
  }
  // No empty header set: the SDK merges every set it is given, on every call.
  const callOptions = (context: CallContext) => {
    const beta = anthropicBetaHeader(context.providerOptions ?? {})
    const headers = beta ? { ...context.headers, 'anthropic-beta': beta } : context.headers
    return { signal: context.signal, headers: Object.keys(headers).length ? headers : undefined }
  }

  return {
    async generate(request, context) {
      const body = convertToAnthropicRequest(request, context, convertOptions)
      const response = await client.messages.create(body, callOptions(context))
      return parseAnthropicResponse(response, name)
    },

    async stream(request, context) {
      const body = convertToAnthropicRequest(request, context, { ...convertOptions, stream: true })
      const call = client.messages.create(body, callOptions(context))
      const translatorContext = {
        name,
        model: request.model,
        signal: context.signal,
        includeRaw: context.includeRaw === true,
      }
      // The SDK sends the request and throws HTTP errors; the body is read by the shared SSE reader,
      // cheaper per event than the SDK's chain of async generators. A client without `asResponse`
      // keeps the SDK's stream.
      if (typeof call.asResponse === 'function') {
        const events = new AnthropicEventSource(await call.asResponse(), sdkStreamError(client))
        return new AnthropicStreamTranslator(events, translatorContext)
      }
      const stream = await call
      if (!stream || typeof (stream as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') {
        // A server that ignored `stream: true` and answered one body instead of server-sent events.
        throw new MalformedResponseError(
          `${name}: the response to a streaming request is not an event stream`,
          {
            provider: 'anthropic',
            model: request.model,
          },
        )
      }
      return new AnthropicStreamTranslator(stream as AsyncIterable<unknown>, translatorContext)
    },

    async listModels(context) {
      const models: ModelInfo[] = []
      let afterId: string | undefined
      // Pages until `has_more` is false; the raw body, so a server answering something else is reported.
      for (;;) {
        const query: Record<string, unknown> = { limit: MODELS_PAGE_LIMIT }
        if (afterId) query.after_id = afterId
        const page = parseAnthropicModels(
          await client.get('/v1/models', { ...callOptions(context), query }),
          name,
        )
        models.push(...page.models)
        if (!page.hasMore || !page.lastId || page.lastId === afterId) return models
        afterId = page.lastId
      }
    },

    mapError(error, context) {
      return mapAnthropicError(error, { name, model: context.model })
    },
  }
}
