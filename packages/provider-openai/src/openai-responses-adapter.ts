import type { CallContext, ProviderAdapter } from '@modelplex/core/adapter'
import type { OpenAIErrorClasses } from '@modelplex/provider-openai-compatible'
import type { OpenAI } from 'openai'
import { convertToResponsesRequest } from './convert-to-openai-responses-request.js'
import {
  OpenAIResponsesEventSource,
  OpenAIResponsesStreamTranslator,
  responsesStreamError,
} from './openai-responses-stream.js'
import { parseResponsesResponse } from './parse-openai-responses-response.js'

export interface OpenAIResponsesAdapterOptions {
  /** Provider id: where reasoning parts keep their item (`providerMetadata[provider]`). Default `openai`. */
  provider?: string
  /** Display name that prefixes error messages. */
  name: string
  client: OpenAI
  /** The adapter that serves embeddings, the model list and error mapping (the Chat Completions one). */
  base: ProviderAdapter
}

function callOptions(context: CallContext) {
  // No empty header set: the SDK merges every set it is given, on every call.
  return {
    signal: context.signal,
    headers: Object.keys(context.headers).length ? context.headers : undefined,
  }
}

/**
 * The Responses API (`POST /v1/responses`) for generate and stream; embeddings, the model list
 * and the error taxonomy are the Chat Completions adapter's (same endpoints, same error bodies).
 */
export function createOpenAIResponsesAdapter(options: OpenAIResponsesAdapterOptions): ProviderAdapter {
  const { client, base, name } = options
  const provider = options.provider ?? 'openai'
  const errors = client.constructor as unknown as OpenAIErrorClasses
  const failure = responsesStreamError(errors)

  return {
    ...base,

    async generate(request, context) {
      const body = convertToResponsesRequest(request, context, { provider })
      // The SDK's request builder without `responses.create`'s `output_text` pass over every response
      // (which also throws a TypeError on a body that is not a response, hiding a malformed reply).
      const response: any = await client.post('/responses', { body, ...callOptions(context) })
      // A 200 can still carry a failed response; it is classified like the HTTP error it stands for.
      if (response?.status === 'failed' && response.error) throw failure(response.error, undefined)
      return parseResponsesResponse(response, name, provider)
    },

    async stream(request, context) {
      const body = convertToResponsesRequest(request, context, { stream: true, provider })
      const call: any = client.post('/responses', { body, stream: true, ...callOptions(context) })
      // The SDK sends the request and maps HTTP errors; the body is read by core's SSE reader.
      const source =
        typeof call.asResponse === 'function'
          ? new OpenAIResponsesEventSource(await call.asResponse(), failure)
          : ((await call) as AsyncIterable<unknown>)
      return new OpenAIResponsesStreamTranslator(source, name, context.signal, context.includeRaw, provider)
    },
  }
}
