import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

export interface LazySdkImportOptions {
  /** The provider package's folder (`resolve(import.meta.dirname, '..')` from a test in `src/`). */
  packageDir: string
  /** The factory the package exports, e.g. `createAnthropic`. */
  factory: string
  /** JSON settings for the factory; a failing `fetch` and `maxRetries: 0` are added. */
  settings: Record<string, unknown>
  /** Packages that must not load at import and must load on the first call, e.g. the SDK. */
  sdk: string[]
  /** Packages that must never load, e.g. `openai` under a provider built on another SDK. */
  never?: string[]
  /** Left external when the package is built for the probe (core and the SDKs). */
  external: string[]
  /** Workspace packages bundled from source, so the test does not depend on their build. */
  bundle?: string[]
}

/** A child process importing an SDK (Mistral's takes seconds) under a loaded CI machine. */
const PROBE_TIMEOUT_MS = 120_000

/** True when a resolved specifier or a `require.cache` path belongs to `name`. */
function belongsTo(entry: string, name: string): boolean {
  if (entry === name || entry.startsWith(`${name}/`)) return true
  const path = name.split('/').join('[\\\\/]')
  return new RegExp(`[\\\\/]node_modules[\\\\/]${path}[\\\\/]`).test(entry)
}

/**
 * A child process that records every specifier the module loader resolves (through a hooks
 * thread that reports on a port), imports the built package, then makes one failing call.
 * CommonJS `require`s are read from `require.cache`, which the ESM hooks do not see.
 */
function probeSource(type: 'module' | 'commonjs', factory: string): string {
  const load = type === 'module' ? 'await import(process.env.ENTRY)' : 'require(process.env.ENTRY)'
  const requireCache = type === 'module' ? '[]' : 'Object.keys(require.cache)'
  const body = `
const { register } = await import('node:module')
const { MessageChannel } = await import('node:worker_threads')
const { port1, port2 } = new MessageChannel()
const resolved = []
port1.on('message', (specifier) => resolved.push(specifier))
const hooks = 'let port; export function initialize(data) { port = data.port }' +
  ' export async function resolve(specifier, context, next) { port.postMessage(specifier); return next(specifier, context) }'
register('data:text/javascript,' + encodeURIComponent(hooks), { data: { port: port2 }, transferList: [port2] })
const settle = () => new Promise((done) => setTimeout(done, 100))
const mod = ${load}
await settle()
const atImport = [...resolved, ...${requireCache}]
const fetch = async () => { throw new TypeError('fetch failed') }
const provider = mod.${factory}({ ...JSON.parse(process.env.SETTINGS), fetch, retry: { maxRetries: 0 } })
const error = await provider.generate({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e)
await settle()
port1.close()
console.log(JSON.stringify({ atImport, afterCall: [...resolved, ...${requireCache}], error: error?.name }))`
  return type === 'module' ? body : `(async () => {${body}\n})()`
}

/**
 * Registers vitest tests proving that importing a provider package (ESM and CommonJS builds)
 * loads none of its SDK, and that the first call does — the SDK is a lazy peer.
 */
export function testLazySdkImport(options: LazySdkImportOptions): void {
  const outDir = resolve(options.packageDir, 'node_modules/.cache/lazy-import-test')
  const never = options.never ?? []
  const probe = (type: 'module' | 'commonjs', entry: string) => {
    const output = execFileSync(
      process.execPath,
      [`--input-type=${type}`, '-e', probeSource(type, options.factory)],
      {
        cwd: options.packageDir,
        env: { ...process.env, ENTRY: entry, SETTINGS: JSON.stringify(options.settings) },
        encoding: 'utf8',
      },
    )
    return JSON.parse(output.trim().split('\n').at(-1)!) as {
      atImport: string[]
      afterCall: string[]
      error: string
    }
  }
  const check = (result: { atImport: string[]; afterCall: string[]; error: string }) => {
    // The hooks saw the package's own imports, so an absent SDK means it was not imported.
    // Core shows as its specifier (ESM hooks) or, in the workspace, as its real dist path (require.cache).
    const isCore = (entry: string) =>
      belongsTo(entry, '@modelplex/core') || /[\\/]core[\\/]dist[\\/]/.test(entry)
    expect(result.atImport.some(isCore)).toBe(true)
    for (const name of options.sdk) {
      expect(
        result.atImport.filter((entry) => belongsTo(entry, name)),
        `${name} at import`,
      ).toEqual([])
      expect(
        result.afterCall.some((entry) => belongsTo(entry, name)),
        `${name} after the first call`,
      ).toBe(true)
    }
    for (const name of never) {
      expect(
        result.afterCall.filter((entry) => belongsTo(entry, name)),
        `${name} ever`,
      ).toEqual([])
    }
    expect(result.error).toBe('ConnectionError')
  }

  describe('importing the package', () => {
    beforeAll(async () => {
      // tsup is a devDependency of the workspace; imported here so the suite's entry does not need it.
      const { build } = await import('tsup')
      await build({
        entry: [resolve(options.packageDir, 'src/index.ts')],
        format: ['esm', 'cjs'],
        outDir,
        dts: false,
        sourcemap: false,
        clean: true,
        silent: true,
        config: false,
        target: 'node20',
        external: options.external,
        ...(options.bundle?.length
          ? {
              noExternal: options.bundle,
              esbuildOptions(esbuild) {
                esbuild.conditions = ['@modelplex/source']
              },
            }
          : {}),
      })
    }, PROBE_TIMEOUT_MS)

    const names = options.sdk.join(' and ')
    it(
      `does not load ${names} (ESM); the first call does`,
      () => {
        check(probe('module', pathToFileURL(resolve(outDir, 'index.js')).href))
      },
      PROBE_TIMEOUT_MS,
    )
    it(
      `does not load ${names} (CommonJS); the first call does`,
      () => {
        check(probe('commonjs', resolve(outDir, 'index.cjs')))
      },
      PROBE_TIMEOUT_MS,
    )
  })
}
