import { InvalidRequestError } from './errors.js'
import { loadZod } from './load-schemas.js'

/** True for a zod schema (zod 4 marks every schema with `_zod`). */
export function isZodSchema(value: unknown): value is { _zod: unknown } {
  return typeof value === 'object' && value !== null && '_zod' in value
}

/** Converts a zod schema to JSON Schema (zod 4's `z.toJSONSchema`), without the `$schema` key. */
export async function toJsonSchema(schema: unknown, field?: string): Promise<Record<string, unknown>> {
  if (!isZodSchema(schema)) return schema as Record<string, unknown>
  const { z } = await loadZod()
  let converted: Record<string, unknown>
  try {
    converted = z.toJSONSchema(schema as any) as Record<string, unknown>
  } catch (cause) {
    // e.g. a transform: zod throws a plain Error; the caller gets a typed one naming the field.
    const reason = cause instanceof Error ? cause.message : String(cause)
    throw new InvalidRequestError(`${field ?? 'The schema'} cannot be sent as JSON Schema: ${reason}`, {
      ...(field ? { field } : {}),
      cause,
    })
  }
  const { $schema: _, ...json } = converted
  return json
}

type SchemaValidator = (schema: Record<string, unknown>) => string[] | undefined
let validator: Promise<SchemaValidator | undefined> | undefined
/** Schemas already checked (tools are usually the same objects call after call). */
const checked = new WeakSet<object>()

/** Ajv (a kept validator) checks a schema against the JSON Schema meta-schema; loaded on first use. */
function loadValidator(): Promise<SchemaValidator | undefined> {
  validator ??= import('ajv').then(
    (module) => {
      const Ajv = ((module.default as any)?.default ?? module.default) as typeof import('ajv').default
      let ajv: InstanceType<typeof Ajv>
      try {
        ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false })
      } catch {
        return undefined // a runtime without code generation (strict CSP): the vendor judges the schema
      }
      return (schema) => {
        const { $schema: _, ...rest } = schema
        if (ajv.validateSchema(rest)) return undefined
        return (ajv.errors ?? []).map(
          (error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`,
        )
      }
    },
    () => undefined,
  )
  return validator
}

/**
 * Refuses a JSON Schema that is not one (`{ type: 'objekt', properties: 5 }`) before the network,
 * naming the field and what is wrong; zod-converted schemas are valid by construction.
 */
export async function checkJsonSchema(
  schema: Record<string, unknown>,
  field: string,
  what: string,
): Promise<void> {
  if (checked.has(schema)) return
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new InvalidRequestError(`${what} must be a JSON Schema object or a zod schema`, { field })
  }
  const problems = (await loadValidator())?.(schema)
  if (problems?.length) {
    throw new InvalidRequestError(
      `${what} is not a valid JSON Schema: ${problems.slice(0, 5).join('; ')}. Fix the schema (or pass a zod schema)`,
      { field },
    )
  }
  checked.add(schema)
}
