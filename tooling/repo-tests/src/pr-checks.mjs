// The two checks a pull request runs before review (.github/workflows/pr.yml): its title is a
// Conventional Commit, and every published package it touches is named by a changeset it adds.
// Pure functions here; bin/check-pr-title.mjs and bin/check-changeset.mjs feed them from CI.

/** The Conventional Commits types this repository uses (those of @commitlint/config-conventional). */
export const COMMIT_TYPES = [
  'build',
  'chore',
  'ci',
  'docs',
  'feat',
  'fix',
  'perf',
  'refactor',
  'revert',
  'style',
  'test',
]

const TITLE = /^(?<type>[a-zA-Z]+)(?:\((?<scope>[^()]*)\))?(?<breaking>!)?:(?<space>\s*)(?<subject>.*)$/
const MAX_TITLE = 100

/** Problems with a PR title as a Conventional Commit (`feat(provider-groq): stream tool calls`); empty when fine. */
export function checkPrTitle(title) {
  const text = (title ?? '').trim()
  const example = 'e.g. "feat(provider-groq): stream tool calls" or "fix(core)!: drop Node 18"'
  const match = TITLE.exec(text)
  if (!match) return [`"${text}" is not a Conventional Commit, "<type>(<scope>): <subject>"; ${example}`]
  const { type, scope, space, subject } = match.groups
  const problems = []
  if (!COMMIT_TYPES.includes(type)) problems.push(`type "${type}" is not one of ${COMMIT_TYPES.join(', ')}`)
  if (scope !== undefined && !/^[a-z0-9][a-z0-9./-]*(,\s?[a-z0-9][a-z0-9./-]*)*$/.test(scope))
    problems.push(
      `scope "${scope}" should be lowercase package or area names, e.g. "provider-groq" or "core,cli"`,
    )
  if (space !== ' ') problems.push('put exactly one space after the colon')
  if (!subject.trim()) problems.push('the subject is empty')
  if (subject.endsWith('.')) problems.push('the subject ends with a period')
  if (text.length > MAX_TITLE)
    problems.push(`the title is ${text.length} characters; keep it within ${MAX_TITLE}`)
  return problems
}

/** A changeset's front matter: the packages it bumps; `empty` for `pnpm changeset --empty`. */
export function parseChangeset(text) {
  const front = /^---[ \t]*\r?\n([\s\S]*?)\r?\n?---[ \t]*(\r?\n|$)/.exec(text)
  if (!front) return { valid: false, packages: [], empty: false }
  const lines = front[1].split(/\r?\n/).filter((line) => line.trim() !== '')
  const packages = []
  for (const line of lines) {
    const match = /^\s*(["']?)(?<name>[^"':\s]+)\1\s*:\s*(major|minor|patch)\s*$/.exec(line)
    if (!match) return { valid: false, packages: [], empty: false }
    packages.push(match.groups.name)
  }
  return { valid: true, packages, empty: packages.length === 0 }
}

/** The published packages (under packages/* or apps/*) that a set of changed paths touches. */
export function touchedPackages(changedFiles, packages) {
  return packages.filter(
    (pkg) =>
      !pkg.private &&
      /^(packages|apps)\//.test(pkg.dir) &&
      changedFiles.some((file) => file.startsWith(`${pkg.dir.replace(/\/$/, '')}/`)),
  )
}

/**
 * Problems with a PR's changesets: each touched published package must be named by a changeset
 * the PR adds or edits, unless the PR adds an empty changeset (a deliberate "no release").
 * `changesets` are the PR's `.changeset/*.md` files with their text.
 */
export function changesetProblems({ changedFiles, changesets, packages }) {
  const problems = []
  const named = new Set()
  let optedOut = false
  for (const { file, text } of changesets) {
    const parsed = parseChangeset(text)
    if (!parsed.valid) {
      problems.push(
        `${file}: no valid front matter ("---", then lines like "\\"@modelplex/core\\": minor", then "---")`,
      )
      continue
    }
    if (parsed.empty) optedOut = true
    for (const name of parsed.packages) {
      named.add(name)
      if (!packages.some((pkg) => pkg.name === name))
        problems.push(`${file}: names "${name}", which is not a workspace package`)
    }
  }
  const touched = touchedPackages(changedFiles, packages)
  if (optedOut) return problems
  for (const pkg of touched) {
    if (!named.has(pkg.name))
      problems.push(
        `${pkg.name} (${pkg.dir}) changed but no changeset names it: run \`pnpm changeset\` (or \`pnpm changeset --empty\` when nothing ships)`,
      )
  }
  return problems
}
