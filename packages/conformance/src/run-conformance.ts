import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { inspect } from 'node:util'
import {
  computeCost,
  createProvider,
  type ModelplexError,
  mergePricing,
  type Provider,
  type ProviderSpec,
  UnsupportedCapabilityError,
} from '@modelplex/core'
import type { HttpHandler } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  apiKeyRedactedScenario,
  type CapabilityName,
  capabilityGroups,
  expectError,
  type ScenarioContext,
  scenarioGroups,
  scenarios,
  unsupportedChecks,
} from './conformance-scenarios.js'
import type { WireKit, WireReply, WireRequestView } from './wire-kit.js'

/** How one scenario ended: 'unsupported' means the capability is unclaimed and was shown to throw. */
export type ScenarioStatus = 'pass' | 'fail' | 'unsupported' | 'skipped'

/** The file the suite writes for the matrix. */
export interface ConformanceResults {
  provider: string
  name: string
  scenarios: Record<string, ScenarioStatus>
  /** The interface-v2 capabilities the spec claims, shown beside the scenarios in the matrix. */
  capabilities?: { files: readonly string[]; reasoning: boolean; cacheControl: boolean }
}

export interface ConformanceOptions {
  spec: ProviderSpec<any>
  kit: WireKit
  /** Scenario ids (or whole groups, e.g. `vision`) to skip, each with the reason shown in the report. */
  skip?: Record<string, string>
  /** The name in the test report and the matrix (default `spec.name`). */
  name?: string
  /**
   * Where to write the results, relative to the working directory (default
   * `conformance-results.json`); `false` writes nothing. A package that runs the suite twice
   * gives the second run `conformance-results.<variant>.json`.
   */
  resultsFile?: string | false
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? ''
  } catch (error) {
    return `unserializable: ${(error as Error).message}`
  }
}

/** Retries as fast as possible: the suite checks that retries happen, not how long backoff waits. */
const fastRetry = { retry: { initialDelayMs: 1, maxDelayMs: 5 } }

/**
 * Registers the conformance suite for one provider in vitest:
 * `describe('groq', () => runConformance({ spec, kit }))`. Every scenario talks to the kit's MSW
 * handlers and asserts only through the core API and the request views the kit reads back.
 */
