import { createRequire } from 'node:module'
import type { WireKit } from '@modelplex/conformance'
import type { ProviderSpec } from '@modelplex/core'

/**
 * The provider packages this CLI ships with, in the order it lists and tours them. Adding a
 * provider is one line here, plus `@modelplex/provider-<id>` and its SDK in package.json (a test
 * keeps the two in step).
 */
export const providerIds: readonly string[] = [
  'openai',
  'anthropic',
  'google',
  'groq',
  'mistral',
  'cohere',
  'together',
  'openrouter',
  'xai',
  'deepseek',
  'nvidia',
  'azure-openai',
  'bedrock',
  'ollama',
  'openai-compatible',
]

const require = createRequire(import.meta.url)

/** The package name of a provider id. */
export const packageOf = (id: string): string => `@modelplex/provider-${id}`

/** A provider package as the CLI found it. */
export interface InstalledProvider {
  id: string
  spec: ProviderSpec<any>
  version: string
}

/** Imports a module from the CLI's own node_modules; a specifier the bundler must leave alone. */
function importHere(specifier: string): Promise<any> {
  return import(specifier)
}

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND'
}

/** Takes the spec out of a module: `default`, or CJS interop `default.default`. */
function specOf(module: any): ProviderSpec<any> | undefined {
  let candidate = module
  for (let i = 0; i < 3 && candidate && typeof candidate.connect !== 'function'; i++)
    candidate = candidate.default
  return candidate && typeof candidate.connect === 'function' ? candidate : undefined
}

const loaded = new Map<string, Promise<InstalledProvider | undefined>>()

/** Loads a provider package; undefined when it is not installed next to the CLI. */
export function loadInstalled(id: string): Promise<InstalledProvider | undefined> {
  let entry = loaded.get(id)
  if (!entry) {
    entry = (async () => {
      let module: unknown
      try {
        module = await importHere(packageOf(id))
      } catch (error) {
        if (isNotFound(error)) return undefined
        throw error
      }
      const spec = specOf(module)
      if (!spec) throw new Error(`${packageOf(id)} does not export a provider spec`)
      let version = '?'
      try {
        version = require(`${packageOf(id)}/package.json`).version
      } catch {
        // A package without "./package.json" in its exports still works; it just shows no version.
      }
      return { id, spec, version }
    })()
    loaded.set(id, entry)
  }
  return entry
}

/** Every shipped provider that is installed, in list order. */
export async function loadAllInstalled(): Promise<InstalledProvider[]> {
  const all = await Promise.all(providerIds.map((id) => loadInstalled(id).catch(() => undefined)))
  return all.filter((entry): entry is InstalledProvider => entry !== undefined)
}

/** The provider's conformance wire kit (`@modelplex/provider-<id>/testing`). */
export async function loadKit(id: string): Promise<WireKit> {
  const module = await importHere(`${packageOf(id)}/testing`)
  const kit = module.kit ?? module.default?.kit
  if (!kit || typeof kit.handlers !== 'function') {
    throw new Error(`${packageOf(id)}/testing exports no wire kit named "kit"`)
  }
  return kit as WireKit
}
