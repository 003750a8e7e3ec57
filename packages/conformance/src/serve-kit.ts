import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { getResponse, type HttpHandler } from 'msw'
import { demoScenarios } from './demo-scenarios.js'
import type { WireKit, WireReply, WireRequestView } from './wire-kit.js'

export interface ServeHandlersOptions {
  /** The port on 127.0.0.1 (default: a free one). */
  port?: number
  /** Milliseconds to wait between body chunks, so streams arrive at a visible pace (default 0). */
  paceMs?: number
}

export interface ServedHandlers {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string
  /** Stops the server and drops open connections. */
  close(): Promise<void>
}

export interface ServeKitOptions extends ServeHandlersOptions {
  /** Answers each request (default: `demoScenarios(kit)`). */
  serve?: (view: WireRequestView) => WireReply | Promise<WireReply>
}

export interface ServedKit extends ServedHandlers {
  /** The kit's base URL moved onto the loopback server (path kept, e.g. `…/v1`). */
  baseURL: string
  /** `kit.settings` with every URL under the kit's base moved onto the loopback server. */
  settings: Record<string, unknown>
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

function toRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const headers: Array<[string, string]> = []
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value]) headers.push([name, item])
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  return new Request(`http://${req.headers.host}${req.url}`, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : null,
    signal,
    // Node's fetch needs this for a streamed request body; the DOM typings do not know it.
    ...({ duplex: 'half' } as object),
  })
}

async function answer(
  handlers: HttpHandler[],
  req: IncomingMessage,
  res: ServerResponse,
  paceMs: number,
): Promise<void> {
  const controller = new AbortController()
  res.on('close', () => controller.abort())
  const response = await getResponse(handlers, toRequest(req, controller.signal))
  if (!response) {
    res.writeHead(404, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ error: { message: `no kit handler for ${req.method} ${req.url}` } }))
    return
  }
  // `Response.error()`: the kit asked for a connection reset.
  if (response.type === 'error') {
    req.socket.destroy()
    return
  }
  res.writeHead(response.status, Object.fromEntries(response.headers))
  res.flushHeaders()
  if (!response.body) {
    res.end()
    return
  }
  const reader = response.body.getReader()
  try {
    for (let chunk = 0; ; chunk++) {
      const { done, value } = await reader.read()
      if (done) break
      if (chunk > 0 && paceMs > 0) await sleep(paceMs)
      if (controller.signal.aborted) return
      // Wait for each write, so what came before a cut really reaches the client.
      await new Promise<void>((resolve, reject) =>
        res.write(value, (error) => (error ? reject(error) : resolve())),
      )
    }
  } catch {
    // A body that errors mid-way is a dropped connection, as the kit asked.
    res.destroy()
    return
  }
  res.end()
}

/**
 * Serves MSW handlers on a real loopback HTTP server, so another process (a CLI, a packed
 * project) can talk to them. `handlers` may be a function of the server's URL, since kits need
 * their base URL. A response body that errors mid-way drops the connection after flushing
 * what came before; `Response.error()` resets it.
 */
export async function serveHandlers(
  handlers: HttpHandler[] | ((url: string) => HttpHandler[]),
  options: ServeHandlersOptions = {},
): Promise<ServedHandlers> {
  let list = Array.isArray(handlers) ? handlers : []
  const paceMs = options.paceMs ?? 0
  const server = createServer((req, res) => {
    answer(list, req, res, paceMs).catch(() => req.socket.destroy())
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  if (typeof handlers === 'function') list = handlers(url)
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Moves every string setting under `from` (an origin) onto `to`. */
function rebase(settings: Record<string, unknown>, from: string, to: string): Record<string, unknown> {
  const moved: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(settings)) {
    moved[key] = typeof value === 'string' && value.startsWith(from) ? to + value.slice(from.length) : value
  }
  return moved
}

/**
 * Serves a provider's wire kit on 127.0.0.1 and returns settings that point the provider at it
 * (`baseURL`, or whichever URL setting the kit uses, e.g. an `endpoint`), so the provider, its
 * SDK and its transport run for real against simulated replies.
 */
export async function serveKit(kit: WireKit, options: ServeKitOptions = {}): Promise<ServedKit> {
  const serve = options.serve ?? demoScenarios(kit)
  const original = new URL(kit.baseURL)
  const path = original.pathname.replace(/\/+$/, '')
  const served = await serveHandlers((url) => kit.handlers(serve, `${url}${path}`), options)
  const baseURL = `${served.url}${path}`
  const settings = rebase(kit.settings, original.origin, served.url)
  // A kit whose settings name no URL under its base gets the common `baseURL` setting.
  const moved = Object.keys(settings).some((key) => settings[key] !== kit.settings[key])
  if (!moved) settings.baseURL = baseURL
  return { ...served, baseURL, settings }
}
