import type { Issue } from './zod-errors.js'

export type Schemas = typeof import('./schemas.js')

/** What core needs of a zod schema: its result, typed as the value it checks. */
export interface ZodLike<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: Issue[] } }
}

let schemas: Promise<Schemas> | undefined

/**
 * Imports zod and builds the request schemas, when a fast check in validate.ts leaves a value to
 * them (zod costs ~55 ms to import, the schemas ~12 ms to build).
 */
export function loadSchemas(): Promise<Schemas> {
  schemas ??= import('./schemas.js')
  return schemas
}

/** Imports zod alone, to convert a caller's zod schema (the caller has imported zod already). */
export function loadZod(): Promise<typeof import('zod')> {
  return import('zod')
}
