import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { formatWithOptions, inspect } from 'node:util'
import {
  type ScenarioContext,
  scenarios,
  type WireKit,
  type WireReply,
  type WireRequestView,
} from '@modelplex/conformance'
import {
  computeCost,
  createClient,
  createProvider,
  type Hooks,
  type ModelplexError,
  mergePricing,
  type ProviderSpec,
  type RouteEvent,
} from '@modelplex/core'
import type { HttpHandler } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { secretsOf, vendors } from './vendors.js'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const echo = process.env.MODELPLEX_HYGIENE_ECHO === '1'

/** Everything the suite produced that a user could see: errors, hook payloads, log lines, writes. */
const seen = {
  errors: [] as unknown[],
  payloads: [] as unknown[],
  console: [] as string[],
  writes: [] as string[],
}
/** Every key and secret given to a provider here or by the kits' defaults elsewhere in the suite. */
const keys = new Set<string>()

const capture: Hooks = {
  onRequest: (event) => seen.payloads.push(event),
  onResponse: (event) => seen.payloads.push(event),
  onRetry: (event) => {
    seen.payloads.push(event)
    seen.errors.push(event.error)
  },
  onError: (event) => {
    seen.payloads.push(event)
    seen.errors.push(event.error)
  },
}

// Console and stdio are patched by hand: vitest's restoreMocks would undo a spy between tests.
const originals = {
  console: { ...console },
  stdout: process.stdout.write.bind(process.stdout),
  stderr: process.stderr.write.bind(process.stderr),
}
beforeAll(() => {
  for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    console[level] = (...args: unknown[]) => {
      seen.console.push(formatWithOptions({ depth: 10 }, ...args))
      if (echo) originals.console[level](...args)
    }
  }
  for (const stream of ['stdout', 'stderr'] as const) {
    process[stream].write = ((chunk: unknown, ...rest: unknown[]) => {
      seen.writes.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'))
      return (originals[stream] as (...args: unknown[]) => boolean)(chunk, ...rest)
    }) as typeof process.stdout.write
  }
})
afterAll(() => {
  Object.assign(console, originals.console)
  process.stdout.write = originals.stdout as typeof process.stdout.write
  process.stderr.write = originals.stderr as typeof process.stderr.write
})

/** A key no file in the repository can hold by accident: the provider id and fresh random bytes. */
const distinctive = (id: string) => `sk-hygiene-${id}-${randomBytes(12).toString('hex')}`

interface Present {
  id: string
  spec: ProviderSpec<any>
  kit: WireKit
  /** Whether the kit took the distinctive key (else it kept its own, scanned all the same). */
  fresh: boolean
}

/** Every provider package with a `./testing` kit, loaded from source, each with a kit holding a fresh key. */
async function presentProviders(): Promise<{ present: Present[]; skipped: string[] }> {
  const present: Present[] = []
  const skipped: string[] = []
  const packages = join(root, 'packages')
  for (const name of readdirSync(packages).sort()) {
    if (!name.startsWith('provider-')) continue
    const dir = join(packages, name)
    const manifest = join(dir, 'package.json')
    if (
      !existsSync(manifest) ||
      !existsSync(join(dir, 'src/index.ts')) ||
      !existsSync(join(dir, 'src/testing.ts'))
    ) {
      continue
    }
    if (!JSON.parse(readFileSync(manifest, 'utf8')).exports?.['./testing']) continue
    const id = name.slice('provider-'.length)
    try {
      const spec = (await import(pathToFileURL(join(dir, 'src/index.ts')).href)).default as ProviderSpec<any>
      const testing = (await import(pathToFileURL(join(dir, 'src/testing.ts')).href)) as Record<
        string,
        unknown
      >
      const factory = Object.entries(testing).find(
        ([exported, value]) => /^create\w*Kit$/.test(exported) && typeof value === 'function',
      )?.[1] as ((options: object) => WireKit) | undefined
      const key = distinctive(id)
      let kit = testing.kit as WireKit
      // The default kit's key is what the rest of the suite uses: snapshots and fixtures must not hold it either.
      for (const secret of secretsOf(kit)) keys.add(secret)
      try {
        const made = factory?.({ apiKey: key, secretAccessKey: key })
        if (made && secretsOf(made).includes(key)) kit = made
      } catch {
        // A factory that needs other options: the default kit and its own key are scanned instead.
      }
      for (const secret of secretsOf(kit)) keys.add(secret)
      present.push({ id, spec, kit, fresh: secretsOf(kit).includes(key) })
    } catch (error) {
      skipped.push(`${id} (${(error as Error).message.split('\n')[0]})`)
    }
  }
  return { present, skipped }
}

const { present, skipped } = await presentProviders()
const scenarioFailures: string[] = []
let scenariosRun = 0

