#!/usr/bin/env node
// Runs `publint --strict` and `attw --pack` over every published package (each non-private
// package.json under packages/* and apps/*), so a package added tomorrow is checked without
// editing this file. Needs built `dist/` folders: run `pnpm build` first. Exits 1 on any problem.
// Usage: node tooling/repo-tests/bin/check-packages.mjs [--root <dir>] [name-or-dir ...]
import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'

const execFileAsync = promisify(execFile)
const here = dirname(fileURLToPath(import.meta.url))
const attwBin = join(here, '..', 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js')
const CONCURRENCY = 4

/** Every non-private workspace package under packages/* and apps/*, sorted. */
export function publishedPackages(root) {
  const found = []
  for (const area of ['packages', 'apps']) {
    const dir = join(root, area)
    if (!existsSync(dir)) continue
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const manifest = join(dir, entry.name, 'package.json')
      if (!entry.isDirectory() || !existsSync(manifest)) continue
      const pkg = JSON.parse(readFileSync(manifest, 'utf8'))
      if (!pkg.private) found.push({ name: pkg.name, dir: join(dir, entry.name) })
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name))
}

async function runPublint(dir) {
  const { messages, pkg } = await publint({ pkgDir: dir, strict: true, level: 'warning' })
  return messages
    .filter((message) => message.type !== 'suggestion')
    .map((message) => `publint ${message.type}: ${formatMessage(message, pkg)}`)
}

/** True when the package can be imported (a `bin`-only CLI cannot, and needs no declarations). */
function hasImportableEntry(pkg) {
  if (pkg.main || pkg.module || typeof pkg.exports === 'string') return true
  return Object.keys(pkg.exports ?? {}).some((key) => key !== './package.json')
}

async function runAttw(dir, pkg) {
  // node16 profile: engines say Node >= 20 and every entry ships both conditions; `node10`
  // resolution (TypeScript's legacy `moduleResolution: node`) cannot see subpath exports such
  // as `./testing` at all, so the strict profile would fail every kit for a resolver we do not support.
  try {
    const { stdout } = await execFileAsync(
      process.execPath,
      [attwBin, '--pack', dir, '--profile', 'node16', '--format', 'ascii'],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, FORCE_COLOR: '0', npm_config_loglevel: 'error' },
        maxBuffer: 16 * 1024 * 1024,
      },
    )
    // attw exits 0 for a package without any declarations; a published package must ship them.
    if (/does not contain types/.test(stdout) && hasImportableEntry(pkg))
      return ['attw: the packed package contains no type declarations']
    return []
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim()
    return [`attw: ${output || error.message}`]
  }
}

/** Checks one package; returns its problems (empty when clean). */
export async function checkPackage({ name, dir }) {
  if (!existsSync(join(dir, 'dist'))) return [`${name}: no dist/ folder; run \`pnpm build\` first`]
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  const [lint, types] = await Promise.all([runPublint(dir), runAttw(dir, pkg)])
  return [...lint, ...types]
}

async function main() {
  const args = process.argv.slice(2)
  const rootIndex = args.indexOf('--root')
  const root = rootIndex === -1 ? resolve(here, '..', '..', '..') : resolve(args[rootIndex + 1])
  const filters = args.filter(
    (arg, index) => !arg.startsWith('--') && (rootIndex === -1 || index !== rootIndex + 1),
  )
  let packages = publishedPackages(root)
  if (filters.length > 0)
    packages = packages.filter((pkg) => filters.some((f) => pkg.name === f || pkg.dir.endsWith(f)))
  if (packages.length === 0) {
    console.error('check-packages: no published packages found')
    process.exit(1)
  }
  const started = Date.now()
  const results = new Map()
  const queue = [...packages]
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let pkg = queue.shift(); pkg; pkg = queue.shift()) results.set(pkg.name, await checkPackage(pkg))
    }),
  )
  let failed = 0
  for (const pkg of packages) {
    const problems = results.get(pkg.name)
    if (problems.length === 0) {
      console.log(`✓ ${pkg.name} (${relative(root, pkg.dir)})`)
      continue
    }
    failed++
    console.log(`✗ ${pkg.name} (${relative(root, pkg.dir)})`)
    for (const problem of problems) console.log(`    ${problem.replaceAll('\n', '\n    ')}`)
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  console.log(
    `\npublint --strict and attw --pack: ${packages.length - failed}/${packages.length} packages clean (${seconds}s)`,
  )
  if (failed > 0) process.exit(1)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main()
