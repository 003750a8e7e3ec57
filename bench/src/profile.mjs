// Client CPU cost without the network: every client gets an in-memory `fetch` that answers
// with the mock's bytes (streams in 64 KiB pieces, as a socket delivers them). Use it to compare
// clients precisely and to profile one of them:
//   node src/profile.mjs openai:sdk,openai:modelplex generate 2000 7
//   node --cpu-prof src/profile.mjs openai:modelplex stream 20 1
// Arguments: client ids (comma-separated), generate | concurrent (64 × 8 calls per run) | stream |
// short, runs per round, rounds.
import { findClient, streamModel } from './clients.mjs'
import { buildPayloads, LONG_STREAM_MODEL } from './fixtures.mjs'
import { median } from './stats.mjs'
import { createVendorRoutes } from './vendors.mjs'

const PIECE = 64 * 1024
const payloads = buildPayloads()
/** Bedrock, Google, Cohere and Ollama, as the mock server answers them. */
const vendorRoute = createVendorRoutes()

function pieces(bytes) {
  let offset = 0
  return new ReadableStream({
    type: 'bytes',
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close()
        return
      }
      controller.enqueue(new Uint8Array(bytes.subarray(offset, offset + PIECE)))
      offset += PIECE
    },
  })
}

/** Answers like the mock server, without a socket. */
export async function memoryFetch(input, init) {
  const url = String(input instanceof Request ? input.url : input)
  const route = url.endsWith('/chat/completions') ? payloads.openai : payloads.anthropic
  const body = typeof init?.body === 'string' ? init.body : await new Response(init?.body).text()
  const parsed = new URL(url)
  const answer = vendorRoute(parsed.pathname + parsed.search, body)
  if (answer) return new Response(answer.body, { headers: answer.headers })
  if (!body.includes('"stream":true')) {
    return new Response(route.json, { headers: { 'content-type': 'application/json' } })
  }
  const bytes = body.includes(LONG_STREAM_MODEL) ? route.long : route.short
  return new Response(pieces(bytes), { headers: { 'content-type': 'text/event-stream' } })
}

const [ids = 'openai:sdk,openai:modelplex', op = 'generate', calls = '1000', rounds = '5'] =
  process.argv.slice(2)
globalThis.fetch = memoryFetch
const clients = []
for (const id of ids.split(',')) {
  const spec = findClient(id)
  const client = await spec.load('http://127.0.0.1:9')
  const firstTokens = []
  const concurrently = async () => {
    // 64 lanes sharing the calls of one `run`.
    let left = 64 * 8
    const lane = async () => {
      while (left-- > 0) await client.generate()
    }
    await Promise.all(Array.from({ length: 64 }, lane))
  }
  const run =
    op === 'generate'
      ? () => client.generate()
      : op === 'concurrent'
        ? concurrently
        : async () => {
            const started = performance.now()
            const { firstAt } = await client.stream(streamModel(spec.vendor, op === 'stream'))
            firstTokens.push((firstAt - started) * 1000)
          }
  clients.push({ id, run, samples: [], cpu: [], firstTokens })
}
for (const client of clients) for (let i = 0; i < Math.min(Number(calls), 200); i++) await client.run()
for (let round = 0; round < Number(rounds); round++) {
  for (const client of clients) {
    const started = performance.now()
    const cpuStarted = process.cpuUsage()
    for (let i = 0; i < Number(calls); i++) await client.run()
    client.samples.push(((performance.now() - started) * 1000) / Number(calls))
    const cpu = process.cpuUsage(cpuStarted)
    client.cpu.push((cpu.user + cpu.system) / Number(calls))
  }
}
for (const client of clients) {
  const { samples, cpu, firstTokens } = client
  const firstToken =
    op === 'generate' || op === 'concurrent' ? '' : `, first token ${median(firstTokens).toFixed(1)} µs`
  process.stdout.write(
    `${client.id.padEnd(22)} ${op}: ${median(samples).toFixed(1)} µs (min ${Math.min(...samples).toFixed(1)}), CPU ${median(cpu).toFixed(1)} µs (min ${Math.min(...cpu).toFixed(1)})${firstToken}\n`,
  )
}
