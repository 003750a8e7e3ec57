// Renders results.json as Markdown tables (printed by `pnpm bench`, pasted into docs/performance.md).
import { VENDOR_TITLES } from './vendors.mjs'

/** Figures where a bigger number is better; their cost ratio is sdk / client. */
const HIGHER_IS_BETTER = new Set(['concurrentPerSecond', 'streamChunksPerSecond'])

const VENDORS = {
  openai: 'OpenAI Chat Completions',
  'openai-responses': 'OpenAI Responses',
  anthropic: 'Anthropic Messages',
  ...VENDOR_TITLES,
}

/** The vendors a results file has rows for (older files have only OpenAI and Anthropic). */
const vendorsOf = (results) =>
  Object.keys(VENDORS).filter((vendor) =>
    Object.values(results.clients).some((client) => client.vendor === vendor && client.role === 'sdk'),
  )

const integer = (value) => Math.round(value).toLocaleString('en-US')
const thousands = (value) => `${(value / 1000).toFixed(value < 10_000 ? 1 : 0)}k`
const oneDecimal = (value) => value.toFixed(1)

function cell(summary, format) {
  return `${format(summary.median)} (${format(summary.min)}–${format(summary.max)})`
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/**
 * Cost of a client relative to the baseline, paired by round (both were measured in the same
 * round): > 1 means slower, heavier or bigger than the baseline.
 */
export function costRatio(figure, client, baseline) {
  const ratios = client.samples.map((value, round) => {
    const base = baseline.samples[round]
    return HIGHER_IS_BETTER.has(figure) ? base / value : value / base
  })
  return median(ratios)
}

const times = (ratio) => `${ratio.toFixed(2)}×`

function table(header, rows) {
  const lines = [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i === 0 ? ':--' : '--:')).join(' | ')} |`,
  ]
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`)
  return lines.join('\n')
}

function vendorClients(results, vendor) {
  const entries = Object.entries(results.clients).filter(([, client]) => client.vendor === vendor)
  const sdk = entries.find(([, client]) => client.role === 'sdk')[1]
  const floor = entries.find(([, client]) => client.role === 'floor')[1]
  return { entries, sdk, floor }
}

function vendorTables(results, vendor) {
  const { entries, sdk, floor } = vendorClients(results, vendor)
  const ratio = (figure, client) => times(costRatio(figure, client[figure], sdk[figure]))
  const speed = table(
    [
      'client',
      'µs / call (sequential)',
      'cost × SDK',
      'calls/s at 64 concurrent',
      'cost × SDK',
      'chunks/s (20k stream)',
      'cost × SDK',
      'first token µs',
      'over fetch µs',
      'cost × SDK',
    ],
    entries.map(([, client]) => [
      client.label,
      cell(client.sequentialUs, integer),
      ratio('sequentialUs', client),
      cell(client.concurrentPerSecond, integer),
      ratio('concurrentPerSecond', client),
      cell(client.streamChunksPerSecond, thousands),
      ratio('streamChunksPerSecond', client),
      cell(client.firstTokenUs, integer),
      integer(client.firstTokenUs.median - floor.firstTokenUs.median),
      ratio('firstTokenUs', client),
    ]),
  )
  const footprint = table(
    [
      'client',
      'peak RSS MB (3 long streams)',
      'cost × SDK',
      'RSS growth MB: first stream',
      'third stream',
      'heap kept after GC, MB',
      'cold import + first call ms',
      'cost × SDK',
      'of which import ms',
      'RSS after first call, MB over bare node',
    ],
    entries.map(([, client]) => [
      client.label,
      cell(client.peakRssMb, oneDecimal),
      ratio('peakRssMb', client),
      cell(client.rssFirstStreamGrowthMb, oneDecimal),
      cell(client.rssWarmStreamGrowthMb, oneDecimal),
      oneDecimal(client.retainedHeapMb.median),
      cell(client.coldFirstCallMs, oneDecimal),
      ratio('coldFirstCallMs', client),
      oneDecimal(client.coldImportMs.median),
      oneDecimal(client.coldFirstCallRssMb.median),
    ]),
  )
  return `### ${VENDORS[vendor]}\n\n${speed}\n\n${footprint}`
}

/** Each provider's modelplex row against its SDK and raw fetch: the note's ratios in one table. */
function ratioTable(results) {
  const rows = vendorsOf(results).map((vendor) => {
    const { entries, sdk, floor } = vendorClients(results, vendor)
    const modelplex = entries.find(([, client]) => client.role === 'modelplex')[1]
    const cost = (figure, base) => costRatio(figure, modelplex[figure], base[figure])
    return [
      VENDORS[vendor],
      times(cost('sequentialUs', sdk)),
      times(1 / cost('concurrentPerSecond', sdk)),
      times(1 / cost('streamChunksPerSecond', sdk)),
      times(1 / cost('streamChunksPerSecond', floor)),
      times(cost('firstTokenUs', sdk)),
      times(cost('firstTokenUs', floor)),
      times(cost('peakRssMb', sdk)),
      times(cost('coldFirstCallMs', sdk)),
    ]
  })
  return table(
    [
      'modelplex on',
      'µs/call ÷ SDK',
      'calls/s at 64 ÷ SDK',
      'chunks/s ÷ SDK',
      'chunks/s ÷ raw fetch',
      'first token ÷ SDK',
      'first token ÷ raw fetch',
      'peak RSS ÷ SDK',
      'cold first call ÷ SDK',
    ],
    rows,
  )
}

