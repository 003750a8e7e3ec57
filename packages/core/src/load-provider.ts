import { ConfigError, MissingDependencyError } from './errors.js'
import { createProvider, type ProviderOptions } from './provider.js'
import type { BaseSettings, ProviderSpec } from './provider-spec.js'
import type { Provider } from './types.js'

const registry = new Map<string, ProviderSpec<any>>()

/** Makes an out-of-tree provider spec loadable by its id. */
export function registerProvider(spec: ProviderSpec<any>): void {
  assertSpec(spec, spec?.id ?? 'registerProvider')
  registry.set(spec.id, spec)
}

/** Forgets a registered provider (tests). */
export function unregisterProvider(id: string): void {
  registry.delete(id)
}

function assertSpec(value: unknown, source: string): asserts value is ProviderSpec<any> {
  const spec = value as Partial<ProviderSpec<any>> | undefined
  if (!spec || typeof spec !== 'object' || typeof spec.id !== 'string' || typeof spec.connect !== 'function') {
    throw new ConfigError(`${source} does not export a provider spec (defineProvider) as its default export`)
  }
}

/** Takes the spec out of an imported module: `default`, or CJS interop `default.default`. */
export function specFromModule(module: unknown, source: string): ProviderSpec<any> {
  let candidate: any = module
  for (let i = 0; i < 3 && candidate && typeof candidate.connect !== 'function'; i++) candidate = candidate.default
  assertSpec(candidate, source)
  return candidate
}

function entryFromExports(pkg: any): string | undefined {
  let entry: any = pkg.exports?.['.'] ?? pkg.exports
  if (typeof entry === 'object' && entry !== null) entry = entry.import ?? entry.default ?? entry.require
  if (typeof entry === 'object' && entry !== null) entry = entry.default
  return typeof entry === 'string' ? entry : (pkg.module ?? pkg.main)
}

/**
 * Imports a package as the application sees it: resolved from `from` (default: the working
 * directory), so it works with npm's flat and pnpm's strict node_modules alike.
 */
async function importFromApp(packageName: string, from: string | undefined): Promise<unknown> {
  const [{ createRequire }, { pathToFileURL }, { readFile }, path] = await Promise.all([
    import('node:module'),
    import('node:url'),
    import('node:fs/promises'),
    import('node:path'),
  ])
  const require = createRequire(path.join(from ?? process.cwd(), 'noop.js'))
  let manifest: string
  try {
    manifest = require.resolve(`${packageName}/package.json`)
  } catch {
    // No `./package.json` export: resolve the CJS entry and import it.
    return import(pathToFileURL(require.resolve(packageName)).href)
  }
  const pkg = JSON.parse(await readFile(manifest, 'utf8'))
  const entry = entryFromExports(pkg) ?? 'index.js'
  return import(pathToFileURL(path.join(path.dirname(manifest), entry)).href)
}

export interface LoadOptions {
  /** The package to import instead of `@modelplex/provider-<id>`. */
  module?: string
  /** Where to resolve the package from (default: the working directory). */
  from?: string
}

/** Finds a provider's spec: registered, else imported from the application. */
export async function loadProviderSpec(id: string, options: LoadOptions = {}): Promise<ProviderSpec<any>> {
  const registered = registry.get(id)
  if (registered && !options.module) return registered
  if (!options.module && !/^[a-z0-9][a-z0-9-]*$/.test(id)) {
    throw new ConfigError(`"${id}" is not a provider id: use lowercase letters, digits and "-", e.g. "openai"`)
  }
  const packageName = options.module ?? `@modelplex/provider-${id}`
  let module: unknown
  try {
    module = await importFromApp(packageName, options.from)
  } catch (fromApp) {
    try {
      // Bundlers and npm's flat layout: resolve beside core.
      module = await import(/* @vite-ignore */ packageName)
    } catch {
      throw new MissingDependencyError(
        packageName,
        `The "${id}" provider is not installed. Run: npm i ${packageName}`,
        { provider: id, cause: fromApp },
      )
    }
  }
  const spec = specFromModule(module, packageName)
  return spec
}

/** Loads `@modelplex/provider-<id>` lazily and returns its `Provider`. */
export async function loadProvider<Settings extends BaseSettings = BaseSettings>(
  id: string,
  settings?: ProviderOptions<Settings> & LoadOptions,
): Promise<Provider> {
  const { module, from, ...rest } = settings ?? {}
  const spec = await loadProviderSpec(id, { ...(module ? { module } : {}), ...(from ? { from } : {}) })
  return createProvider(spec, rest as ProviderOptions<Settings>)
}
