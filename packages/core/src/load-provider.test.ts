import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, MissingDependencyError } from './errors.js'
import { loadProvider, loadProviderSpec, registerProvider, unregisterProvider } from './load-provider.js'
import { fakeSpec, messages, textResult } from './test-helpers.js'

/** A provider spec as plain JavaScript source, as an installed package would export it. */
function specSource(id: string, greeting: string): string {
  return `{
  id: ${JSON.stringify(id)},
  name: 'Installed ${id}',
  sdk: { package: 'none', range: '*' },
  env: {},
  requiresApiKey: false,
  defaultModel: '${id}-default',
  capabilities: { stream: false, tools: false, structuredOutput: false, embeddings: false, vision: false, listModels: false },
  pricing: { source: 'test', readAt: '2025-01-01', free: true, models: {} },
  connect(settings) {
    return {
      async generate(request) {
        const text = ${JSON.stringify(greeting)} + ' ' + request.model + (settings.apiKey ? ' with a key' : '')
        return { text, content: [], toolCalls: [], finishReason: 'stop', rawFinishReason: undefined,
          usage: undefined, model: undefined, id: undefined, raw: null }
      },
      mapError(error) { return error },
    }
  },
}`
}

function writePackage(root: string, name: string, files: Record<string, unknown>): void {
  const dir = join(root, 'node_modules', name)
  mkdirSync(dir, { recursive: true })
  for (const [file, content] of Object.entries(files)) {
    writeFileSync(join(dir, file), typeof content === 'string' ? content : JSON.stringify(content, null, 2))
  }
}

let app: string
let empty: string

beforeAll(() => {
  app = mkdtempSync(join(tmpdir(), 'modelplex-app-'))
  empty = mkdtempSync(join(tmpdir(), 'modelplex-empty-'))
  // ESM, `exports` with `import` only and no "./package.json" export (the strictest shape).
  writePackage(app, '@modelplex/provider-fake', {
    'package.json': {
      name: '@modelplex/provider-fake',
      type: 'module',
      exports: { '.': { import: './index.js' } },
    },
    'index.js': `export default ${specSource('fake', 'hello from fake')}\nexport const createFake = () => {}\n`,
  })
  // The shape our own packages publish: conditions nested, types first, "./package.json" exported.
  writePackage(app, '@modelplex/provider-nested', {
    'package.json': {
      name: '@modelplex/provider-nested',
      type: 'module',
      exports: {
        '.': {
          import: { types: './dist/index.d.ts', default: './dist/index.js' },
          require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
        },
        './package.json': './package.json',
      },
    },
  })
  mkdirSync(join(app, 'node_modules/@modelplex/provider-nested/dist'))
  writeFileSync(
    join(app, 'node_modules/@modelplex/provider-nested/dist/index.js'),
    `export default ${specSource('nested', 'hello from nested')}\n`,
  )
  // CommonJS with `main` only; the spec sits on `module.exports.default`.
  writePackage(app, '@modelplex/provider-legacy', {
    'package.json': { name: '@modelplex/provider-legacy', main: 'main.cjs' },
    'main.cjs': `module.exports = { default: ${specSource('legacy', 'hello from legacy')} }\n`,
  })
  // A package under any name, loaded with the `module` option.
  writePackage(app, 'acme-llm-provider', {
    'package.json': { name: 'acme-llm-provider', type: 'module', exports: './index.js' },
    'index.js': `export default ${specSource('acme', 'hello from acme')}\n`,
  })
  writePackage(app, '@modelplex/provider-empty', {
    'package.json': {
      name: '@modelplex/provider-empty',
      type: 'module',
      exports: { '.': { import: './index.js' } },
    },
    'index.js': 'export const nothing = 1\n',
  })
})

afterAll(() => {
  rmSync(app, { recursive: true, force: true })
  rmSync(empty, { recursive: true, force: true })
})

afterEach(() => {
  unregisterProvider('registered')
})

