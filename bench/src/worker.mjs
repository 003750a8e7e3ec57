// One client under test, in its own process: bench.mjs forks one per client and sends it one
// measurement at a time over IPC, so only one client runs at any moment and the others sleep.
// Usage (forked): node --expose-gc worker.mjs <client-id> <base-url>
import { findClient, streamModel } from './clients.mjs'
import { median } from './stats.mjs'

const [clientId, baseURL] = process.argv.slice(2)
const spec = findClient(clientId)
const client = await spec.load(baseURL)
const longModel = streamModel(spec.vendor, true)
const shortModel = streamModel(spec.vendor, false)

function collect() {
  globalThis.gc?.()
}

async function expectChunks(model, expected) {
  const result = await client.stream(model)
  if (result.chunks !== expected) {
    throw new Error(`${clientId}: ${result.chunks} text chunks, expected ${expected}`)
  }
  return result
}

const operations = {
  /** Warms the JIT and the connection pool on every path that is measured. */
  async warmup({ calls, streams, longStreams, expectedShort, expectedLong }) {
    for (let i = 0; i < calls; i++) await client.generate()
    await concurrent(calls, 64)
    for (let i = 0; i < streams; i++) await expectChunks(shortModel, expectedShort)
    for (let i = 0; i < longStreams; i++) await expectChunks(longModel, expectedLong)
    return {}
  },

  /** Sequential non-streaming calls: microseconds per call. */
  async sequential({ sequentialCalls: calls }) {
    collect()
    const started = performance.now()
    for (let i = 0; i < calls; i++) await client.generate()
    return { value: ((performance.now() - started) * 1000) / calls }
  },

  /** Non-streaming calls with `concurrency` in flight: calls per second. */
  async concurrent({ concurrentCalls, concurrency }) {
    collect()
    return { value: await concurrent(concurrentCalls, concurrency) }
  },

  /** The long stream, read whole: text chunks per second, start of call to end of stream. */
  async stream({ expectedLong }) {
    collect()
    const started = performance.now()
    await expectChunks(longModel, expectedLong)
    return { value: expectedLong / ((performance.now() - started) / 1000) }
  },

  /** Short streams one after another: median microseconds from the call to the first text chunk. */
  async firstToken({ firstTokenStreams: streams, expectedShort }) {
    collect()
    const times = []
    for (let i = 0; i < streams; i++) {
      const started = performance.now()
      const { firstAt } = await expectChunks(shortModel, expectedShort)
      times.push((firstAt - started) * 1000)
    }
    return { value: median(times) }
  },

  /**
   * RSS over three long streams in a fresh process. `peak` is sampled every millisecond through
   * all three. `firstGrowth`: from before the first stream to its end, which includes V8's young
   * generation and the allocator growing to their working size (a one-time cost that does not
   * depend on the stream's length). `warmGrowth`: across the third stream, once the process has
   * reached that size: a client that keeps chunks (or anything per chunk) grows there again.
   * `retained`: heap still used after a full GC, compared with before the first stream.
   */
  async memory({ expectedShort, expectedLong }) {
    await expectChunks(shortModel, expectedShort)
    collect()
    const heapBefore = process.memoryUsage().heapUsed
    const before = process.memoryUsage.rss()
    let peak = before
    const timer = setInterval(() => {
      const rss = process.memoryUsage.rss()
      if (rss > peak) peak = rss
    }, 1)
    await expectChunks(longModel, expectedLong)
    const afterFirst = process.memoryUsage.rss()
    await expectChunks(longModel, expectedLong)
    collect()
    const beforeWarm = process.memoryUsage.rss()
    await expectChunks(longModel, expectedLong)
    const after = process.memoryUsage.rss()
    clearInterval(timer)
    peak = Math.max(peak, afterFirst, after)
    collect()
    const heapAfter = process.memoryUsage().heapUsed
    const mb = 1024 * 1024
    return {
      peakMb: peak / mb,
      firstGrowthMb: (afterFirst - before) / mb,
      warmGrowthMb: (after - beforeWarm) / mb,
      retainedMb: (heapAfter - heapBefore) / mb,
    }
  },
}

async function concurrent(total, concurrency) {
  let started = 0
  const lane = async () => {
    while (started < total) {
      started++
      await client.generate()
    }
  }
  const begin = performance.now()
  await Promise.all(Array.from({ length: concurrency }, lane))
  return total / ((performance.now() - begin) / 1000)
}

process.on('message', async ({ id, op, options }) => {
  try {
    const result = await operations[op](options)
    process.send({ id, ok: true, result })
  } catch (error) {
    process.send({ id, ok: false, error: String(error?.stack ?? error) })
  }
})
process.on('disconnect', () => process.exit(0))
process.send({ ready: true })
