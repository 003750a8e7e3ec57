/**
 * Random re-chunking of recorded bodies, for fuzzing stream parsers: the same bytes, delivered in
 * slices whose boundaries fall anywhere — inside a frame, a length prefix or a UTF-8 sequence.
 * Everything is driven by a seeded generator, so a failing seed replays exactly.
 */

/** A seeded pseudo-random generator (mulberry32) returning floats in [0, 1); one seed, one sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** An integer in [min, max], both included. */
export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1))
}

export interface FuzzChunkOptions {
  /** The largest slice (default 64 bytes). */
  maxChunkBytes?: number
}

/**
 * Splits `bytes` into slices of random size. A third of the slices are 1–3 bytes, so multi-byte
 * UTF-8 sequences, frame headers and CRLF pairs split often; the rest go up to `maxChunkBytes`.
 * The slices, concatenated, are `bytes`.
 */
export function fuzzChunks(
  bytes: Uint8Array,
  random: () => number,
  options: FuzzChunkOptions = {},
): Uint8Array[] {
  const max = options.maxChunkBytes ?? 64
  if (!(Number.isInteger(max) && max > 0)) {
    throw new RangeError(`maxChunkBytes must be a positive integer, got ${max}`)
  }
  const chunks: Uint8Array[] = []
  let offset = 0
  while (offset < bytes.length) {
    const size = random() < 1 / 3 ? randomInt(random, 1, Math.min(3, max)) : randomInt(random, 1, max)
    chunks.push(bytes.slice(offset, offset + size))
    offset += size
  }
  return chunks
}

/** How many chunk boundaries fall inside a multi-byte UTF-8 sequence (the next chunk opens on a continuation byte). */
export function utf8Splits(chunks: readonly Uint8Array[]): number {
  let splits = 0
  for (let index = 1; index < chunks.length; index++) {
    const first = chunks[index]![0]
    if (first !== undefined && (first & 0xc0) === 0x80) splits++
  }
  return splits
}

/** A pull-based body that hands out one slice per read, so every boundary reaches the parser. */
export function chunkedBody(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let index = 0
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (index < chunks.length) controller.enqueue(chunks[index++]!)
        else controller.close()
      },
    },
    { highWaterMark: 0 },
  )
}

/** A response read to its end: status, headers and every body byte. */
export interface CapturedResponse {
  status: number
  statusText: string
  headers: Array<[string, string]>
  body: Uint8Array
}

/** Reads `response` whole, so it can be served again, re-chunked or cut. */
export async function captureResponse(response: Response): Promise<CapturedResponse> {
  return {
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers],
    body: new Uint8Array(await response.arrayBuffer()),
  }
}

/** Serves a captured response again with its body in the given slices (the whole body by default). */
export function replayResponse(
  captured: CapturedResponse,
  chunks: readonly Uint8Array[] = [captured.body],
): Response {
  const headers = new Headers(captured.headers)
  // The body is streamed (and may be cut): it must not claim the original length.
  headers.delete('content-length')
  return new Response(chunkedBody(chunks), {
    status: captured.status,
    statusText: captured.statusText,
    headers,
  })
}

/** Serves a captured response with its body re-chunked at random boundaries. */
export function fuzzedResponse(
  captured: CapturedResponse,
  random: () => number,
  options: FuzzChunkOptions = {},
): Response {
  return replayResponse(captured, fuzzChunks(captured.body, random, options))
}
