import { readFile } from 'node:fs/promises'
import type { z } from 'zod'
import { CliError } from './cli-errors.js'

const example = '{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}'

/**
 * Reads a JSON Schema file and turns it into the zod schema `generateObject` validates with.
 * Every way the file can be wrong is one CliError that names the file and the fix.
 */
export async function readSchemaFile(
  path: string,
): Promise<{ json: Record<string, unknown>; schema: z.ZodType }> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as { code?: string }).code
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? 'unreadable')
    throw new CliError(
      `Cannot read the schema file ${path} (${why}): pass a JSON Schema file, e.g. --schema city.schema.json`,
    )
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new CliError(
      `The schema file ${path} is not valid JSON (${(error as Error).message}): fix it, e.g. ${example}`,
    )
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new CliError(`The schema file ${path} holds no JSON Schema object: write one, e.g. ${example}`)
  }
  const keys = Object.keys(json).filter((key) => !key.startsWith('$') || key === '$ref')
  if (keys.length === 0) {
    throw new CliError(
      `The schema in ${path} describes nothing: give it a "type" and "properties", e.g. ${example}`,
    )
  }
  const { z } = await import('zod')
  try {
    return { json: json as Record<string, unknown>, schema: z.fromJSONSchema(json as never) }
  } catch (error) {
    throw new CliError(`The schema in ${path} is not a usable JSON Schema: ${(error as Error).message}.`)
  }
}
