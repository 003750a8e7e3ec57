import type { Cost, Usage, Warning } from './result-types.js'

const COUNTS = [
  'inputTokens',
  'outputTokens',
  'totalTokens',
  'cachedInputTokens',
  'cacheWriteInputTokens',
  'cacheWrite1hInputTokens',
  'reasoningTokens',
] as const

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value)
}

/** The vendor's usage, checked once for every provider: each count a finite, non-negative integer. */
export interface CheckedUsage {
  usage: Usage | undefined
  /** False when a count was not a count: no cost may be computed from it. */
  priceable: boolean
  warning?: Warning
}

/**
 * Checks what an adapter read as usage. A count that is not a finite, non-negative integer (a
 * string, a negative, 1e999) is dropped with a warning, and the call gets no cost rather than a
 * wrong one; without a valid input and output count the usage is dropped whole.
 */
export function checkUsage(usage: Usage | undefined): CheckedUsage {
  if (usage === undefined) return { usage, priceable: true }
  const bad = COUNTS.filter((key) => usage[key] !== undefined && !isCount(usage[key]))
  if (bad.length === 0) return { usage, priceable: true }
  const warning: Warning = {
    type: 'other',
    message: `the vendor reported usage that is not a count (${bad
      .map((key) => `${key}: ${shown(usage[key])}`)
      .join(', ')}): ${bad.length === 1 ? 'it was' : 'they were'} dropped and no cost was computed`,
  }
  if (bad.includes('inputTokens') || bad.includes('outputTokens'))
    return { usage: undefined, priceable: false, warning }
  const kept: Usage = { ...usage }
  for (const key of bad) delete kept[key]
  if (bad.includes('totalTokens')) kept.totalTokens = kept.inputTokens + kept.outputTokens
  return { usage: kept, priceable: false, warning }
}

/** A charge the vendor reported, if it is a sane one (finite, non-negative amounts). */
export function checkReportedCost(cost: Cost | undefined): Cost | undefined {
  if (!cost) return undefined
  const ok = [cost.input, cost.output, cost.total].every(
    (amount) => typeof amount === 'number' && Number.isFinite(amount) && amount >= 0,
  )
  return ok ? cost : undefined
}
