import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { scaffoldProvider } from '../../../scripts/new-provider.mjs'
import { checkConventions, ownedPaths, providerPackages } from './conventions.mjs'
import { repoRoot } from './temp-repo.js'

describe('the repository', () => {
  it('every packages/provider-* follows the provider conventions', () => {
    const { packages, violations } = checkConventions(repoRoot)
    // The nine providers of the foundation issues at least; new ones are picked up by folder.
    expect(packages.length).toBeGreaterThanOrEqual(9)
    expect(packages).toContain('provider-openai')
    const report = violations.map((v) => `${v.package} [${v.rule}] ${v.message}`).join('\n')
    expect(report).toBe('')
  })
})

// A conforming provider, written by the scaffold into a temp repository; each case below copies
// it, breaks one convention, and expects the checker to name exactly that rule.
let pristine: string
let work: string
const SDK = 'vendor-sdk'

beforeAll(() => {
  pristine = mkdtempSync(join(tmpdir(), 'modelplex-conventions-'))
  work = mkdtempSync(join(tmpdir(), 'modelplex-conventions-case-'))
  writeFileSync(join(pristine, 'package.json'), '{ "private": true, "devDependencies": {} }\n')
  writeFileSync(join(pristine, 'CODEOWNERS'), '*   @modelplex/core-team\n')
  mkdirSync(join(pristine, '.changeset'))
  scaffoldProvider({ root: pristine, id: 'fixture', sdk: `${SDK}@^1.2.0`, name: 'Fixture' })
})

afterAll(() => {
  rmSync(pristine, { recursive: true, force: true })
  rmSync(work, { recursive: true, force: true })
})

let caseCount = 0
/** A fresh copy of the conforming fixture, with `change` applied; returns the rules violated. */
function rulesAfter(change: (dir: string, root: string) => void): string[] {
  const root = join(work, `case-${++caseCount}`)
  cpSync(pristine, root, { recursive: true })
  change(join(root, 'packages', 'provider-fixture'), root)
  return [...new Set(checkConventions(root).violations.map((violation) => violation.rule))]
}

const editJson = (file: string, edit: (value: any) => void) => {
  const value = JSON.parse(readFileSync(file, 'utf8'))
  edit(value)
  writeFileSync(file, JSON.stringify(value, null, 2))
}
const prepend = (file: string, text: string) => writeFileSync(file, `${text}\n${readFileSync(file, 'utf8')}`)
const append = (file: string, text: string) => writeFileSync(file, `${readFileSync(file, 'utf8')}\n${text}\n`)
const adapter = (dir: string) => join(dir, 'src', 'fixture-adapter.ts')

