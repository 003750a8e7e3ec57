import { type HttpHandler, HttpResponse, http } from 'msw'
import { type AwsEventStreamMessage, awsEventStreamResponse } from './aws-event-stream.js'
import type {
  WireErrorKind,
  WireKit,
  WireKitV2,
  WireOperation,
  WireReply,
  WireRequestView,
  WireStreamPart,
} from './wire-kit.js'
import {
  errorResponse,
  hangUntilAborted,
  headersOf,
  ndjsonResponse,
  resetResponse,
  type SseFrame,
  type StreamBodyOptions,
  sseResponse,
} from './wire-responses.js'

/** Where a vendor's request carries the API key. */
export type ApiKeyLocation =
  /** `Authorization: Bearer <key>` (a bare `Authorization` value is read as the key). */
  | 'bearer'
  /** A header holding the key itself, e.g. `{ header: 'x-api-key' }`. */
  | { header: string }
  /** A query parameter, e.g. `{ query: 'key' }`. */
  | { query: string }

/** An error response in the vendor's shape: status, body (JSON object, or text) and extra headers. */
export interface WireErrorEntry {
  status: number
  body: unknown
  headers?: Record<string, string>
}

/** The status a kind usually has; a vendor states only where its API differs. */
export const usualErrorStatus: Record<WireErrorKind, number> = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'context-window': 400,
  'content-filter': 400,
  'rate-limit': 429,
  server: 500,
  overloaded: 503,
}

/** An error kind in camelCase (`badRequest`), so a table can name its fixture imports by kind. */
export type WireErrorKey = {
  [K in WireErrorKind]: K extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Tail>}` : K
}[WireErrorKind]

const kindOfKey = (key: string): WireErrorKind =>
  key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`) as WireErrorKind

/**
 * An error table from bodies named by kind, e.g. the `__fixtures__` imports
 * `errorTable({ badRequest, unauthorized, … }, { 'not-found': 400 })`; statuses default to {@link usualErrorStatus}.
 */
export function errorTable<Key extends WireErrorKey>(
  bodies: Record<Key, unknown>,
  statuses: Partial<Record<WireErrorKind, number>> = {},
): Record<WireErrorKind, WireErrorEntry> {
  const table: Partial<Record<WireErrorKind, WireErrorEntry>> = {}
  for (const [key, body] of Object.entries(bodies)) {
    const kind = kindOfKey(key)
    table[kind] = { status: statuses[kind] ?? usualErrorStatus[kind], body }
  }
  return table as Record<WireErrorKind, WireErrorEntry>
}

/** What a computed error entry is given. */
export interface WireErrorContext {
  kind: WireErrorKind
  /** The key the request carried, for vendors that echo it masked. */
  apiKey: string | undefined
  /** The wait the scenario advertises, for vendors that write it in the body. */
  retryAfterMs: number | undefined
  view: WireRequestView
}

/**
 * One row of the error table: a fixed entry (usually a `__fixtures__` file), or a function for
 * a body that depends on the request; it may return a whole Response (e.g. a 200 that blocks).
 */
export type WireErrorRule = WireErrorEntry | ((context: WireErrorContext) => WireErrorEntry | Response)

/** What every reply writer is given. */
export interface WireReplyContext {
  view: WireRequestView
  request: Request
  /** The model to write: the reply's, else the request's, else the kit's default chat model. */
  model: string
  /** The kit's models (the embedding default, for embeddings replies). */
  models: { chat: string; embedding?: string }
  /** The request id of this response (already set in the kit's request-id header). */
  requestId: string
  /** How many responses this kit has written, this one included (for ids like `msg_…000042`). */
  sequence: number
  /** The documented error body of a kind, as the error table holds it. */
  errorBody(kind: WireErrorKind): unknown
}

/**
 * Writes one scripted stream as frames. The builder calls `start`, then `part` for each part
 * (only those before `errorAfter`), then `error` or `finish`; it then cuts after `cutAfter`
 * parts (the frames of `start` and of the first N parts) and frames the result.
 */
