import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bypass, type HttpHandler, http } from 'msw'
import { type SetupServer, setupServer } from 'msw/node'
import { chunkedBody } from './fuzz-chunks.js'

/** `record`: real HTTP, written to the file. `replay`: the file answers, nothing leaves. `off`: untouched. */
export type RecordingMode = 'record' | 'replay' | 'off'

/** One HTTP exchange as the file stores it: keys and auth headers already removed. */
export interface RecordedExchange {
  request: {
    method: string
    url: string
    headers: Record<string, string>
    /** Parsed JSON, else the text; undefined when empty. */
    body: unknown
  }
  response: {
    status: number
    statusText: string
    headers: Record<string, string>
    /** The body as it arrived, chunk by chunk: text when every chunk is valid UTF-8, else base64. */
    body: { encoding: 'utf8' | 'base64'; chunks: string[] }
  }
}

/** The file a recording is written to. */
export interface Recording {
  name: string
  recordedAt: string
  note: string
  exchanges: RecordedExchange[]
}

export interface RecordReplayOptions {
  /** The folder of the recordings, e.g. `new URL('./__recordings__/', import.meta.url)`. */
  dir: string | URL
  /** The file name, without `.json`. */
  name: string
  /** The keys used by the test: scrubbed wherever they appear. Auth header values are scrubbed anyway. */
  secrets?: ReadonlyArray<string | undefined>
  /** Extra header names to drop (lower case), beside the built-in auth and cookie headers. */
  stripHeaders?: readonly string[]
  /** Default: `record` when `MODELPLEX_RECORD=1`, else `replay` when the file exists, else `off`. */
  mode?: RecordingMode
  /** How a request finds its recording: same method, URL and JSON body (default), or same method and URL only. */
  match?: 'body' | 'url'
  /** Where `MODELPLEX_RECORD` is read (default `process.env`). */
  env?: Record<string, string | undefined>
}

/** A recording bound to one test file. */
export interface Tape {
  readonly mode: RecordingMode
  /** The recording's path. */
  readonly file: string
  /** Recorded in this run (record) or read from the file (replay). */
  readonly exchanges: RecordedExchange[]
  /** Starts intercepting (record and replay; nothing when off). Call it in `beforeAll`. */
  start(): void
  /** Stops intercepting; in record mode writes the file. Call it in `afterAll`. */
  stop(): void
  /** The key to give the provider: the real one when recording or live, a placeholder when replaying. */
  key(real: string | undefined): string | undefined
  /** Recorded exchanges no request asked for in replay (a sign that the recording is stale). */
  unused(): RecordedExchange[]
}

/** The placeholder key a provider gets in replay, so it passes its own "no API key" check. */
export const REPLAY_KEY = 'modelplex-replay-placeholder-key'

const REDACTED = '[redacted]'

/** Headers that carry credentials or session state: never written. */
const SECRET_HEADER =
  /(^|-)(authorization|api-key|apikey|key|token|secret|signature|credential|cookie|session)$/
const ALWAYS_STRIPPED = new Set([
  'cookie',
  'set-cookie',
  'x-amz-security-token',
  'x-amz-date',
  'x-amz-content-sha256',
])
/** Describe the transport, not the answer; replay serves the body decoded and unsized. */
const TRANSPORT_HEADERS = new Set([
  'content-encoding',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
])
/** Query parameters that carry keys (Google's `?key=`, presigned URLs). */
const SECRET_QUERY =
  /^(key|api[-_]?key|access[-_]?token|token|x-amz-signature|x-amz-credential|x-amz-security-token|signature|sig)$/i

function resolveDir(dir: string | URL): string {
  return dir instanceof URL ? fileURLToPath(dir) : dir
}

function scrub(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED)
  return out
}

