import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { ConfigError } from '@modelplex/core'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'

const targetSchema = z
  .string()
  .regex(/^[a-z0-9-]+:.+$/, 'a target is "provider:model", e.g. "openai:gpt-4o-mini"')

const modelSchema = z
  .object({
    /** `provider:model` ids, tried in this order (the first that serves wins). */
    targets: z.array(targetSchema).min(1, 'targets must list at least one "provider:model"'),
  })
  .strict()

const keyFields = {
  id: z.string().regex(/^[\w.-]{1,64}$/, 'a key id is 1-64 letters, digits, "_", "-" or "."'),
  /** Models (aliases or `provider:model`) this key may call; omitted: every model. */
  models: z.array(z.string().min(1)).optional(),
  budget: z
    .object({
      usd: z.number().positive('budget.usd is a positive amount of US dollars'),
      period: z.enum(['day', 'month', 'total']).default('total'),
    })
    .strict()
    .optional(),
  limits: z
    .object({
      rpm: z.number().int().positive().optional(),
      tpm: z.number().int().positive().optional(),
      concurrent: z.number().int().positive().optional(),
    })
    .strict()
    .optional(),
}

/** The body of `POST /admin/keys`: the gateway makes the secret. */
export const gatewayKeyRequestSchema = z.object(keyFields).strict()

const keySchema = z
  .object({
    ...keyFields,
    secret: z.string().min(16, 'a key secret is at least 16 characters').optional(),
    secretSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'secretSha256 is the 64 lowercase hex digits of the SHA-256 of the secret')
      .optional(),
  })
  .strict()
  .refine((key) => (key.secret === undefined) !== (key.secretSha256 === undefined), {
    message: 'set exactly one of secret and secretSha256',
    path: ['secret'],
  })

export const gatewayConfigSchema = z
  .object({
    /** As createClient's `providers`: settings per provider id. */
    providers: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    /** What clients send as `model`, each with its fallback targets. */
    models: z.record(z.string(), modelSchema).default({}),
    /** Serve `provider:model` ids not listed under `models` as they are. */
    allowProviderModels: z.boolean().default(false),
    /** Guards `/admin`. */
    masterKey: z.string().min(16, 'masterKey is at least 16 characters').optional(),
    keys: z.array(keySchema).default([]),
    state: z
      .object({
        redis: z.string().url().optional(),
        postgres: z.string().url().optional(),
        /** How long a reservation holds if its instance dies before settling it (default 10 minutes). */
        leaseMs: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    /** Retries per target before moving to the next (core's retry option). */
    retry: z
      .object({ maxRetries: z.number().int().min(0).max(10) })
      .strict()
      .optional(),
    timeoutMs: z.number().int().positive().optional(),
    /** The largest request body accepted, in bytes (default 4 MiB). */
    maxBodyBytes: z
      .number()
      .int()
      .positive()
      .default(4 * 1024 * 1024),
    /** Output tokens assumed for a request that names no maximum, when estimating its cost. */
    defaultMaxOutputTokens: z.number().int().positive().default(4096),
  })
  .strict()

/** The config as written (YAML or JSON), before defaults. */
export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>
/** The config once validated, defaults filled in. */
export type GatewayConfig = z.output<typeof gatewayConfigSchema>

/** A virtual key as the gateway keeps it: never the secret, only its SHA-256. */
export interface StoredKey {
  id: string
  secretSha256: string
  models?: string[]
  budget?: { usd: number; period: 'day' | 'month' | 'total' }
  limits?: { rpm?: number; tpm?: number; concurrent?: number }
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

const pathOf = (path: ReadonlyArray<PropertyKey>): string =>
  path.length === 0
    ? '(top level)'
    : path
        .map((part, index) =>
          typeof part === 'number' ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`,
        )
        .join('')

/** Replaces `${VAR}` in every string with the environment's value; a missing variable is an error naming its path. */
function interpolate(value: unknown, env: Record<string, string | undefined>, path: PropertyKey[]): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const found = env[name]
      if (found === undefined)
        throw new ConfigError(
          `gateway config ${pathOf(path)}: the environment variable ${name} is not set; set it or write the value in the config`,
        )
      return found
    })
  }
  if (Array.isArray(value)) return value.map((item, index) => interpolate(item, env, [...path, index]))
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) out[key] = interpolate(item, env, [...path, key])
    return out
  }
  return value
}

/**
 * Validates a config object: `${VAR}` read from `env`, then the zod schema. An error names the
 * path and what to change, and never repeats a value (a value may be a secret).
 */
export function parseGatewayConfig(
  input: unknown,
  env: Record<string, string | undefined> = process.env,
): GatewayConfig {
  const result = gatewayConfigSchema.safeParse(interpolate(input, env, []))
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const where = pathOf(issue.path)
      if (issue.code === 'unrecognized_keys')
        return `${where}: unknown field(s) ${issue.keys.map((key) => `"${key}"`).join(', ')}; remove them or check the spelling`
      return `${where}: ${issue.message}`
    })
    throw new ConfigError(`Invalid gateway config:\n  ${lines.join('\n  ')}`)
  }
  const config = result.data
  const ids = new Set<string>()
  for (const [index, key] of config.keys.entries()) {
    if (ids.has(key.id))
      throw new ConfigError(
        `Invalid gateway config:\n  keys[${index}].id: "${key.id}" is used twice; give each key its own id`,
      )
    ids.add(key.id)
  }
  if (config.state?.postgres)
    throw new ConfigError(
      'Invalid gateway config:\n  state.postgres: the Postgres ledger is not in this build yet; remove it (state.redis alone shares limits and budgets)',
    )
  return config
}

/** Reads a YAML or JSON config file (YAML is a superset of JSON) and validates it. */
export async function loadGatewayConfig(
  file: string,
  env: Record<string, string | undefined> = process.env,
): Promise<GatewayConfig> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new ConfigError(`Cannot read the gateway config ${file}; check the path`, { cause: error })
  }
  let raw: unknown
  try {
    raw = parseYaml(text)
  } catch (error) {
    // The parser's message quotes the line, which may hold a secret: name only the place.
    const line = (error as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0]
    const where = line ? ` at line ${line.line}, column ${line.col}` : ''
    throw new ConfigError(
      `The gateway config ${file} is not valid YAML or JSON${where}; fix the syntax there`,
    )
  }
  return parseGatewayConfig(raw ?? {}, env)
}

/** The keys of a config as stored: secrets hashed, then dropped. */
export function storedKeys(config: GatewayConfig): StoredKey[] {
  return config.keys.map(({ secret, secretSha256, ...rest }) => ({
    ...rest,
    secretSha256: secretSha256 ?? sha256(secret as string),
  }))
}
