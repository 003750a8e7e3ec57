import { InvalidRequestError, StructuredOutputError } from './errors.js'
import { isZodSchema } from './json-schema.js'
import type { RequestPreparer } from './prepare-request.js'
import type { ProviderSpec } from './provider-spec.js'
import type { GenerateObjectRequest, GenerateObjectResult, GenerateRequest, GenerateResult } from './types.js'

/** What `generateObject` needs from its provider. */
export interface StructuredOutputContext {
  spec: ProviderSpec<any>
  /** The model named in errors when the request names none. */
  defaultModel: string
  requests: Pick<RequestPreparer, 'unsupported' | 'convertSchema'>
  generate(request: GenerateRequest): Promise<GenerateResult>
}

/** Extracts the JSON value from a model's text: plain JSON, or inside a ``` fence. */
function extractJson(text: string): unknown {
  const trimmed = text.trim()
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/.exec(trimmed)
  return JSON.parse(fenced ? fenced[1]! : trimmed)
}

/** The generate request that asks for the schema in the provider's structured-output mode. */
export function structuredRequest(
  mode: 'json-schema' | 'json-mode' | 'tool',
  rest: Omit<GenerateObjectRequest<unknown>, 'schema' | 'schemaName' | 'schemaDescription'>,
  jsonSchema: Record<string, unknown>,
  schemaName: string,
  schemaDescription: string | undefined,
): GenerateRequest {
  if (mode === 'json-schema') {
    return {
      ...rest,
      responseFormat: {
        type: 'json',
        schema: jsonSchema,
        name: schemaName,
        ...(schemaDescription ? { description: schemaDescription } : {}),
      },
    }
  }
  if (mode === 'json-mode') {
    const instruction = `Reply with one JSON value, and nothing else, that matches this JSON Schema:\n${JSON.stringify(jsonSchema)}`
    return {
      ...rest,
      messages: [{ role: 'system', content: instruction }, ...rest.messages],
      responseFormat: { type: 'json' },
    }
  }
  return {
    ...rest,
    tools: [
      {
        name: schemaName,
        description: schemaDescription ?? 'Respond with the result',
        parameters: jsonSchema,
      },
    ],
    toolChoice: { type: 'tool', toolName: schemaName },
  }
}

/** Generates, then parses and checks the reply against the request's zod schema. */
export async function generateObject<T>(
  request: GenerateObjectRequest<T>,
  context: StructuredOutputContext,
): Promise<GenerateObjectResult<T>> {
  const { spec, requests } = context
  const provider = spec.id
  const { schema, schemaName = 'response', schemaDescription, ...rest } = request
  const mode = spec.capabilities.structuredOutput
  const model = rest.model ?? context.defaultModel
  if (!mode) {
    throw requests.unsupported('structuredOutput', model)
  }
  if (!isZodSchema(schema)) {
    throw new InvalidRequestError('generateObject needs a zod schema in `schema`', {
      provider,
      model,
      field: 'schema',
    })
  }
  const jsonSchema = await requests.convertSchema(schema, 'schema')
  const result = await context.generate(
    structuredRequest(mode, rest, jsonSchema, schemaName, schemaDescription),
  )
  const text = mode === 'tool' ? (result.toolCalls[0]?.rawInput ?? result.text) : result.text
  const object = checkObject(schema, text, { provider, name: spec.name, model: result.model })
  return { ...result, object: object as T }
}

/** Parses a complete reply and checks it against the zod schema (`StructuredOutputError` when not). */
export function checkObject(
  schema: unknown,
  text: string,
  where: { provider: string; name: string; model: string },
): unknown {
  const { provider, name, model } = where
  let value: unknown
  try {
    value = extractJson(text)
  } catch (cause) {
    throw new StructuredOutputError(`${name}: the reply is not valid JSON`, { provider, model, text, cause })
  }
  const checked = (schema as { safeParse(v: unknown): any }).safeParse(value)
  if (!checked.success) {
    throw new StructuredOutputError(`${name}: the reply does not match the schema`, {
      provider,
      model,
      text,
      issues: checked.error.issues.map((issue: { path: PropertyKey[]; message: string }) => ({
        path: issue.path,
        message: issue.message,
      })),
      cause: checked.error,
    })
  }
  return checked.data
}
