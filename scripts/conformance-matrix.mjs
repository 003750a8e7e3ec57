#!/usr/bin/env node
// Builds the capability matrix from the conformance results every package wrote
// (`packages/*/conformance-results*.json`, `examples/*/conformance-results*.json`):
// writes docs/conformance-matrix/matrix.json and matrix.md, refreshes the README block between
// `<!-- conformance:start -->` and `<!-- conformance:end -->`, prints the table, and exits 1
// when a claimed scenario failed or no results exist. Generated, never edited by hand.
// Usage: node scripts/conformance-matrix.mjs [--root <dir>]
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

// Under docs/, not a root `conformance/` that reads like the packages/conformance package.
const MATRIX_DIR = 'docs/conformance-matrix'

const GROUP_ORDER = [
  'generate',
  'stream',
  'tools',
  'structured',
  'vision',
  'embeddings',
  'models',
  'reasoning',
  'files',
  'cache',
  'metadata',
  'messages',
  'errors',
  'config',
]
const ICONS = { pass: '✅', fail: '❌', unsupported: '—', skipped: '⏭' }
const STATUSES = new Set(Object.keys(ICONS))
const RESULTS_FILE = /^conformance-results(\.[\w-]+)?\.json$/

function parseArgs(argv) {
  const index = argv.indexOf('--root')
  const root =
    index === -1 ? resolve(dirname(fileURLToPath(import.meta.url)), '..') : resolve(argv[index + 1] ?? '.')
  return { root }
}

/** Every results file under packages/* and examples/*, sorted for a stable output. */
function findResultFiles(root) {
  const files = []
  for (const area of ['packages', 'examples']) {
    const dir = join(root, area)
    if (!existsSync(dir)) continue
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue
      const pkg = join(dir, entry.name)
      for (const file of readdirSync(pkg)) if (RESULTS_FILE.test(file)) files.push(join(pkg, file))
    }
  }
  return files.sort()
}

/** Reads one file: a results object or an array of them; rejects anything else loudly. */
function readResults(root, file) {
  const parsed = JSON.parse(readFileSync(file, 'utf8'))
  const runs = Array.isArray(parsed) ? parsed : [parsed]
  return runs.map((run) => {
    if (typeof run?.provider !== 'string' || typeof run.scenarios !== 'object' || run.scenarios === null) {
      throw new Error(`${relative(root, file)}: not a conformance results file`)
    }
    for (const [id, status] of Object.entries(run.scenarios)) {
      if (!STATUSES.has(status))
        throw new Error(`${relative(root, file)}: scenario ${id} has unknown status "${status}"`)
    }
    return {
      provider: run.provider,
      name: run.name ?? run.provider,
      source: relative(root, file),
      scenarios: run.scenarios,
      capabilities: run.capabilities,
    }
  })
}

const groupOf = (id) => id.slice(0, id.indexOf('.')) || id

function orderedGroups(ids) {
  const seen = [...new Set(ids.map(groupOf))]
  const known = GROUP_ORDER.filter((group) => seen.includes(group))
  return [...known, ...seen.filter((group) => !GROUP_ORDER.includes(group)).sort()]
}

function summarize(run, groups) {
  const summary = {}
  for (const group of groups) summary[group] = { pass: 0, fail: 0, unsupported: 0, skipped: 0 }
  for (const [id, status] of Object.entries(run.scenarios)) summary[groupOf(id)][status]++
  return summary
}

function cell({ pass, fail, unsupported, skipped }) {
  const claimed = pass + fail
  const extra = skipped ? ` (${skipped} skipped)` : ''
  if (fail > 0) return `❌ ${pass}/${claimed}${extra}`
  if (claimed > 0) return `✅ ${pass}/${claimed}${extra}`
  if (unsupported > 0) return '—'
  if (skipped > 0) return `⏭ ${skipped} skipped`
  return ' '
}

function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

