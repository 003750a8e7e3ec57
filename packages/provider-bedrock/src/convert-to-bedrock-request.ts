import type {
  Message as BedrockMessage,
  ContentBlock,
  ConverseCommandInput,
  ImageBlock,
  ImageFormat,
  SystemContentBlock,
  Tool,
  ToolChoice,
  ToolResultContentBlock,
} from '@aws-sdk/client-bedrock-runtime'
import { InvalidRequestError, type Message, UnsupportedCapabilityError } from '@modelplex/core'
import { type AdapterRequest, type CallContext, downloadImage } from '@modelplex/core/adapter'

/** A JSON document as the SDK types it (tool inputs and schemas, model-specific fields). */
type DocumentType = NonNullable<ConverseCommandInput['additionalModelRequestFields']>

export interface ConvertOptions {
  /** Used to download https image URLs (Converse only takes bytes or S3 locations). */
  fetch?: typeof fetch
  provider?: string
}

const FORMATS: Record<string, ImageFormat> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
}

const EXTENSIONS: Record<string, ImageFormat> = {
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  gif: 'gif',
  webp: 'webp',
}

/** Decodes base64 without Node's Buffer, so the package also runs on edge runtimes. */
function fromBase64(data: string): Uint8Array {
  const binary = atob(data.replace(/\s/g, ''))
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** The format from the bytes themselves: servers often send `application/octet-stream`. */
function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  const starts = (...signature: number[]) => signature.every((byte, i) => bytes[i] === byte)
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'png'
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg'
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'gif'
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45) return 'webp'
  return undefined
}

function unsupportedFormat(what: string, provider: string): UnsupportedCapabilityError {
  return new UnsupportedCapabilityError(
    'vision',
    `Bedrock accepts png, jpeg, gif and webp images; got ${what}`,
    { provider },
  )
}

function formatOf(mediaType: string | undefined, provider: string): ImageFormat {
  const format = mediaType ? FORMATS[mediaType.toLowerCase().split(';')[0]!.trim()] : undefined
  if (!format) throw unsupportedFormat(mediaType ?? 'an image without a media type', provider)
  return format
}

/** Downloads an https image: Converse has no URL source, only bytes and S3 locations. */
async function downloadImageBlock(
  url: string,
  context: CallContext,
  options: ConvertOptions,
  provider: string,
): Promise<ImageBlock> {
  const { bytes, contentType: declared } = await downloadImage(url, {
    fetch: options.fetch,
    signal: context.signal,
    // A network failure is left to the error mapper, as any other failed request.
    failure: (reason, cause) =>
      cause ??
      new InvalidRequestError(`Bedrock needs image bytes, and downloading ${url} failed with ${reason}`, {
        provider,
        field: 'messages',
      }),
  })
  const format =
    sniffFormat(bytes) ??
    (declared && FORMATS[declared.toLowerCase().split(';')[0]!.trim()]) ??
    EXTENSIONS[new URL(url).pathname.split('.').pop()?.toLowerCase() ?? '']
  if (!format) throw unsupportedFormat(declared ?? url, provider)
  return { format, source: { bytes } }
}

async function convertImage(
  image: string | URL,
  mediaType: string | undefined,
  context: CallContext,
  options: ConvertOptions,
  provider: string,
): Promise<ImageBlock> {
  const value = image instanceof URL ? image.href : image
  if (value.startsWith('data:')) {
    const match = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(value)
    if (!match)
      throw new InvalidRequestError('an image data: URL must be base64', { provider, field: 'messages' })
    return { format: formatOf(match[1], provider), source: { bytes: fromBase64(match[2]!) } }
  }
  if (/^https?:/i.test(value)) return downloadImageBlock(value, context, options, provider)
  if (value.startsWith('s3://')) {
    const extension = value.split('.').pop()?.toLowerCase() ?? ''
    const format = (mediaType && FORMATS[mediaType.toLowerCase()]) ?? EXTENSIONS[extension]
    if (!format) throw unsupportedFormat(mediaType ?? value, provider)
    return { format, source: { s3Location: { uri: value } } }
  }
  return { format: formatOf(mediaType, provider), source: { bytes: fromBase64(value) } }
}

/** Tool input as a JSON document: Converse rejects a string where it expects the arguments object. */
function toolInput(input: unknown): Record<string, unknown> {
  if (typeof input === 'string') {
    try {
      const parsed = JSON.parse(input)
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed
    } catch {}
    return { input }
  }
  if (input && typeof input === 'object' && !Array.isArray(input)) return input as Record<string, unknown>
  return input === undefined ? {} : { input }
}

function toolResultContent(output: unknown): ToolResultContentBlock[] {
  if (typeof output === 'string') return [{ text: output }]
  // `json` must be an object for most models; anything else is sent as its JSON text.
  if (output && typeof output === 'object' && !Array.isArray(output)) {
    return [{ json: output as DocumentType }]
  }
  return [{ text: JSON.stringify(output ?? null) }]
}

