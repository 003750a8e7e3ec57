// End to end: `pnpm new:provider` in a temp copy of the repository. A bare scaffold builds, its
// conformance test is wired in and fails; filled with the OpenAI-compatible translation, it
// passes. Tools and dependencies are the real workspace's, linked, so this runs offline.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addCodeownersLine, providerContext, satisfiesCaret } from '../../../scripts/new-provider.mjs'
import { providerTs, wireKitTs } from '../../../scripts/templates/provider-templates.mjs'
import { checkConventions } from './conventions.mjs'
import {
  bins,
  conformanceCounts,
  createTempRepo,
  linkDependencies,
  removeTempRepo,
  repoRoot,
  runNode,
} from './temp-repo.js'

const STEP_TIMEOUT = 120_000

/**
 * tsc's errors in the scaffolded package's own files. The package typechecks against the real
 * workspace's sources, whose own errors `pnpm typecheck` reports for their packages, not here.
 */
function ownTypeErrors(output: string): string[] {
  return output.split('\n').filter((line) => /^src\/.*error TS\d+/.test(line))
}
let root: string
let script: string
const acme = () => join(root, 'packages', 'provider-acme')

beforeAll(() => {
  root = createTempRepo('modelplex-scaffold-')
  script = join(root, 'scripts', 'new-provider.mjs')
})

afterAll(() => {
  if (root) removeTempRepo(root)
})

describe('pnpm new:provider: arguments', () => {
  it('refuses an id that is not lowercase-kebab', async () => {
    const result = await runNode(script, ['Acme_AI', '--openai-compatible'], root)
    expect(result.code).toBe(1)
    expect(result.output).toContain('"Acme_AI" is not a provider id')
    expect(existsSync(join(root, 'packages', 'provider-Acme_AI'))).toBe(false)
  })

  it('asks a bare provider for its SDK', async () => {
    const result = await runNode(script, ['acme'], root)
    expect(result.code).toBe(1)
    expect(result.output).toContain('--sdk')
    expect(existsSync(acme())).toBe(false)
  })

  it('pins the SDK devDependency to an installed version only when the peer range allows it', () => {
    expect(satisfiesCaret('6.49.0', '^6.0.0')).toBe(true)
    expect(satisfiesCaret('6.49.0', '^5.0.0')).toBe(false)
    expect(satisfiesCaret('0.7.0', '^0.6.0')).toBe(false)
    expect(satisfiesCaret('1.2.3', '^1.2.4')).toBe(false)
    expect(satisfiesCaret('1.2.3', '~1.2.0')).toBe(false)
  })

  it('keeps CODEOWNERS provider lines in order and aligned', () => {
    const text = '*  @team\n\n/packages/provider-b/   @team\n/packages/provider-d/   @team\n'
    expect(addCodeownersLine(text, 'c', '@me')).toBe(
      '*  @team\n\n/packages/provider-b/   @team\n/packages/provider-c/   @me\n/packages/provider-d/   @team\n',
    )
    expect(addCodeownersLine(text, 'a', '@me').split('\n')[2]).toBe('/packages/provider-a/   @me')
    expect(addCodeownersLine(text, 'b', '@me')).toBe(text)
  })
})

