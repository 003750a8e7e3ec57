#!/usr/bin/env node
// `pnpm bench`: modelplex against raw fetch, the vendor SDKs, the Vercel AI SDK and LangChain on
// a loopback mock. Prints the tables and writes bench/results.json. Every client runs in its own
// process, one measurement at a time, interleaved over rounds; figures are medians with min and max.
// Environment: BENCH_ROUNDS, BENCH_MEMORY_ROUNDS, BENCH_COLD_ROUNDS override the round counts.
import { execFile, fork } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { CLIENTS } from './clients.mjs'
import { LONG_STREAM_CHUNKS, SHORT_STREAM_CHUNKS } from './fixtures.mjs'
import { renderReport } from './report.mjs'
import { measureSize, SIZE_TARGETS } from './size.mjs'
import { rotate, summarize } from './stats.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const run = promisify(execFile)

const settings = {
  rounds: Number(process.env.BENCH_ROUNDS ?? 7),
  memoryRounds: Number(process.env.BENCH_MEMORY_ROUNDS ?? 3),
  coldRounds: Number(process.env.BENCH_COLD_ROUNDS ?? 7),
  sequentialCalls: 100,
  concurrentCalls: 640,
  concurrency: 64,
  firstTokenStreams: 20,
  expectedShort: SHORT_STREAM_CHUNKS,
  expectedLong: LONG_STREAM_CHUNKS,
}

// No tracing, telemetry or warnings from the peers: they would measure the exporter, not the client.
const childEnv = {
  ...process.env,
  LANGCHAIN_TRACING_V2: 'false',
  LANGSMITH_TRACING: 'false',
  LANGCHAIN_CALLBACKS_BACKGROUND: 'true',
  OPENAI_API_KEY: '',
  ANTHROPIC_API_KEY: '',
  NODE_OPTIONS: '',
}

const begun = performance.now()
const elapsed = () => `${((performance.now() - begun) / 1000).toFixed(0)} s`
const log = (message) => process.stdout.write(`[bench ${elapsed().padStart(5)}] ${message}\n`)

function startServer() {
  const server = fork(join(here, 'mock-server.mjs'), [], { env: childEnv, stdio: 'inherit' })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.on('message', (message) => {
      if (message.type === 'listening') resolve({ server, baseURL: `http://127.0.0.1:${message.port}` })
    })
  })
}

/** Forks a client's worker and returns a function that runs one operation in it. */
function startWorker(client, baseURL) {
  const child = fork(join(here, 'worker.mjs'), [client.id, baseURL], {
    env: childEnv,
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  let next = 0
  const pending = new Map()
  const ready = new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${client.id}: worker exited with ${code}`)))
    child.on('message', (message) => {
      if (message.ready) return resolve()
      const settle = pending.get(message.id)
      pending.delete(message.id)
      if (message.ok) settle.resolve(message.result)
      else settle.reject(new Error(`${client.id}: ${message.error}`))
    })
  })
  const call = async (op, options = settings) => {
    await ready
    const id = next++
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject })
      child.send({ id, op, options })
    })
  }
  const stop = () =>
    new Promise((resolve) => {
      child.once('exit', resolve)
      child.disconnect()
    })
  return { ready, call, stop }
}

const FIGURES = ['sequential', 'concurrent', 'stream', 'firstToken']

async function throughput(baseURL) {
  const samples = Object.fromEntries(
    CLIENTS.map((client) => [client.id, Object.fromEntries(FIGURES.map((f) => [f, []]))]),
  )
  const workers = new Map(CLIENTS.map((client) => [client.id, startWorker(client, baseURL)]))
  await Promise.all([...workers.values()].map((worker) => worker.ready))
  log(`throughput: ${CLIENTS.length} workers up; warming up`)
  for (const client of CLIENTS) {
    await workers.get(client.id).call('warmup', { ...settings, calls: 150, streams: 15, longStreams: 1 })
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
    CLIENTS.map((client) => [client.id, { peak: [], growth: [], lateGrowth: [], retained: [] }]),
  )
  for (let round = 0; round < settings.memoryRounds; round++) {
    for (const client of rotate(CLIENTS, round)) {
      const worker = startWorker(client, baseURL)
      const result = await worker.call('memory')
      await worker.stop()
      samples[client.id].peak.push(result.peakMb)
      samples[client.id].growth.push(result.growthMb)
      samples[client.id].lateGrowth.push(result.lateGrowthMb)
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
  log('sizes')
  raw.size = await sizes()

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
      rssGrowthMb: summarize(m.growth),
      rssLateGrowthMb: summarize(m.lateGrowth),
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
    size: raw.size,
    durationSeconds: (performance.now() - begun) / 1000,
  }
  const file = join(here, '..', 'results.json')
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
  process.stdout.write(`\n${renderReport(results)}\n`)
  log(`wrote ${file}`)
}

await main()
