import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { providerIds } from './cli-providers.js'
import { lines, modelplex } from './test-helpers.js'

const dir = mkdtempSync(join(tmpdir(), 'modelplex-cli-'))
const personSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    age: { type: 'integer', minimum: 0 },
    city: { type: 'string' },
    languages: { type: 'array', items: { type: 'string', enum: ['French', 'English'] } },
  },
  required: ['name', 'age', 'city'],
}
const schemaFile = join(dir, 'person.schema.json')
writeFileSync(schemaFile, JSON.stringify(personSchema))
const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))

describe('the provider list', () => {
  it('matches the provider packages the CLI depends on, one line each', () => {
    const shipped = Object.keys(packageJson.dependencies)
      .filter((name) => name.startsWith('@modelplex/provider-'))
      .map((name) => name.slice('@modelplex/provider-'.length))
    expect([...providerIds].sort()).toEqual(shipped.sort())
  })

  it('depends on every vendor SDK those packages need', () => {
    const require = createRequire(import.meta.url)
    for (const id of providerIds) {
      const manifest = require(`@modelplex/provider-${id}/package.json`)
      const sdks = Object.keys(manifest.peerDependencies ?? {}).filter(
        (name) =>
          !name.startsWith('@modelplex/') && !(manifest.peerDependenciesMeta?.[name]?.optional ?? false),
      )
      for (const sdk of sdks) expect(packageJson.dependencies, `${id} needs ${sdk}`).toHaveProperty(sdk)
    }
  })
})

