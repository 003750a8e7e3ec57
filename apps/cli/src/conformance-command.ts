import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createSpinner } from 'nanospinner'
import pc from 'picocolors'
import { CliError, exitCodes, report } from './cli-errors.js'
import { createTable, duration, writeOut } from './cli-format.js'
import { progressMark } from './conformance-reporter.js'

const GROUP_ORDER = [
  'generate',
  'stream',
  'tools',
  'structured',
  'vision',
  'embeddings',
  'models',
  'errors',
  'config',
]
const RESULTS_FILE = /^conformance-results(\.[\w-]+)?\.json$/

/** One provider package whose conformance tests the command runs. */
interface Suite {
  id: string
  dir: string
  files: string[]
  total: number
  done: number
  passed: number
  failed: number
  skipped: number
  failures: string[]
  output: string
  exitCode?: number
  ms?: number
}

/** The modelplex checkout around the working directory (or around the CLI itself), if any. */
export function findRepository(): string | undefined {
  const starts = [process.cwd(), dirname(fileURLToPath(import.meta.url))]
  for (const start of starts) {
    for (let dir = start; ; dir = dirname(dir)) {
      if (
        existsSync(join(dir, 'pnpm-workspace.yaml')) &&
        existsSync(join(dir, 'packages/conformance/package.json'))
      ) {
        return dir
      }
      if (dirname(dir) === dir) break
    }
  }
  return undefined
}

function findSuites(root: string): Suite[] {
  const packages = join(root, 'packages')
  return readdirSync(packages, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.startsWith('provider-'))
    .map((entry) => {
      const dir = join(packages, entry.name)
      const src = join(dir, 'src')
      const files = existsSync(src)
        ? readdirSync(src)
            .filter((file) => file.endsWith('.conformance.test.ts'))
            .map((file) => `src/${file}`)
        : []
      return {
        id: entry.name.slice('provider-'.length),
        dir,
        files,
        total: 0,
        done: 0,
        passed: 0,
        failed: 0,
        skipped: 0,
        failures: [],
        output: '',
      }
    })
    .filter((suite) => suite.files.length > 0)
}

function vitestBin(dir: string): string {
  try {
    const manifest = createRequire(join(dir, 'package.json')).resolve('vitest/package.json')
    return join(dirname(manifest), 'vitest.mjs')
  } catch {
    throw new CliError(`vitest is not installed in ${dir}: run pnpm install in the repository first.`)
  }
}

/** Runs one package's conformance files in a vitest child process, counting results as they arrive. */
function runSuite(suite: Suite, reporter: string, onProgress: () => void): Promise<void> {
  const started = performance.now()
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [vitestBin(suite.dir), 'run', ...suite.files, '--reporter', reporter],
      {
        cwd: suite.dir,
        env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let pending = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      pending += chunk
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        if (!line.startsWith(progressMark)) {
          suite.output += `${line}\n`
          continue
        }
        const event = JSON.parse(line.slice(progressMark.length))
        if (event.type === 'collected') suite.total += event.tests
        if (event.type === 'test') {
          suite.done++
          if (event.state === 'passed') suite.passed++
          else if (event.state === 'failed') {
            suite.failed++
            suite.failures.push(
              `${event.name}${event.error ? `: ${String(event.error).split('\n')[0]}` : ''}`,
            )
          } else suite.skipped++
          onProgress()
        }
      }
    })
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk: string) => {
      suite.output += chunk
    })
    child.on('close', (code) => {
      suite.exitCode = code ?? 1
      suite.ms = performance.now() - started
      resolve()
    })
  })
}

interface Results {
  provider: string
  name: string
  scenarios: Record<string, string>
}

function readResults(suite: Suite): Results[] {
  return readdirSync(suite.dir)
    .filter((file) => RESULTS_FILE.test(file))
    .sort()
    .flatMap((file) => {
      const parsed = JSON.parse(readFileSync(join(suite.dir, file), 'utf8'))
      return (Array.isArray(parsed) ? parsed : [parsed]) as Results[]
    })
}

/** The matrix of the runs: passed / claimed scenarios per group, as scripts/conformance-matrix.mjs counts them. */
function matrixTable(runs: Results[]): string {
  const groupOf = (id: string) => id.slice(0, id.indexOf('.')) || id
  const seen = [...new Set(runs.flatMap((run) => Object.keys(run.scenarios).map(groupOf)))]
  const groups = [
    ...GROUP_ORDER.filter((group) => seen.includes(group)),
    ...seen.filter((g) => !GROUP_ORDER.includes(g)).sort(),
  ]
  const table = createTable(['Provider', ...groups])
  for (const run of runs) {
    table.push([
      run.provider,
      ...groups.map((group) => {
        const statuses = Object.entries(run.scenarios)
          .filter(([id]) => groupOf(id) === group)
          .map(([, status]) => status)
        const pass = statuses.filter((status) => status === 'pass').length
        const fail = statuses.filter((status) => status === 'fail').length
        if (fail) return pc.red(`✘ ${pass}/${pass + fail}`)
        if (pass) return pc.green(`✔ ${pass}/${pass}`)
        if (statuses.includes('unsupported')) return pc.dim('—')
        return statuses.length ? pc.dim('skipped') : ''
      }),
    ])
  }
  return table.toString()
}