describe('the conventions checker', () => {
  it('passes the scaffolded provider', () => {
    expect(providerPackages(pristine)).toEqual(['provider-fixture'])
    expect(rulesAfter(() => {})).toEqual([])
  })

  it.each<[string, string, (dir: string, root: string) => void]>([
    [
      'no default spec export',
      'spec-export',
      (dir) =>
        writeFileSync(
          join(dir, 'src', 'index.ts'),
          "export { createFixture } from './fixture-provider.js'\n",
        ),
    ],
    ['no src/index.ts', 'spec-export', (dir) => rmSync(join(dir, 'src', 'index.ts'))],
    [
      'a spec id that is not the folder name',
      'spec-id',
      (dir) => {
        const file = join(dir, 'src', 'fixture-provider.ts')
        writeFileSync(file, readFileSync(file, 'utf8').replace("id: 'fixture'", "id: 'other'"))
      },
    ],
    [
      'no ./testing export',
      'testing-export',
      (dir) => editJson(join(dir, 'package.json'), (pkg) => delete pkg.exports['./testing']),
    ],
    ['no src/testing.ts', 'testing-export', (dir) => rmSync(join(dir, 'src', 'testing.ts'))],
    [
      'a testing.ts without `kit`',
      'testing-export',
      (dir) => {
        const file = join(dir, 'src', 'testing.ts')
        writeFileSync(file, readFileSync(file, 'utf8').replace(/,\s*kit\b/, ''))
      },
    ],
    ['no README', 'readme', (dir) => rmSync(join(dir, 'README.md'))],
    [
      'no CODEOWNERS line',
      'codeowners',
      (_dir, root) => writeFileSync(join(root, 'CODEOWNERS'), '* @team\n'),
    ],
    [
      'a CODEOWNERS line without an owner',
      'codeowners',
      (_dir, root) => writeFileSync(join(root, 'CODEOWNERS'), '/packages/provider-fixture/\n'),
    ],
    [
      'no SDK peer dependency',
      'sdk-peer',
      (dir) => editJson(join(dir, 'package.json'), (pkg) => delete pkg.peerDependencies[SDK]),
    ],
    [
      'an optional SDK peer',
      'sdk-peer',
      (dir) =>
        editJson(join(dir, 'package.json'), (pkg) => (pkg.peerDependenciesMeta[SDK] = { optional: true })),
    ],
    [
      'the SDK as a dependency instead of a peer',
      'sdk-peer',
      (dir) =>
        editJson(join(dir, 'package.json'), (pkg) => {
          pkg.dependencies = { [SDK]: pkg.peerDependencies[SDK] }
          delete pkg.peerDependencies[SDK]
        }),
    ],
    [
      "a peer range that differs from the spec's",
      'sdk-peer',
      (dir) => editJson(join(dir, 'package.json'), (pkg) => (pkg.peerDependencies[SDK] = '^2.0.0')),
    ],
    [
      'a static import of the SDK',
      'sdk-lazy',
      (dir) => prepend(adapter(dir), `import VendorSdk from '${SDK}'`),
    ],
    [
      'an inline type import, which verbatimModuleSyntax keeps at runtime',
      'sdk-lazy',
      (dir) => prepend(adapter(dir), `import { type Client } from '${SDK}'`),
    ],
    [
      'a side-effect import of an SDK subpath',
      'sdk-lazy',
      (dir) => prepend(adapter(dir), `import '${SDK}/shims'`),
    ],
    [
      'a re-export from the SDK',
      'sdk-lazy',
      (dir) => append(join(dir, 'src', 'index.ts'), `export { Client } from '${SDK}'`),
    ],
    ['a top-level require', 'sdk-lazy', (dir) => append(adapter(dir), `const sdk = require('${SDK}')`)],
    [
      'an import() that runs at module load',
      'sdk-lazy',
      (dir) => append(adapter(dir), `export const loaded = await import('${SDK}')`),
    ],
    [
      'the SDK imported statically by the wire kit',
      'sdk-lazy',
      (dir) => prepend(join(dir, 'src', 'testing.ts'), `import { Client } from '${SDK}'`),
    ],
    [
      'no conformance test',
      'conformance-test',
      (dir) => rmSync(join(dir, 'src', 'fixture.conformance.test.ts')),
    ],
    [
      'a conformance test that never runs the suite',
      'conformance-test',
      (dir) => writeFileSync(join(dir, 'src', 'fixture.conformance.test.ts'), "import 'vitest'\n"),
    ],
    [
      'no conformance script',
      'conformance-test',
      (dir) => editJson(join(dir, 'package.json'), (pkg) => delete pkg.scripts.conformance),
    ],
    ['no changeset', 'changeset', (_dir, root) => rmSync(join(root, '.changeset', 'provider-fixture.md'))],
    [
      'a changeset broken into a Markdown heading',
      'changeset',
      (_dir, root) =>
        writeFileSync(
          join(root, '.changeset', 'provider-fixture.md'),
          '---\n\n## "@modelplex/provider-fixture": minor\n\nFirst release.\n',
        ),
    ],
    [
      'sideEffects not false',
      'package-json',
      (dir) => editJson(join(dir, 'package.json'), (pkg) => delete pkg.sideEffects),
    ],
  ])('catches %s (%s)', (_title, rule, change) => {
    expect(rulesAfter(change)).toEqual([rule])
  })

  it.each<[string, (dir: string) => void]>([
    ['`import type` of the SDK', (dir) => prepend(adapter(dir), `import type { Client } from '${SDK}'`)],
    [
      '`export type … from` the SDK',
      (dir) => append(join(dir, 'src', 'index.ts'), `export type { Client } from '${SDK}'`),
    ],
    [
      'import() inside a function',
      (dir) => append(adapter(dir), `export async function load() {\n  return import('${SDK}')\n}`),
    ],
    [
      'a static import in a unit test',
      (dir) =>
        writeFileSync(
          join(dir, 'src', 'fixture-sdk.test.ts'),
          `import VendorSdk from '${SDK}'\nvoid VendorSdk\n`,
        ),
    ],
  ])('allows %s', (_title, change) => {
    expect(rulesAfter(change)).toEqual([])
  })

  it('accepts a CHANGELOG (a released package) in place of a pending changeset', () => {
    const rules = rulesAfter((dir, root) => {
      rmSync(join(root, '.changeset', 'provider-fixture.md'))
      writeFileSync(join(dir, 'CHANGELOG.md'), '# @modelplex/provider-fixture\n')
    })
    expect(rules).toEqual([])
  })

  it('reads owners only from lines that name one', () => {
    const owned = ownedPaths('# comment\n/a/ @x\n/b/\n/c/ @org/team # note\n/d/ dev@example.com\n')
    expect([...owned]).toEqual(['/a/', '/c/', '/d/'])
  })
})