/** The hostile streams: 200k tiny events (goal ≥ 60k/s), one 40 MB line (goal ≤ 2 s, heap growth ≤ 2× the line). */
function probeTable({ events, megabytes, vendors }) {
  const rows = Object.entries(vendors).map(([vendor, { tiny, long }]) => {
    const tinyCell = tiny.error
      ? `failed: ${tiny.error}`
      : `${thousands(tiny.eventsPerSecond)} (${integer(tiny.ms)} ms)`
    const longCell = long.error ? `failed: ${long.error}` : `${integer(long.ms)} ms`
    const heapCell = long.error
      ? '–'
      : `${integer(long.heapGrowthMb)} MB (${(long.heapGrowthMb / megabytes).toFixed(2)}× the line)`
    const met =
      !tiny.error &&
      !long.error &&
      tiny.eventsPerSecond >= 60_000 &&
      long.ms <= 2000 &&
      long.heapGrowthMb <= 2 * megabytes
    return [VENDORS[vendor] ?? vendor, tinyCell, longCell, heapCell, met ? 'yes' : '**no**']
  })
  return table(
    [
      'provider',
      `${integer(events)} tiny events: events/s (goal ≥ 60k)`,
      `one ${megabytes} MB line: time (goal ≤ 2 s)`,
      'heap growth (goal ≤ 2× the line)',
      'all met',
    ],
    rows,
  )
}

function importTable(results) {
  const base = results.imports['openai-sdk']
  const labels = {
    core: '@modelplex/core',
    'core+openai': '@modelplex/core + provider-openai',
    'openai-sdk': 'openai SDK',
    zod: 'zod',
    'vercel-openai': 'ai + @ai-sdk/openai',
    'langchain-openai': '@langchain/openai',
  }
  return table(
    ['import()', 'ms', '× openai SDK', 'RSS MB over bare node'],
    Object.entries(results.imports).map(([id, entry]) => [
      labels[id] ?? id,
      cell(entry.ms, oneDecimal),
      times(costRatio('ms', entry.ms, base.ms)),
      cell(entry.rssDeltaMb, oneDecimal),
    ]),
  )
}

function zodTable(results) {
  return table(
    ['modelplex cold import + first call', 'ms', 'zod already imported, ms', 'zod share, ms'],
    Object.entries(results.zodPreloadedFirstCallMs).map(([vendor, preloaded]) => {
      const full = results.clients[`${vendor}:modelplex`].coldFirstCallMs
      return [
        VENDORS[vendor],
        oneDecimal(full.median),
        oneDecimal(preloaded.median),
        oneDecimal(full.median - preloaded.median),
      ]
    }),
  )
}

function coreOverheadTable({ perCallUs, abortScopeUs }) {
  return table(
    [
      'generate through core, adapter answering at once (no SDK, no socket)',
      'µs per call',
      'of which the abort signal and timer, µs',
    ],
    [['@modelplex/core', cell(perCallUs, (value) => value.toFixed(2)), abortScopeUs.toFixed(2)]],
  )
}

function sizeTable(results) {
  const base = results.size['openai-sdk']
  return table(
    ['bundle (esbuild --minify, zod external)', 'min bytes', 'min+gzip bytes', '× openai SDK'],
    Object.values(results.size).map((entry) => [
      entry.label,
      integer(entry.minBytes),
      integer(entry.gzipBytes),
      times(entry.gzipBytes / base.gzipBytes),
    ]),
  )
}

