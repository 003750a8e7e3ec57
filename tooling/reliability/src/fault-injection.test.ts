import { expect, it } from 'vitest'
import { type CallViolation, faultKinds, runFaults } from './fault-run.js'
import { vendors as allVendors } from './vendors.js'

// Knobs for investigating a failure: MODELPLEX_FAULT_SEED replays a run, the others narrow it.
const only = process.env.MODELPLEX_FAULT_VENDORS?.split(',')
const vendors = only ? allVendors.filter((vendor) => only.includes(vendor.id)) : allVendors
const CALLS_PER_VENDOR = Number(process.env.MODELPLEX_FAULT_CALLS ?? 1_100)
const SEED = Number(process.env.MODELPLEX_FAULT_SEED ?? 20_260_521)

/**
 * Provider defects this run found and whose owners have them to fix (docs/reliability.md). Each
 * one is reported on every run; any violation that none of them explains fails the test.
 */
const knownDefects: Array<{ id: string; summary: string; explains(violation: CallViolation): boolean }> = []

it(`fault injection: ${CALLS_PER_VENDOR * vendors.length} calls through ${vendors.map((v) => v.id).join(', ')}`, async () => {
  const report = await runFaults({
    seed: SEED,
    vendors,
    callsPerVendor: CALLS_PER_VENDOR,
    lanesPerVendor: 8,
    retry: { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 8, maxRetryAfterMs: 20 },
    hangTimeoutMs: 200,
    watchdogMs: 10_000,
  })
  const known = new Map(knownDefects.map((defect) => [defect.id, [] as CallViolation[]]))
  const unexplained: CallViolation[] = []
  for (const violation of report.violations) {
    const defect = knownDefects.find((candidate) => candidate.explains(violation))
    if (defect) known.get(defect.id)!.push(violation)
    else unexplained.push(violation)
  }
  const lostTo = (list: CallViolation[]) =>
    list.filter((v) => v.outcome !== 'success' && v.outcome !== 'typed').length
  const knownLost = [...known.values()].reduce((sum, list) => sum + lostTo(list), 0)
  const describe = (v: CallViolation) => `${v.call} (${v.operation}, ${v.attempts}): ${v.problems.join('; ')}`
  console.log(
    [
      `fault injection, seed ${SEED}: ${report.calls} calls (${report.operations.generate} generate, ${report.operations.stream} stream), ${report.requests} requests, ${report.retries} retries, ${(report.durationMs / 1000).toFixed(1)} s`,
      `  faults injected: ${faultKinds.map((kind) => `${kind} ${report.faults[kind]}`).join(', ')}`,
      `  clean ${report.clean} · recovered ${report.recovered} · surfaced as typed errors ${report.surfaced} · lost ${report.lost - knownLost} (+${knownLost} to known provider defects) · untyped ${report.untyped} · hung ${report.hung} · unhandled rejections ${report.unhandledRejections}`,
      `  typed errors: ${Object.entries(report.errorsByClass)
        .map(([name, count]) => `${name} ${count}`)
        .join(', ')}`,
      `  onResponse fired ${report.onResponse} times for ${report.results} results`,
      ...Object.entries(report.perVendor).map(
        ([id, tally]) =>
          `  ${id}: ${tally.calls} calls, ${tally.faults} faults, clean ${tally.clean}, recovered ${tally.recovered}, surfaced ${tally.surfaced}`,
      ),
      `  known provider defects: ${knownDefects.map((defect) => `${defect.id} ${known.get(defect.id)!.length} calls`).join(', ')}`,
      ...knownDefects
        .filter((defect) => known.get(defect.id)!.length > 0)
        .map((defect) => `    ${defect.id}: ${defect.summary}; e.g. ${describe(known.get(defect.id)![0]!)}`),
      `  unexplained violations: ${unexplained.length}`,
      ...unexplained.slice(0, 30).map((v) => `    ${describe(v)}`),
    ].join('\n'),
  )
  expect(report.calls).toBeGreaterThanOrEqual(5_000)
  expect(report.untyped).toBe(0)
  expect(report.hung).toBe(0)
  expect(report.unhandledRejections).toBe(0)
  expect(unexplained.map(describe)).toEqual([])
  expect(report.lost - knownLost).toBe(0)
  expect(report.onResponse).toBe(report.results)
  expect(report.clean + report.recovered + report.surfaced + report.lost).toBe(report.calls)
  for (const kind of faultKinds) expect(report.faults[kind], kind).toBeGreaterThan(0)
  for (const vendor of vendors) expect(report.perVendor[vendor.id]!.recovered, vendor.id).toBeGreaterThan(0)
}, 300_000)