export interface WireStreamWriter<Frame> {
  /** Frames before the first part (a `message_start`, a role chunk). */
  start?(): Frame[]
  /** The frames that carry one part (closing a previous block belongs to the part that follows it). */
  part(part: WireStreamPart, index: number): Frame[]
  /** The frames that end a complete stream: finish reason, usage, terminator. */
  finish(): Frame[]
  /** The vendor's in-stream error event after the 200. */
  error(kind: WireErrorKind): Frame[]
}

/** How a stream's frames become a body, and what a broken (non-parsing) stream looks like. */
export interface WireFraming<Frame> {
  respond(frames: Frame[], options: StreamBodyOptions): Response
  /** A 200 stream whose content does not parse (a proxy's error page). */
  malformed(): Response
}

const BAD_GATEWAY_PAGE = '<html><body>Bad gateway</body></html>'

/** Server-sent events; the malformed stream is one frame of HTML (`event` names it, for vendors that require one). */
export function sseFraming(malformedEvent?: string): WireFraming<SseFrame> {
  return {
    respond: (frames, options) => sseResponse(frames, options),
    malformed: () =>
      sseResponse([
        {
          ...(malformedEvent !== undefined ? { event: malformedEvent } : {}),
          data: '<html>Bad gateway</html>',
        },
      ]),
  }
}

/** Newline-delimited JSON, one value per line; the malformed stream is one line of HTML. */
export const ndjsonFraming: WireFraming<unknown> = {
  respond: (lines, options) => ndjsonResponse(lines, options),
  malformed: () => ndjsonResponse([BAD_GATEWAY_PAGE]),
}

/** AWS event-stream messages; the malformed stream is an HTML page under the event-stream content type. */
export const awsEventStreamFraming: WireFraming<AwsEventStreamMessage> = {
  respond: (messages, options) => awsEventStreamResponse(messages, options),
  malformed: () =>
    new HttpResponse(BAD_GATEWAY_PAGE, {
      status: 200,
      headers: { 'content-type': 'application/vnd.amazon.eventstream' },
    }),
}

/** One endpoint of the vendor under the base URL. */
export interface WireRoute {
  method: 'get' | 'post'
  /** Path under the base URL in MSW syntax (`:name` matches one segment), e.g. `/v1/messages`. */
  path: string
  /** The operation this endpoint serves, or how to tell it from the parsed body (`stream: true`). */
  operation: WireOperation | ((body: any, request: Request) => WireOperation)
  /**
   * A vendor rule checked after the scenario picked its reply: a Response here answers instead
   * (e.g. a 400 for a field the API version removed).
   */
  intercept?(view: WireRequestView, context: WireReplyContext): Response | undefined
}

/** Settings every kit accepts; a vendor kit extends this with its own. */
export interface WireKitOptions {
  baseURL?: string
  apiKey?: string
  models?: { chat: string; embedding?: string }
  /** Extra provider settings beside `apiKey` and `baseURL`, e.g. `pricing`. */
  settings?: Record<string, unknown>
}