/** Secret values a request carries in its headers: bearer tokens, API-key headers, SigV4's access key id. */
function secretsOfHeaders(headers: Headers): string[] {
  const found: string[] = []
  headers.forEach((value, name) => {
    const lower = name.toLowerCase()
    if (!SECRET_HEADER.test(lower) && !ALWAYS_STRIPPED.has(lower)) return
    found.push(value)
    const bearer = /^(?:Bearer|Basic|Token)\s+(.+)$/i.exec(value)
    if (bearer) found.push(bearer[1]!)
    const credential = /Credential=([^/,\s]+)\//.exec(value)
    if (credential) found.push(credential[1]!)
  })
  return found
}

function keptHeaders(
  headers: Headers,
  strip: ReadonlySet<string>,
  secrets: readonly string[],
): Record<string, string> {
  const kept: Record<string, string> = {}
  headers.forEach((value, name) => {
    const lower = name.toLowerCase()
    if (
      SECRET_HEADER.test(lower) ||
      ALWAYS_STRIPPED.has(lower) ||
      TRANSPORT_HEADERS.has(lower) ||
      strip.has(lower)
    )
      return
    kept[lower] = scrub(value, secrets)
  })
  return kept
}

/** The URL with secret query parameters removed and every known secret scrubbed. */
function cleanUrl(raw: string, secrets: readonly string[]): string {
  const url = new URL(raw)
  for (const name of [...url.searchParams.keys()]) if (SECRET_QUERY.test(name)) url.searchParams.delete(name)
  return scrub(url.toString(), secrets)
}

function parseBody(text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Stable JSON: object keys sorted, so two equal bodies compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, item) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  )
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

function encodeChunks(
  chunks: Uint8Array[],
  secrets: readonly string[],
): RecordedExchange['response']['body'] {
  try {
    return { encoding: 'utf8', chunks: chunks.map((chunk) => scrub(strictUtf8.decode(chunk), secrets)) }
  } catch {
    return { encoding: 'base64', chunks: chunks.map((chunk) => Buffer.from(chunk).toString('base64')) }
  }
}

function decodeChunks(body: RecordedExchange['response']['body']): Uint8Array[] {
  return body.chunks.map((chunk) =>
    body.encoding === 'utf8' ? new TextEncoder().encode(chunk) : new Uint8Array(Buffer.from(chunk, 'base64')),
  )
}

async function readChunks(body: ReadableStream<Uint8Array> | null): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = []
  if (!body) return chunks
  const reader = body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return chunks
    chunks.push(value)
  }
}

/** Throws when any secret survives in the serialized recording, base64 bodies included. */
function assertClean(recording: Recording, text: string, secrets: readonly string[]): void {
  const leaks = secrets.filter((secret) => text.includes(secret))
  for (const exchange of recording.exchanges) {
    if (exchange.response.body.encoding !== 'base64') continue
    const bytes = Buffer.concat(decodeChunks(exchange.response.body)).toString('latin1')
    for (const secret of secrets) if (bytes.includes(secret)) leaks.push(secret)
  }
  if (leaks.length > 0) {
    throw new Error(
      `recordOrReplay: ${leaks.length} secret value(s) would be written to ${recording.name}.json; nothing was written`,
    )
  }
}

/**
 * Records a live test's HTTP exchanges, or replays them: with `MODELPLEX_RECORD=1` every request
 * goes to the real API and the exchange is written to `<dir>/<name>.json` with keys, auth headers
 * and cookies removed; without it, when that file exists, MSW answers each request from it and
 * nothing leaves the machine. Use it from a provider's live test:
 *
 * ```ts
 * const tape = recordOrReplay({ dir: new URL('./__recordings__/', import.meta.url), name: 'openai-live',
 *   secrets: [process.env.OPENAI_API_KEY] })
 * describe.runIf(process.env.OPENAI_API_KEY || tape.mode === 'replay')('openai (live)', () => {
 *   beforeAll(() => tape.start())
 *   afterAll(() => tape.stop())
 *   const provider = createOpenAI({ apiKey: tape.key(process.env.OPENAI_API_KEY) })
 *   …
 * })
 * ```
 */
