#!/usr/bin/env node
// `pnpm bench`: modelplex against raw fetch, the vendor SDKs, the Vercel AI SDK and LangChain on
// a loopback mock. Prints the tables and writes bench/results.json. Every client runs in its own
// process, one measurement at a time, interleaved over rounds; figures are medians with min and max.
// Environment: BENCH_ROUNDS, BENCH_MEMORY_ROUNDS, BENCH_COLD_ROUNDS override the round counts.
import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { CLIENTS } from './clients.mjs'
import { PROBE_EVENTS, PROBE_MB, PROBE_VENDORS } from './probes.mjs'
import { childEnv, startServer, startWorker } from './processes.mjs'
import { renderReport } from './report.mjs'
import { settings, warmup } from './settings.mjs'
import { measureSize, SIZE_TARGETS } from './size.mjs'
import { rotate, summarize } from './stats.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const run = promisify(execFile)

const begun = performance.now()
const elapsed = () => `${((performance.now() - begun) / 1000).toFixed(0)} s`
const log = (message) => process.stdout.write(`[bench ${elapsed().padStart(5)}] ${message}\n`)

const FIGURES = ['sequential', 'concurrent', 'stream', 'firstToken']

async function throughput(baseURL) {
  const samples = Object.fromEntries(
    CLIENTS.map((client) => [client.id, Object.fromEntries(FIGURES.map((f) => [f, []]))]),
  )
  const workers = new Map(CLIENTS.map((client) => [client.id, startWorker(client.id, baseURL, settings)]))
  await Promise.all([...workers.values()].map((worker) => worker.ready))
  log(`throughput: ${CLIENTS.length} workers up; warming up`)
  for (const client of CLIENTS) {
    await workers.get(client.id).call('warmup', warmup)
  }
  for (let round = 0; round < settings.rounds; round++) {
    for (const figure of FIGURES) {
      for (const client of rotate(CLIENTS, round)) {
        const { value } = await workers.get(client.id).call(figure)
        samples[client.id][figure].push(value)
      }
    }
    log(`throughput: round ${round + 1}/${settings.rounds} done`)
  }
  await Promise.all([...workers.values()].map((worker) => worker.stop()))
  return samples
}

async function memory(baseURL) {
  const samples = Object.fromEntries(
    CLIENTS.map((client) => [client.id, { peak: [], firstGrowth: [], warmGrowth: [], retained: [] }]),
  )
  for (let round = 0; round < settings.memoryRounds; round++) {
    for (const client of rotate(CLIENTS, round)) {
      const worker = startWorker(client.id, baseURL, settings)
      const result = await worker.call('memory')
      await worker.stop()
      samples[client.id].peak.push(result.peakMb)
      samples[client.id].firstGrowth.push(result.firstGrowthMb)
      samples[client.id].warmGrowth.push(result.warmGrowthMb)
      samples[client.id].retained.push(result.retainedMb)
    }
    log(`memory: round ${round + 1}/${settings.memoryRounds} done`)
  }
  return samples
}

export const COLD_IMPORTS = [
  'import:core',
  'import:core+openai',
  'import:openai-sdk',
  'import:zod',
  'import:vercel-openai',
  'import:langchain-openai',
]

async function cold(baseURL) {
  const targets = [
    ...COLD_IMPORTS,
    ...CLIENTS.map((client) => `first:${client.id}`),
    'first:openai:modelplex+zod',
    'first:anthropic:modelplex+zod',
  ]
  const samples = Object.fromEntries(targets.map((target) => [target, []]))
  for (let round = 0; round < settings.coldRounds; round++) {
    for (const target of rotate(targets, round)) {
      const { stdout } = await run(process.execPath, [join(here, 'cold.mjs'), target, baseURL], {
        env: childEnv,
        cwd: here,
      })
      samples[target].push(JSON.parse(stdout.trim().split('\n').pop()))
    }
    log(`cold start: round ${round + 1}/${settings.coldRounds} done`)
  }
  return samples
}

