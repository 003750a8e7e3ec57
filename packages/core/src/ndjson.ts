import { type ServerSentEventBody, ServerSentEventReader } from './sse.js'

/**
 * Turns one line into the item `read()` hands out, or skips it by returning `undefined`. A throw
 * ends the stream: `read()` throws it once the items before it have been handed out.
 */
export type JsonLinesParser<T> = (line: string) => T | undefined

const SPACE = 32
const TAB = 9
const BYTE_ORDER_MARK = 0xfeff

/**
 * Reads newline-delimited JSON (Ollama's `/api/chat`) straight off an HTTP body with the same
 * machinery as `ServerSentEventReader`: one string buffer scanned once, so a long line costs time
 * linear in its bytes (the `ollama` SDK splits its whole buffer again on every read). LF, CRLF or
 * CR end a line; blank lines are skipped; a last line without a line end is read too. What a line
 * means is the vendor's: `parse` gets the line's text (usually `JSON.parse` and a check).
 */
export class JsonLinesReader<T> extends ServerSentEventReader<T> {
  constructor(body: ServerSentEventBody | null | undefined, parse: JsonLinesParser<T>) {
    super(body, (_event, data) => parse(data))
  }

  /** The last line needs no line end. */
  protected override endOfBody(): string {
    return '\n'
  }

  protected override line(buffer: string, start: number, end: number, items: T[]): void {
    if (buffer.charCodeAt(start) === BYTE_ORDER_MARK) start++
    while (start < end && isBlank(buffer.charCodeAt(start))) start++
    if (start === end) return
    this.deliver(items, undefined, buffer.slice(start, end))
  }
}

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB
}
