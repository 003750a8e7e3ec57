import type {
  AudioBlock,
  AudioFormat,
  Message as BedrockMessage,
  CachePointBlock,
  ContentBlock,
  ConverseCommandInput,
  DocumentBlock,
  DocumentFormat,
  ImageBlock,
  ImageFormat,
  SystemContentBlock,
  Tool,
  ToolChoice,
  ToolResultContentBlock,
} from '@aws-sdk/client-bedrock-runtime'
import {
  type FilePart,
  InvalidRequestError,
  type Message,
  type ReasoningPart,
  UnsupportedCapabilityError,
} from '@modelplex/core'
import { type AdapterRequest, type CallContext, downloadImage, filePartData } from '@modelplex/core/adapter'
import type { BedrockProviderOptions } from './bedrock-provider-options.js'

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

/**
 * The document formats Converse reads, by media type (DocumentBlock `format`, Bedrock API reference
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_DocumentBlock.html).
 */
export const DOCUMENT_FORMATS: Record<string, DocumentFormat> = {
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/html': 'html',
  'text/plain': 'txt',
  'text/markdown': 'md',
}

/**
 * The audio formats Converse hears, by media type (AudioBlock `format`, Bedrock API reference
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_AudioBlock.html); which models
 * take audio is the model's matter (Bedrock answers a ValidationException otherwise).
 */
export const AUDIO_FORMATS: Record<string, AudioFormat> = {
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/flac': 'flac',
  'audio/aac': 'aac',
  'audio/x-aac': 'x-aac',
  'audio/ogg': 'ogg',
  'audio/opus': 'opus',
  'audio/mp4': 'mp4',
  'audio/m4a': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/webm': 'webm',
  'audio/pcm': 'pcm',
}

/** Bedrock's limit of cache checkpoints per request (every model that caches: Claude and Nova). */
export const MAX_CACHE_POINTS = 4

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

/** What one request's conversion counts across messages: cache checkpoints and document names. */
interface RequestState {
  cachePoints: number
  documents: number
  names: Set<string>
  provider: string
}

type WithOptions = { providerOptions?: Record<string, Record<string, unknown> | undefined> | undefined }

/** The Converse CachePointBlock a message, part or tool asks for in `providerOptions.bedrock.cachePoint`. */
function cachePointOf(owner: WithOptions | undefined, state: RequestState): CachePointBlock | undefined {
  const options = owner?.providerOptions?.[state.provider] as BedrockProviderOptions | undefined
  const point = options?.cachePoint
  if (!point) return undefined
  state.cachePoints++
  if (state.cachePoints > MAX_CACHE_POINTS) {
    throw new InvalidRequestError(
      `Bedrock takes at most ${MAX_CACHE_POINTS} cache checkpoints (cachePoint) per request; this one sets more`,
      { provider: state.provider, field: 'providerOptions' },
    )
  }
  const { type, ttl, ...rest } = point as BedrockProviderOptions['cachePoint'] & Record<string, unknown>
  return { type: type ?? 'default', ...(ttl ? { ttl } : {}), ...rest } as CachePointBlock
}

/**
 * A document name as Converse allows it: letters, digits, single spaces, hyphens, parentheses and
 * square brackets; the filename without its extension, else `document-N`, made unique per request.
 */
export function documentName(filename: string | undefined, state: RequestState): string {
  state.documents++
  const stem = (filename ?? '').replace(/\.[^.]*$/, '')
  let name = stem
    .replace(/[^A-Za-z0-9\s\-()[\]]+/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/-{2,}/g, '-')
    .trim()
  if (!/[A-Za-z0-9]/.test(name)) name = `document-${state.documents}`
  let unique = name
  for (let n = 2; state.names.has(unique); n++) unique = `${name}-${n}`
  state.names.add(unique)
  return unique
}

/** A file's source as Converse takes it: bytes, an S3 location, or an https URL downloaded. */
async function fileSource(
  part: FilePart,
  provider: string,
  context: CallContext,
  options: ConvertOptions,
): Promise<{ bytes: Uint8Array } | { s3Location: { uri: string } }> {
  const raw = part.data instanceof URL ? part.data.href : part.data
  if (typeof raw === 'string' && raw.startsWith('s3://')) return { s3Location: { uri: raw } }
  const data = filePartData(part)
  if (!('url' in data)) return { bytes: fromBase64(data.base64) }
  // Converse has no URL source for files: fetch the bytes, as for image URLs.
  const { bytes } = await downloadImage(data.url, {
    fetch: options.fetch,
    signal: context.signal,
    failure: (reason, cause) =>
      cause ??
      new InvalidRequestError(`Bedrock needs file bytes, and downloading ${data.url} failed with ${reason}`, {
        provider,
        field: 'messages',
      }),
  })
  return { bytes }
}

/** A file part as a Converse `document` block (with its required name) or `audio` block. */
async function convertFile(
  part: FilePart,
  state: RequestState,
  context: CallContext,
  options: ConvertOptions,
): Promise<ContentBlock> {
  const provider = state.provider
  const mediaType = part.mediaType.toLowerCase().split(';')[0]!.trim()
  // Part options other than the checkpoint belong to the block: `citations`, `context`.
  const { cachePoint: _cachePoint, ...extras } = (part.providerOptions?.[provider] ?? {}) as Record<
    string,
    unknown
  >
  const audioFormat = AUDIO_FORMATS[mediaType]
  if (audioFormat) {
    const audio = { format: audioFormat, source: await fileSource(part, provider, context, options) }
    return { audio: audio as AudioBlock }
  }
  const format = DOCUMENT_FORMATS[mediaType]
  if (!format) {
    throw new UnsupportedCapabilityError('files', `Bedrock does not read ${part.mediaType} files`, {
      provider,
    })
  }
  const name = documentName(part.filename, state)
  const source = await fileSource(part, provider, context, options)
  return { document: { format, name, source, ...extras } as DocumentBlock }
}