function build(root) {
  const runs = findResultFiles(root).flatMap((file) => readResults(root, file))
  runs.sort((a, b) => a.name.localeCompare(b.name) || a.source.localeCompare(b.source))
  const allIds = [...new Set(runs.flatMap((run) => Object.keys(run.scenarios)))]
  const groups = orderedGroups(allIds)
  const scenarios = groups.flatMap((group) => allIds.filter((id) => groupOf(id) === group))
  const providers = runs.map((run) => ({ ...run, summary: summarize(run, groups) }))
  const failures = providers.flatMap((run) =>
    Object.entries(run.scenarios)
      .filter(([, status]) => status === 'fail')
      .map(([scenario]) => ({ provider: run.provider, name: run.name, scenario })),
  )
  const summaryTable = table(
    ['Provider', ...groups],
    providers.map((run) => [
      `${run.name} (\`${run.provider}\`)`,
      ...groups.map((group) => cell(run.summary[group])),
    ]),
  )
  const detailTable = table(
    ['Scenario', ...providers.map((run) => run.name)],
    scenarios.map((id) => [`\`${id}\``, ...providers.map((run) => ICONS[run.scenarios[id]] ?? ' ')]),
  )
  const v2Table = table(
    ['Provider', 'Reasoning', 'Cache breakpoints', 'File types'],
    providers.map((run) => [
      `${run.name} (\`${run.provider}\`)`,
      run.capabilities?.reasoning ? 'yes' : '—',
      run.capabilities?.cacheControl ? 'yes' : '—',
      run.capabilities?.files?.length ? run.capabilities.files.map((type) => `\`${type}\``).join(', ') : '—',
    ]),
  )
  const legend =
    '✅ passes · ❌ fails · — not claimed (asserted to throw `UnsupportedCapabilityError`) · ⏭ skipped'
  return { providers, groups, scenarios, failures, summaryTable, detailTable, v2Table, legend }
}

function markdown({ summaryTable, detailTable, v2Table, legend, failures }) {
  const failed = failures.length
    ? `\n## Failures\n\n${failures.map((f) => `- \`${f.provider}\`: \`${f.scenario}\``).join('\n')}\n`
    : ''
  return [
    '# Conformance matrix',
    '',
    '<!-- Generated by scripts/conformance-matrix.mjs from the conformance results. Do not edit. -->',
    '',
    'Every provider runs the same MSW-mocked suite (`@modelplex/conformance`). Passed / claimed scenarios per group:',
    '',
    summaryTable,
    '',
    legend,
    failed,
    '## Reasoning, prompt caching and files',
    '',
    'What each spec claims (`capabilities.reasoning`, `capabilities.cacheControl`, `capabilities.files`); a file type',
    'outside the list throws `UnsupportedCapabilityError` before anything is sent (`files.unsupported`).',
    '',
    v2Table,
    '',
    '## Scenarios',
    '',
    detailTable,
    '',
  ].join('\n')
}

function updateReadme(root, summaryTable, legend) {
  const readme = join(root, 'README.md')
  if (!existsSync(readme)) return false
  const text = readFileSync(readme, 'utf8')
  const start = '<!-- conformance:start -->'
  const end = '<!-- conformance:end -->'
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  if (from === -1 || to === -1 || to < from) return false
  const block = `${start}\n${summaryTable}\n\n${legend}. Per scenario: [${MATRIX_DIR}/matrix.md](${MATRIX_DIR}/matrix.md).\n${end}`
  const next = text.slice(0, from) + block + text.slice(to + end.length)
  if (next !== text) writeFileSync(readme, next)
  return true
}

function main() {
  const { root } = parseArgs(process.argv.slice(2))
  const matrix = build(root)
  if (matrix.providers.length === 0) {
    console.error(
      'conformance-matrix: no conformance-results.json under packages/* or examples/*. Run `pnpm conformance`.',
    )
    process.exit(1)
  }
  const outDir = join(root, MATRIX_DIR)
  mkdirSync(outDir, { recursive: true })
  const json = {
    groups: matrix.groups,
    scenarios: matrix.scenarios,
    providers: matrix.providers.map(({ provider, name, source, summary, scenarios, capabilities }) => ({
      provider,
      name,
      source,
      summary,
      scenarios,
      ...(capabilities ? { capabilities } : {}),
    })),
    failures: matrix.failures,
  }
  writeFileSync(join(outDir, 'matrix.json'), `${JSON.stringify(json, null, 2)}\n`)
  writeFileSync(join(outDir, 'matrix.md'), markdown(matrix))
  const readme = updateReadme(root, matrix.summaryTable, matrix.legend)
  console.log(matrix.summaryTable)
  console.log(`\n${matrix.legend}`)
  console.log(`\nWrote ${MATRIX_DIR}/matrix.json and matrix.md${readme ? '; updated README.md' : ''}.`)
  if (matrix.failures.length > 0) {
    console.error(`\n${matrix.failures.length} claimed scenario(s) failed:`)
    for (const failure of matrix.failures) console.error(`  ${failure.provider}: ${failure.scenario}`)
    process.exit(1)
  }
}

try {
  main()
} catch (error) {
  console.error(`conformance-matrix: ${error instanceof Error ? error.message : error}`)
  process.exit(1)
}