export function recordOrReplay(options: RecordReplayOptions): Tape {
  const dir = resolveDir(options.dir)
  const file = join(dir, `${options.name}.json`)
  const env = options.env ?? process.env
  const recording = env.MODELPLEX_RECORD === '1' || env.MODELPLEX_RECORD === 'true'
  const mode: RecordingMode = options.mode ?? (recording ? 'record' : existsSync(file) ? 'replay' : 'off')
  const strip = new Set((options.stripHeaders ?? []).map((name) => name.toLowerCase()))
  const secrets = new Set<string>()
  const addSecret = (value: string | undefined) => {
    // Short values (`Bearer`, `1`) would scrub ordinary text; keys are longer.
    if (value && value.length >= 8) secrets.add(value)
  }
  for (const secret of options.secrets ?? []) addSecret(secret)
  const exchanges: RecordedExchange[] = []
  const used = new Set<RecordedExchange>()
  let server: SetupServer | undefined

  if (mode === 'replay') {
    const loaded = JSON.parse(readFileSync(file, 'utf8')) as Recording
    exchanges.push(...loaded.exchanges)
  }

  const recorder: HttpHandler = http.all('*', async ({ request }) => {
    const requestText = await request.clone().text()
    for (const secret of secretsOfHeaders(request.headers)) addSecret(secret)
    const url = new URL(request.url)
    for (const [name, value] of url.searchParams) if (SECRET_QUERY.test(name)) addSecret(value)
    const response = await fetch(bypass(request))
    const chunks = await readChunks(response.body)
    for (const secret of secretsOfHeaders(response.headers)) addSecret(secret)
    const known = [...secrets]
    exchanges.push({
      request: {
        method: request.method,
        url: cleanUrl(request.url, known),
        headers: keptHeaders(request.headers, strip, known),
        body: parseBody(scrub(requestText, known)),
      },
      response: {
        status: response.status,
        statusText: response.statusText,
        headers: keptHeaders(response.headers, strip, known),
        body: encodeChunks(chunks, known),
      },
    })
    const headers = new Headers(response.headers)
    for (const name of TRANSPORT_HEADERS) headers.delete(name)
    return new Response(chunkedBody(chunks), {
      status: response.status,
      statusText: response.statusText,
      headers,
    })
  })

  const replayer: HttpHandler = http.all('*', async ({ request }) => {
    const url = cleanUrl(request.url, [...secrets])
    const body = parseBody(await request.clone().text())
    const candidates = exchanges.filter(
      (exchange) =>
        !used.has(exchange) && exchange.request.method === request.method && exchange.request.url === url,
    )
    const found =
      options.match === 'url'
        ? candidates[0]
        : candidates.find((exchange) => canonical(exchange.request.body) === canonical(body))
    if (!found) {
      const hint = candidates.length > 0 ? ' (a recording has this URL but another body)' : ''
      throw new Error(
        `recordOrReplay: no recording in ${options.name}.json for ${request.method} ${url}${hint}; refresh it with MODELPLEX_RECORD=1 (docs/recording.md)`,
      )
    }
    used.add(found)
    const headers = new Headers(found.response.headers)
    return new Response(chunkedBody(decodeChunks(found.response.body)), {
      status: found.response.status,
      statusText: found.response.statusText,
      headers,
    })
  })

  return {
    mode,
    file,
    exchanges,
    start() {
      if (mode === 'off' || server) return
      server = setupServer(mode === 'record' ? recorder : replayer)
      server.listen({ onUnhandledRequest: 'error' })
    },
    stop() {
      server?.close()
      server = undefined
      if (mode !== 'record') return
      const saved: Recording = {
        name: options.name,
        recordedAt: new Date().toISOString(),
        note: 'Recorded with MODELPLEX_RECORD=1; keys, auth headers and cookies removed. To refresh, see docs/recording.md.',
        exchanges,
      }
      const text = `${JSON.stringify(saved, null, 2)}\n`
      assertClean(saved, text, [...secrets])
      mkdirSync(dir, { recursive: true })
      writeFileSync(file, text)
    },
    key: (real) => (mode === 'replay' ? REPLAY_KEY : real),
    unused: () => exchanges.filter((exchange) => !used.has(exchange)),
  }
}