/** An earlier reasoning part as Converse takes it back: the text with its signature, or the redacted bytes. */
function convertReasoning(part: ReasoningPart, provider: string): ContentBlock | undefined {
  const metadata = part.providerMetadata?.[provider] as
    | { signature?: unknown; redactedData?: unknown }
    | undefined
  if (typeof metadata?.redactedData === 'string') {
    return { reasoningContent: { redactedContent: fromBase64(metadata.redactedData) } }
  }
  // Converse rejects an empty reasoning text block.
  if (part.text === '') return undefined
  return {
    reasoningContent: {
      reasoningText: {
        text: part.text,
        ...(typeof metadata?.signature === 'string' ? { signature: metadata.signature } : {}),
      },
    },
  }
}

async function convertMessage(
  message: Exclude<Message, { role: 'system' }>,
  context: CallContext,
  options: ConvertOptions,
  state: RequestState,
): Promise<BedrockMessage> {
  const provider = state.provider
  const content: ContentBlock[] = []
  const cachePoint = (owner: WithOptions) => {
    const point = cachePointOf(owner, state)
    if (point) content.push({ cachePoint: point })
  }
  if (message.role === 'tool') {
    for (const part of message.content) {
      content.push({
        toolResult: {
          toolUseId: part.toolCallId,
          content: toolResultContent(part.output),
          ...(part.isError ? { status: 'error' } : {}),
        },
      })
      cachePoint(part)
    }
    cachePoint(message)
    return { role: 'user', content }
  }
  if (typeof message.content === 'string') {
    if (message.content !== '') content.push({ text: message.content })
    cachePoint(message)
    return { role: message.role, content }
  }
  for (const part of message.content) {
    if (part.type === 'text') {
      // Converse rejects blank text blocks.
      if (part.text !== '') content.push({ text: part.text })
    } else if (part.type === 'image') {
      content.push({ image: await convertImage(part.image, part.mediaType, context, options, provider) })
    } else if (part.type === 'file') {
      content.push(await convertFile(part, state, context, options))
    } else if (part.type === 'reasoning') {
      const block = convertReasoning(part, provider)
      if (block) content.push(block)
    } else {
      content.push({
        toolUse: {
          toolUseId: part.toolCallId,
          name: part.toolName,
          input: toolInput(part.input) as DocumentType,
        },
      })
    }
    cachePoint(part)
  }
  cachePoint(message)
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
 * Where each model family turns reasoning on, in `additionalModelRequestFields`: Claude's
 * `thinking` (`budget_tokens`), Amazon Nova's `reasoningConfig` (`maxReasoningEffort`). Keys
 * modelplex does not know are sent as given, in the vendor's casing.
 */
export function reasoningFields(
  model: string,
  config: NonNullable<BedrockProviderOptions['reasoningConfig']>,
): Record<string, unknown> {
  const { type, budgetTokens, maxReasoningEffort, ...rest } = config as typeof config &
    Record<string, unknown>
  if (/(^|[.:/])amazon\.nova/.test(model)) {
    return {
      reasoningConfig: {
        type,
        ...(maxReasoningEffort !== undefined ? { maxReasoningEffort } : {}),
        ...rest,
      },
    }
  }
  return {
    thinking: { type, ...(budgetTokens !== undefined ? { budget_tokens: budgetTokens } : {}), ...rest },
  }
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
  const state: RequestState = { cachePoints: 0, documents: 0, names: new Set(), provider }
  const system: SystemContentBlock[] = []
  const converted: BedrockMessage[] = []
  for (const message of request.messages) {
    if (message.role === 'system') {
      if (message.content !== '') system.push({ text: message.content })
      const point = cachePointOf(message, state)
      if (point) system.push({ cachePoint: point })
    } else {
      converted.push(await convertMessage(message, context, options, state))
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
    const toolSpecs: Tool[] = []
    for (const tool of tools) {
      toolSpecs.push({
        toolSpec: {
          name: tool.name,
          ...(tool.description !== undefined ? { description: tool.description } : {}),
          inputSchema: { json: tool.parameters as DocumentType },
        },
      } as Tool)
      // A checkpoint after a tool caches the tool definitions up to it.
      const point = cachePointOf(tool, state)
      if (point) toolSpecs.push({ cachePoint: point })
    }
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

  const {
    additionalModelRequestFields: extraFields,
    reasoningConfig,
    // Options of parts and messages, not of the Converse input.
    cachePoint: _cachePoint,
    citations: _citations,
    context: _context,
    ...passthrough
  } = context.providerOptions as BedrockProviderOptions & Record<string, unknown>
  if (reasoningConfig) Object.assign(additional, reasoningFields(request.model, reasoningConfig))
  if (extraFields && typeof extraFields === 'object') Object.assign(additional, extraFields)
  if (Object.keys(additional).length > 0) input.additionalModelRequestFields = additional as DocumentType
  return Object.assign(input, passthrough)
}