describe('loadProvider from the application', () => {
  it('resolves an ESM package with `exports` → `import` from the `from` directory', async () => {
    const provider = await loadProvider('fake', { from: app })
    expect(provider.id).toBe('fake')
    expect(provider.defaultModel).toBe('fake-default')
    const result = await provider.generate({ messages })
    expect(result.text).toBe('hello from fake fake-default')
    expect(result.provider).toBe('fake')
  })

  it('passes settings through, but not `from` (which is no provider setting)', async () => {
    const provider = await loadProvider('fake', { from: app, apiKey: 'key-12345678' })
    expect((await provider.generate({ model: 'm', messages })).text).toBe('hello from fake m with a key')
  })

  it('resolves nested import conditions (types first, then default)', async () => {
    const provider = await loadProvider('nested', { from: app })
    expect((await provider.generate({ messages })).text).toBe('hello from nested nested-default')
  })

  it('resolves a CommonJS package with only `main`', async () => {
    const provider = await loadProvider('legacy', { from: app })
    expect((await provider.generate({ messages })).text).toBe('hello from legacy legacy-default')
  })

  it('loads any package named with the `module` option', async () => {
    const provider = await loadProvider('acme', { from: app, module: 'acme-llm-provider' })
    expect(provider.id).toBe('acme')
    expect((await provider.generate({ messages })).text).toContain('hello from acme')
  })

  it('a missing package → MissingDependencyError with the exact npm i line', async () => {
    const error = await loadProvider('not-published-anywhere', { from: empty }).catch((e: unknown) => e)
    expect(MissingDependencyError.isInstance(error)).toBe(true)
    const missing = error as MissingDependencyError
    expect(missing.message).toContain('npm i @modelplex/provider-not-published-anywhere')
    expect(missing.packageName).toBe('@modelplex/provider-not-published-anywhere')
    expect(missing.provider).toBe('not-published-anywhere')
  })

  it('the package installed in one app is missing from another', async () => {
    await expect(loadProviderSpec('fake', { from: empty })).rejects.toSatisfy((e) =>
      MissingDependencyError.isInstance(e),
    )
  })

  it.each(['OpenAI', 'open ai', '../evil', '@scope/pkg', ''])(
    'an invalid id (%j) → ConfigError',
    async (id) => {
      const error = await loadProvider(id, { from: app }).catch((e: unknown) => e)
      expect(ConfigError.isInstance(error)).toBe(true)
      expect((error as ConfigError).message).toContain('not a provider id')
    },
  )

  it('a module that exports no spec → ConfigError naming the package', async () => {
    const error = await loadProvider('empty', { from: app }).catch((e: unknown) => e)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect((error as ConfigError).message).toContain('@modelplex/provider-empty')
    expect((error as ConfigError).message).toContain('defineProvider')
  })
})

describe('registerProvider', () => {
  it('makes a spec loadable by its id, ahead of any package', async () => {
    const spec = fakeSpec(
      { generate: async (request) => textResult(`registered ${request.model}`) },
      { id: 'registered' },
    )
    registerProvider(spec)
    const provider = await loadProvider('registered', { from: empty })
    expect((await provider.generate({ model: 'x', messages })).text).toBe('registered x')
    expect(spec.connect).toHaveBeenCalledTimes(1)
  })

  it('passes settings to connect', async () => {
    const spec = fakeSpec({}, { id: 'registered' })
    registerProvider(spec)
    await (await loadProvider('registered', { apiKey: 'sk-registered-123' })).generate({ messages })
    expect(spec.connect.mock.calls[0]![0]).toMatchObject({ apiKey: 'sk-registered-123' })
  })

  it('unregisterProvider forgets it', async () => {
    registerProvider(fakeSpec({}, { id: 'registered' }))
    unregisterProvider('registered')
    await expect(loadProviderSpec('registered', { from: empty })).rejects.toSatisfy((e) =>
      MissingDependencyError.isInstance(e),
    )
  })

  it('rejects something that is not a spec', () => {
    expect(() => registerProvider({ id: 'x' } as never)).toThrow(/does not export a provider spec/)
    expect(() => registerProvider(undefined as never)).toThrow(ConfigError)
  })
})
