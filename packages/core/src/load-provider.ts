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
  if (
    !spec ||
    typeof spec !== 'object' ||
    typeof spec.id !== 'string' ||
    typeof spec.connect !== 'function'
  ) {
    throw new ConfigError(`${source} does not export a provider spec (defineProvider) as its default export`)
  }
}

/** Takes the spec out of an imported module: `default`, or CJS interop `default.default`. */
export function specFromModule(module: unknown, source: string): ProviderSpec<any> {
  let candidate: any = module
  for (let i = 0; i < 3 && candidate && typeof candidate.connect !== 'function'; i++)
    candidate = candidate.default
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
 * directory), so it works with npm's flat and pnpm's strict node_modules alike. Undefined when
 * the package is not installed there; an installed package that fails to import throws.
 */
async function importFromApp(
  packageName: string,
  from: string | undefined,
): Promise<{ module: unknown } | undefined> {
  const [{ createRequire }, { pathToFileURL }, { readFile }, path] = await Promise.all([
    import('node:module'),
    import('node:url'),
    import('node:fs/promises'),
    import('node:path'),
  ])
  const require = createRequire(path.join(from ?? process.cwd(), 'noop.js'))
  let manifest: string | undefined
  let pkg: any
  try {
    manifest = require.resolve(`${packageName}/package.json`)
    pkg = JSON.parse(await readFile(manifest, 'utf8'))
  } catch {
    // `exports` without "./package.json" (common for ESM-only packages): walk node's own
    // search path, since require.resolve cannot reach an import-only entry either.
    for (const dir of require.resolve.paths(packageName) ?? []) {
      const candidate = path.join(dir, packageName, 'package.json')
      const text = await readFile(candidate, 'utf8').catch(() => undefined)
      if (text === undefined) continue
      manifest = candidate
      pkg = JSON.parse(text)
      break
    }
  }
  if (!manifest) return undefined
  const entry = entryFromExports(pkg) ?? 'index.js'
  const url = pathToFileURL(path.join(path.dirname(manifest), entry)).href
  try {
    return { module: await import(/* @vite-ignore */ url) }
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    throw new ConfigError(`${packageName} is installed but could not be imported: ${reason}`, { cause })
  }
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
    throw new ConfigError(
      `"${id}" is not a provider id: use lowercase letters, digits and "-", e.g. "openai"`,
    )
  }
  const packageName = options.module ?? `@modelplex/provider-${id}`
  let module: unknown
  const fromApp = await importFromApp(packageName, options.from)
  if (fromApp) {
    module = fromApp.module
  } else {
    try {
      // Bundlers and npm's flat layout: resolve beside core.
      module = await import(/* @vite-ignore */ packageName)
    } catch (cause) {
      throw new MissingDependencyError(
        packageName,
        `The "${id}" provider is not installed. Run: npm i ${packageName}`,
        {
          provider: id,
          cause,
        },
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
