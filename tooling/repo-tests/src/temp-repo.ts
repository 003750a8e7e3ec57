import { execFile } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The real repository this package lives in. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

/** What a scaffolded package needs from the top level: shared configs, CODEOWNERS, changesets, the script. */
const ROOT_FILES = [
  'package.json',
  'pnpm-workspace.yaml',
  'tsconfig.base.json',
  'tsup.config.base.ts',
  'vitest.config.base.ts',
  'biome.json',
  'CODEOWNERS',
  '.gitignore',
  '.changeset/config.json',
  'scripts/new-provider.mjs',
  'scripts/templates',
]

/**
 * A throwaway copy of the repository's top level in the temp dir, its `node_modules` a link to
 * the real one (tsup, vitest, Biome and their configs resolve as they do here). Packages are not
 * copied: `linkDependencies` points a new package at the real workspace packages.
 */
export function createTempRepo(prefix = 'modelplex-repo-'): string {
  const root = mkdtempSync(join(tmpdir(), prefix))
  for (const path of ROOT_FILES) {
    const source = join(repoRoot, path)
    if (!existsSync(source)) continue
    mkdirSync(dirname(join(root, path)), { recursive: true })
    cpSync(source, join(root, path), { recursive: true })
  }
  mkdirSync(join(root, 'packages'), { recursive: true })
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir')
  return root
}

export function removeTempRepo(root: string): void {
  rmSync(root, { recursive: true, force: true })
}

/** name → folder of every package in the real workspace's packages/. */
function workspacePackages(): Map<string, string> {
  const found = new Map<string, string>()
  for (const name of readdirSync(join(repoRoot, 'packages'))) {
    const manifest = join(repoRoot, 'packages', name, 'package.json')
    if (!existsSync(manifest)) continue
    try {
      found.set(JSON.parse(readFileSync(manifest, 'utf8')).name, join(repoRoot, 'packages', name))
    } catch {
      // A package another contributor is half-way through writing.
    }
  }
  return found
}

/** Where the real workspace installed `name`: the root's node_modules, else a finished package's. */
function installedPackage(name: string): string {
  const candidates = [
    join(repoRoot, 'node_modules', name),
    ...['provider-openai-compatible', 'conformance', 'core'].map((dir) =>
      join(repoRoot, 'packages', dir, 'node_modules', name),
    ),
  ]
  const found = candidates.find((candidate) => existsSync(candidate))
  if (!found) throw new Error(`${name} is not installed in the workspace`)
  return realpathSync(found)
}

/**
 * What `pnpm install` would link for a package, without a network or a store: workspace
 * packages to their folders, everything else to the copy the real workspace installed.
 */
export function linkDependencies(packageDir: string): void {
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'))
  const names = new Set([
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.devDependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
  ])
  const workspace = workspacePackages()
  for (const name of names) {
    const link = join(packageDir, 'node_modules', name)
    if (existsSync(link)) continue
    mkdirSync(dirname(link), { recursive: true })
    symlinkSync(workspace.get(name) ?? installedPackage(name), link, 'dir')
  }
}

const requireFromRoot = createRequire(join(repoRoot, 'package.json'))
const requireHere = createRequire(import.meta.url)

/** Entry scripts of the tools the real workspace installed. */
export const bins = {
  tsup: join(dirname(requireFromRoot.resolve('tsup/package.json')), 'dist', 'cli-default.js'),
  vitest: join(dirname(requireHere.resolve('vitest/package.json')), 'vitest.mjs'),
  tsc: join(dirname(requireHere.resolve('typescript/package.json')), 'bin', 'tsc'),
  biome: join(dirname(requireFromRoot.resolve('@biomejs/biome/package.json')), 'bin', 'biome'),
}

export interface RunResult {
  code: number
  output: string
}

/** Runs `node <script> …args` in `cwd`; never throws, so a test can assert a failure. */
export function runNode(
  script: string,
  args: string[],
  cwd: string,
  timeoutMs = 120_000,
): Promise<RunResult> {
  // A nested vitest must not think it is a worker of this one.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_OPTIONS'),
  )
  return new Promise((done) => {
    execFile(
      process.execPath,
      [script, ...args],
      { cwd, env: { ...env, FORCE_COLOR: '0', CI: 'true' }, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        done({ code, output: `${stdout}${stderr}` })
      },
    )
  })
}

/** Counts of each status in a package's conformance-results.json. */
export function conformanceCounts(packageDir: string): Record<string, number> {
  const results = JSON.parse(readFileSync(join(packageDir, 'conformance-results.json'), 'utf8'))
  const counts: Record<string, number> = {}
  for (const status of Object.values<string>(results.scenarios)) counts[status] = (counts[status] ?? 0) + 1
  return counts
}
