import { InvalidRequestError, type ModelplexError, UnsupportedCapabilityError } from './errors.js'
import { checkJsonSchema, isZodSchema, toJsonSchema } from './json-schema.js'
import { loadSchemas, type Schemas, type ZodLike } from './load-schemas.js'
import type { AdapterRequest, AdapterTool, ProviderSpec } from './provider-spec.js'
import type { GenerateRequest, Message, Tool, Warning } from './types.js'
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

/** Whether a provider's `capabilities.files` takes this media type (`audio/*` matches any audio type). */
export function acceptsMediaType(accepted: readonly string[] | undefined, mediaType: string): boolean {
  if (!accepted) return false
  const type = mediaType.toLowerCase()
  for (const entry of accepted) {
    if (entry === type || entry === '*/*') return true
    if (entry.endsWith('/*') && type.startsWith(entry.slice(0, -1))) return true
  }
  return false
}

/** The media type of the first file part the provider cannot take, if any. */
function unacceptedFile(messages: Message[], accepted: readonly string[] | undefined): string | undefined {
  for (const message of messages) {
    if ((message.role !== 'user' && message.role !== 'assistant') || typeof message.content === 'string')
      continue
    for (const part of message.content) {
      if (part.type === 'file' && !acceptsMediaType(accepted, part.mediaType)) return part.mediaType
    }
  }
  return undefined
}

/** Warnings of a prepared request (a reasoning part dropped), read by the call that sends it. */
const preparedWarnings = new WeakMap<object, Warning[]>()

/** The warnings `prepare` gave this request, once. */
export function takePreparedWarnings(request: AdapterRequest): Warning[] {
  const warnings = preparedWarnings.get(request)
  return warnings ? [...warnings] : []
}

/**
 * Drops the reasoning parts another provider produced (or that carry no provider's mark): a
 * signature this vendor did not make is a 400 at best. Each drop is a warning; the request is
 * returned as is when nothing is dropped.
 */
function ownReasoningOnly(
  messages: Message[],
  provider: string,
): { messages: Message[]; warnings: Warning[] } | undefined {
  let warnings: Warning[] | undefined
  let out: Message[] | undefined
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index]!
    if (message.role !== 'assistant' || typeof message.content === 'string') continue
    const kept = message.content.filter(
      (part) => part.type !== 'reasoning' || part.providerMetadata?.[provider] !== undefined,
    )
    if (kept.length === message.content.length) continue
    out ??= messages.slice()
    out[index] = { ...message, content: kept }
    warnings ??= []
    const from = message.content
      .filter((part) => part.type === 'reasoning' && part.providerMetadata?.[provider] === undefined)
      .map(
        (part) =>
          Object.keys((part as { providerMetadata?: object }).providerMetadata ?? {})[0] ?? 'no provider',
      )
    warnings.push({
      type: 'other',
      setting: `messages.${index}.content`,
      message: `dropped ${from.length} reasoning part(s) made by ${[...new Set(from)].join(', ')}: ${provider} takes back only its own reasoning`,
    })
  }
  return out ? { messages: out, warnings: warnings! } : undefined
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

  /** A tool's parameters as JSON Schema; a JSON Schema given as such is checked against the meta-schema first. */
  async function convertTool(tool: Tool, index: number): Promise<Record<string, unknown>> {
    const field = `tools.${index}.parameters`
    if (!isZodSchema(tool.parameters)) {
      await checkJsonSchema(
        tool.parameters as Record<string, unknown>,
        field,
        `Tool "${tool.name}" parameters`,
      ).catch((error: ModelplexError) => {
        throw Object.assign(error, { provider })
      })
    }
    return convertSchema(tool.parameters, field)
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
      return resolveModelAndTools(data).then(withOwnReasoning)
    }
    checkRequest(data, data.model)
    const { signal: _signal, headers: _headers, tools: _tools, ...rest } = data
    return withOwnReasoning(rest as AdapterRequest)
  }

  function withOwnReasoning(request: AdapterRequest): AdapterRequest {
    const own = ownReasoningOnly(request.messages, provider)
    if (!own) return request
    const kept = { ...request, messages: own.messages }
    preparedWarnings.set(kept, own.warnings)
    return kept
  }

  /** What core refuses before the network, for every provider: a lacking capability, a toolChoice naming no tool. */
  function checkRequest(data: GenerateRequest, model: string): void {
    if (data.tools?.length && !spec.capabilities.tools) {
      throw unsupported('tools', model)
    }
    if (!spec.capabilities.vision && hasImage(data.messages)) {
      throw unsupported('vision', model)
    }
    const refused = unacceptedFile(data.messages, spec.capabilities.files)
    if (refused !== undefined) {
      const accepted = spec.capabilities.files?.length ? spec.capabilities.files.join(', ') : 'no files'
      throw new UnsupportedCapabilityError(
        'files',
        `${spec.name} cannot take ${refused} files (it takes ${accepted}); send the content as text or use a provider that reads ${refused}`,
        { provider, model },
      )
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
            parameters: await convertTool(tool, index),
            ...(tool.providerOptions ? { providerOptions: tool.providerOptions } : {}),
          })),
        )
      : undefined
    return { ...rest, model: resolvedModel, tools: adapterTools }
  }

  return { unsupported, convertSchema, validRequest, prepare }
}
