// Renders results.json as Markdown tables (printed by `pnpm bench`, pasted into docs/performance.md).

/** Figures where a bigger number is better; their cost ratio is sdk / client. */
const HIGHER_IS_BETTER = new Set(['concurrentPerSecond', 'streamChunksPerSecond'])

const VENDORS = {
  openai: 'OpenAI Chat Completions',
  'openai-responses': 'OpenAI Responses',
  anthropic: 'Anthropic Messages',
}

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
      '× SDK',
      'calls/s at 64 concurrent',
      '× SDK',
      'chunks/s (20k stream)',
      '× SDK',
      'first token µs',
      'over fetch µs',
      '× SDK',
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
      '× SDK',
      'RSS growth MB: first stream',
      'third stream',
      'heap kept after GC, MB',
      'cold import + first call ms',
      '× SDK',
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
  for (const vendor of Object.keys(VENDORS)) {
    if (!Object.values(results.clients).some((client) => client.vendor === vendor)) continue
    const { entries, sdk } = vendorClients(results, vendor)
    const modelplex = entries.find(([, client]) => client.role === 'modelplex')[1]
    const peers = entries.filter(([, client]) => client.role === 'peer').map(([, client]) => client)
    for (const [figure, name] of figures) {
      const ratio = costRatio(figure, modelplex[figure], sdk[figure])
      add(`${vendor}: ${name} within 1.05× of the SDK`, times(ratio), ratio <= 1.05)
    }
    const coldRatio = costRatio('coldFirstCallMs', modelplex.coldFirstCallMs, sdk.coldFirstCallMs)
    add(`${vendor}: cold import + first call within 1.1× of the SDK`, times(coldRatio), coldRatio <= 1.1)
    const growth = modelplex.rssWarmStreamGrowthMb.median
    add(
      `${vendor}: RSS flat (≤ +10 MB) across a 20k stream, once the process has streamed twice`,
      `${oneDecimal(growth)} MB (first stream: ${oneDecimal(modelplex.rssFirstStreamGrowthMb.median)} MB)`,
      growth <= 10,
    )
    for (const [figure, name] of [
      ...figures,
      ['peakRssMb', 'peak RSS'],
      ['coldFirstCallMs', 'cold first call'],
    ]) {
      const worst = peers.map((peer) => costRatio(figure, modelplex[figure], peer[figure]))
      const slowest = Math.max(...worst)
      add(
        `${vendor}: ${name} better than ${peers.map((peer) => peer.label).join(' and ')}`,
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
    `Medians over ${results.settings.rounds} interleaved rounds (memory: ${results.settings.memoryRounds}, cold start: ${results.settings.coldRounds} fresh processes), (min–max) beside. "× SDK" is the cost relative to the vendor SDK in the same round (> 1 = slower or heavier); the peers' ratios are against the same SDK.`,
    '',
    vendorTables(results, 'openai'),
    '',
    // Older results files have no Responses rows.
    ...(Object.values(results.clients).some((client) => client.vendor === 'openai-responses')
      ? [vendorTables(results, 'openai-responses'), '']
      : []),
    vendorTables(results, 'anthropic'),
    '',
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
