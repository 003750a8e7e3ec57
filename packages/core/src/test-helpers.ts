// Test-only helpers for core's own unit tests: a hand-written spec whose adapter each test
// scripts. No tsup entry imports this file, so it never reaches dist (see `npm pack --dry-run`).
import { vi } from 'vitest'
import { ModelplexError } from './errors.js'
import type { PricingTable } from './pricing.js'
import {
  type AdapterGenerateResult,
  type AdapterStreamEvent,
  defineProvider,
  type ProviderAdapter,
  type ProviderSpec,
} from './provider-spec.js'
import type { Usage } from './types.js'

export const messages = [{ role: 'user' as const, content: 'Hi' }]

export const usage: Usage = { inputTokens: 1_000, outputTokens: 500, totalTokens: 1_500 }

/** $1 per million input tokens, $2 per million output tokens for `priced-model`. */
export const pricing: PricingTable = {
  source: 'https://example.test/pricing',
  readAt: '2025-01-01',
  models: { 'priced-model': { input: 1, output: 2 } },
}

/** A successful adapter result with `text`. */
export function textResult(text = 'ok', extra: Partial<AdapterGenerateResult> = {}): AdapterGenerateResult {
  return {
    text,
    content: [{ type: 'text', text }],
    toolCalls: [],
    finishReason: 'stop',
    rawFinishReason: 'stop',
    usage,
    model: undefined,
    id: 'resp_1',
    raw: { text },
    ...extra,
  }
}

/** Rejects with the signal's reason once it aborts, like an SDK call given `signal`. */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason)
    signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })
}

/** An async iterable over `events`; throws `error` instead of the event at index `failAt`. */
export function eventsOf(
  events: AdapterStreamEvent[],
  failure?: { at: number; error: unknown },
): AsyncIterable<AdapterStreamEvent> & { returned: boolean } {
  const iterable = {
    returned: false,
    async *[Symbol.asyncIterator]() {
      try {
        for (const [index, event] of events.entries()) {
          if (failure && index === failure.at) throw failure.error
          yield event
        }
        if (failure && failure.at >= events.length) throw failure.error
      } finally {
        iterable.returned = true
      }
    },
  }
  return iterable
}

export const finish: AdapterStreamEvent = {
  type: 'finish',
  finishReason: 'stop',
  rawFinishReason: 'stop',
  usage,
}

type FakeSpec = ProviderSpec & { connect: ReturnType<typeof vi.fn> }

/**
 * A provider spec (`fake` unless `id` is given) with every capability, no key required, and
 * the adapter members given; `connect` is a spy, so a test can prove no request was made.
 */
export function fakeSpec(
  adapter: Partial<ProviderAdapter> = {},
  overrides: Partial<ProviderSpec> = {},
): FakeSpec {
  const id = overrides.id ?? 'fake'
  const full: ProviderAdapter = {
    generate: async () => textResult(),
    mapError: (error) =>
      ModelplexError.isInstance(error)
        ? error
        : new ModelplexError(error instanceof Error ? error.message : String(error), {
            provider: id,
            cause: error,
          }),
    ...adapter,
  }
  return defineProvider({
    id,
    name: `Fake (${id})`,
    sdk: { package: 'fake-sdk', range: '^1.0.0' },
    env: {},
    requiresApiKey: false,
    defaultModel: 'fake-model',
    defaultEmbeddingModel: 'fake-embedding',
    capabilities: {
      stream: true,
      tools: true,
      structuredOutput: 'json-schema',
      embeddings: true,
      vision: true,
      listModels: true,
    },
    pricing,
    ...overrides,
    connect: vi.fn(() => full),
  }) as FakeSpec
}

// The same generator as @modelplex/conformance's `seededRandom`: core cannot depend on conformance.
/** mulberry32: a seeded source of numbers in [0, 1), so a generated case that fails can be rebuilt from its seed. */
export function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
