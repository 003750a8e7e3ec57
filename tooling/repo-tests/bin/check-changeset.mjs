#!/usr/bin/env node
// Fails when the current branch changes a published package (packages/*, apps/*) that no
// changeset added on the branch names. Usage: check-changeset.mjs [--base origin/main] [--root <dir>]
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { changesetProblems, touchedPackages } from '../src/pr-checks.mjs'

const { values } = parseArgs({ options: { base: { type: 'string' }, root: { type: 'string' } } })
const root = values.root ?? process.cwd()
const base = values.base ?? 'origin/main'

const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim()

/** Workspace packages under packages/* and apps/* as they are on this branch. */
function workspacePackages() {
  const found = []
  for (const area of ['packages', 'apps']) {
    const dir = join(root, area)
    if (!existsSync(dir)) continue
    for (const name of readdirSync(dir)) {
      const manifest = join(dir, name, 'package.json')
      if (!existsSync(manifest)) continue
      const pkg = JSON.parse(readFileSync(manifest, 'utf8'))
      found.push({ dir: `${area}/${name}`, name: pkg.name, private: Boolean(pkg.private) })
    }
  }
  return found
}

// Three dots: what the branch changed since it left the base, not what the base did since.
const changedFiles = git('diff', '--name-only', `${base}...HEAD`).split('\n').filter(Boolean)
const changesets = changedFiles
  .filter((file) => /^\.changeset\/[^/]+\.md$/.test(file) && !/readme\.md$/i.test(file))
  .filter((file) => existsSync(join(root, file)))
  .map((file) => ({ file, text: readFileSync(join(root, file), 'utf8') }))
const packages = workspacePackages()
const problems = changesetProblems({ changedFiles, changesets, packages })
const touched = touchedPackages(changedFiles, packages).map((pkg) => pkg.name)

console.log(
  `Changed since ${base}: ${changedFiles.length} files; published packages touched: ${touched.join(', ') || 'none'}`,
)
console.log(`Changesets on this branch: ${changesets.map((c) => c.file).join(', ') || 'none'}`)
if (problems.length > 0) {
  for (const problem of problems) console.error(`  - ${problem}`)
  process.exit(1)
}
console.log('Every changed package carries a changeset.')