/** What a vendor kit supplies; the builder does the rest. */
export interface WireKitDefinition<Frame = unknown> {
  /** Used in the kit's own error messages, e.g. `anthropic`. */
  name: string
  defaults: { baseURL: string; apiKey: string; models: { chat: string; embedding?: string } }
  /** The caller's overrides of `defaults`. */
  options?: WireKitOptions
  /** Where the key travels, in the order the vendor reads them (the first present wins). */
  apiKey: readonly ApiKeyLocation[]
  /** Omit for a vendor that sends no request id header. */
  requestId?: {
    /** The response header that carries it, e.g. `request-id`. */
    header: string
    /** The id of the n-th response (1-based), in the vendor's format. */
    format(sequence: number): string
  }
  /** How the vendor advertises a wait: `retry-after` in seconds, `retry-after-ms`, or both. */
  retryAfter: 'seconds' | 'milliseconds' | 'both' | 'none'
  /** The error table: kind → status and body (import the body from `__fixtures__`). */
  errors: Record<WireErrorKind, WireErrorRule>
  /** The content type of a malformed non-stream body. Default `application/json`. */
  malformedContentType?: string
  routes: readonly WireRoute[]
  /**
   * Fills the vendor-specific fields of the view (system, messages, settings, tools…). The
   * builder has set operation, url, headers, apiKey, `model` (the body's `model`) and body.
   */
  read(view: WireRequestView, body: any, request: Request): void
  /** Handlers outside the base URL, e.g. {@link imageDownloadHandler} for a provider that downloads image URLs. */
  extraHandlers?: readonly HttpHandler[]
  /** The JSON body of a generate reply (a Response is sent as is, e.g. to add headers). */
  generate?(reply: Extract<WireReply, { type: 'generate' }>, context: WireReplyContext): unknown
  /** The stream framing and a writer for one scripted stream. */
  stream?: {
    framing: WireFraming<Frame>
    open(reply: Extract<WireReply, { type: 'stream' }>, context: WireReplyContext): WireStreamWriter<Frame>
  }
  /** The JSON body of an embeddings reply. */
  embed?(reply: Extract<WireReply, { type: 'embed' }>, context: WireReplyContext): unknown
  /** The JSON body of a models list. */
  models?(reply: Extract<WireReply, { type: 'models' }>, context: WireReplyContext): unknown
  /** What `providerMetadata[id]` holds after a reply scripted with `metadata: true` (see `WireKit.metadata`). */
  metadata?: WireKit['metadata']
  /** Settings of `generate.settings` the vendor has no field for (see `WireKit.unsupportedSettings`). */
  unsupportedSettings?: WireKit['unsupportedSettings']
  /** Interface v2 facts of the vendor (see `WireKitV2`). */
  v2?: WireKitV2
}

/** A message's text as vendors send it: a string as is, or the `text` of an array's `{ type: 'text' }` parts, joined. */
export function joinTextParts(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content
    .map((part) => (part?.type === 'text' && typeof part.text === 'string' ? part.text : ''))
    .join('')
}

function bearer(value: string | undefined): string | undefined {
  return value?.startsWith('Bearer ') ? value.slice('Bearer '.length) : value
}

/** Reads the key from the first location the request fills. */
export function readApiKey(
  locations: readonly ApiKeyLocation[],
  headers: Record<string, string>,
  url: string,
): string | undefined {
  for (const location of locations) {
    const key =
      location === 'bearer'
        ? bearer(headers.authorization)
        : 'header' in location
          ? headers[location.header.toLowerCase()]
          : (new URL(url).searchParams.get(location.query) ?? undefined)
    if (key !== undefined) return key
  }
  return undefined
}

/** The Retry-After headers of a wait, in the vendor's style. */
export function retryAfterHeaders(
  style: WireKitDefinition['retryAfter'],
  retryAfterMs: number | undefined,
): Record<string, string> {
  if (retryAfterMs === undefined || style === 'none') return {}
  const headers: Record<string, string> = {}
  if (style !== 'seconds') headers['retry-after-ms'] = String(retryAfterMs)
  if (style !== 'milliseconds') headers['retry-after'] = String(Math.ceil(retryAfterMs / 1000))
  return headers
}

/** How many frames carry `start` and the first `cutAfter` parts, given the frame count after each part. */
export function framesBeforeCut(leading: number, partEnds: readonly number[], cutAfter: number): number {
  const parts = Math.min(Math.max(0, cutAfter), partEnds.length)
  return parts === 0 ? leading : partEnds[parts - 1]!
}

/** The request-id header of the n-th response, or none when the vendor sends none. */
function requestIdHeader(definition: WireKitDefinition<any>, id: string): Record<string, string> {
  return definition.requestId ? { [definition.requestId.header]: id } : {}
}

/** A 1×1 PNG, the body of {@link imageDownloadHandler}. */
const PIXEL_PNG = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='),
  (char) => char.charCodeAt(0),
)