describe('pnpm new:provider acme --sdk openai@^6.0.0 (bare)', () => {
  beforeAll(async () => {
    const result = await runNode(
      script,
      ['acme', '--sdk', 'openai@^6.0.0', '--name', 'Acme', '--default-model', 'acme-large'],
      root,
    )
    expect(result.code, result.output).toBe(0)
    linkDependencies(acme())
  }, STEP_TIMEOUT)

  it('writes the package, its docs page, its changeset and its CODEOWNERS line', () => {
    for (const file of [
      'package.json',
      'README.md',
      'tsconfig.json',
      'tsup.config.ts',
      'vitest.config.ts',
      'src/index.ts',
      'src/acme-provider.ts',
      'src/acme-adapter.ts',
      'src/testing.ts',
      'src/acme-wire-kit.ts',
      'src/__fixtures__/error-429-rate-limit.json',
      'src/acme.conformance.test.ts',
    ]) {
      expect(existsSync(join(acme(), file)), file).toBe(true)
    }
    expect(readFileSync(join(root, 'docs/providers/acme.md'), 'utf8')).toContain('@modelplex/provider-acme')
    expect(readFileSync(join(root, '.changeset/provider-acme.md'), 'utf8')).toMatch(
      /^---\n"@modelplex\/provider-acme": minor\n---\n/,
    )
    expect(readFileSync(join(root, 'CODEOWNERS'), 'utf8')).toMatch(
      /^\/packages\/provider-acme\/\s+@modelplex\/core-team$/m,
    )
    const pkg = JSON.parse(readFileSync(join(acme(), 'package.json'), 'utf8'))
    expect(pkg.peerDependencies.openai).toBe('^6.0.0')
    expect(pkg.peerDependenciesMeta.openai).toBeUndefined()
    // The version the workspace already installs (in the peer range), pinned like every provider's.
    const installed = JSON.parse(
      readFileSync(join(repoRoot, 'node_modules/openai/package.json'), 'utf8'),
    ).version
    expect(pkg.devDependencies.openai).toBe(installed)
    expect(pkg.scripts.conformance).toBe('vitest run src/acme.conformance.test.ts')
  })

  it('follows the provider conventions from the start', () => {
    expect(checkConventions(root).violations).toEqual([])
  })

  it(
    'builds (ESM, CJS, declarations), typechecks, lints, passes its unit tests; its conformance test fails',
    async () => {
      // Independent steps, run side by side to keep the test short.
      const [build, typecheck, lint, unit, conformance] = await Promise.all([
        runNode(bins.tsup, [], acme()),
        runNode(bins.tsc, ['-p', 'tsconfig.json', '--pretty', 'false'], acme()),
        runNode(bins.biome, ['check', '--vcs-enabled=false', 'packages/provider-acme'], root),
        runNode(bins.vitest, ['run', '--exclude', 'src/**/*.conformance.test.ts'], acme()),
        runNode(bins.vitest, ['run', 'src/acme.conformance.test.ts'], acme()),
      ])
      expect(build.code, build.output).toBe(0)
      for (const file of [
        'index.js',
        'index.cjs',
        'index.d.ts',
        'index.d.cts',
        'testing.js',
        'testing.d.cts',
      ])
        expect(existsSync(join(acme(), 'dist', file)), file).toBe(true)
      // The SDK stays out of the bundle: it is imported on the first call.
      expect(readFileSync(join(acme(), 'dist', 'index.js'), 'utf8')).toMatch(/import\(["']openai["']\)/)
      expect(ownTypeErrors(typecheck.output)).toEqual([])
      expect(lint.code, lint.output).toBe(0)
      expect(unit.code, unit.output).toBe(0)
      // Wired in, and failing until the adapter and the kit are written.
      expect(conformance.code).toBe(1)
      expect(conformance.output).toContain('is not translated yet (src/acme-adapter.ts)')
      expect(conformanceCounts(acme()).fail).toBeGreaterThan(20)
    },
    STEP_TIMEOUT,
  )

  it(
    'filled with the OpenAI-compatible translation, passes the whole conformance suite',
    async () => {
      // What a contributor does for an OpenAI-shaped vendor: the spec's connect() and the kit
      // come from provider-openai-compatible, the adapter goes, the shared package becomes a dependency.
      const context = providerContext({
        root,
        id: 'acme',
        openAICompatible: true,
        name: 'Acme',
        defaultModel: 'acme-large',
      })
      writeFileSync(join(acme(), 'src', 'acme-provider.ts'), providerTs(context))
      writeFileSync(join(acme(), 'src', 'acme-wire-kit.ts'), wireKitTs(context))
      rmSync(join(acme(), 'src', 'acme-adapter.ts'))
      const manifest = join(acme(), 'package.json')
      const pkg = JSON.parse(readFileSync(manifest, 'utf8'))
      pkg.dependencies = { '@modelplex/provider-openai-compatible': 'workspace:^' }
      writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`)
      linkDependencies(acme())

      const [conformance, unit] = await Promise.all([
        runNode(bins.vitest, ['run', 'src/acme.conformance.test.ts'], acme()),
        runNode(bins.vitest, ['run', '--exclude', 'src/**/*.conformance.test.ts'], acme()),
      ])
      expect(conformance.code, conformance.output).toBe(0)
      const counts = conformanceCounts(acme())
      expect(counts.fail ?? 0).toBe(0)
      expect(counts.pass).toBeGreaterThanOrEqual(35)
      expect(unit.code, unit.output).toBe(0)
      expect(checkConventions(root).violations).toEqual([])
    },
    STEP_TIMEOUT,
  )
})

describe('pnpm new:provider swift --openai-compatible', () => {
  it(
    'scaffolds a provider that passes conformance at once',
    async () => {
      const result = await runNode(
        script,
        ['swift', '--openai-compatible', '--base-url', 'https://api.swift.ai/v1'],
        root,
      )
      expect(result.code, result.output).toBe(0)
      const dir = join(root, 'packages', 'provider-swift')
      expect(readFileSync(join(dir, 'src', 'swift-provider.ts'), 'utf8')).toContain(
        "const DEFAULT_BASE_URL = 'https://api.swift.ai/v1'",
      )
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
      expect(pkg.dependencies).toEqual({ '@modelplex/provider-openai-compatible': 'workspace:^' })
      expect(pkg.peerDependencies.openai).toBe('^6.0.0')
      linkDependencies(dir)
      const [conformance, typecheck] = await Promise.all([
        runNode(bins.vitest, ['run'], dir),
        runNode(bins.tsc, ['-p', 'tsconfig.json', '--pretty', 'false'], dir),
      ])
      expect(conformance.code, conformance.output).toBe(0)
      expect(ownTypeErrors(typecheck.output)).toEqual([])
      expect(conformanceCounts(dir).fail ?? 0).toBe(0)
      expect(conformanceCounts(dir).pass).toBeGreaterThanOrEqual(35)
    },
    STEP_TIMEOUT,
  )

  it('refuses to overwrite an existing package', async () => {
    const result = await runNode(script, ['swift', '--openai-compatible'], root)
    expect(result.code).toBe(1)
    expect(result.output).toContain('exists (use --force to overwrite)')
  })
})

it('the scaffold writes nothing into the real repository', () => {
  expect(existsSync(join(repoRoot, 'packages', 'provider-acme'))).toBe(false)
  expect(readFileSync(join(repoRoot, 'CODEOWNERS'), 'utf8')).not.toContain('provider-acme')
})
