import { ModelplexError, type ProviderSpec } from '@modelplex/core'
import type { AdapterStreamEvent, ProviderAdapter } from '@modelplex/core/adapter'
import { describe, expect, it } from 'vitest'
import { runFaults } from './fault-run.js'
import { type Vendor, vendors } from './vendors.js'

const openai = vendors.find((vendor) => vendor.id === 'openai')!

/** The openai vendor with its adapter altered: the harness must notice. */
function sabotaged(alter: (adapter: ProviderAdapter) => Partial<ProviderAdapter>): Vendor {
  const spec: ProviderSpec<any> = {
    ...openai.spec,
    async connect(settings) {
      const adapter = await openai.spec.connect(settings)
      return { ...adapter, ...alter(adapter) }
    },
  }
  return { ...openai, spec }
}

const run = (vendor: Vendor) =>
  runFaults({
    seed: 7,
    vendors: [vendor],
    callsPerVendor: 60,
    lanesPerVendor: 4,
    retry: { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 8, maxRetryAfterMs: 20 },
    hangTimeoutMs: 200,
    watchdogMs: 10_000,
  })

const problems = (report: Awaited<ReturnType<typeof run>>) => report.violations.flatMap((v) => v.problems)

describe('the fault harness', () => {
  it('passes the provider as it is', async () => {
    const report = await run(openai)
    expect(report.calls).toBe(60)
    expect(report.recovered).toBeGreaterThan(0)
    expect(report.surfaced).toBeGreaterThan(0)
    // A stream cut after its finish chunk can lose usage (a known defect); nothing else may appear.
    expect(report.violations.filter((v) => v.lastFault !== 'truncated-body')).toEqual([])
  }, 60_000)

  it('catches an adapter that makes every error non-retryable and untyped by class', async () => {
    const report = await run(
      sabotaged(() => ({ mapError: (error) => new ModelplexError(`mapped: ${String(error).slice(0, 40)}`) })),
    )
    expect(problems(report).some((p) => /requests for \d planned attempts/.test(p))).toBe(true)
    expect(problems(report).some((p) => /^ModelplexError .* where RateLimitError was expected/.test(p))).toBe(
      true,
    )
  }, 60_000)

  it('catches a stream that delivers a text event twice', async () => {
    const report = await run(
      sabotaged((adapter) => ({
        async stream(request, context) {
          const events = await adapter.stream!(request, context)
          return (async function* (): AsyncGenerator<AdapterStreamEvent> {
            for await (const event of events) {
              yield event
              if (event.type === 'text-delta') yield event
            }
          })()
        },
      })),
    )
    expect(report.lost).toBeGreaterThan(0)
    expect(problems(report).some((p) => p.startsWith('delivered'))).toBe(true)
  }, 60_000)

  it('catches usage counted twice', async () => {
    const report = await run(
      sabotaged((adapter) => ({
        async generate(request, context) {
          const result = await adapter.generate(request, context)
          const usage = result.usage && {
            inputTokens: result.usage.inputTokens * 2,
            outputTokens: result.usage.outputTokens * 2,
            totalTokens: result.usage.totalTokens * 2,
          }
          return { ...result, usage }
        },
      })),
    )
    expect(problems(report).some((p) => /^usage \{.*\} ≠ scripted$/.test(p))).toBe(true)
    expect(report.lost).toBeGreaterThan(0)
  }, 60_000)
})
