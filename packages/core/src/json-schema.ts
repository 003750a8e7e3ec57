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