/** `modelplex conformance`: the suite over every provider package in the checkout, with live progress, then the matrix. */
export async function runConformanceCommand(
  flags: { provider?: string[] },
  global: { debug: boolean },
): Promise<number> {
  try {
    const root = findRepository()
    if (!root) {
      throw new CliError(
        'The conformance suite runs from a modelplex checkout: clone the repository, run pnpm install, then modelplex conformance inside it.',
      )
    }
    let suites = findSuites(root)
    if (flags.provider?.length) {
      const unknown = flags.provider.filter((id) => !suites.some((suite) => suite.id === id))
      if (unknown.length) {
        throw new CliError(
          `No conformance suite for ${unknown.join(', ')}. Available: ${suites.map((s) => s.id).join(', ')}.`,
        )
      }
      suites = suites.filter((suite) => flags.provider!.includes(suite.id))
    }
    const reporter = join(dirname(fileURLToPath(import.meta.url)), 'conformance-reporter.js')
    if (!existsSync(reporter))
      throw new CliError(`The progress reporter is missing (${reporter}): rebuild the CLI.`)
    for (const suite of suites) vitestBin(suite.dir)

    // nanospinner animates only when stdout is a terminal, and sizes its redraw by the width, which a pseudo-terminal may report as 0.
    const live = Boolean(process.stderr.isTTY && process.stdout.isTTY && (process.stderr.columns ?? 0) > 0)
    const spinner = createSpinner('', { stream: process.stderr })
    const running = new Set<Suite>()
    const finished: Suite[] = []
    const status = () =>
      `conformance ${finished.length}/${suites.length} · ${[...running].map((s) => `${s.id} ${s.done}/${s.total || '?'}`).join(' · ')}`
    const progress = () => {
      if (live) spinner.update({ text: status() })
    }
    const line = (suite: Suite) => {
      const ok = suite.exitCode === 0 && suite.failed === 0
      const mark = ok ? pc.green('✔') : pc.red('✘')
      const counts = `${suite.passed} passed${suite.failed ? pc.red(` · ${suite.failed} failed`) : ''}${suite.skipped ? ` · ${suite.skipped} skipped` : ''}`
      return `${mark} ${suite.id.padEnd(18)} ${counts} ${pc.dim(`(${duration(suite.ms ?? 0)})`)}`
    }
    process.stderr.write(
      pc.dim(`Running the conformance suite of ${suites.length} provider packages in ${root}\n`),
    )
    if (live) spinner.start({ text: status() })

    const queue = [...suites]
    const concurrency = Math.max(1, Math.min(availableParallelism(), 3))
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let suite = queue.shift(); suite; suite = queue.shift()) {
          running.add(suite)
          if (!live) process.stderr.write(pc.dim(`… ${suite.id}\n`))
          progress()
          await runSuite(suite, reporter, progress)
          running.delete(suite)
          finished.push(suite)
          if (live) spinner.clear()
          process.stderr.write(`${line(suite)}\n`)
          for (const failure of suite.failures.slice(0, 5)) process.stderr.write(pc.red(`    ${failure}\n`))
          if (suite.exitCode !== 0 && suite.done === 0) {
            process.stderr.write(pc.dim(`${suite.output.trim().split('\n').slice(-8).join('\n')}\n`))
          }
          progress()
        }
      }),
    )
    if (live) spinner.stop()

    const runs = suites.flatMap((suite) => readResults(suite))
    await writeOut(`${matrixTable(runs)}\n`)
    if (!flags.provider?.length) {
      // The full run refreshes docs/conformance-matrix/matrix.json, matrix.md and the README block, as `pnpm conformance` does.
      const script = join(root, 'scripts/conformance-matrix.mjs')
      if (existsSync(script)) {
        const child = spawn(process.execPath, [script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
        let out = ''
        child.stdout.on('data', (chunk) => {
          out += chunk
        })
        await new Promise((resolve) => child.on('close', resolve))
        const wrote = out.split('\n').find((text) => text.startsWith('Wrote '))
        if (wrote) process.stderr.write(pc.dim(`${wrote}\n`))
      }
    }
    const failed = suites.filter((suite) => suite.exitCode !== 0 || suite.failed > 0)
    const total = suites.reduce((sum, suite) => sum + suite.passed, 0)
    process.stderr.write(
      failed.length
        ? pc.red(
            `${failed.length} of ${suites.length} providers failed: ${failed.map((s) => s.id).join(', ')}\n`,
          )
        : pc.green(`${suites.length} of ${suites.length} providers passed (${total} tests).\n`),
    )
    return failed.length ? exitCodes.failure : 0
  } catch (error) {
    return report(error, {}, global.debug)
  }
}
