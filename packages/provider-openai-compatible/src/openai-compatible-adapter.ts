import type { BaseSettings } from '@modelplex/core'
import { type CallContext, importSdk, type ProviderAdapter } from '@modelplex/core/adapter'
import type { OpenAI } from 'openai'
import { convertToOpenAIRequest } from './convert-to-openai-request.js'
import { mapOpenAIError, type OpenAIErrorClasses } from './map-openai-error.js'
import { type OpenAICompatibleQuirks, resolveQuirks } from './openai-compatible-quirks.js'
import { OpenAIEventSource, OpenAIStreamTranslator, sdkStreamError } from './openai-stream.js'
import { parseOpenAIEmbeddings, parseOpenAIModels, parseOpenAIResponse } from './parse-openai-response.js'

/** Core owns timeouts (and aborts through the signal); the SDK's own limit only has to stay out of the way. */
const SDK_TIMEOUT_MS = 24 * 60 * 60 * 1000

export interface OpenAIClientOptions {
  /** Provider id, named in a `MissingDependencyError`. */
  provider: string
  /** Sent when the server needs no key: the SDK insists on one. */
  placeholderApiKey?: string
  organization?: string | null
  project?: string | null
  /** Headers every request carries (beside `settings.headers`). */
  defaultHeaders?: Record<string, string>
  /**
   * Another OpenAI-shaped Stainless SDK to build instead of `openai` (e.g. `groq-sdk`,
   * `together-ai`): its package name, a literal `() => import('<package>')` so bundlers see it,
   * and the export holding the client class.
   */
  sdk?: { package: string; load: () => Promise<unknown>; exportName: string }
}

/**
 * Imports `openai` (or the vendor's OpenAI-shaped SDK; once per provider, on its first call) and
 * builds the client with its own retries off and a timeout core never reaches: retries and
 * timeouts are core's policies.
 */
export async function createOpenAIClient(
  settings: BaseSettings,
  options: OpenAIClientOptions,
): Promise<OpenAI> {
  const vendor = options.sdk
  const sdk: any = vendor
    ? await importSdk(vendor.package, settings.sdk, vendor.load, options.provider)
    : await importSdk('openai', settings.sdk, () => import('openai'), options.provider)
  // The `sdk` setting may hold the module or the client class itself.
  const exportName = vendor?.exportName ?? 'OpenAI'
  const OpenAIClass: typeof OpenAI = typeof sdk === 'function' ? sdk : (sdk[exportName] ?? sdk.default)
  return new OpenAIClass({
    apiKey: settings.apiKey ?? options.placeholderApiKey ?? '',
    baseURL: settings.baseURL,
    organization: options.organization,
    project: options.project,
    // Otherwise the `openai` SDK reads OPENAI_ADMIN_KEY from the environment, and an admin key
    // would be sent instead of the key these settings name.
    ...(vendor ? {} : { adminAPIKey: null }),
    defaultHeaders:
      options.defaultHeaders || settings.headers
        ? { ...options.defaultHeaders, ...settings.headers }
        : undefined,
    maxRetries: 0,
    timeout: SDK_TIMEOUT_MS,
    // Resolved per call, so a fetch patched after the client was built (mocks, tracing) is honoured.
    fetch: settings.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  })
}

export interface OpenAICompatibleAdapterOptions {
  /** Provider id put on errors, e.g. `groq`. */
  provider: string
  /** Display name that prefixes error messages, e.g. `Groq`. */
  name?: string
  /** A client from `createOpenAIClient` (or any `openai` client pointed at the vendor). */
  client: OpenAI
  quirks?: OpenAICompatibleQuirks
}

/**
 * The one OpenAI-shape adapter: Chat Completions for generate and stream, embeddings and the
 * model list, with the vendor's differences given as quirks.
 */
export function createOpenAICompatibleAdapter(options: OpenAICompatibleAdapterOptions): ProviderAdapter {
  const { provider, client } = options
  const name = options.name ?? provider
  const quirks = resolveQuirks(options.quirks)
  // The OpenAI class carries the SDK's error classes as statics: instanceof works without importing them.
  const errors = client.constructor as unknown as OpenAIErrorClasses

  function callOptions(context: CallContext, request?: Parameters<ProviderAdapter['generate']>[0]) {
    const extra = quirks.headers?.(request)
    const headers = extra ? { ...extra, ...context.headers } : context.headers
    // No empty header set: the SDK merges every set it is given, on every call.
    return { signal: context.signal, headers: Object.keys(headers).length ? headers : undefined }
  }

  return {
    async generate(request, context) {
      const body = convertToOpenAIRequest(request, context, quirks)
      const response = await client.chat.completions.create(body as any, callOptions(context, request))
      return parseOpenAIResponse(response, quirks, name)
    },

    async stream(request, context) {
      const body = convertToOpenAIRequest(request, context, quirks, { stream: true })
      const call: any = client.chat.completions.create(body as any, callOptions(context, request))
      // The SDK sends the request and maps HTTP errors; the body is read by the fast parser (the
      // SDK's own is several times slower). A client without `asResponse` keeps the SDK's stream.
      const source =
        typeof call.asResponse === 'function'
          ? new OpenAIEventSource(await call.asResponse(), sdkStreamError(errors))
          : ((await call) as AsyncIterable<unknown>)
      // providerOptions may have turned `include_usage` off: only a usage chunk asked for is awaited.
      const usageRequired =
        quirks.streamUsageRequired === true && (body as any).stream_options?.include_usage === true
      return new OpenAIStreamTranslator(source, quirks, name, context.signal, usageRequired, {
        includeRaw: context.includeRaw,
      })
    },

    async embed(request, context) {
      const body: Record<string, unknown> = {
        model: request.model,
        input: request.input,
        encoding_format: quirks.embeddingEncoding,
      }
      if (request.dimensions !== undefined) body.dimensions = request.dimensions
      Object.assign(body, context.providerOptions)
      const response = await client.embeddings.create(body as any, callOptions(context))
      return parseOpenAIEmbeddings(response, name)
    },

    async listModels(context) {
      // The raw body, so a server answering something else than a list is reported, not read as empty.
      const body = await client.get<unknown>(quirks.modelsPath ?? '/models', callOptions(context))
      return quirks.parseModels ? quirks.parseModels(body, name) : parseOpenAIModels(body, name)
    },

    mapError(error, context) {
      return (
        quirks.mapError?.(error, context) ??
        mapOpenAIError(error, { provider, name, model: context.model, errors })
      )
    },
  }
}
