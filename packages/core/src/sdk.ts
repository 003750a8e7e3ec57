import { MissingDependencyError } from './errors.js'

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND'
}

/**
 * Imports a provider's vendor SDK once, at its first call. An injected module (the `sdk`
 * setting) wins; a missing package throws `MissingDependencyError` with the `npm i` line.
 * Pass a literal `() => import('vendor-sdk')` so bundlers can see the dependency.
 */
export async function importSdk<T>(
  packageName: string,
  injected: unknown,
  importer: () => Promise<T>,
  provider?: string,
): Promise<T> {
  if (injected) return injected as T
  try {
    return await importer()
  } catch (cause) {
    if (isModuleNotFound(cause)) {
      throw new MissingDependencyError(
        packageName,
        `${packageName} is not installed, and ${provider ?? 'this provider'} needs it. Run: npm i ${packageName}`,
        { provider, cause },
      )
    }
    throw cause
  }
}
