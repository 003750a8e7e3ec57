// Serves MSW request handlers (a provider's wire kit) on a real loopback HTTP server, so
// processes outside this one — a packed-tarball project, the CLI — can talk to the kit.
import { createServer } from 'node:http'
import { Readable } from 'node:stream'
import { getResponse } from 'msw'

/**
 * Starts a server on 127.0.0.1 (random port unless given); resolves to { url, close }.
 * `handlers` is a list, or a function of the server's URL returning one (kits need their base URL).
 */
export async function serveHandlers(handlersOrFactory, { port = 0 } = {}) {
  let handlers = Array.isArray(handlersOrFactory) ? handlersOrFactory : []
  const server = createServer(async (req, res) => {
    const controller = new AbortController()
    res.on('close', () => controller.abort())
    try {
      const url = `http://${req.headers.host}${req.url}`
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
      const request = new Request(url, {
        method: req.method,
        headers: Object.entries(req.headers).flatMap(([k, v]) =>
          v === undefined ? [] : Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]],
        ),
        body: hasBody ? Readable.toWeb(req) : undefined,
        duplex: 'half',
        signal: controller.signal,
      })
      const response = await getResponse(handlers, request)
      if (!response) {
        res.writeHead(404, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ error: { message: `no kit handler for ${req.method} ${req.url}` } }))
        return
      }
      if (response.type === 'error') {
        req.socket.destroy()
        return
      }
      res.writeHead(response.status, Object.fromEntries(response.headers))
      res.flushHeaders()
      if (!response.body) return res.end()
      const reader = response.body.getReader()
      try {
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          // Wait for each write, so what came before a cut really reaches the client.
          await new Promise((resolve, reject) =>
            res.write(value, (error) => (error ? reject(error) : resolve())),
          )
        }
      } catch {
        // A body that errors mid-way is a dropped connection, as the kit asked.
        res.destroy()
        return
      }
      res.end()
    } catch {
      req.socket.destroy()
    }
  })
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve))
  const { port: actual } = server.address()
  const url = `http://127.0.0.1:${actual}`
  if (typeof handlersOrFactory === 'function') handlers = handlersOrFactory(url)
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.()
        server.close(() => resolve())
      }),
  }
}
