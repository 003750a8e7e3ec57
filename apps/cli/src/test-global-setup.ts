// The tests drive the built binary. `turbo run test` builds first; a bare `vitest` run builds
// here when dist/ is missing or older than the sources.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

export default function setup(): void {
  const bin = join(root, 'dist/bin.js')
  const built = existsSync(bin) ? statSync(bin).mtimeMs : 0
  const newest = Math.max(
    ...readdirSync(join(root, 'src')).map((file) => statSync(join(root, 'src', file)).mtimeMs),
    statSync(join(root, 'tsup.config.ts')).mtimeMs,
  )
  if (newest > built) execFileSync('pnpm', ['run', 'build'], { cwd: root, stdio: 'inherit' })
}
