import {
  type FilePart,
  type ImagePart,
  InvalidRequestError,
  type Message,
  type ToolChoice,
} from '@modelplex/core'
import type { AdapterRequest, CallContext } from '@modelplex/core/adapter'
import { filePartData, stringifyToolOutput } from '@modelplex/core/adapter'
import {
  type AnthropicCacheControl,
  type AnthropicProviderOptions,
  anthropicOptionsOf,
  snakeKeys,
  toWireCacheControl,
} from './anthropic-options.js'

/** `max_tokens` when the request sets no `maxOutputTokens`: Anthropic requires the field. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096

/** The API version whose Messages API rejects `temperature`, `top_p` and `top_k` with a 400. */
export const SAMPLING_REMOVED_IN = '2026-10-21'

/**
 * Anthropic takes at most 4 `cache_control` breakpoints per request (tools, system and messages
 * together; platform.claude.com/docs/en/build-with-claude/prompt-caching) and answers a 5th with a 400.
 */
export const MAX_CACHE_BREAKPOINTS = 4

/** A `cache_control` as the wire carries it. */
export type AnthropicWireCacheControl = { type: 'ephemeral'; ttl?: '5m' | '1h' }

/** A `text` content block (with its citations when the answer cited a document). */
export type AnthropicTextBlock = {
  type: 'text'
  text: string
  cache_control?: AnthropicWireCacheControl
  citations?: unknown[]
}
/** An `image` content block: base64 data or a URL. */
export type AnthropicImageBlock = {
  type: 'image'
  source: { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string }
  cache_control?: AnthropicWireCacheControl
}
/** A `document` content block: a PDF (base64 or URL) or plain text. */
export type AnthropicDocumentBlock = {
  type: 'document'
  source:
    | { type: 'base64'; media_type: 'application/pdf'; data: string }
    | { type: 'url'; url: string }
    | { type: 'text'; media_type: 'text/plain'; data: string }
  title?: string
  citations?: { enabled: boolean }
  cache_control?: AnthropicWireCacheControl
}
/** A `thinking` block, sent back with its signature unchanged. */
export type AnthropicThinkingBlock = { type: 'thinking'; thinking: string; signature: string }
/** A `redacted_thinking` block: encrypted reasoning, sent back unchanged. */
export type AnthropicRedactedThinkingBlock = { type: 'redacted_thinking'; data: string }
/** An assistant's `tool_use` block. */
export type AnthropicToolUseBlock = {
  type: 'tool_use'
  id: string
  name: string
  input: unknown
  cache_control?: AnthropicWireCacheControl
}
/** A user's `tool_result` block answering one `tool_use`. */
export type AnthropicToolResultBlock = {
  type: 'tool_result'
  tool_use_id: string
  content: string
  is_error?: boolean
  cache_control?: AnthropicWireCacheControl
}

type UserBlock = AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock | AnthropicToolResultBlock
type AssistantBlock =
  | AnthropicTextBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock
  | AnthropicToolUseBlock

/** A Messages API message as the wire carries it. */
export type AnthropicMessage =
  | { role: 'user'; content: string | UserBlock[] }
  | { role: 'assistant'; content: string | AssistantBlock[] }

/** The Messages API request body: the documented fields plus whatever `providerOptions` add. */
export interface AnthropicRequest {
  model: string
  max_tokens: number
  messages: AnthropicMessage[]
  system?: string | AnthropicTextBlock[]
  [field: string]: unknown
}

/** How a request is converted beyond its own fields. */
export interface ConvertOptions {
  stream?: boolean
  /** The `anthropic-version` the client sends; sampling settings are sent only before 2026-10-21. */
  apiVersion?: string | undefined
  /** `max_tokens` when the request sets none (default 4096). */
  defaultMaxOutputTokens?: number | undefined
  /** The provider id whose part/message `providerOptions` and reasoning `providerMetadata` are read (default `anthropic`). */
  providerId?: string | undefined
}

