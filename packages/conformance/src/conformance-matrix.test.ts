import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ConformanceResults } from './run-conformance.js'

const script = resolve(__dirname, '../../../scripts/conformance-matrix.mjs')
let root: string

function workspace(
  files: Record<string, ConformanceResults | ConformanceResults[]>,
  readme?: string,
): string {
  root = mkdtempSync(join(tmpdir(), 'modelplex-matrix-'))
  for (const [path, results] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), JSON.stringify(results))
  }
  if (readme !== undefined) writeFileSync(join(root, 'README.md'), readme)
  return root
}

function run() {
  const child = spawnSync(process.execPath, [script, '--root', root], { encoding: 'utf8' })
  return { code: child.status, stdout: child.stdout, stderr: child.stderr }
}

const read = (path: string) => readFileSync(join(root, path), 'utf8')

afterEach(() => rmSync(root, { recursive: true, force: true }))

const passing: ConformanceResults = {
  provider: 'alpha',
  name: 'Alpha',
  scenarios: {
    'generate.text': 'pass',
    'generate.cost': 'pass',
    'stream.unsupported': 'unsupported',
    'stream.text': 'unsupported',
    'errors.timeout': 'pass',
    'errors.abort': 'skipped',
  },
}

describe('conformance-matrix.mjs', () => {
  it('writes matrix.json and matrix.md, fills the README block and exits 0 when all claimed pass', () => {
    workspace(
      { 'packages/alpha/conformance-results.json': passing },
      '# Title\n\n<!-- conformance:start -->\nold table\n<!-- conformance:end -->\n\nAfter.\n',
    )
    const { code, stdout } = run()
    expect(code).toBe(0)
    expect(stdout).toContain('| Alpha (`alpha`) | ✅ 2/2 | — | ✅ 1/1 (1 skipped) |')
    const matrix = JSON.parse(read('docs/conformance-matrix/matrix.json'))
    expect(matrix.groups).toEqual(['generate', 'stream', 'errors'])
    expect(matrix.providers[0].summary.errors).toEqual({ pass: 1, fail: 0, unsupported: 0, skipped: 1 })
    expect(matrix.failures).toEqual([])
    const md = read('docs/conformance-matrix/matrix.md')
    expect(md).toContain('| `stream.text` | — |')
    expect(md).toContain('| `errors.abort` | ⏭ |')
    const readme = read('README.md')
    expect(readme).not.toContain('old table')
    expect(readme).toContain('| Provider | generate | stream | errors |')
    expect(readme.startsWith('# Title\n\n<!-- conformance:start -->\n')).toBe(true)
    expect(readme.endsWith('<!-- conformance:end -->\n\nAfter.\n')).toBe(true)
  })

  it('exits 1 and lists the failure when a claimed scenario fails; reads examples and variant files', () => {
    workspace({
      'packages/alpha/conformance-results.json': passing,
      'examples/beta/conformance-results.local.json': {
        provider: 'beta',
        name: 'Beta',
        scenarios: { 'generate.text': 'pass', 'generate.cost': 'fail', 'vision.url': 'pass' },
      },
    })
    const { code, stdout, stderr } = run()
    expect(code).toBe(1)
    expect(stdout).toContain('| Beta (`beta`) | ❌ 1/2 |')
    expect(stderr).toContain('beta: generate.cost')
    const matrix = JSON.parse(read('docs/conformance-matrix/matrix.json'))
    expect(matrix.providers.map((p: { provider: string }) => p.provider)).toEqual(['alpha', 'beta'])
    expect(matrix.failures).toEqual([{ provider: 'beta', name: 'Beta', scenario: 'generate.cost' }])
    expect(read('docs/conformance-matrix/matrix.md')).toContain('## Failures')
  })

  it('exits 1 when there are no results at all', () => {
    workspace({})
    const { code, stderr } = run()
    expect(code).toBe(1)
    expect(stderr).toContain('no conformance-results.json')
  })

  it('rejects a file with an unknown status instead of miscounting it', () => {
    workspace({
      'packages/alpha/conformance-results.json': {
        ...passing,
        scenarios: { 'generate.text': 'ok' as never },
      },
    })
    const { code, stderr } = run()
    expect(code).toBe(1)
    expect(stderr).toContain('unknown status "ok"')
  })
})
