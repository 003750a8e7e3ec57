// What one benchmark run measures, shared by bench.mjs and compare.mjs.
// BENCH_ROUNDS, BENCH_MEMORY_ROUNDS and BENCH_COLD_ROUNDS override the round counts.
import { LONG_STREAM_CHUNKS, SHORT_STREAM_CHUNKS } from './fixtures.mjs'

export const settings = {
  rounds: Number(process.env.BENCH_ROUNDS ?? 15),
  memoryRounds: Number(process.env.BENCH_MEMORY_ROUNDS ?? 3),
  coldRounds: Number(process.env.BENCH_COLD_ROUNDS ?? 7),
  sequentialCalls: 100,
  concurrentCalls: 640,
  concurrency: 64,
  firstTokenStreams: 20,
  expectedShort: SHORT_STREAM_CHUNKS,
  expectedLong: LONG_STREAM_CHUNKS,
}

/** The warm-up every worker runs before its first measurement. */
export const warmup = { ...settings, calls: 150, streams: 15, longStreams: 1 }