async function convertMessage(
  message: Exclude<Message, { role: 'system' }>,
  context: CallContext,
  options: ConvertOptions,
  provider: string,
): Promise<BedrockMessage> {
  if (message.role === 'tool') {
    return {
      role: 'user',
      content: message.content.map(
        (part): ContentBlock => ({
          toolResult: {
            toolUseId: part.toolCallId,
            content: toolResultContent(part.output),
            ...(part.isError ? { status: 'error' } : {}),
          },
        }),
      ),
    }
  }
  if (typeof message.content === 'string') {
    return { role: message.role, content: message.content === '' ? [] : [{ text: message.content }] }
  }
  const content: ContentBlock[] = []
  for (const part of message.content) {
    if (part.type === 'text') {
      // Converse rejects blank text blocks.
      if (part.text !== '') content.push({ text: part.text })
    } else if (part.type === 'image') {
      content.push({ image: await convertImage(part.image, part.mediaType, context, options, provider) })
    } else {
      content.push({
        toolUse: {
          toolUseId: part.toolCallId,
          name: part.toolName,
          input: toolInput(part.input) as DocumentType,
        },
      })
    }
  }
  return { role: message.role, content }
}

/** Converse wants alternating roles: a tool result and the user's next words share one user turn. */
function mergeTurns(messages: BedrockMessage[]): BedrockMessage[] {
  const merged: BedrockMessage[] = []
  for (const message of messages) {
    if (!message.content?.length) continue
    const last = merged[merged.length - 1]
    if (last && last.role === message.role) last.content = [...(last.content ?? []), ...message.content]
    else merged.push({ role: message.role, content: [...message.content] })
  }
  return merged
}

function hasToolBlocks(messages: BedrockMessage[]): boolean {
  return messages.some((message) => message.content?.some((block) => block.toolUse || block.toolResult))
}

/** Where each model family takes top-k, passed through `additionalModelRequestFields`. */
function topKField(model: string, topK: number): Record<string, unknown> | undefined {
  if (/(^|[.:/])anthropic\./.test(model)) return { top_k: topK }
  if (/(^|[.:/])amazon\.nova/.test(model)) return { inferenceConfig: { topK } }
  if (/(^|[.:/])mistral\./.test(model)) return { top_k: topK }
  return undefined
}

/**
 * Builds the Converse (and ConverseStream) input: messages with content blocks, `system`,
 * `inferenceConfig`, `toolConfig`, `additionalModelRequestFields` for model-specific settings,
 * and `providerOptions.bedrock` merged last.
 */
export async function convertToBedrockRequest(
  request: AdapterRequest,
  context: CallContext,
  options: ConvertOptions = {},
): Promise<ConverseCommandInput> {
  const provider = options.provider ?? 'bedrock'
  const system: SystemContentBlock[] = []
  const converted: BedrockMessage[] = []
  for (const message of request.messages) {
    if (message.role === 'system') {
      if (message.content !== '') system.push({ text: message.content })
    } else {
      converted.push(await convertMessage(message, context, options, provider))
    }
  }
  const messages = mergeTurns(converted)
  const input: ConverseCommandInput = { modelId: request.model, messages }
  if (system.length > 0) input.system = system

  const inferenceConfig: NonNullable<ConverseCommandInput['inferenceConfig']> = {}
  if (request.maxOutputTokens !== undefined) inferenceConfig.maxTokens = request.maxOutputTokens
  if (request.temperature !== undefined) inferenceConfig.temperature = request.temperature
  if (request.topP !== undefined) inferenceConfig.topP = request.topP
  if (request.stopSequences?.length) inferenceConfig.stopSequences = request.stopSequences
  if (Object.keys(inferenceConfig).length > 0) input.inferenceConfig = inferenceConfig

  const additional: Record<string, unknown> = {}
  if (request.topK !== undefined) {
    const field = topKField(request.model, request.topK)
    if (field) Object.assign(additional, field)
    else
      context.warn({
        type: 'unsupported-setting',
        setting: 'topK',
        message: `Bedrock has no top-k field for ${request.model} that modelplex knows; pass it in providerOptions.bedrock.additionalModelRequestFields`,
      })
  }
  for (const setting of ['seed', 'presencePenalty', 'frequencyPenalty'] as const) {
    if (request[setting] !== undefined) {
      context.warn({
        type: 'unsupported-setting',
        setting,
        message: `The Converse API has no ${setting}; it was not sent`,
      })
    }
  }
  if (request.responseFormat?.type === 'json') {
    context.warn({
      type: 'unsupported-setting',
      setting: 'responseFormat',
      message: 'The Converse API has no JSON mode here; use generateObject, which forces a tool call',
    })
  }

  const tools = request.tools ?? []
  const forbidTools = request.toolChoice === 'none'
  if (tools.length > 0 && !(forbidTools && !hasToolBlocks(messages))) {
    const toolSpecs: Tool[] = tools.map((tool) => ({
      toolSpec: {
        name: tool.name,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
        inputSchema: { json: tool.parameters as DocumentType },
      },
    })) as Tool[]
    let toolChoice: ToolChoice | undefined
    if (request.toolChoice === 'required') toolChoice = { any: {} }
    else if (request.toolChoice === 'auto') toolChoice = { auto: {} }
    else if (typeof request.toolChoice === 'object')
      toolChoice = { tool: { name: request.toolChoice.toolName } }
    else if (forbidTools) {
      // Converse needs the tool definitions while the history holds tool blocks, and has no "none".
      context.warn({
        type: 'unsupported-setting',
        setting: 'toolChoice',
        message: 'Converse has no toolChoice "none"; the tools were sent because the history uses them',
      })
    }
    input.toolConfig = { tools: toolSpecs, ...(toolChoice ? { toolChoice } : {}) }
  }

  const { additionalModelRequestFields: extraFields, ...passthrough } = context.providerOptions
  if (extraFields && typeof extraFields === 'object') Object.assign(additional, extraFields)
  if (Object.keys(additional).length > 0) input.additionalModelRequestFields = additional as DocumentType
  return Object.assign(input, passthrough)
}
