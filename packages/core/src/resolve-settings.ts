import { ConfigError } from './errors.js'
import { loadSchemas } from './load-schemas.js'
import type { BaseSettings, EnvironmentVariables, ProviderSpec, ResolvedSettings } from './provider-spec.js'
import { isValidSettings } from './validate.js'

/** The process environment, or an empty one where there is no `process` (browsers, workers). */
export function processEnvironment(): Readonly<Record<string, string | undefined>> {
  return typeof process === 'undefined' || !process.env ? {} : process.env
}

/** The settings the environment supplies and the variable each was read from. */
export interface EnvironmentSettings {
  values: Record<string, string>
  fromEnvironment: Record<string, string>
}

/**
 * Reads the spec's variables for every setting `given` leaves out (undefined); per setting, the
 * first variable set to a non-empty value wins.
 */
export function readEnvironment(
  variables: EnvironmentVariables,
  given: object = {},
  env: Readonly<Record<string, string | undefined>> = processEnvironment(),
): EnvironmentSettings {
  const values: Record<string, string> = {}
  const fromEnvironment: Record<string, string> = {}
  for (const [setting, names] of Object.entries(variables)) {
    if ((given as Record<string, unknown>)[setting] !== undefined || !names) continue
    const name = names.find((candidate) => env[candidate])
    if (name === undefined) continue
    values[setting] = env[name]!
    fromEnvironment[setting] = name
  }
  return { values, fromEnvironment }
}

/** Settings resolved once per provider, the environment that supplied some, and the secrets to redact. */
export interface SettingsResolver<Settings> {
  /** Resolves and validates once; a failure is not memoized, so a fixed environment is read again. */
  resolve(): Promise<ResolvedSettings<Settings>>
  /** The `defaultModel` / `defaultEmbeddingModel` setting; a settings error surfaces later, in the attempt. */
  defaultFromSettings(key: 'defaultModel' | 'defaultEmbeddingModel'): Promise<string | undefined>
  /** The variable each environment-supplied setting came from (after `resolve`). */
  fromEnvironment(): Readonly<Record<string, string>>
  /** The values of the spec's secret settings, as given or read so far. */
  secrets(): string[]
}

/** Header names whose values are credentials (`Authorization`, `x-api-key`, `api-key`, `x-goog-api-key`, tokens). */
const SECRET_HEADER = /authorization|api[-_]?key|token|secret|signature/i

function secretValues(keys: readonly string[], settings: Record<string, unknown>): string[] {
  const values: string[] = []
  for (const key of keys) {
    const value = settings[key]
    if (typeof value === 'string') values.push(value)
  }
  const headers = settings.headers
  if (headers && typeof headers === 'object') {
    for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
      if (typeof value !== 'string' || !SECRET_HEADER.test(name)) continue
      values.push(value)
      // `Bearer <token>`: the token alone is what a vendor's message would quote.
      const token = /^\s*(?:bearer|basic|token)\s+(.+)$/i.exec(value)?.[1]
      if (token) values.push(token.trim())
    }
  }
  return values
}

/** Builds the resolver of one provider's settings: arguments first, then the spec's environment variables. */
export function createSettingsResolver<Settings extends BaseSettings>(
  spec: ProviderSpec<Settings>,
  given: Record<string, unknown>,
): SettingsResolver<Settings> {
  const provider = spec.id
  const secretKeys = spec.secrets ?? ['apiKey']
  let secrets = secretValues(secretKeys, given)
  let sources: Record<string, string> = {}
  let resolved: Promise<ResolvedSettings<Settings>> | undefined

  /** Settings the fast checks pass as they are; anything else is parsed (or refused) by zod. */
  async function validSettings(merged: Record<string, unknown>): Promise<ResolvedSettings<Settings>> {
    if (isValidSettings(merged, spec.settingChecks)) return merged as ResolvedSettings<Settings>
    const { z, baseSettingsSchema, invalidSettings } = await loadSchemas()
    const schema = spec.settingsSchema
      ? spec.settingsSchema(z, baseSettingsSchema)
      : baseSettingsSchema.strict()
    const parsed = schema.safeParse(merged)
    if (parsed.success) return parsed.data as ResolvedSettings<Settings>
    throw invalidSettings(spec.name, parsed.error.issues, provider)
  }

  async function resolveSettings(): Promise<ResolvedSettings<Settings>> {
    const environment = readEnvironment(spec.env, given)
    const merged: Record<string, unknown> = { ...given, ...environment.values }
    for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key]
    sources = environment.fromEnvironment
    // Before validation, so a secret in a refused setting is redacted from that error too.
    secrets = secretValues(secretKeys, merged)
    const settings = await validSettings(merged)
    if (spec.requiresApiKey !== false && !settings.apiKey) {
      const vars = spec.env.apiKey?.length ? ` or set ${spec.env.apiKey.join(' or ')}` : ''
      throw new ConfigError(`${spec.name}: no API key. Pass the apiKey setting${vars}.`, { provider })
    }
    return settings
  }

  function resolve(): Promise<ResolvedSettings<Settings>> {
    resolved ??= resolveSettings()
    resolved.catch(() => {
      resolved = undefined
    })
    return resolved
  }

  return {
    resolve,
    defaultFromSettings: (key) =>
      resolve().then(
        (settings) => settings[key],
        () => undefined,
      ),
    fromEnvironment: () => sources,
    secrets: () => secrets,
  }
}
