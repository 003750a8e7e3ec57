import { MalformedResponseError } from '@modelplex/core'

/** The byte that ends every NDJSON line. */
const NEWLINE = 0x0a
/** How much of a bad line its error quotes. */
const EXCERPT_LENGTH = 60

/**
 * The line checks of one NDJSON body: finds the first complete line that is not a JSON object.
 * Only the line still open at the end of a chunk is kept (decoded), until its `\n` arrives.
 */
export class OllamaNdjsonLines {
  private readonly decoder = new TextDecoder()
  /** The decoded start of the line the last chunk left open. */
  private pending = ''
  private lines = 0
  /** Set once a line failed; the body must end there. */
  failure: MalformedResponseError | undefined

  /**
   * Checks every line that `chunk` completes. Returns -1 when all are JSON objects, else the
   * offset in `chunk` where the bad line starts (0 when it started in an earlier chunk).
   */
  scan(chunk: Uint8Array): number {
    let start = 0
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      // Decoding without `stream` flushes the decoder: a `\n` never splits a UTF-8 sequence.
      const line = this.pending + this.decoder.decode(chunk.subarray(start, end))
      this.pending = ''
      this.lines++
      if (!isObjectLine(line)) {
        this.failure = new MalformedResponseError(
          `Ollama: line ${this.lines} of the stream is not a JSON object: ${JSON.stringify(line.slice(0, EXCERPT_LENGTH))}${line.length > EXCERPT_LENGTH ? '…' : ''}`,
          { provider: 'ollama' },
        )
        return start
      }
      start = end + 1
    }
    if (start < chunk.length) this.pending += this.decoder.decode(chunk.subarray(start), { stream: true })
    return -1
  }
}

/** True for a line holding one JSON object; a blank line holds nothing to lose and passes. */
function isObjectLine(line: string): boolean {
  if (line.length === 0) return true
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return line.trim() === ''
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * `response` with its NDJSON body checked line by line as the SDK reads it. The `ollama` SDK skips
 * a line that does not parse (it only prints "invalid json") and reads on, so the text of that line
 * is lost while the call succeeds. Here the body errors with a MalformedResponseError at such a
 * line instead. Bytes pass through unchanged, chunk by chunk. A pull source rather than a
 * TransformStream: erroring a TransformStream drops the chunks still queued, while a pull source
 * first delivers the good lines before the bad one, then errors on the next read.
 */
export function checkOllamaNdjson(response: Response): Response {
  const body = response.body
  if (!body) return response
  const reader = body.getReader()
  const lines = new OllamaNdjsonLines()
  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, failure: MalformedResponseError) => {
    controller.error(failure)
    // Nothing after the bad line is read: cancelling releases the connection.
    reader.cancel(failure).catch(() => {})
  }
  const checked = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (lines.failure) return fail(controller, lines.failure)
        const { done, value } = await reader.read()
        if (done) return controller.close()
        if (!(value instanceof Uint8Array)) return controller.enqueue(value)
        const bad = lines.scan(value)
        if (bad === -1) controller.enqueue(value)
        else if (bad > 0) controller.enqueue(value.subarray(0, bad))
        else fail(controller, lines.failure!)
      },
      cancel: (reason) => reader.cancel(reason),
    },
    // Read only when the SDK reads, so a failure waits until the lines before it are out.
    { highWaterMark: 0 },
  )
  return new Response(checked, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  })
}