/** Runs every conformance scenario the provider's capabilities claim, keeping each error and hook payload. */
async function runScenarios({ id, spec, kit }: Present): Promise<void> {
  const views: WireRequestView[] = []
  let queue: WireReply[] = []
  const serve = (view: WireRequestView): WireReply => {
    views.push(view)
    const reply = queue.length > 1 ? queue.shift() : queue[0]
    if (!reply) throw new Error(`no reply scripted for ${view.operation}`)
    return reply
  }
  const server = setupServer(...kit.handlers(serve))
  server.listen({ onUnhandledRequest: 'error' })
  const make = (settings: Record<string, unknown> = {}) =>
    createProvider(spec, {
      ...kit.settings,
      hooks: capture,
      ...settings,
      retry: { initialDelayMs: 1, maxDelayMs: 5 },
    } as never)
  const pricing = mergePricing(spec.pricing, kit.settings.pricing as never)
  const context: ScenarioContext = {
    spec,
    kit,
    provider: make(),
    chatModel: kit.models.chat,
    embeddingModel: kit.models.embedding ?? spec.defaultEmbeddingModel ?? spec.defaultModel,
    script(...replies) {
      queue = replies
    },
    views,
    async failure(call) {
      try {
        await call
      } catch (error) {
        seen.errors.push(error)
        return error as ModelplexError
      }
      throw new Error('expected the call to fail, but it succeeded')
    },
    createProvider: make,
    use: (...handlers: HttpHandler[]) => server.use(...handlers),
    serve,
    expectedCost: (model, usage) => computeCost(pricing, model, usage),
  }
  try {
    for (const scenario of scenarios) {
      if (scenario.requires.some((capability) => !spec.capabilities[capability])) continue
      views.length = 0
      queue = []
      scenariosRun++
      try {
        await scenario.run(context)
      } catch (error) {
        // Whether the scenario passes is `pnpm conformance`'s question; this file only scans.
        scenarioFailures.push(`${id} ${scenario.id}: ${String((error as Error).message).split('\n')[0]}`)
      } finally {
        server.resetHandlers()
      }
    }
    // Settings a user gets wrong, with the key present: the ConfigError must not quote it.
    for (const settings of [{ baseURL: 'not a url' }, { unknownOption: true }]) {
      await make(settings)
        .generate({ model: kit.models.chat, messages: [{ role: 'user', content: 'Hi' }] })
        .catch((error: unknown) => seen.errors.push(error))
    }
  } finally {
    server.close()
  }
}

