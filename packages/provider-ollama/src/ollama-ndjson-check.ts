import { MalformedResponseError } from '@modelplex/core'
import { JsonLinesReader } from '@modelplex/core/adapter'
import { OllamaStreamError } from './map-ollama-error.js'

/** How much of a bad line its error quotes. */
const EXCERPT_LENGTH = 60

/**
 * Reads `/api/chat`'s NDJSON straight off the HTTP body with core's `JsonLinesReader`, linear in
 * its bytes (the `ollama` SDK splits its whole buffer again on every read, so one long line costs
 * time and memory quadratic in its length). Each line must be one JSON object: the SDK skips a line
 * that does not parse (it only prints "invalid json") and reads on, losing its text while the call
 * succeeds; here such a line ends the stream with a MalformedResponseError, after the lines before
 * it. A line with an `error` field is thrown as OllamaStreamError, as the SDK throws it.
 */
export class OllamaLineReader extends JsonLinesReader<unknown> {
  constructor(response: Response) {
    let lines = 0
    super(response.body, (line) => {
      lines++
      const chunk = parseObject(line)
      if (chunk === undefined) {
        throw new MalformedResponseError(
          `Ollama: line ${lines} of the stream is not a JSON object: ${JSON.stringify(line.slice(0, EXCERPT_LENGTH))}${line.length > EXCERPT_LENGTH ? '…' : ''}`,
          { provider: 'ollama' },
        )
      }
      if ('error' in chunk) throw new OllamaStreamError(String(chunk.error))
      return chunk
    })
  }
}

/** The line's JSON object, or undefined when it is not one. */
function parseObject(line: string): Record<string, unknown> | undefined {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return undefined
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}