type Warn = CallContext['warn']

function imageSource(part: ImagePart): AnthropicImageBlock['source'] {
  const { image } = part
  if (typeof image !== 'string') return { type: 'url', url: image.href }
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(image)
  if (data) return { type: 'base64', media_type: data[1]!, data: data[2]! }
  if (/^https?:/.test(image)) return { type: 'url', url: image }
  // Core's schema guarantees a media type for raw base64.
  return { type: 'base64', media_type: part.mediaType!, data: image }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The text of a plain-text file: base64 decoded as UTF-8. */
function decodeText(base64: string): string {
  return Buffer.from(base64, 'base64').toString('utf8')
}

/**
 * A file part as a `document` block (platform.claude.com/docs/en/build-with-claude/pdf-support and
 * /citations): a PDF as base64 or by URL, plain text as a `text` source; `title` from the filename.
 */
function documentBlock(part: FilePart, providerId: string, warn: Warn): AnthropicDocumentBlock | undefined {
  const data = filePartData(part)
  const mediaType = part.mediaType.toLowerCase()
  let source: AnthropicDocumentBlock['source']
  if (mediaType === 'application/pdf') {
    source =
      'url' in data
        ? { type: 'url', url: data.url }
        : { type: 'base64', media_type: 'application/pdf', data: data.base64 }
  } else if (mediaType === 'text/plain') {
    if ('url' in data) {
      warn({
        type: 'other',
        message: `Anthropic reads plain-text documents only inline; the text file at ${data.url} was not sent (pass its text or bytes)`,
      })
      return undefined
    }
    source = { type: 'text', media_type: 'text/plain', data: decodeText(data.base64) }
  } else {
    // Core refuses media types outside capabilities.files before the adapter runs.
    warn({
      type: 'other',
      message: `Anthropic takes no ${part.mediaType} documents; the file part was not sent`,
    })
    return undefined
  }
  const block: AnthropicDocumentBlock = { type: 'document', source }
  if (part.filename) block.title = part.filename
  const options = anthropicOptionsOf(part.providerOptions, providerId)
  if (options?.citations !== undefined) block.citations = { enabled: options.citations.enabled }
  return block
}

/** `tool_use.input` must be an object; a call whose raw arguments were not JSON cannot be replayed as-is. */
function toolUseInput(input: unknown, toolName: string, warn: Warn): Record<string, unknown> {
  if (isPlainObject(input)) return input
  if (typeof input === 'string') {
    try {
      const parsed: unknown = JSON.parse(input)
      if (isPlainObject(parsed)) return parsed
    } catch {
      // Falls through to the warning below.
    }
  }
  if (input === undefined || input === null) return {}
  warn({
    type: 'other',
    message: `the input of the earlier "${toolName}" tool call is not a JSON object; Anthropic needs one, so {} was sent`,
  })
  return {}
}

/** Puts a part's (or message's) `cacheControl` on the block it became. */
function withCache<Block extends object>(
  block: Block,
  cacheControl: AnthropicCacheControl | undefined,
): Block {
  if (cacheControl) {
    ;(block as { cache_control?: AnthropicWireCacheControl }).cache_control = toWireCacheControl(cacheControl)
  }
  return block
}

/** The `cacheControl` of a part's or message's `providerOptions[providerId]`. */
function cacheOf(
  providerOptions: Record<string, Record<string, unknown> | undefined> | undefined,
  providerId: string,
): AnthropicCacheControl | undefined {
  return anthropicOptionsOf(providerOptions, providerId)?.cacheControl
}

/** A message-level breakpoint goes on the message's last block. */
function cacheLastBlock(
  blocks: Array<{ cache_control?: AnthropicWireCacheControl }>,
  cacheControl: AnthropicCacheControl | undefined,
): void {
  const last = blocks[blocks.length - 1]
  if (cacheControl && last) last.cache_control = toWireCacheControl(cacheControl)
}

/**
 * An assistant's reasoning part as the block it came from: `thinking` with its signature, or
 * `redacted_thinking` with its data, both unchanged (platform.claude.com/docs/en/build-with-claude/extended-thinking:
 * thinking blocks go back as they were received). A part with neither cannot be verified and is dropped.
 */
function reasoningBlock(
  part: { text: string; providerMetadata?: Record<string, Record<string, unknown>> | undefined },
  providerId: string,
  warn: Warn,
): AnthropicThinkingBlock | AnthropicRedactedThinkingBlock | undefined {
  const metadata = part.providerMetadata?.[providerId]
  if (typeof metadata?.redactedData === 'string')
    return { type: 'redacted_thinking', data: metadata.redactedData }
  if (typeof metadata?.signature === 'string') {
    return { type: 'thinking', thinking: part.text, signature: metadata.signature }
  }
  warn({
    type: 'other',
    message:
      'a reasoning part without an Anthropic signature or redacted data was not sent: Anthropic only takes back thinking blocks as it returned them',
  })
  return undefined
}

/**
 * Converts core messages to the Messages API: system messages become the top-level `system`
 * blocks, tool results become `tool_result` blocks in a user message (consecutive tool messages
 * merged into one), assistant tool calls become `tool_use` blocks after the thinking blocks they
 * came with, file parts `document` blocks; `cacheControl` on a message or part becomes `cache_control`.
 */
export function convertToAnthropicMessages(
  messages: readonly Message[],
  warn: Warn = () => {},
  providerId = 'anthropic',
): { system: AnthropicTextBlock[]; messages: AnthropicMessage[] } {
  const system: AnthropicTextBlock[] = []
  const out: AnthropicMessage[] = []
  let toolResults: AnthropicToolResultBlock[] | undefined
  for (const message of messages) {
    if (message.role !== 'tool') toolResults = undefined
    const messageCache = cacheOf(message.providerOptions, providerId)
    switch (message.role) {
      case 'system':
        system.push(withCache({ type: 'text', text: message.content }, messageCache))
        break
      case 'user': {
        if (typeof message.content === 'string') {
          out.push({
            role: 'user',
            content: messageCache
              ? [withCache<AnthropicTextBlock>({ type: 'text', text: message.content }, messageCache)]
              : message.content,
          })
          break
        }
        const blocks: UserBlock[] = []
        for (const part of message.content) {
          const cache = cacheOf(part.providerOptions, providerId)
          if (part.type === 'text') blocks.push(withCache({ type: 'text', text: part.text }, cache))
          else if (part.type === 'image')
            blocks.push(withCache({ type: 'image', source: imageSource(part) }, cache))
          else {
            const block = documentBlock(part, providerId, warn)
            if (block) blocks.push(withCache(block, cache))
          }
        }
        cacheLastBlock(blocks, messageCache)
        out.push({ role: 'user', content: blocks })
        break
      }
      case 'assistant': {
        if (typeof message.content === 'string') {
          out.push({
            role: 'assistant',
            content: messageCache
              ? [withCache<AnthropicTextBlock>({ type: 'text', text: message.content }, messageCache)]
              : message.content,
          })
          break
        }
        const blocks: AssistantBlock[] = []
        for (const part of message.content) {
          switch (part.type) {
            case 'text':
              blocks.push(
                withCache({ type: 'text', text: part.text }, cacheOf(part.providerOptions, providerId)),
              )
              break
            case 'reasoning': {
              const block = reasoningBlock(part, providerId, warn)
              if (block) blocks.push(block)
              break
            }
            case 'tool-call':
              blocks.push(
                withCache(
                  {
                    type: 'tool_use',
                    id: part.toolCallId,
                    name: part.toolName,
                    input: toolUseInput(part.input, part.toolName, warn),
                  },
                  cacheOf(part.providerOptions, providerId),
                ),
              )
              break
            case 'file':
              warn({
                type: 'other',
                message: `Anthropic takes documents only in user turns; the ${part.mediaType} file in an assistant message was not sent`,
              })
              break
          }
        }
        // Thinking blocks cannot carry cache_control: a message-level breakpoint goes on the last other block.
        const cacheable = blocks.filter(
          (block) => block.type !== 'thinking' && block.type !== 'redacted_thinking',
        ) as Array<{ cache_control?: AnthropicWireCacheControl }>
        cacheLastBlock(cacheable, messageCache)
        out.push({ role: 'assistant', content: blocks })
        break
      }
      case 'tool': {
        if (!toolResults) {
          toolResults = []
          out.push({ role: 'user', content: toolResults })
        }
        const added: AnthropicToolResultBlock[] = []
        for (const part of message.content) {
          const block = withCache<AnthropicToolResultBlock>(
            {
              type: 'tool_result',
              tool_use_id: part.toolCallId,
              content: stringifyToolOutput(part.output),
              ...(part.isError ? { is_error: true } : {}),
            },
            cacheOf(part.providerOptions, providerId),
          )
          toolResults.push(block)
          added.push(block)
        }
        cacheLastBlock(added, messageCache)
        break
      }
    }
  }
  return { system, messages: out }
}

function convertToolChoice(choice: ToolChoice): Record<string, unknown> {
  if (choice === 'auto') return { type: 'auto' }
  if (choice === 'none') return { type: 'none' }
  if (choice === 'required') return { type: 'any' }
  return { type: 'tool', name: choice.toolName }
}

function unsupported(warn: Warn, setting: string, message: string): void {
  warn({ type: 'unsupported-setting', setting, message })
}

/** Where the body sets `cache_control`, for the limit of 4. */
function countBreakpoints(body: AnthropicRequest): number {
  let count = 0
  const visit = (blocks: unknown) => {
    if (!Array.isArray(blocks)) return
    for (const block of blocks) if (isPlainObject(block) && block.cache_control) count++
  }
  visit(body.tools)
  visit(body.system)
  for (const message of body.messages) visit(message.content)
  return count
}

/**
 * Translates a core request into a Messages API body. `max_tokens` is always set (Anthropic
 * requires it); the typed `providerOptions` are translated to their wire names and the rest go
 * last, untouched. More than 4 cache breakpoints throw `InvalidRequestError` before anything is sent.
 */
export function convertToAnthropicRequest(
  request: AdapterRequest,
  context: Pick<CallContext, 'warn' | 'providerOptions'>,
  options: ConvertOptions = {},
): AnthropicRequest {
  const { warn } = context
  const providerId = options.providerId ?? 'anthropic'
  const {
    thinking: thinkingOption,
    topK,
    metadata,
    disableParallelToolUse,
    serviceTier,
    container,
    anthropicBeta: _beta,
    cacheControl: requestCache,
    citations: _citations,
    ...passthrough
  } = context.providerOptions as AnthropicProviderOptions & Record<string, unknown>
  const { system, messages } = convertToAnthropicMessages(request.messages, warn, providerId)
  const thinking = isPlainObject(thinkingOption) ? snakeKeys(thinkingOption) : undefined
  const defaultMax = options.defaultMaxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS
  // A thinking budget counts against max_tokens and must stay below it: leave room for the answer.
  const budget = thinking?.type === 'enabled' ? thinking.budget_tokens : undefined
  const body: AnthropicRequest = {
    model: request.model,
    max_tokens: request.maxOutputTokens ?? (typeof budget === 'number' ? budget + defaultMax : defaultMax),
    messages,
  }
  if (system.length === 1 && !system[0]!.cache_control) body.system = system[0]!.text
  else if (system.length > 0) body.system = system

  const samplingAllowed = options.apiVersion !== undefined && options.apiVersion < SAMPLING_REMOVED_IN
  const sampling: Array<[string, string, unknown]> = [
    ['temperature', 'temperature', request.temperature],
    ['topP', 'top_p', request.topP],
    ['topK', 'top_k', request.topK ?? topK],
  ]
  for (const [setting, field, value] of sampling) {
    if (value === undefined) continue
    if (samplingAllowed) body[field] = value
    else {
      unsupported(
        warn,
        setting,
        `${setting} was not sent: Anthropic API version ${options.apiVersion ?? SAMPLING_REMOVED_IN} removed ${field} (set apiVersion '2023-06-01' to send it to models that accept it)`,
      )
    }
  }
  if (request.stopSequences?.length) body.stop_sequences = request.stopSequences
  if (request.seed !== undefined)
    unsupported(warn, 'seed', 'Anthropic has no seed parameter; seed was not sent')
  if (request.presencePenalty !== undefined) {
    unsupported(warn, 'presencePenalty', 'Anthropic has no presence penalty; presencePenalty was not sent')
  }
  if (request.frequencyPenalty !== undefined) {
    unsupported(warn, 'frequencyPenalty', 'Anthropic has no frequency penalty; frequencyPenalty was not sent')
  }
  if (request.tools?.length) {
    body.tools = request.tools.map((tool) =>
      withCache(
        {
          name: tool.name,
          ...(tool.description ? { description: tool.description } : {}),
          input_schema: tool.parameters,
        } as { name: string; cache_control?: AnthropicWireCacheControl },
        cacheOf(tool.providerOptions, providerId),
      ),
    )
  }
  if (request.toolChoice !== undefined) {
    if (request.tools?.length) body.tool_choice = convertToolChoice(request.toolChoice)
    else if (request.toolChoice !== 'none' && request.toolChoice !== 'auto') {
      unsupported(warn, 'toolChoice', 'toolChoice needs tools; it was not sent because the request has none')
    }
  }
  if (disableParallelToolUse !== undefined) {
    if (request.tools?.length) {
      const choice = (body.tool_choice as Record<string, unknown> | undefined) ?? { type: 'auto' }
      body.tool_choice = { ...choice, disable_parallel_tool_use: disableParallelToolUse }
    } else {
      unsupported(warn, 'disableParallelToolUse', 'disableParallelToolUse needs tools; it was not sent')
    }
  }
  const format = request.responseFormat
  if (format?.type === 'json') {
    if (format.schema) body.output_config = { format: { type: 'json_schema', schema: format.schema } }
    else {
      unsupported(
        warn,
        'responseFormat',
        'Anthropic has no schema-less JSON mode; pass a schema (or use generateObject) to constrain the output',
      )
    }
  }
  if (options.stream) body.stream = true
  if (thinking) body.thinking = thinking
  if (isPlainObject(metadata)) body.metadata = snakeKeys(metadata)
  if (serviceTier !== undefined) body.service_tier = serviceTier
  if (container !== undefined) body.container = container
  if (requestCache !== undefined) {
    unsupported(
      warn,
      'cacheControl',
      'cacheControl goes on a system message, a message, a part or a tool, not on the request; it was not sent',
    )
  }

  for (const key in passthrough) {
    const value = passthrough[key]
    const current = body[key]
    // `output_config` carries both the JSON schema and options such as `effort`: merge, do not replace.
    body[key] =
      key === 'output_config' && isPlainObject(current) && isPlainObject(value)
        ? { ...current, ...value }
        : value
  }

  const breakpoints = countBreakpoints(body)
  if (breakpoints > MAX_CACHE_BREAKPOINTS) {
    throw new InvalidRequestError(
      `Anthropic takes at most ${MAX_CACHE_BREAKPOINTS} cache breakpoints per request and this one sets ${breakpoints}: remove cacheControl from ${breakpoints - MAX_CACHE_BREAKPOINTS} of the system messages, messages, parts and tools that carry it`,
      { provider: providerId, model: request.model, field: 'cacheControl' },
    )
  }
  return body
}