/** Core's own cost per call, in a fresh process: an adapter that answers at once, no SDK, no socket. */
async function coreOverhead() {
  const { stdout } = await run(process.execPath, [join(here, 'core-overhead.mjs'), '200000', '7', '--json'], {
    env: childEnv,
    cwd: here,
  })
  const { samples, abortScopeUs } = JSON.parse(stdout.trim().split('\n').pop())
  return { perCallUs: summarize(samples), abortScopeUs }
}

/** The hostile streams (probes.mjs), each vendor and probe once, in a fresh process. */
async function probes() {
  const result = {}
  for (const vendor of PROBE_VENDORS) {
    result[vendor] = {}
    for (const kind of ['tiny', 'long']) {
      const { stdout } = await run(
        process.execPath,
        ['--expose-gc', join(here, 'probes.mjs'), vendor, kind],
        {
          env: childEnv,
          cwd: here,
          maxBuffer: 1024 * 1024,
          timeout: 300_000,
        },
      ).catch((error) => ({
        stdout: JSON.stringify({ error: String(error?.message ?? error).slice(0, 200) }),
      }))
      result[vendor][kind] = JSON.parse(stdout.trim().split('\n').pop())
    }
    log(`probes: ${vendor} done`)
  }
  return { events: PROBE_EVENTS, megabytes: PROBE_MB, vendors: result }
}

async function sizes() {
  const result = {}
  for (const target of SIZE_TARGETS)
    result[target.id] = { label: target.label, ...(await measureSize(target)) }
  return result
}

function pick(list, key) {
  return list.map((entry) => entry[key])
}

async function main() {
  log(
    `Node ${process.version}, ${cpus().length} CPUs; ${settings.rounds} throughput rounds, ` +
      `${settings.memoryRounds} memory rounds, ${settings.coldRounds} cold rounds`,
  )
  const { server, baseURL } = await startServer()
  log(`mock server on ${baseURL}`)
  let raw
  try {
    raw = { throughput: await throughput(baseURL), memory: await memory(baseURL), cold: await cold(baseURL) }
  } finally {
    server.send({ type: 'close' })
  }
  log('core overhead')
  raw.coreOverhead = await coreOverhead()
  log('sizes')
  raw.size = await sizes()
  log('hostile streams')
  raw.probes = await probes()

  const clients = {}
  for (const client of CLIENTS) {
    const t = raw.throughput[client.id]
    const m = raw.memory[client.id]
    const c = raw.cold[`first:${client.id}`]
    clients[client.id] = {
      vendor: client.vendor,
      role: client.role,
      label: client.label,
      sequentialUs: summarize(t.sequential),
      concurrentPerSecond: summarize(t.concurrent),
      streamChunksPerSecond: summarize(t.stream),
      firstTokenUs: summarize(t.firstToken),
      peakRssMb: summarize(m.peak),
      rssFirstStreamGrowthMb: summarize(m.firstGrowth),
      rssWarmStreamGrowthMb: summarize(m.warmGrowth),
      retainedHeapMb: summarize(m.retained),
      coldFirstCallMs: summarize(pick(c, 'ms')),
      coldImportMs: summarize(pick(c, 'importMs')),
      coldFirstCallRssMb: summarize(pick(c, 'rssDeltaMb')),
    }
  }
  const imports = {}
  for (const target of COLD_IMPORTS) {
    imports[target.slice('import:'.length)] = {
      ms: summarize(pick(raw.cold[target], 'ms')),
      rssDeltaMb: summarize(pick(raw.cold[target], 'rssDeltaMb')),
    }
  }
  const zodPreloaded = {}
  for (const vendor of ['openai', 'anthropic']) {
    zodPreloaded[vendor] = summarize(pick(raw.cold[`first:${vendor}:modelplex+zod`], 'ms'))
  }
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    versions: JSON.parse(readFileSync(join(here, '..', 'package.json'), 'utf8')).devDependencies,
    settings,
    clients,
    imports,
    zodPreloadedFirstCallMs: zodPreloaded,
    coreOverhead: raw.coreOverhead,
    size: raw.size,
    probes: raw.probes,
    durationSeconds: (performance.now() - begun) / 1000,
  }
  const file = join(here, '..', 'results.json')
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
  process.stdout.write(`\n${renderReport(results)}\n`)
  log(`wrote ${file}`)
}

await main()
