import { InvalidRequestError, type ModelplexError, UnsupportedCapabilityError } from './errors.js'
import { toJsonSchema } from './json-schema.js'
import { loadSchemas, type Schemas, type ZodLike } from './load-schemas.js'
import type { AdapterRequest, AdapterTool, ProviderSpec } from './provider-spec.js'
import type { GenerateRequest, Message, Tool } from './types.js'
import { isValidGenerateRequest } from './validate.js'

/** What a provider lacks, by capability, as its errors say it. */
const UNSUPPORTED = {
  tools: 'does not support tools',
  vision: 'does not accept image input',
  stream: 'does not support streaming',
  structuredOutput: 'does not support structured output',
  embeddings: 'does not offer embeddings',
  listModels: 'cannot list its models',
}

/** A capability a provider may lack. */
export type Capability = keyof typeof UNSUPPORTED

function hasImage(messages: Message[]): boolean {
  return messages.some(
    (message) =>
      message.role === 'user' &&
      Array.isArray(message.content) &&
      message.content.some((p) => p.type === 'image'),
  )
}

/** Validation and translation of a provider's requests, before any attempt. */
export interface RequestPreparer {
  /** The error for a capability the provider lacks. */
  unsupported(capability: Capability, model?: string): UnsupportedCapabilityError
  /** toJsonSchema, with this provider named on its error. */
  convertSchema(schema: unknown, field: string): Promise<Record<string, unknown>>
  /**
   * The request as it is when the fast check passes it (synchronously: the common call pays no
   * promise here), else as zod parses it (or its error).
   */
  validRequest<T>(
    request: T,
    fastCheck: (value: unknown) => boolean,
    schemaOf: (schemas: Schemas) => ZodLike<T>,
    what: string,
  ): T | Promise<T>
  /** The adapter's request; synchronous for a valid request that names its model and has no tools. */
  prepare(request: GenerateRequest): AdapterRequest | Promise<AdapterRequest>
}

/** Builds a provider's request preparation; `defaultModel` resolves a request that names no model. */
export function createRequestPreparer(
  spec: ProviderSpec<any>,
  defaultModel: () => Promise<string>,
): RequestPreparer {
  const provider = spec.id

  function unsupported(capability: Capability, model?: string): UnsupportedCapabilityError {
    return new UnsupportedCapabilityError(capability, `${spec.name} ${UNSUPPORTED[capability]}`, {
      provider,
      model,
    })
  }

  function convertSchema(schema: unknown, field: string): Promise<Record<string, unknown>> {
    return toJsonSchema(schema, field).catch((error: ModelplexError) => {
      throw Object.assign(error, { provider })
    })
  }

  function validRequest<T>(
    request: T,
    fastCheck: (value: unknown) => boolean,
    schemaOf: (schemas: Schemas) => ZodLike<T>,
    what: string,
  ): T | Promise<T> {
    if (fastCheck(request)) return request
    return loadSchemas().then((schemas) => {
      const parsed = schemaOf(schemas).safeParse(request)
      if (parsed.success) return parsed.data
      throw schemas.invalidRequest(
        what,
        parsed.error.issues,
        provider,
        (request as { model?: string } | undefined)?.model,
      )
    })
  }

  function prepare(request: GenerateRequest): AdapterRequest | Promise<AdapterRequest> {
    const data = validRequest(request, isValidGenerateRequest, (s) => s.generateRequestSchema, 'request')
    return data instanceof Promise ? data.then(prepareValid) : prepareValid(data)
  }

  function prepareValid(data: GenerateRequest): AdapterRequest | Promise<AdapterRequest> {
    if (data.model === undefined || data.tools?.length) {
      return resolveModelAndTools(data)
    }
    checkRequest(data, data.model)
    const { signal: _signal, headers: _headers, tools: _tools, ...rest } = data
    return rest as AdapterRequest
  }

  /** What core refuses before the network, for every provider: a lacking capability, a toolChoice naming no tool. */
  function checkRequest(data: GenerateRequest, model: string): void {
    if (data.tools?.length && !spec.capabilities.tools) {
      throw unsupported('tools', model)
    }
    if (!spec.capabilities.vision && hasImage(data.messages)) {
      throw unsupported('vision', model)
    }
    const choice = data.toolChoice
    if (typeof choice === 'object' && !data.tools?.some((tool) => tool.name === choice.toolName)) {
      throw new InvalidRequestError(`toolChoice names "${choice.toolName}", which is not in tools`, {
        provider,
        model,
        field: 'toolChoice',
      })
    }
  }

  async function resolveModelAndTools(data: GenerateRequest): Promise<AdapterRequest> {
    const { signal: _signal, headers: _headers, tools, model, ...rest } = data
    const resolvedModel = model ?? (await defaultModel())
    checkRequest(data, resolvedModel)
    const adapterTools: AdapterTool[] | undefined = tools
      ? await Promise.all(
          tools.map(async (tool: Tool, index: number) => ({
            name: tool.name,
            description: tool.description,
            parameters: await convertSchema(tool.parameters, `tools.${index}.parameters`),
          })),
        )
      : undefined
    return { ...rest, model: resolvedModel, tools: adapterTools }
  }

  return { unsupported, convertSchema, validRequest, prepare }
}
