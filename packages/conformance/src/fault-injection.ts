import { getResponse, type HttpHandler, http } from 'msw'
import { decodeAwsEventStream } from './aws-event-stream.js'
import { captureResponse, replayResponse } from './fuzz-chunks.js'
import { errorResponse, hangUntilAborted, resetResponse } from './wire-responses.js'

/** The framing of a streamed body. */
export type StreamFormat = 'sse' | 'ndjson' | 'aws-event-stream'

/** A fault injected at the HTTP layer, in front of a kit's handlers. */
export type HttpFault =
  /** An error status. A string body is sent as text/html (a proxy's page), anything else as JSON. */
  | { type: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** The connection is reset before any response. */
  | { type: 'reset' }
  /** No answer until the client aborts (its timeout). */
  | { type: 'hang' }
  /** The real answer with only the first `keep` (a fraction in [0, 1]) of its body bytes; the body then ends cleanly. */
  | { type: 'truncate'; keep: number }
  /** The real streamed answer with frame `index` (0-based; the last one when out of range) made unparsable. */
  | { type: 'corrupt-frame'; format: StreamFormat; index: number }

export interface FaultInjectorOptions {
  /** The handlers that answer when no fault is injected; `truncate` and `corrupt-frame` alter their response. */
  handlers: HttpHandler[]
  /** The fault for this request, or undefined to let `handlers` answer it untouched. Must not read the body. */
  decide(request: Request): HttpFault | undefined | Promise<HttpFault | undefined>
}

/** The page a reverse proxy (nginx, a load balancer) writes for a 5xx of its own: HTML, not the vendor's JSON. */
export function gatewayErrorResponse(status: number, headers?: Record<string, string>): Response {
  const title = `${status} ${STATUS_TEXT[status] ?? 'Error'}`
  const page = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
  return new Response(page, {
    status,
    statusText: STATUS_TEXT[status] ?? 'Error',
    headers: { 'content-type': 'text/html', ...headers },
  })
}

const STATUS_TEXT: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
  529: 'Site is overloaded',
}

/** `response` with only the first `keep` fraction of its body bytes, ending cleanly (no error). */
export async function truncateResponse(response: Response, keep: number): Promise<Response> {
  const captured = await captureResponse(response)
  const length = Math.floor(captured.body.length * Math.min(1, Math.max(0, keep)))
  return replayResponse(captured, [captured.body.slice(0, length)])
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** JSON that no parser accepts: an object cut after its first key. */
const BROKEN_JSON = '{"modelplex_corrupt":'

/**
 * `body` with frame `index` replaced by one that does not parse: an SSE frame keeps its `event:`
 * line but its data becomes broken JSON; an NDJSON line becomes broken JSON; an AWS event-stream
 * message gets one payload byte flipped, so its CRC no longer matches.
 */
export function corruptFrame(body: Uint8Array, format: StreamFormat, index: number): Uint8Array {
  if (format === 'aws-event-stream') {
    const out = body.slice()
    const ends: number[] = []
    for (let offset = 0; offset + 12 <= out.length; ) {
      const total = new DataView(out.buffer, out.byteOffset + offset).getUint32(0)
      if (total < 16) break
      ends.push(offset + total)
      offset += total
    }
    if (ends.length === 0) throw new Error('corruptFrame: no event-stream message in the body')
    const target = Math.min(index, ends.length - 1)
    // The byte before the message CRC: the payload's last byte (or a header byte when there is none).
    const at = ends[target]! - 5
    out[at] = out[at]! ^ 0xff
    return out
  }
  const text = decoder.decode(body)
  if (format === 'ndjson') {
    const lines = text.split('\n')
    const filled = lines.map((line, position) => (line.trim() ? position : -1)).filter((p) => p >= 0)
    const target = filled[Math.min(index, filled.length - 1)]!
    lines[target] = BROKEN_JSON
    return encoder.encode(lines.join('\n'))
  }
  const separator = text.includes('\r\n\r\n') ? '\r\n\r\n' : '\n\n'
  const newline = separator === '\r\n\r\n' ? '\r\n' : '\n'
  const frames = text.split(separator)
  const filled = frames.map((frame, position) => (frame.trim() ? position : -1)).filter((p) => p >= 0)
  const target = filled[Math.min(index, filled.length - 1)]!
  const kept = frames[target]!.split(newline).filter((line) => !line.startsWith('data:'))
  frames[target] = [...kept, `data: ${BROKEN_JSON}`].join(newline)
  return encoder.encode(frames.join(separator))
}

/** Counts the frames of a streamed body (SSE events, NDJSON lines or event-stream messages). */
export function countFrames(body: Uint8Array, format: StreamFormat): number {
  if (format === 'aws-event-stream') return decodeAwsEventStream(body).length
  const text = decoder.decode(body)
  if (format === 'ndjson') return text.split('\n').filter((line) => line.trim()).length
  return text.split(/\r?\n\r?\n/).filter((frame) => frame.trim()).length
}

/**
 * An MSW handler to put in front of a kit's handlers: for each request `decide` names a fault
 * (an error status, a reset, a hang, a truncated or corrupted body) or nothing, in which case
 * the request falls through to the handlers behind it.
 */
export function faultInjector(options: FaultInjectorOptions): HttpHandler {
  return http.all('*', async ({ request }) => {
    const fault = await options.decide(request)
    if (!fault) return undefined
    switch (fault.type) {
      case 'status':
        if (typeof fault.body === 'string') {
          return new Response(fault.body, {
            status: fault.status,
            headers: { 'content-type': 'text/html', ...fault.headers },
          })
        }
        return errorResponse(fault.status, fault.body ?? {}, fault.headers)
      case 'reset':
        return resetResponse()
      case 'hang':
        return hangUntilAborted(request)
      case 'truncate':
      case 'corrupt-frame': {
        const response = await getResponse(options.handlers, request.clone())
        if (!response) throw new Error(`faultInjector: no handler answers ${request.method} ${request.url}`)
        if (fault.type === 'truncate') return truncateResponse(response, fault.keep)
        const captured = await captureResponse(response)
        return replayResponse(captured, [corruptFrame(captured.body, fault.format, fault.index)])
      }
    }
  })
}
