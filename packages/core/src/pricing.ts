import type { Cost, Usage } from './types.js'

/** Prices in USD per million tokens. */
export interface ModelPrice {
  input: number
  output: number
  /** Price of input tokens read from the prompt cache. */
  cachedInput?: number
  /** Price of input tokens written to the prompt cache (Anthropic: the 5-minute write, 1.25× input). */
  cacheWrite?: number
  /** Price of input tokens written to the cache for one hour (Anthropic: 2× input); `cacheWrite` when absent. */
  cacheWrite1h?: number
}

export interface PricingTable {
  /** Where the prices were read. */
  source: string
  /** The date they were read, YYYY-MM-DD. */
  readAt: string
  /** Every model costs 0 (local servers). */
  free?: boolean
  models: Record<string, ModelPrice>
}

const PER_TOKEN = 1 / 1_000_000

/** A snapshot suffix: `2024-07-18`, `20241022`, `2503`, `latest` — never another model's version. */
const SNAPSHOT_SUFFIX = /^(\d{4}-\d{2}-\d{2}|\d{8}|\d{4}|latest)$/

/**
 * Finds a model's entry in a table keyed by model id: the exact id, else the longest id followed
 * by a snapshot suffix (`gpt-4o-mini-2024-07-18` → `gpt-4o-mini`). `claude-sonnet-5-7` does not
 * match `claude-sonnet-5`. Prices and context windows share it.
 */
export function findModelEntry<T>(entries: Record<string, T>, model: string): T | undefined {
  const exact = entries[model]
  if (exact !== undefined) return exact
  let best: string | undefined
  for (const id of Object.keys(entries)) {
    if (
      model.startsWith(`${id}-`) &&
      SNAPSHOT_SUFFIX.test(model.slice(id.length + 1)) &&
      (best === undefined || id.length > best.length)
    ) {
      best = id
    }
  }
  return best === undefined ? undefined : entries[best]
}

/** Finds a model's price, as `findModelEntry` matches ids. */
export function findPrice(table: PricingTable, model: string): ModelPrice | undefined {
  return findModelEntry(table.models, model)
}

function round(value: number): number {
  return Math.round(value * 1e10) / 1e10
}

/** The cost of one call; undefined when the model is unpriced or the usage unknown. */
export function computeCost(table: PricingTable, model: string, usage: Usage | undefined): Cost | undefined {
  if (!usage) return undefined
  if (table.free) return { input: 0, output: 0, total: 0, currency: 'USD' }
  const price = findPrice(table, model)
  if (!price) return undefined
  const cached = usage.cachedInputTokens ?? 0
  const written = usage.cacheWriteInputTokens ?? 0
  const writtenHour = Math.min(written, usage.cacheWrite1hInputTokens ?? 0)
  const plain = Math.max(0, usage.inputTokens - cached - written)
  const writePrice = price.cacheWrite ?? price.input
  const input = round(
    (plain * price.input +
      cached * (price.cachedInput ?? price.input) +
      (written - writtenHour) * writePrice +
      writtenHour * (price.cacheWrite1h ?? writePrice)) *
      PER_TOKEN,
  )
  const output = round(usage.outputTokens * price.output * PER_TOKEN)
  return { input, output, total: round(input + output), currency: 'USD' }
}

/**
 * A charge the vendor reported as one total (USD), split into input and output by the ratio the
 * price table gives for this model and usage; booked as input when the model is unpriced.
 */
export function apportionCost(
  total: number,
  table: PricingTable,
  model: string | undefined,
  usage: Usage | undefined,
): Cost {
  const charged = round(total)
  const estimate = model === undefined ? undefined : computeCost(table, model, usage)
  if (!estimate || estimate.total <= 0) return { input: charged, output: 0, total: charged, currency: 'USD' }
  // A charge equal to the estimate scales by exactly 1, which keeps the table's split as it is.
  const scale = charged / estimate.total
  return {
    input: round(estimate.input * scale),
    output: round(estimate.output * scale),
    total: charged,
    currency: 'USD',
  }
}

/** Merges user prices over a provider's table. */
export function mergePricing(
  table: PricingTable,
  override: Partial<PricingTable> | PricingTable['models'] | undefined,
): PricingTable {
  if (!override) return table
  const isTable = 'models' in override && typeof override.models === 'object'
  const models = (isTable ? override.models : override) as PricingTable['models']
  const extra = isTable ? (override as Partial<PricingTable>) : {}
  return {
    ...table,
    ...extra,
    free: extra.free ?? (Object.keys(models).length > 0 ? false : table.free),
    models: { ...table.models, ...models },
  }
}
