import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import * as adapter from './adapter.js'
import * as core from './index.js'

const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url))
const adapterDist = fileURLToPath(new URL('../dist/adapter.js', import.meta.url))

/**
 * Runs `script` in a fresh Node process where resolving `zod` throws, so any import of zod
 * (static or dynamic) fails loudly. Returns what the script printed, or the failure.
 */
function withZodForbidden(script: string): { ok: boolean; output: string } {
  const hooks = `export async function resolve(specifier, context, next) {
    if (specifier === 'zod' || specifier.startsWith('zod/')) throw new Error('zod was imported')
    return next(specifier, context)
  }`
  const program = `import { register } from 'node:module'
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}))
${script}`
  try {
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', program], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    return { ok: true, output }
  } catch (error) {
    return { ok: false, output: String((error as { stderr?: string }).stderr ?? error) }
  }
}

describe('@modelplex/core entry', () => {
  it('exports the public API', () => {
    for (const name of [
      'createClient',
      'createProvider',
      'loadProvider',
      'registerProvider',
      'detectProvider',
      'computeCost',
      'ModelplexError',
      'StructuredOutputError',
    ]) {
      expect(core, name).toHaveProperty(name)
    }
  })

  it('keeps what providers build on out of the user API, in @modelplex/core/adapter', () => {
    for (const name of [
      'defineProvider',
      'importSdk',
      'parseRetryAfter',
      'parseToolInput',
      'errorFromStatus',
      'StreamEventTranslator',
      'ServerSentEventReader',
      'readHeader',
      'malformedResponse',
    ]) {
      expect(adapter, name).toHaveProperty(name)
      expect(core, name).not.toHaveProperty(name)
    }
  })

  // Built output only: plain Node cannot import src/*.ts. Core's `test` task must depend on its
  // own `build` (turbo) for this to run in CI rather than skip.
  it.skipIf(!existsSync(dist))('importing the built entry does not load zod (the check itself bites)', () => {
    const url = pathToFileURL(dist).href
    const imported = withZodForbidden(
      `const core = await import(${JSON.stringify(url)}); console.log(typeof core.createClient, typeof core.ModelplexError)`,
    )
    expect(imported.output).toContain('function function')
    expect(imported.ok).toBe(true)
    // Control: the hook does stop a zod import, so the check above is meaningful.
    const control = withZodForbidden(`await import('zod')`)
    expect(control.ok).toBe(false)
    expect(control.output).toContain('zod was imported')
  })

  it.skipIf(!existsSync(dist) || !existsSync(adapterDist))(
    'a valid first call generates, streams and embeds without loading zod',
    () => {
      const url = pathToFileURL(dist).href
      const script = `const { createProvider } = await import(${JSON.stringify(url)})
const { defineProvider } = await import(${JSON.stringify(pathToFileURL(adapterDist).href)})
const usage = { inputTokens: 2, outputTokens: 1, totalTokens: 3 }
const adapter = {
  async generate() { return { text: 'hi', content: [], toolCalls: [], finishReason: 'stop', usage } },
  async stream() { return (async function* () { yield { type: 'text-delta', text: 'h' }; yield { type: 'finish', finishReason: 'stop', usage } })() },
  async embed() { return { embeddings: [[1, 0]] } },
  mapError(error) { return error },
}
const spec = defineProvider({
  id: 'fake', name: 'Fake', sdk: { package: 'none', range: '*' },
  settingsSchema: () => { throw new Error('the settings schema was built') },
  settingChecks: { region: (value) => value === 'eu' },
  env: {}, defaultModel: 'm', capabilities: { stream: true, embeddings: true }, pricing: { source: 'test', readAt: '2026-11-21', models: {} },
  connect: () => adapter,
})
const provider = createProvider(spec, { apiKey: 'k', baseURL: 'https://api.example.com/v1', region: 'eu', retry: { maxRetries: 0 } })
const messages = [{ role: 'user', content: 'hello' }]
const text = (await provider.generate({ messages, temperature: 0.5, maxOutputTokens: 10 })).text
let streamed = ''
for await (const event of provider.stream({ messages })) if (event.type === 'text-delta') streamed += event.text
const vectors = (await provider.embed({ input: 'x' })).embeddings.length
console.log(text, streamed, vectors)`
      const run = withZodForbidden(script)
      expect(run.output.trim()).toBe('hi h 1')
      expect(run.ok).toBe(true)
      // A setting without a fast check goes to the provider's schema, which is then built.
      const slow = withZodForbidden(script.replace("region: 'eu'", "region: 'us'"))
      expect(slow.ok).toBe(false)
      expect(slow.output).toContain('zod was imported')
    },
  )
})
