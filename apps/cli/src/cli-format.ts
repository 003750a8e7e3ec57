import type { Cost, Usage } from '@modelplex/core'
import Table from 'cli-table3'
import pc from 'picocolors'

/** A compact table (no lines between rows), coloured only when the terminal takes colour. */
export function createTable(
  head: string[],
  options: Partial<Table.TableConstructorOptions> = {},
): Table.Table {
  return new Table({
    head,
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: pc.isColorSupported ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] },
    ...options,
  }) as Table.Table
}

/** Dollars with enough digits to show a fraction of a cent; "unpriced" when the model has no price. */
export function money(cost: Cost | undefined): string {
  if (!cost) return 'unpriced'
  return usd(cost.total)
}

/** Dollars: `$0 (free)`, `<$0.000001`, `$0.000043`, `$1.2345`. */
export function usd(total: number): string {
  if (total === 0) return '$0 (free)'
  if (total < 0.000001) return '<$0.000001'
  return `$${total < 0.01 ? total.toFixed(6) : total.toFixed(4)}`
}

/** `12 in · 9 out tokens`, or `usage n/a`. */
export function tokens(usage: Partial<Usage> | undefined): string {
  if (!usage || usage.inputTokens === undefined) return 'usage n/a'
  const out = usage.outputTokens === undefined ? '' : ` · ${usage.outputTokens} out`
  return `${usage.inputTokens} in${out} tokens`
}

/** Latency in ms below a second, else seconds. */
export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`
}

/** The dimmed line after each reply: what was called, usage, cost and latency. */
export function statsLine(parts: {
  provider: string
  model: string
  usage: Partial<Usage> | undefined
  cost: Cost | undefined
  latencyMs: number
  finishReason?: string
  simulated: boolean
}): string {
  const items = [
    `${parts.provider}:${parts.model}`,
    tokens(parts.usage),
    money(parts.cost),
    duration(parts.latencyMs),
  ]
  if (parts.finishReason && parts.finishReason !== 'stop') items.push(`finish: ${parts.finishReason}`)
  if (parts.simulated) items.push('simulated')
  return pc.dim(items.join(' · '))
}

/** Writes to stdout and resolves once the data is handed to the OS, so an exit right after loses nothing. */
export function writeOut(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (!process.stdout.write(text)) process.stdout.once('drain', resolve)
    else resolve()
  })
}

/** Exits after stdout and stderr have flushed. */
export function exitAfterFlush(code: number): void {
  process.exitCode = code
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)))
}
