import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'tsup'
import { beforeAll, describe, expect, it } from 'vitest'

// Built fresh from source (ESM and CJS, no types) inside the package, so bare imports resolve as they would for a user.
const outDir = resolve(import.meta.dirname, '../node_modules/.cache/lazy-import-test')

/**
 * A child process that records every specifier the module loader resolves (through a hooks
 * thread that reports back on a port), imports the built package, then makes one failing call.
 * CommonJS `require`s are read from `require.cache` instead, which the ESM hooks do not see.
 */
function probeSource(type: 'module' | 'commonjs'): string {
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
const provider = mod.createDeepSeek({ apiKey: 'sk-lazy-import-test', baseURL: 'http://localhost:1/v1', fetch, retry: { maxRetries: 0 } })
const error = await provider.generate({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e)
await settle()
port1.close()
console.log(JSON.stringify({ atImport, afterCall: resolved, error: error?.name }))`
  return type === 'module' ? body : `(async () => {${body}\n})()`
}

function probe(type: 'module' | 'commonjs', entry: string) {
  const output = execFileSync(process.execPath, [`--input-type=${type}`, '-e', probeSource(type)], {
    cwd: resolve(import.meta.dirname, '..'),
    env: { ...process.env, ENTRY: entry },
    encoding: 'utf8',
  })
  return JSON.parse(output.trim().split('\n').at(-1)!)
}

describe('importing the package', () => {
  beforeAll(async () => {
    await build({
      entry: [resolve(import.meta.dirname, 'index.ts')],
      format: ['esm', 'cjs'],
      outDir,
      dts: false,
      sourcemap: false,
      clean: true,
      silent: true,
      config: false,
      target: 'node20',
      external: ['@modelplex/core', '@modelplex/provider-openai-compatible', 'openai'],
    })
  }, 60_000)

  it('does not load openai (ESM); the first call does', () => {
    const result = probe('module', pathToFileURL(resolve(outDir, 'index.js')).href)
    // The hook saw the package's own imports, so an absent `openai` means it was not imported.
    expect(result.atImport).toContain('@modelplex/core')
    expect(result.atImport).not.toContain('openai')
    expect(result.afterCall).toContain('openai')
    expect(result.error).toBe('ConnectionError')
  })

  it('does not load openai (CommonJS); the first call does', () => {
    const result = probe('commonjs', resolve(outDir, 'index.cjs'))
    const isOpenAI = (entry: string) => entry === 'openai' || /[\\/]node_modules[\\/]openai[\\/]/.test(entry)
    expect(result.atImport.some((entry: string) => entry.includes('core'))).toBe(true)
    expect(result.atImport.filter(isOpenAI)).toEqual([])
    expect(result.afterCall).toContain('openai')
    expect(result.error).toBe('ConnectionError')
  })
})