describe('secret hygiene', () => {
  it('finds the providers to scan', () => {
    expect(present.length).toBeGreaterThanOrEqual(vendors.length)
    for (const vendor of vendors) expect(present.map((p) => p.id)).toContain(vendor.id)
  })

  for (const provider of present) {
    it(`runs the conformance scenarios of ${provider.id} with ${provider.fresh ? 'a fresh key' : 'its kit key'}`, async () => {
      await runScenarios(provider)
    }, 120_000)
  }

  it('routes a fallback chain across providers, with every client hook and a throwing one', async () => {
    const kits = new Map(vendors.map((vendor) => [vendor.id, present.find((p) => p.id === vendor.id)!.kit]))
    const failures: Record<string, WireReply> = {
      openai: { type: 'error', kind: 'unauthorized' },
      anthropic: { type: 'error', kind: 'rate-limit', retryAfterMs: 1 },
      google: { type: 'error', kind: 'server' },
      bedrock: { type: 'error', kind: 'forbidden' },
      ollama: { type: 'reset' },
    }
    let last: WireReply = {
      type: 'generate',
      text: 'ok',
      finishReason: 'stop',
      usage: { inputTokens: 1, outputTokens: 1 },
    }
    const handlers = vendors.flatMap((vendor) =>
      kits.get(vendor.id)!.handlers((view) => {
        if (vendor.id !== 'ollama') return failures[vendor.id]!
        return view.operation === 'stream' && last.type === 'generate'
          ? { type: 'stream', parts: [{ type: 'text', text: 'ok' }], finishReason: 'stop', usage: last.usage }
          : last
      }),
    )
    const server = setupServer(...handlers)
    server.listen({ onUnhandledRequest: 'error' })
    try {
      const routes: RouteEvent[] = []
      const client = createClient({
        providers: Object.fromEntries(
          vendors.map((vendor) => [
            vendor.id,
            { ...kits.get(vendor.id)!.settings, load: async () => ({ default: vendor.spec }) },
          ]),
        ),
        retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 5 },
        fallback: {
          models: vendors.map((vendor) => `${vendor.id}:${kits.get(vendor.id)!.models.chat}`),
          on: { unavailable: true },
          cooldownMs: 60_000,
        },
        hooks: {
          ...capture,
          onFallback: (event) => {
            seen.payloads.push(event)
            seen.errors.push(event.error)
          },
          onRoute: (event) => {
            routes.push(event)
            seen.payloads.push(event)
            // An observer that fails: core logs what it threw, and that log is scanned too.
            throw new Error(`route observer failed on ${JSON.stringify(event)}`)
          },
        },
      })
      const messages = [{ role: 'user' as const, content: 'Hi' }]
      expect((await client.generate({ messages })).provider).toBe('ollama')
      expect((await client.stream({ messages }).result()).text).toBe('ok')
      last = { type: 'reset' }
      const error = await client.generate({ messages }).catch((e: unknown) => e)
      seen.errors.push(error)
      expect(routes).toHaveLength(3)
      expect(routes[0]!.candidates.map((candidate) => candidate.outcome)).toEqual([
        'failed',
        'failed',
        'failed',
        'failed',
        'served',
      ])
      expect(routes[1]!.candidates.slice(0, 4).map((candidate) => candidate.reason)).toEqual(
        Array(4).fill(expect.stringMatching(/^cooldown|^error: (AuthenticationError)/)),
      )
    } finally {
      server.close()
    }
  })

  it('no key in any error, toJSON, inspect, hook payload, log line, write, snapshot or fixture', () => {
    const found = new Set(keys)
    for (const vendor of present) for (const secret of secretsOf(vendor.kit)) found.add(secret)
    for (const name of Object.keys(process.env)) {
      const value = process.env[name]
      if (/API_KEY$|SECRET_ACCESS_KEY$|_TOKEN$/.test(name) && value && value.length >= 8) found.add(value)
    }
    const secrets = [...found]
    const leaks: string[] = []
    const check = (where: string, text: string) => {
      for (const secret of secrets)
        if (text.includes(secret)) leaks.push(`${where} holds ${secret.slice(0, 6)}…`)
    }
    // The scan itself: a planted key must be found, or finding none proves nothing.
    check('canary', inspect({ error: new Error(`bad key ${secrets[0]}`) }, { depth: 10 }))
    expect(leaks).toHaveLength(1)
    leaks.length = 0
    let renderings = 0
    const render = (where: string, value: unknown, json: () => string) => {
      const forms: Record<string, () => string> = {
        json,
        inspect: () => inspect(value, { depth: 10 }),
        string: () => String(value),
        message: () => String((value as Error)?.message ?? ''),
        stack: () => String((value as Error)?.stack ?? ''),
      }
      for (const [how, make] of Object.entries(forms)) {
        renderings++
        check(`${where} (${how})`, make())
      }
    }
    for (const [index, error] of seen.errors.entries()) {
      render(`error ${index} ${(error as Error)?.name}`, error, () => JSON.stringify(error) ?? '')
      const toJSON = (error as { toJSON?: () => unknown })?.toJSON
      if (typeof toJSON === 'function') check(`error ${index} toJSON()`, JSON.stringify(toJSON.call(error)))
    }
    for (const [index, payload] of seen.payloads.entries()) {
      render(`hook payload ${index}`, payload, () => JSON.stringify(payload) ?? '')
    }
    for (const [index, line] of seen.console.entries()) check(`console line ${index}`, line)
    for (const [index, write] of seen.writes.entries()) check(`stdout/stderr write ${index}`, write)

    const files: string[] = []
    const walk = (dir: string, inside: boolean) => {
      for (const entry of readdirSync(dir)) {
        if (['node_modules', '.git', 'dist', '.turbo', 'coverage'].includes(entry)) continue
        const path = join(dir, entry)
        let directory: boolean
        try {
          directory = statSync(path).isDirectory()
        } catch {
          // Removed while walking (another test's temporary files).
          continue
        }
        if (directory) {
          walk(
            path,
            inside || ['__snapshots__', '__fixtures__', '__recordings__', 'fixtures'].includes(entry),
          )
        } else if (inside || entry.endsWith('.snap')) {
          files.push(path)
        }
      }
    }
    walk(root, false)
    let bytes = 0
    for (const file of files) {
      let text: string
      try {
        text = readFileSync(file).toString('latin1')
      } catch {
        continue
      }
      bytes += text.length
      check(relative(root, file), text)
    }

    originals.console.log(
      [
        `secret hygiene: ${secrets.length} keys of ${present.length} providers (${present.filter((p) => p.fresh).length} with a fresh key), ${scenariosRun} scenarios run${skipped.length ? `, skipped ${skipped.join(', ')}` : ''}`,
        `  scanned ${seen.errors.length} errors and ${seen.payloads.length} hook payloads (${renderings} renderings), ${seen.console.length} console lines, ${seen.writes.length} stdout/stderr writes, ${files.length} snapshot/fixture files (${(bytes / 1024).toFixed(0)} KiB)`,
        `  occurrences of a key: ${leaks.length}`,
        ...leaks.slice(0, 20).map((leak) => `    ${leak}`),
        `  scenarios not passing here (providers skip some in their own runs; pnpm conformance is the judge): ${scenarioFailures.length}`,
        ...scenarioFailures.slice(0, 10).map((failure) => `    ${failure}`),
      ].join('\n'),
    )
    expect(seen.errors.length).toBeGreaterThan(present.length * 10)
    expect(seen.payloads.length).toBeGreaterThan(100)
    expect(seen.console.length, 'the throwing hook should have been logged').toBeGreaterThan(0)
    expect(files.length).toBeGreaterThan(0)
    expect(leaks).toEqual([])
  })
})