/** The goals of DESIGN.md "Performance budget", each with the measured value. Goals, not assertions. */
export function checkTargets(results) {
  const checks = []
  const add = (goal, measured, met) => checks.push({ goal, measured, met })
  const figures = [
    ['sequentialUs', 'µs per call'],
    ['concurrentPerSecond', 'calls/s at 64'],
    ['streamChunksPerSecond', 'stream chunks/s'],
    ['firstTokenUs', 'time to first token'],
  ]
  for (const vendor of vendorsOf(results)) {
    const { entries, sdk, floor } = vendorClients(results, vendor)
    const modelplex = entries.find(([, client]) => client.role === 'modelplex')[1]
    const peers = entries.filter(([, client]) => client.role === 'peer').map(([, client]) => client)
    // Time figures: the cost ratio (modelplex's time over the SDK's). Rates: modelplex's rate over
    // the other's, so "≥ 1×" reads as "at least as fast".
    const cost = (figure, base = sdk) => costRatio(figure, modelplex[figure], base[figure])
    const sequential = cost('sequentialUs')
    add(`${vendor}: µs per call ≤ 1.05× the SDK's`, times(sequential), sequential <= 1.05)
    const concurrentRate = 1 / cost('concurrentPerSecond')
    add(`${vendor}: calls/s at 64 ≥ 0.95× the SDK's`, times(concurrentRate), concurrentRate >= 1 / 1.05)
    const streamRate = 1 / cost('streamChunksPerSecond')
    add(`${vendor}: stream chunks/s ≥ 1× the SDK's`, times(streamRate), streamRate >= 1)
    const floorRate = 1 / cost('streamChunksPerSecond', floor)
    add(`${vendor}: stream chunks/s ≥ 0.5× raw fetch's`, times(floorRate), floorRate >= 0.5)
    const firstToken = cost('firstTokenUs')
    add(`${vendor}: time to first token ≤ 1.05× the SDK's`, times(firstToken), firstToken <= 1.05)
    const coldRatio = cost('coldFirstCallMs')
    add(`${vendor}: cold import + first call ≤ 1.1× the SDK's`, times(coldRatio), coldRatio <= 1.1)
    const growth = modelplex.rssWarmStreamGrowthMb.median
    add(
      `${vendor}: RSS flat (≤ +10 MB) across a 20k stream, once the process has streamed twice`,
      `${oneDecimal(growth)} MB (first stream: ${oneDecimal(modelplex.rssFirstStreamGrowthMb.median)} MB)`,
      growth <= 10,
    )
    if (peers.length === 0) continue
    for (const [figure, name] of [
      ...figures,
      ['peakRssMb', 'peak RSS'],
      ['coldFirstCallMs', 'cold first call'],
    ]) {
      const worst = peers.map((peer) => costRatio(figure, modelplex[figure], peer[figure]))
      const slowest = Math.max(...worst)
      add(
        `${vendor}: ${name} better than ${peers.map((peer) => peer.label).join(' and ')} (cost ratio < 1)`,
        worst.map(times).join(', '),
        slowest < 1,
      )
    }
  }
  const coreImport = results.imports.core.ms.median
  add('core cold import ≤ 15 ms', `${oneDecimal(coreImport)} ms`, coreImport <= 15)
  // Older results files have only the whole-package row.
  const firstCall = results.size['core-first-call'] ?? results.size.core
  add(
    'core ≤ 12 KB min+gzip (what import and a valid first call load)',
    `${integer(firstCall.gzipBytes)} B (whole package: ${integer(results.size.core.gzipBytes)} B)`,
    firstCall.gzipBytes <= 12_000,
  )
  return checks
}

export function renderReport(results) {
  const targets = table(
    ['target (goal, not an assertion)', 'measured', 'met'],
    checkTargets(results).map((check) => [check.goal, check.measured, check.met ? 'yes' : '**no**']),
  )
  return [
    `## Results — Node ${results.node}, ${results.cpus} × ${results.cpuModel ?? 'CPU'}, ${results.date.slice(0, 10)}`,
    '',
    `Medians over ${results.settings.rounds} interleaved rounds (memory: ${results.settings.memoryRounds}, cold start: ${results.settings.coldRounds} fresh processes), (min–max) beside. "cost × SDK" is the cost relative to the vendor SDK in the same round (> 1 = slower or heavier, for rates too: 0.25× chunks/s means a quarter of the SDK's time, four times its rate); the peers' ratios are against the same SDK. Mistral's raw fetch row runs the OpenAI floor's code on the same payloads (the same wire). The OpenAI rows stand for every OpenAI-shaped provider whose path is identical: Azure OpenAI, DeepSeek, Groq, NVIDIA, OpenRouter, Together and xAI call the same \`@modelplex/provider-openai-compatible\` adapter through the \`openai\` SDK on the same Chat Completions wire; only their settings and pricing differ.`,
    '',
    '### Every provider at a glance',
    '',
    'Each figure divided by the same figure of the vendor SDK (or raw fetch) in the same round. Rates (calls/s, chunks/s): above 1 is faster. Times and memory: below 1 is faster or lighter.',
    '',
    ratioTable(results),
    '',
    ...vendorsOf(results).flatMap((vendor) => [vendorTables(results, vendor), '']),
    ...(results.probes
      ? ['### Hostile streams (modelplex, in memory)', '', probeTable(results.probes), '']
      : []),
    '### Cold import (fresh process each)',
    '',
    importTable(results),
    '',
    zodTable(results),
    '',
    ...(results.coreOverhead
      ? ["### Core's own cost per call", '', coreOverheadTable(results.coreOverhead), '']
      : []),
    '### Bundle size',
    '',
    sizeTable(results),
    '',
    '### Targets',
    '',
    targets,
    '',
    `Run took ${Math.round(results.durationSeconds)} s.`,
  ].join('\n')
}

// `node src/report.mjs [results.json]` prints the tables of an earlier run.
if (process.argv[1] && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href) {
  const { readFileSync } = await import('node:fs')
  const file = process.argv[2] ?? new URL('../results.json', import.meta.url)
  process.stdout.write(`${renderReport(JSON.parse(readFileSync(file, 'utf8')))}\n`)
}