describe.concurrent('modelplex object, embed, models, providers (offline, the built binary)', () => {
  it('object: prints JSON that fits the schema file, with stats on stderr', async () => {
    const run = await modelplex([
      'object',
      '--offline',
      '-p',
      'openai',
      '--schema',
      schemaFile,
      'A French scientist',
    ])
    expect(run.code).toBe(0)
    const object = JSON.parse(run.stdout)
    expect(z.fromJSONSchema(personSchema as never).parse(object)).toEqual(object)
    expect(object).toEqual({ name: 'Ada Lovelace', age: 36, city: 'Paris', languages: ['French', 'French'] })
    expect(run.stderr).toMatch(/openai:gpt-4o-mini · \d+ in · \d+ out tokens · \$0\.\d+ · .* · simulated/)
  })

  it('object: works where the provider forces a tool instead of a JSON schema (bedrock), with --json', async () => {
    const run = await modelplex(['object', '--offline', '-p', 'bedrock', '--json', '--schema', schemaFile])
    expect(run.code).toBe(0)
    const out = JSON.parse(run.stdout)
    expect(out).toMatchObject({
      provider: 'bedrock',
      simulated: true,
      object: { name: 'Ada Lovelace', city: 'Paris' },
    })
    expect(out.usage.inputTokens).toBeGreaterThan(0)
  })

  it('embed: one vector per text; --dimensions reaches the provider; --json prints every number', async () => {
    const run = await modelplex(['embed', '--offline', '-p', 'openai', 'one interface', 'every provider'])
    expect(run.code).toBe(0)
    const shown = lines(run.stdout)
    expect(shown).toHaveLength(2)
    expect(shown[0]).toMatch(/^"one interface" → 8 dimensions \[-?\d\.\d{4}, /)
    const json = await modelplex(['embed', '--offline', '-p', 'openai', '--json', '-d', '16', 'a', 'b', 'a'])
    const out = JSON.parse(json.stdout)
    expect(out.embeddings).toHaveLength(3)
    expect(out.embeddings[0]).toHaveLength(16)
    expect(out.embeddings[0]).toEqual(out.embeddings[2])
    expect(out.embeddings[0]).not.toEqual(out.embeddings[1])
    expect(out.model).toBe('text-embedding-3-small')
  })

  it('embed: a provider without embeddings says so in one line', async () => {
    const run = await modelplex(['embed', '--offline', '-p', 'anthropic', 'text'])
    expect(run.code).toBe(2)
    expect(lines(run.stderr).at(-1)).toBe(
      'error Anthropic does not offer embeddings. Pick a provider that does: modelplex providers',
    )
  })

  it('models: the provider’s list, one per line, and as JSON', async () => {
    const run = await modelplex(['models', '--offline', '-p', 'openai'])
    expect(run.code).toBe(0)
    const ids = lines(run.stdout).map((line) => line.split(/\s+/)[0])
    expect(ids).toContain('gpt-4o-mini')
    expect(ids).toContain('text-embedding-3-small')
    expect(run.stderr).toContain(`${ids.length} models from OpenAI (simulated)`)
    const json = JSON.parse((await modelplex(['models', '--offline', '-p', 'openai', '--json'])).stdout)
    expect(json.models.map((model: { id: string }) => model.id)).toEqual(ids)
  })

  it('providers: a table of every shipped provider, configured ones marked by their variable', async () => {
    const run = await modelplex(['providers'], { env: { ANTHROPIC_API_KEY: 'sk-ant-test-not-a-key' } })
    expect(run.code).toBe(0)
    for (const header of [
      'Provider',
      'Installed',
      'Configured',
      'Default model',
      'Capabilities',
      'Conformance',
    ]) {
      expect(run.stdout).toContain(header)
    }
    for (const id of providerIds) expect(run.stdout).toMatch(new RegExp(`│ ${id} `))
    expect(run.stdout).toContain('✔ ANTHROPIC_API_KEY')
    expect(run.stdout).toContain('set OPENAI_API_KEY')
    expect(run.stdout).toContain('object(tool)')
    expect(run.stdout).not.toContain('sk-ant-test-not-a-key')
  })

  it('providers: the conformance column comes from the matrix nearest the working directory', async () => {
    const root = mkdtempSync(join(tmpdir(), 'modelplex-matrix-'))
    mkdirSync(join(root, 'docs/conformance-matrix'), { recursive: true })
    const group = (pass: number, fail: number) => ({ pass, fail, unsupported: 0, skipped: 0 })
    const matrix = {
      providers: [
        { provider: 'openai', summary: { generate: group(11, 0), errors: group(15, 1) } },
        { provider: 'anthropic', summary: { generate: group(10, 0), errors: group(16, 0) } },
      ],
    }
    writeFileSync(join(root, 'docs/conformance-matrix/matrix.json'), JSON.stringify(matrix))
    const run = await modelplex(['providers'], { cwd: root })
    expect(run.stdout).toMatch(/│ openai .*│ ✘ 26\/27 +│/)
    expect(run.stdout).toMatch(/│ anthropic .*│ ✔ 26\/26 +│/)
    expect(run.stdout).toMatch(/│ google .*│ not run +│/)
  })

  it('providers --json: versions, configuration, capabilities and defaults from the specs', async () => {
    const run = await modelplex(['providers', '--json'], { env: { OPENAI_API_KEY: 'sk-test-not-a-key' } })
    const { providers } = JSON.parse(run.stdout)
    const openai = providers.find((entry: { id: string }) => entry.id === 'openai')
    expect(openai).toMatchObject({
      package: '@modelplex/provider-openai',
      configured: 'OPENAI_API_KEY',
      defaultModel: 'gpt-4o-mini',
      capabilities: { stream: true, embeddings: true },
    })
    expect(openai.installed).toMatch(/^\d+\.\d+\.\d+/)
    expect(providers.find((entry: { id: string }) => entry.id === 'anthropic').configured).toBe(false)
    expect(run.stdout).not.toContain('sk-test-not-a-key')
  })
})

describe('modelplex tour --offline', () => {
  it('walks every step across every shipped provider and ends with the cost', async () => {
    const run = await modelplex(['tour', '--offline'])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const out = run.stdout
    expect(out).toContain('Every reply below is simulated')
    const headings = [
      '1. generate',
      '2. stream',
      '3. a tool call',
      '4. structured output',
      '5. embeddings',
      '6. a 429',
      '7. a fallback chain',
      '8. cost summary',
    ]
    let at = 0
    for (const heading of headings) {
      const next = out.indexOf(heading, at)
      expect(next, heading).toBeGreaterThan(at)
      at = next
    }
    const generate = out.slice(out.indexOf('1. generate'), out.indexOf('2. stream'))
    for (const id of providerIds) expect(generate).toMatch(new RegExp(`^  ${id} +Hello from the `, 'm'))
    expect(out.match(/get_weather\(\{"city":"Paris","unit":"celsius"\}\) → The tool answered/g)).toHaveLength(
      providerIds.length,
    )
    expect(out).toContain('{"city":"Paris","country":"France","population":2102650}')
    expect(out).toMatch(/RateLimitError \(429\) → retry 1 after \d+ ms/)
    expect(out).toMatch(/openai:overloaded-model failed with ServerError: falling back to anthropic:/)
    expect(out).toContain('answered by anthropic:')
    const total = /│ total +│ (\d+) +│ +│ +│ \$(\d\.\d+) +│/.exec(out)
    expect(Number(total?.[1])).toBeGreaterThan(providerIds.length * 5)
    expect(Number(total?.[2])).toBeGreaterThan(0)
  })
})

describe('modelplex conformance', () => {
  it('runs each provider’s conformance files with live progress and prints the matrix', async () => {
    // A checkout in miniature: two provider packages whose "suites" write results as the real one does.
    const root = mkdtempSync(join(tmpdir(), 'modelplex-checkout-'))
    writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n')
    mkdirSync(join(root, 'packages/conformance'), { recursive: true })
    writeFileSync(join(root, 'packages/conformance/package.json'), '{"name":"@modelplex/conformance"}')
    mkdirSync(join(root, 'node_modules'))
    const vitestDir = dirname(createRequire(import.meta.url).resolve('vitest/package.json'))
    symlinkSync(vitestDir, join(root, 'node_modules/vitest'), 'dir')
    const suite = (id: string, failing: boolean) => {
      const pkg = join(root, `packages/provider-${id}`)
      mkdirSync(join(pkg, 'src'), { recursive: true })
      writeFileSync(
        join(pkg, 'package.json'),
        JSON.stringify({ name: `@modelplex/provider-${id}`, type: 'module' }),
      )
      writeFileSync(
        join(pkg, `src/${id}.conformance.test.ts`),
        `import { writeFileSync } from 'node:fs'
import { afterAll, expect, it } from 'vitest'
const scenarios = { 'generate.text': 'pass', 'stream.text': ${failing ? "'fail'" : "'pass'"}, 'embeddings.batch': 'unsupported' }
it('generate.text', () => expect(1).toBe(1))
it('stream.text', () => expect(${failing ? 2 : 1}).toBe(1))
it.skip('vision.image', () => {})
afterAll(() => writeFileSync('conformance-results.json', JSON.stringify({ provider: '${id}', name: '${id}', scenarios })))
`,
      )
    }
    suite('alpha', false)
    suite('beta', true)
    const run = await modelplex(['conformance'], { cwd: root })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`Running the conformance suite of 2 provider packages in ${root}`)
    expect(run.stderr).toMatch(/✔ alpha +2 passed · 1 skipped/)
    expect(run.stderr).toMatch(/✘ beta +1 passed · 1 failed · 1 skipped/)
    expect(run.stderr).toContain('stream.text: expected 2 to be 1')
    expect(run.stderr).toContain('1 of 2 providers failed: beta')
    const rows = lines(run.stdout)
    expect(rows[1]).toMatch(/Provider +│ generate +│ stream +│ embeddings/)
    expect(rows.find((row) => row.includes('alpha'))).toMatch(/│ alpha +│ ✔ 1\/1 +│ ✔ 1\/1 +│ — +│/)
    expect(rows.find((row) => row.includes('beta'))).toMatch(/│ beta +│ ✔ 1\/1 +│ ✘ 0\/1 +│ — +│/)

    const only = await modelplex(['conformance', '-p', 'alpha'], { cwd: root })
    expect(only.code).toBe(0)
    expect(only.stderr).toContain('1 of 1 providers passed (2 tests).')
    expect(only.stdout).not.toContain('beta')
  })
})
