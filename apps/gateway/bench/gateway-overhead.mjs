// `pnpm bench:gateway`: the latency the gateway adds over calling the mock upstream through core
// directly, sequentially on loopback, with auth, limits and budgets on and off. Figures are
// printed, never asserted. Needs the built packages (`pnpm exec turbo run build --filter=@modelplex/gateway...`).
// Not yet measured here: fixed request rates with autocannon, and Portkey's gateway as a peer.

import { serveKit } from '@modelplex/conformance'
import { createClient } from '@modelplex/core'
import { kit } from '@modelplex/provider-openai/testing'
import { createGateway } from '../dist/index.js'

const N = Number(process.env.GATEWAY_BENCH_REQUESTS ?? 2000)
const WARMUP = 200
const load = () => import('@modelplex/provider-openai')

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
const summary = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b)
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) }
}

async function measure(run) {
  for (let i = 0; i < WARMUP; i++) await run()
  const samples = []
  for (let i = 0; i < N; i++) {
    const start = performance.now()
    await run()
    samples.push(performance.now() - start)
  }
  return summary(samples)
}

const upstream = await serveKit(kit)
const body = JSON.stringify({
  model: 'fast',
  messages: [{ role: 'user', content: 'Say hello' }],
  max_tokens: 20,
})
const secret = 'sk-bench-0123456789abcdef'

const direct = createClient({
  providers: { openai: { ...upstream.settings, load } },
  retry: { maxRetries: 0 },
})
const baseline = await measure(() =>
  direct.generate({
    model: 'openai:gpt-4o-mini',
    messages: [{ role: 'user', content: 'Say hello' }],
    maxOutputTokens: 20,
  }),
)

const results = { direct: baseline }
for (const [name, keys] of [
  ['gateway, no auth or limits', []],
  [
    'gateway, auth + rpm/tpm/concurrency + budget',
    [{ id: 'bench', secret, limits: { rpm: 10_000_000, tpm: 1e12, concurrent: 1000 }, budget: { usd: 1e6 } }],
  ],
]) {
  const gateway = createGateway(
    { models: { fast: { targets: ['openai:gpt-4o-mini'] } }, retry: { maxRetries: 0 }, keys },
    { providers: { openai: { ...upstream.settings, load } } },
  )
  const server = await gateway.listen()
  const overhead = []
  const timing = await measure(async () => {
    const answer = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body,
    })
    await answer.arrayBuffer()
    overhead.push(Number(answer.headers.get('x-modelplex-overhead-ms')))
  })
  results[name] = { ...timing, inside: summary(overhead.slice(WARMUP)) }
  await server.close()
}
await upstream.close()

const ms = (value) => `${value.toFixed(3)} ms`
console.log(
  `Gateway overhead, ${N} sequential chat calls on loopback (Node ${process.version}), mock in the same process`,
)
console.log(`  core client → mock directly:            p50 ${ms(baseline.p50)}  p99 ${ms(baseline.p99)}`)
for (const [name, value] of Object.entries(results)) {
  if (name === 'direct') continue
  console.log(`  ${name}:`)
  console.log(`    fetch → gateway → mock:               p50 ${ms(value.p50)}  p99 ${ms(value.p99)}`)
  console.log(
    `    added over direct (incl. the HTTP hop): p50 ${ms(value.p50 - baseline.p50)}  p99 ${ms(value.p99 - baseline.p99)}`,
  )
  console.log(
    `    inside the gateway (x-modelplex-overhead-ms): p50 ${ms(value.inside.p50)}  p99 ${ms(value.inside.p99)}`,
  )
}