export function runConformance(options: ConformanceOptions): void {
  const { spec, kit, skip = {}, name = spec.name, resultsFile = 'conformance-results.json' } = options
  // A mistyped id would otherwise skip nothing and say nothing.
  const known = new Set([
    ...scenarios.map((scenario) => scenario.id),
    ...Object.values(capabilityGroups).map((group) => `${group}.unsupported`),
    apiKeyRedactedScenario.id,
    ...scenarioGroups,
  ])
  const unknown = Object.keys(skip).filter((id) => !known.has(id))
  if (unknown.length > 0) {
    throw new Error(`runConformance: unknown scenario ids in skip: ${unknown.join(', ')}`)
  }

  const results: ConformanceResults = {
    provider: spec.id,
    name,
    scenarios: {},
    capabilities: {
      files: spec.capabilities.files ?? [],
      reasoning: spec.capabilities.reasoning === true,
      cacheControl: spec.capabilities.cacheControl === true,
    },
  }
  const views: WireRequestView[] = []
  const thrown: unknown[] = []
  let queue: WireReply[] = []

  function serve(view: WireRequestView): WireReply {
    views.push(view)
    const reply = queue.length > 1 ? queue.shift() : queue[0]
    if (!reply) {
      throw new Error(`conformance: no reply scripted for this ${view.operation} request (${view.url})`)
    }
    return reply
  }

  const server = setupServer(...kit.handlers(serve))
  const make = (settings: Record<string, unknown> = {}): Provider =>
    createProvider(spec, { ...kit.settings, ...settings, ...fastRetry } as never)
  const provider = make()
  const pricing = mergePricing(spec.pricing, kit.settings.pricing as never)

  const context: ScenarioContext = {
    spec,
    kit,
    provider,
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
        if (error !== undefined) thrown.push(error)
        return error as ModelplexError
      }
      throw new Error('expected the call to fail, but it succeeded')
    },
    createProvider: make,
    use: (...handlers: HttpHandler[]) => server.use(...handlers),
    serve,
    expectedCost: (model, usage) => computeCost(pricing, model, usage),
  }

  const claimed = (capability: CapabilityName) => Boolean(spec.capabilities[capability])
  const skipReason = (id: string) => skip[id] ?? skip[id.slice(0, id.indexOf('.'))]

  /** Registers one scenario; its outcome is recorded whether it passes or throws. */
  function register(
    id: string,
    title: string,
    body: () => Promise<void>,
    success: ScenarioStatus = 'pass',
  ): void {
    const reason = skipReason(id)
    if (reason !== undefined) {
      results.scenarios[id] = 'skipped'
      it.skip(`${id}: ${title} (skipped: ${reason})`, () => {})
      return
    }
    it(`${id}: ${title}`, async () => {
      views.length = 0
      queue = []
      try {
        await body()
        results.scenarios[id] = success
      } catch (error) {
        results.scenarios[id] = 'fail'
        throw error
      }
    })
  }

  describe(`conformance: ${name}`, () => {
    beforeAll(async () => {
      server.listen({ onUnhandledRequest: 'error' })
      // Pay the vendor SDK's import (seconds under load for some) before any scenario's clock
      // starts: `connect` is where the SDK is imported, and the module cache keeps it for the suite.
      // A kit whose settings `connect` refuses is left to the scenarios, which report it properly.
      await Promise.resolve()
        .then(() => spec.connect(kit.settings as never))
        .catch(() => undefined)
    })
    afterEach(() => {
      server.resetHandlers()
      queue = []
    })
    afterAll(() => {
      server.close()
      if (resultsFile !== false) {
        writeFileSync(resolve(process.cwd(), resultsFile), `${JSON.stringify(results, null, 2)}\n`)
      }
    })

    for (const capability of Object.keys(unsupportedChecks) as CapabilityName[]) {
      if (claimed(capability)) continue
      const group = capabilityGroups[capability]
      register(
        `${group}.unsupported`,
        `${capability} is not claimed: the call throws UnsupportedCapabilityError and sends nothing`,
        async () => {
          const error = await context.failure(unsupportedChecks[capability]!(context))
          expectError(error, UnsupportedCapabilityError)
          expect(views).toHaveLength(0)
        },
        'unsupported',
      )
    }

    for (const scenario of scenarios) {
      const missing = scenario.requires.filter((capability) => !claimed(capability))
      if (missing.length > 0) {
        results.scenarios[scenario.id] = 'unsupported'
        const checks = missing.map((capability) => `${capabilityGroups[capability]}.unsupported`).join(', ')
        it.skip(`${scenario.id}: ${scenario.title} (unsupported: ${missing.join(', ')} not claimed; see ${checks})`, () => {})
        continue
      }
      register(scenario.id, scenario.title, () => scenario.run(context))
    }

    // Last: every error the suite caught, scanned for the key.
    register(apiKeyRedactedScenario.id, apiKeyRedactedScenario.title, async () => {
      // Core redacts secrets of 8 characters or more; a shorter test key would prove nothing.
      expect(kit.apiKey.length).toBeGreaterThanOrEqual(8)
      expect(thrown.length, 'no error scenario ran, so nothing was scanned').toBeGreaterThan(0)
      for (const error of thrown) {
        const renderings = {
          message: (error as Error).message ?? '',
          json: safeStringify(error),
          inspect: inspect(error, { depth: 10 }),
          string: String(error),
        }
        for (const [how, text] of Object.entries(renderings)) {
          expect(
            text.includes(kit.apiKey),
            `the API key leaked through ${how} of ${(error as Error).name}`,
          ).toBe(false)
        }
      }
    })
  })
}
