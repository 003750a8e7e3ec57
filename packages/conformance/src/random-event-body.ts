// A random event-stream body for the property tests of stream readers (core's SSE reader and the
// providers' stream tests); its choices come from `seededRandom`, so a failing seed replays.

/**
 * An event-stream body as a server might send it, for property tests of stream readers: each
 * frame ended by a blank line, every line end the same one of LF, CRLF or CR, then `tail` (e.g.
 * an unterminated event), cut at up to seven byte offsets as network reads split a body.
 * `next` (a `seededRandom`) makes every choice.
 */
export function randomEventBody(
  frames: readonly string[],
  next: () => number,
  tail?: (lineEnd: string) => string,
): Uint8Array[] {
  const lineEnd = ['\n', '\r\n', '\r'][Math.floor(next() * 3)]!
  const text = frames.map((frame) => `${frame.replaceAll('\n', lineEnd)}${lineEnd}${lineEnd}`).join('')
  const bytes = new TextEncoder().encode(text + (tail?.(lineEnd) ?? ''))
  const cuts = Array.from({ length: Math.floor(next() * 8) }, () => Math.floor(next() * bytes.length))
  cuts.sort((a, b) => a - b)
  return [...cuts, bytes.length].map((cut, index, all) => bytes.slice(index === 0 ? 0 : all[index - 1], cut))
}
