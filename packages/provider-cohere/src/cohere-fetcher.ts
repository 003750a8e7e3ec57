// `cohere-ai` takes a pluggable transport, its `fetcher` client option. The SDK's own one arms a
// timer for every request (`timeoutInSeconds`, 300 s by default, no way to turn it off) and clears
// it only when fetch resolves: after a connection failure, a core timeout or an abort the timer
// stays armed and keeps Node alive until it fires. This transport has no timer and no retries
// (both are core's policies) and follows only core's signal; the SDK keeps everything else:
// auth, (de)serialization, error classes and SSE parsing.

/** What `cohere-ai` hands its fetcher (`core.Fetcher.Args`, the fields this transport reads). */
export interface CohereFetcherArgs {
  url: string
  method: string
  contentType?: string
  headers?: Record<string, unknown>
  queryParameters?: Record<string, unknown>
  body?: unknown
  abortSignal?: AbortSignal
  requestType?: string
  responseType?: string
  endpointMetadata?: unknown
  fetchFn?: typeof fetch
}

interface RawResponse {
  headers: Headers
  redirected: boolean
  status: number
  statusText: string
  type: string
  url: string
}

/** What `cohere-ai` expects back (`core.APIResponse`): the body, or the reason there is none. */
export type CohereFetcherResult =
  | { ok: true; body: unknown; headers?: Headers; rawResponse: RawResponse }
  | {
      ok: false
      error:
        | { reason: 'status-code'; statusCode: number; body: unknown }
        | { reason: 'non-json'; statusCode: number; rawBody: string }
        | { reason: 'body-is-null'; statusCode: number }
        | { reason: 'unknown'; errorMessage: string; cause?: unknown }
      rawResponse: RawResponse
    }

const noResponse: RawResponse = {
  headers: new Headers(),
  redirected: false,
  status: 0,
  statusText: 'No response',
  type: 'error',
  url: '',
}

function rawOf(response: Response): RawResponse {
  const { headers, redirected, status, statusText, type, url } = response
  return { headers, redirected, status, statusText, type, url }
}

function withQuery(url: string, parameters: Record<string, unknown> | undefined): string {
  if (!parameters) return url
  const query = new URLSearchParams()
  for (const [name, value] of Object.entries(parameters)) {
    if (value === undefined || value === null) continue
    for (const item of Array.isArray(value) ? value : [value]) query.append(name, String(item))
  }
  const text = query.toString()
  return text ? `${url}${url.includes('?') ? '&' : '?'}${text}` : url
}

async function headersOf(args: CohereFetcherArgs): Promise<Headers> {
  const headers = new Headers()
  headers.set('Accept', args.responseType === 'sse' ? 'text/event-stream' : 'application/json')
  if (args.body !== undefined && args.contentType) headers.set('Content-Type', args.contentType)
  for (const [name, supplier] of Object.entries(args.headers ?? {})) {
    // A header may be a supplier (the SDK's auth header is resolved per request).
    const value =
      typeof supplier === 'function'
        ? await supplier({ endpointMetadata: args.endpointMetadata ?? {} })
        : supplier
    if (value === undefined || value === null) continue
    headers.set(name, String(value))
  }
  return headers
}

function failure(error: unknown, rawResponse: RawResponse = noResponse): CohereFetcherResult {
  const errorMessage = error instanceof Error ? error.message : String(error)
  return { ok: false, error: { reason: 'unknown', errorMessage, cause: error }, rawResponse }
}

/** Reads an error body: JSON when it parses, its text otherwise. */
function errorBody(text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Where a stream call's OK response is kept, body unread, for the shared SSE reader. */
export interface CohereStreamCapture {
  response?: Response
}

/** Stream calls by their abort signal (one per attempt): the transport keeps their response there. */
export type CohereStreamCaptures = WeakMap<AbortSignal, CohereStreamCapture>

function emptyBody(): ReadableStream<Uint8Array> {
  return new ReadableStream({ start: (controller) => controller.close() })
}

/**
 * Creates the transport handed to `CohereClientV2` as `fetcher`. `resolveFetch` is called per
 * request, so a fetch patched after the client was built (mocks, tracing) is honoured. A stream
 * whose signal is in `streams` has its OK response kept there and the SDK given an empty body: the
 * body is read by the adapter with core's SSE reader instead of the SDK's.
 */
export function createCohereFetcher(resolveFetch: () => typeof fetch, streams?: CohereStreamCaptures) {
  return async function cohereFetcher(args: CohereFetcherArgs): Promise<CohereFetcherResult> {
    let response: Response
    try {
      const body =
        args.body === undefined
          ? undefined
          : args.requestType === 'json'
            ? JSON.stringify(args.body)
            : args.body
      response = await (args.fetchFn ?? resolveFetch())(withQuery(args.url, args.queryParameters), {
        method: args.method,
        headers: await headersOf(args),
        body: body as BodyInit | undefined,
        signal: args.abortSignal ?? null,
      })
    } catch (error) {
      return failure(error)
    }
    const rawResponse = rawOf(response)
    try {
      if (response.status >= 200 && response.status < 400) {
        if (args.responseType === 'sse' || args.responseType === 'streaming') {
          if (!response.body)
            return { ok: false, error: { reason: 'body-is-null', statusCode: response.status }, rawResponse }
          const capture = args.abortSignal ? streams?.get(args.abortSignal) : undefined
          if (capture) {
            capture.response = response
            return { ok: true, body: emptyBody(), headers: response.headers, rawResponse }
          }
          return { ok: true, body: response.body, headers: response.headers, rawResponse }
        }
        const text = await response.text()
        if (text === '') return { ok: true, body: undefined, headers: response.headers, rawResponse }
        try {
          return { ok: true, body: JSON.parse(text), headers: response.headers, rawResponse }
        } catch {
          return {
            ok: false,
            error: { reason: 'non-json', statusCode: response.status, rawBody: text },
            rawResponse,
          }
        }
      }
      const body = errorBody(await response.text())
      return { ok: false, error: { reason: 'status-code', statusCode: response.status, body }, rawResponse }
    } catch (error) {
      // The body could not be read: the connection dropped or the call was aborted meanwhile.
      return failure(error, rawResponse)
    }
  }
}
