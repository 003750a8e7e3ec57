import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { changesetProblems, checkPrTitle, parseChangeset } from './pr-checks.mjs'
import { repoRoot, runNode } from './temp-repo.js'

describe('checkPrTitle', () => {
  it.each([
    'feat(provider-groq): stream tool calls',
    'fix(core)!: drop Node 18',
    'docs: how to record fixtures',
    'chore(core,cli): bump vitest',
    'ci: pin actions by SHA',
  ])('accepts "%s"', (title) => {
    expect(checkPrTitle(title)).toEqual([])
  })

  it.each([
    ['Add Groq provider', 'not a Conventional Commit'],
    ['feature(groq): add', 'type "feature"'],
    ['feat(Provider Groq): add', 'scope "Provider Groq"'],
    ['feat:add groq', 'exactly one space'],
    ['feat: ', 'subject is empty'],
    ['fix(core): handle 429.', 'ends with a period'],
    [`feat: ${'x'.repeat(120)}`, 'keep it within 100'],
  ])('rejects "%s"', (title, problem) => {
    expect(checkPrTitle(title).join('\n')).toContain(problem)
  })
})

describe('changesetProblems', () => {
  const packages = [
    { dir: 'packages/core', name: '@modelplex/core', private: false },
    { dir: 'packages/provider-groq', name: '@modelplex/provider-groq', private: false },
    { dir: 'apps/cli', name: 'modelplex', private: false },
    { dir: 'examples/openai-offline', name: '@modelplex/example-openai-offline', private: true },
  ]
  const changeset = (...names: string[]) => ({
    file: '.changeset/brave-lions.md',
    text: `---\n${names.map((name) => `"${name}": patch`).join('\n')}\n---\n\nWhy.\n`,
  })

  it('asks for a changeset when a package changes without one', () => {
    const problems = changesetProblems({
      changedFiles: ['packages/provider-groq/src/groq-provider.ts', 'docs/errors.md'],
      changesets: [],
      packages,
    })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(
      '@modelplex/provider-groq (packages/provider-groq) changed but no changeset names it',
    )
  })

  it('passes when a changeset names every changed package', () => {
    const changedFiles = ['packages/core/src/retry.ts', 'apps/cli/src/main.ts', '.changeset/brave-lions.md']
    expect(
      changesetProblems({ changedFiles, changesets: [changeset('@modelplex/core', 'modelplex')], packages }),
    ).toEqual([])
    expect(changesetProblems({ changedFiles, changesets: [changeset('@modelplex/core')], packages })).toEqual(
      [expect.stringContaining('modelplex (apps/cli) changed')],
    )
  })

  it('needs nothing for docs, private examples or tooling', () => {
    const changedFiles = ['docs/adding-a-provider.md', 'examples/openai-offline/index.mjs', 'README.md']
    expect(changesetProblems({ changedFiles, changesets: [], packages })).toEqual([])
  })

  it('accepts an empty changeset as a deliberate "no release"', () => {
    const empty = { file: '.changeset/quiet-owls.md', text: '---\n---\n\nTests only.\n' }
    expect(parseChangeset(empty.text)).toEqual({ valid: true, packages: [], empty: true })
    expect(
      changesetProblems({ changedFiles: ['packages/core/src/x.test.ts'], changesets: [empty], packages }),
    ).toEqual([])
  })

  it('rejects a changeset whose front matter a Markdown formatter broke, or that names no workspace package', () => {
    const broken = { file: '.changeset/a.md', text: '---\n\n## "@modelplex/core": minor\n\nWhy.\n' }
    expect(parseChangeset(broken.text).valid).toBe(false)
    expect(
      changesetProblems({ changedFiles: ['packages/core/src/x.ts'], changesets: [broken], packages }).join(
        '\n',
      ),
    ).toContain('.changeset/a.md: no valid front matter')
    expect(
      changesetProblems({ changedFiles: [], changesets: [changeset('@modelplex/provider-typo')], packages }),
    ).toEqual([expect.stringContaining('"@modelplex/provider-typo", which is not a workspace package')])
  })
})

describe('bin/check-changeset.mjs on a git branch', () => {
  let repo: string
  const bin = join(repoRoot, 'tooling', 'repo-tests', 'bin', 'check-changeset.mjs')
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      cwd: repo,
      stdio: 'pipe',
    })
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(repo, path)), { recursive: true })
    writeFileSync(join(repo, path), text)
  }

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'modelplex-changeset-'))
    git('init', '-q', '-b', 'main')
    write('packages/core/package.json', '{ "name": "@modelplex/core" }\n')
    write('packages/core/src/index.ts', 'export const a = 1\n')
    git('add', '.')
    git('commit', '-q', '-m', 'init')
    git('checkout', '-q', '-b', 'feature')
    write('packages/core/src/index.ts', 'export const a = 2\n')
    git('commit', '-q', '-am', 'feat(core): two')
  })

  afterAll(() => rmSync(repo, { recursive: true, force: true }))

  it('fails without a changeset, and passes once the branch adds one', async () => {
    const without = await runNode(bin, ['--base', 'main', '--root', repo], repo)
    expect(without.code).toBe(1)
    expect(without.output).toContain('@modelplex/core (packages/core) changed but no changeset names it')

    write('.changeset/two.md', '---\n"@modelplex/core": minor\n---\n\nTwo.\n')
    git('add', '.')
    git('commit', '-q', '-m', 'chore: changeset')
    const withChangeset = await runNode(bin, ['--base', 'main', '--root', repo], repo)
    expect(withChangeset.code, withChangeset.output).toBe(0)
    expect(withChangeset.output).toContain('Every changed package carries a changeset.')
  })
})

describe('bin/check-pr-title.mjs', () => {
  const bin = join(repoRoot, 'tooling', 'repo-tests', 'bin', 'check-pr-title.mjs')
  it('exits 0 for a Conventional Commit and 1 otherwise', async () => {
    expect((await runNode(bin, ['feat(provider-xai): add Grok'], repoRoot)).code).toBe(0)
    const bad = await runNode(bin, ['Added Grok'], repoRoot)
    expect(bad.code).toBe(1)
    expect(bad.output).toContain('not a Conventional Commit')
  })
})
