/** One server-sent event: `event: <event>\ndata: <data>\n\n` (multi-line data becomes several `data:` lines). */
export interface SseFrame {
  event?: string
  data: string
  id?: string
}

/** How a streamed body is delivered. */
export interface StreamBodyOptions {
  /** After this many frames (or lines) the stream errors as a dropped connection would. */
  cutAfter?: number
  /** Write the encoded bytes in slices of this size, so frames and UTF-8 sequences split across chunks. */
  chunkBytes?: number
  headers?: HeadersInit
  status?: number
}

const encoder = new TextEncoder()

/**
 * The error a dropped connection leaves on a fetch body: what undici throws when the socket
 * closes mid-body (`TypeError: terminated`, cause `UND_ERR_SOCKET`), so adapters see the real thing.
 */
export function connectionDroppedError(): TypeError {
  const socket = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' })
  return new TypeError('terminated', { cause: socket })
}

/** Encodes an SSE frame exactly as a server writes it. */
export function encodeSseFrame(frame: SseFrame): string {
  let out = ''
  if (frame.event !== undefined) out += `event: ${frame.event}\n`
  if (frame.id !== undefined) out += `id: ${frame.id}\n`
  for (const line of frame.data.split('\n')) out += `data: ${line}\n`
  return `${out}\n`
}

/**
 * A body that delivers `pieces` one read at a time, optionally sliced into `chunkBytes` and
 * cut after `cutAfter` pieces. Pull-based with no buffering, so a cut arrives only after the
 * client has read everything before it.
 */
export function streamBody(
  pieces: readonly string[],
  options: StreamBodyOptions = {},
): ReadableStream<Uint8Array> {
  const { cutAfter, chunkBytes } = options
  if (chunkBytes !== undefined && !(Number.isInteger(chunkBytes) && chunkBytes > 0)) {
    throw new RangeError(`chunkBytes must be a positive integer, got ${chunkBytes}`)
  }
  const sent = cutAfter === undefined ? pieces : pieces.slice(0, Math.max(0, cutAfter))
  const bytes = encoder.encode(sent.join(''))
  const chunks: Uint8Array[] = []
  if (chunkBytes === undefined) {
    for (const piece of sent) chunks.push(encoder.encode(piece))
  } else {
    for (let offset = 0; offset < bytes.length; offset += chunkBytes)
      chunks.push(bytes.slice(offset, offset + chunkBytes))
  }
  let index = 0
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (index < chunks.length) {
          controller.enqueue(chunks[index++]!)
          return
        }
        if (cutAfter !== undefined) controller.error(connectionDroppedError())
        else controller.close()
      },
    },
    { highWaterMark: 0 },
  )
}

function streamingResponse(
  pieces: readonly string[],
  contentType: string,
  options: StreamBodyOptions,
): Response {
  const headers = new Headers(options.headers)
  if (!headers.has('content-type')) headers.set('content-type', contentType)
  return new Response(streamBody(pieces, options), { status: options.status ?? 200, headers })
}

/** A `text/event-stream` response whose body streams `frames`. */
export function sseResponse(frames: readonly SseFrame[], options: StreamBodyOptions = {}): Response {
  const headers = new Headers(options.headers)
  if (!headers.has('cache-control')) headers.set('cache-control', 'no-cache')
  return streamingResponse(frames.map(encodeSseFrame), 'text/event-stream', { ...options, headers })
}

/**
 * An `application/x-ndjson` response, one line per value. Strings are written verbatim (so a
 * test can send a broken line); anything else is `JSON.stringify`'d.
 */
export function ndjsonResponse(lines: readonly unknown[], options: StreamBodyOptions = {}): Response {
  const pieces = lines.map((line) => `${typeof line === 'string' ? line : JSON.stringify(line)}\n`)
  return streamingResponse(pieces, 'application/x-ndjson', options)
}

/** An error response: objects are sent as JSON, strings as text. */
export function errorResponse(status: number, body: unknown, headers?: HeadersInit): Response {
  const merged = new Headers(headers)
  const isText = typeof body === 'string'
  if (!merged.has('content-type')) merged.set('content-type', isText ? 'text/plain' : 'application/json')
  return new Response(isText ? body : JSON.stringify(body), { status, headers: merged })
}

/** A connection reset before any response: fetch rejects with a network error. */
export function resetResponse(): Response {
  return Response.error()
}

/**
 * Never answers. MSW abandons the handler and rejects the client's fetch when the request's
 * signal aborts, so this is how a timeout or an abort is exercised.
 */
export function hangUntilAborted(_request?: Request): Promise<never> {
  return new Promise<never>(() => {})
}

/** One request as the recorder read it. */
export interface RecordedRequest {
  method: string
  url: string
  /** Lower-cased header names. */
  headers: Record<string, string>
  /** The JSON body parsed, the raw text when it is not JSON, undefined when empty. */
  body: unknown
}

/** Collects the requests a handler sees, for assertions on what reached the wire. */
export interface RequestRecorder {
  readonly requests: RecordedRequest[]
  /** Reads a clone of `request` (the handler can still read the original) and stores it. */
  record(request: Request): Promise<RecordedRequest>
  last(): RecordedRequest | undefined
  clear(): void
}

/** Reads a request's headers into a plain record with lower-cased names. */
export function headersOf(request: Request): Record<string, string> {
  const headers: Record<string, string> = {}
  request.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value
  })
  return headers
}

/** Reads a request's body: parsed JSON, the text when it is not JSON, undefined when empty. */
export async function readBody(request: Request): Promise<unknown> {
  const text = await request.clone().text()
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Creates a request recorder. */
export function createRequestRecorder(): RequestRecorder {
  const requests: RecordedRequest[] = []
  return {
    requests,
    async record(request) {
      const recorded: RecordedRequest = {
        method: request.method,
        url: request.url,
        headers: headersOf(request),
        body: await readBody(request),
      }
      requests.push(recorded)
      return recorded
    },
    last: () => requests[requests.length - 1],
    clear() {
      requests.length = 0
    },
  }
}