/** Answers any GET of a `.png`/`.jpg`/`.gif`/`.webp` URL with a 1×1 PNG, for providers that download image URLs. */
export function imageDownloadHandler(): HttpHandler {
  return http.get(/^https?:\/\/[^?#]+\.(?:png|jpe?g|gif|webp)(?:[?#].*)?$/i, () =>
    HttpResponse.arrayBuffer(PIXEL_PNG.slice().buffer, { headers: { 'content-type': 'image/png' } }),
  )
}

const REPLY_FOR: Record<WireOperation, WireReply['type']> = {
  generate: 'generate',
  stream: 'stream',
  embed: 'embed',
  listModels: 'models',
}

/**
 * Builds a {@link WireKit} from what is vendor-specific. The builder owns the defaults, request
 * ids, reading the API key, error replies with Retry-After, resets, hangs, malformed bodies,
 * `errorAfter`/`cutAfter`/`chunkBytes` on streams, and the check that a reply fits its request.
 *
 * @example
 * ```ts
 * import badRequest from './__fixtures__/error-400-invalid-request.json' with { type: 'json' }
 * // …one import per error kind
 * export function createAcmeWireKit(options: WireKitOptions = {}): WireKit {
 *   return defineWireKit<SseFrame>({
 *     name: 'acme',
 *     defaults: { baseURL: 'https://api.acme.modelplex.test', apiKey: 'acme-test-key', models: { chat: 'acme-1' } },
 *     options,
 *     apiKey: [{ header: 'x-api-key' }, 'bearer'],
 *     requestId: { header: 'x-request-id', format: (n) => `req_${n}` },
 *     retryAfter: 'seconds',
 *     errors: { 'bad-request': { status: 400, body: badRequest }, unauthorized: { status: 401, body: unauthorized }, … },
 *     routes: [
 *       { method: 'post', path: '/v1/chat', operation: (body) => (body?.stream ? 'stream' : 'generate') },
 *       { method: 'get', path: '/v1/models', operation: 'listModels' },
 *     ],
 *     read(view, body) {
 *       view.system = body?.system
 *       view.messages = (body?.messages ?? []).map((m: any) => ({ role: m.role, text: m.content }))
 *     },
 *     generate: (reply, { model }) => ({ model, text: reply.text, stop: reply.finishReason }),
 *     stream: {
 *       framing: sseFraming(),
 *       open: (reply, { model, errorBody }) => ({
 *         start: () => [{ event: 'start', data: JSON.stringify({ model }) }],
 *         part: (part) => (part.type === 'text' ? [{ event: 'delta', data: JSON.stringify({ text: part.text }) }] : []),
 *         finish: () => [{ event: 'end', data: JSON.stringify({ stop: reply.finishReason }) }],
 *         error: (kind) => [{ event: 'error', data: JSON.stringify(errorBody(kind)) }],
 *       }),
 *     },
 *     models: (reply) => ({ data: reply.ids.map((id) => ({ id })) }),
 *   })
 * }
 * ```
 */
export function defineWireKit<Frame = unknown>(definition: WireKitDefinition<Frame>): WireKit {
  const { options = {}, defaults } = definition
  const baseURL = (options.baseURL ?? defaults.baseURL).replace(/\/$/, '')
  const apiKey = options.apiKey ?? defaults.apiKey
  const models = options.models ?? defaults.models
  let sequence = 0

  function fail(reply: WireReply, view: WireRequestView): never {
    throw new Error(
      `${definition.name} wire kit: reply "${reply.type}" does not answer a ${view.operation} request`,
    )
  }

  function errorEntry(kind: WireErrorKind, view: WireRequestView, retryAfterMs?: number) {
    const rule = definition.errors[kind]
    return typeof rule === 'function' ? rule({ kind, apiKey: view.apiKey, retryAfterMs, view }) : rule
  }

  function errorReply(kind: WireErrorKind, view: WireRequestView, retryAfterMs: number | undefined) {
    const entry = errorEntry(kind, view, retryAfterMs)
    if (entry instanceof Response) return entry
    const id = definition.requestId?.format(++sequence) ?? ''
    return errorResponse(entry.status, entry.body, {
      ...requestIdHeader(definition, id),
      ...entry.headers,
      ...retryAfterHeaders(definition.retryAfter, retryAfterMs),
    })
  }

  function streamReply(reply: Extract<WireReply, { type: 'stream' }>, context: WireReplyContext): Response {
    const stream = definition.stream ?? fail(reply, context.view)
    const writer = stream.open(reply, context)
    const frames = writer.start?.() ?? []
    const leading = frames.length
    const partEnds: number[] = []
    const parts = reply.errorAfter ? reply.parts.slice(0, reply.errorAfter.parts) : reply.parts
    parts.forEach((part, index) => {
      frames.push(...writer.part(part, index))
      partEnds.push(frames.length)
    })
    frames.push(...(reply.errorAfter ? writer.error(reply.errorAfter.kind) : writer.finish()))
    return stream.framing.respond(frames, {
      headers: requestIdHeader(definition, context.requestId),
      ...(reply.cutAfter !== undefined
        ? { cutAfter: framesBeforeCut(leading, partEnds, reply.cutAfter) }
        : {}),
      ...(reply.chunkBytes !== undefined ? { chunkBytes: reply.chunkBytes } : {}),
    })
  }

  async function answer(
    serve: (view: WireRequestView) => WireReply | Promise<WireReply>,
    route: WireRoute,
    request: Request,
    view: WireRequestView,
  ): Promise<Response> {
    const reply = await serve(view)
    const context: WireReplyContext = {
      view,
      request,
      model: ('model' in reply ? reply.model : undefined) ?? view.model ?? models.chat,
      models,
      requestId: '',
      sequence: 0,
      errorBody: (kind) => {
        const entry = errorEntry(kind, view)
        return entry instanceof Response ? undefined : entry.body
      },
    }
    const intercepted = route.intercept?.(view, context)
    if (intercepted) return intercepted
    switch (reply.type) {
      case 'error':
        return errorReply(reply.kind, view, reply.retryAfterMs)
      case 'reset':
        return resetResponse()
      case 'hang':
        return hangUntilAborted(request)
      case 'malformed':
        if (view.operation === 'stream') return (definition.stream ?? fail(reply, view)).framing.malformed()
        // A proxy's error page served with a 200: the body does not parse.
        return new HttpResponse(BAD_GATEWAY_PAGE, {
          status: 200,
          headers: { 'content-type': definition.malformedContentType ?? 'application/json' },
        })
    }
    if (REPLY_FOR[view.operation] !== reply.type) fail(reply, view)
    context.sequence = ++sequence
    context.requestId = definition.requestId?.format(context.sequence) ?? ''
    if (reply.type === 'stream') return streamReply(reply, context)
    const write =
      reply.type === 'generate'
        ? definition.generate?.(reply, context)
        : reply.type === 'embed'
          ? definition.embed?.(reply, context)
          : definition.models?.(reply, context)
    if (write === undefined) fail(reply, view)
    if (write instanceof Response) return write
    return HttpResponse.json(write as object, { headers: requestIdHeader(definition, context.requestId) })
  }

  return {
    settings: { apiKey, baseURL, ...options.settings },
    apiKey,
    baseURL,
    models,
    ...(definition.metadata ? { metadata: definition.metadata } : {}),
    ...(definition.v2 ? { v2: definition.v2 } : {}),
    ...(definition.unsupportedSettings ? { unsupportedSettings: definition.unsupportedSettings } : {}),
    handlers(serve, base = baseURL): HttpHandler[] {
      const root = base.replace(/\/$/, '')
      const routes = definition.routes.map((route) =>
        http[route.method](`${root}${route.path}`, async ({ request }) => {
          const body: any = route.method === 'get' ? undefined : await request.clone().json()
          const operation =
            typeof route.operation === 'function' ? route.operation(body, request) : route.operation
          const headers = headersOf(request)
          const view: WireRequestView = {
            operation,
            url: request.url,
            headers,
            apiKey: readApiKey(definition.apiKey, headers, request.url),
            model: typeof body?.model === 'string' ? body.model : undefined,
            system: undefined,
            messages: [],
            body,
          }
          definition.read(view, body, request)
          return answer(serve, route, request, view)
        }),
      )
      return [...routes, ...(definition.extraHandlers ?? [])]
    },
  }
}
