// The loopback mock: OpenAI Chat Completions and Responses, and Anthropic Messages, JSON or server-sent
// events. Runs in its own process (forked by bench.mjs) so it never competes with the client
// being measured for the event loop; every answer is a precomputed buffer.
import { createServer } from 'node:http'
import { buildPayloads, LONG_STREAM_MODEL } from './fixtures.mjs'
import { createVendorRoutes } from './vendors.mjs'

const payloads = buildPayloads()
/** Bedrock, Google, Cohere and Ollama (Mistral shares the OpenAI route). */
const vendorRoute = createVendorRoutes()
const jsonHeaders = (body) => ({
  'content-type': 'application/json',
  'content-length': String(body.length),
  'x-request-id': 'req_bench',
})
const sseHeaders = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  'x-request-id': 'req_bench',
}

let requests = 0
let connections = 0

const server = createServer((request, response) => {
  const route = request.url.endsWith('/chat/completions')
    ? payloads.openai
    : request.url.endsWith('/responses')
      ? payloads.responses
      : request.url.endsWith('/messages')
        ? payloads.anthropic
        : undefined
  let body = ''
  request.setEncoding('utf8')
  request.on('data', (piece) => {
    body += piece
  })
  request.on('end', () => {
    requests++
    const answer = route ? undefined : vendorRoute(request.url, body)
    if (answer) {
      response.writeHead(200, answer.headers)
      response.end(answer.body)
      return
    }
    if (!route) {
      response.writeHead(404, { 'content-type': 'application/json' })
      response.end('{"error":{"message":"not found","type":"not_found_error"}}')
      return
    }
    // Every client serialises with JSON.stringify, so the flag has no spaces.
    if (!body.includes('"stream":true')) {
      response.writeHead(200, jsonHeaders(route.json))
      response.end(route.json)
      return
    }
    response.writeHead(200, sseHeaders)
    response.end(body.includes(LONG_STREAM_MODEL) ? route.long : route.short)
  })
})

server.on('connection', () => {
  connections++
})
server.keepAliveTimeout = 60_000
server.headersTimeout = 61_000
server.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'listening', port: server.address().port })
})

process.on('message', (message) => {
  if (message?.type === 'stats') process.send?.({ type: 'stats', requests, connections })
  if (message?.type === 'close') {
    server.closeAllConnections()
    server.close(() => process.exit(0))
  }
})
process.on('disconnect', () => process.exit(0))
