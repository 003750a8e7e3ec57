// `pnpm demo`: installs, builds and runs the offline tour, saying what it is doing as it goes
// (one line per package turbo builds) and how long the install and the build took.
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const started = performance.now()
const seconds = (from) => `${((performance.now() - from) / 1000).toFixed(1)} s`

function step(title, command, args) {
  console.log(`\n▸ ${title}`)
  const from = performance.now()
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
  if (run.status !== 0) {
    console.error(`\n✗ ${title} failed (exit ${run.status ?? run.signal}) after ${seconds(from)}`)
    process.exit(run.status ?? 1)
  }
  console.log(`✓ ${title}: ${seconds(from)}`)
}

step('installing dependencies (pnpm install --frozen-lockfile)', 'pnpm', ['install', '--frozen-lockfile'])
// hash-only: one line as each package's build starts, errors in full, and turbo's totals at the end.
step('building every package (turbo run build)', 'pnpm', [
  'exec',
  'turbo',
  'run',
  'build',
  '--output-logs=hash-only',
])
console.log(`\nready in ${seconds(started)}; the offline tour follows\n`)
const tour = spawnSync(process.execPath, [join(root, 'apps/cli/dist/bin.js'), 'tour', '--offline'], {
  cwd: root,
  stdio: 'inherit',
})
process.exit(tour.status ?? 1)
