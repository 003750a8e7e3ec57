import type { ImagePart, Message, ToolChoice } from '@modelplex/core'
import type { AdapterRequest, CallContext } from '@modelplex/core/adapter'
import { stringifyToolOutput } from '@modelplex/core/adapter'

/** `max_tokens` when the request sets no `maxOutputTokens`: Anthropic requires the field. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096

/** The API version whose Messages API rejects `temperature`, `top_p` and `top_k` with a 400. */
export const SAMPLING_REMOVED_IN = '2026-10-21'

/** A `text` content block. */
export type AnthropicTextBlock = { type: 'text'; text: string }
/** An `image` content block: base64 data or a URL. */
export type AnthropicImageBlock = {
  type: 'image'
  source: { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string }
}
/** An assistant's `tool_use` block. */
export type AnthropicToolUseBlock = { type: 'tool_use'; id: string; name: string; input: unknown }
/** A user's `tool_result` block answering one `tool_use`. */
export type AnthropicToolResultBlock = {
  type: 'tool_result'
  tool_use_id: string
  content: string
  is_error?: boolean
}

/** A Messages API message as the wire carries it. */
export type AnthropicMessage =
  | {
      role: 'user'
      content: string | Array<AnthropicTextBlock | AnthropicImageBlock | AnthropicToolResultBlock>
    }
  | { role: 'assistant'; content: string | Array<AnthropicTextBlock | AnthropicToolUseBlock> }

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

/**
 * Converts core messages to the Messages API: system messages become the top-level `system`,
 * tool results become `tool_result` blocks in a user message (consecutive tool messages merged
 * into one), assistant tool calls become `tool_use` blocks.
 */
export function convertToAnthropicMessages(
  messages: readonly Message[],
  warn: Warn = () => {},
): { system: string[]; messages: AnthropicMessage[] } {
  const system: string[] = []
  const out: AnthropicMessage[] = []
  let toolResults: AnthropicToolResultBlock[] | undefined
  for (const message of messages) {
    if (message.role !== 'tool') toolResults = undefined
    switch (message.role) {
      case 'system':
        system.push(message.content)
        break
      case 'user':
        out.push({
          role: 'user',
          content:
            typeof message.content === 'string'
              ? message.content
              : message.content.map((part) =>
                  part.type === 'text'
                    ? { type: 'text', text: part.text }
                    : { type: 'image', source: imageSource(part) },
                ),
        })
        break
      case 'assistant': {
        if (typeof message.content === 'string') {
          out.push({ role: 'assistant', content: message.content })
          break
        }
        out.push({
          role: 'assistant',
          content: message.content.map((part) =>
            part.type === 'text'
              ? { type: 'text', text: part.text }
              : {
                  type: 'tool_use',
                  id: part.toolCallId,
                  name: part.toolName,
                  input: toolUseInput(part.input, part.toolName, warn),
                },
          ),
        })
        break
      }
      case 'tool': {
        if (!toolResults) {
          toolResults = []
          out.push({ role: 'user', content: toolResults })
        }
        for (const part of message.content) {
          toolResults.push({
            type: 'tool_result',
            tool_use_id: part.toolCallId,
            content: stringifyToolOutput(part.output),
            ...(part.isError ? { is_error: true } : {}),
          })
        }
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

/**
 * Translates a core request into a Messages API body. `max_tokens` is always set (Anthropic
 * requires it); settings the API cannot take are reported through `warn`, never dropped
 * silently; `providerOptions` are merged last (`output_config` key by key).
 */
export function convertToAnthropicRequest(
  request: AdapterRequest,
  context: Pick<CallContext, 'warn' | 'providerOptions'>,
  options: ConvertOptions = {},
): AnthropicRequest {
  const { warn, providerOptions } = context
  const { system, messages } = convertToAnthropicMessages(request.messages, warn)
  const thinking = providerOptions.thinking as { type?: string; budget_tokens?: number } | undefined
  const defaultMax = options.defaultMaxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS
  // A thinking budget counts against max_tokens and must stay below it: leave room for the answer.
  const budget = thinking?.type === 'enabled' ? thinking.budget_tokens : undefined
  const body: AnthropicRequest = {
    model: request.model,
    max_tokens: request.maxOutputTokens ?? (typeof budget === 'number' ? budget + defaultMax : defaultMax),
    messages,
  }
  if (system.length === 1) body.system = system[0]!
  else if (system.length > 1) body.system = system.map((text) => ({ type: 'text', text }))

  const samplingAllowed = options.apiVersion !== undefined && options.apiVersion < SAMPLING_REMOVED_IN
  const sampling: Array<[keyof AdapterRequest, string]> = [
    ['temperature', 'temperature'],
    ['topP', 'top_p'],
    ['topK', 'top_k'],
  ]
  for (const [setting, field] of sampling) {
    const value = request[setting]
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
    body.tools = request.tools.map((tool) => ({
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      input_schema: tool.parameters,
    }))
  }
  if (request.toolChoice !== undefined) {
    if (request.tools?.length) body.tool_choice = convertToolChoice(request.toolChoice)
    else if (request.toolChoice !== 'none' && request.toolChoice !== 'auto') {
      unsupported(warn, 'toolChoice', 'toolChoice needs tools; it was not sent because the request has none')
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

  for (const key in providerOptions) {
    const value = providerOptions[key]
    const current = body[key]
    // `output_config` carries both the JSON schema and options such as `effort`: merge, do not replace.
    body[key] =
      key === 'output_config' && isPlainObject(current) && isPlainObject(value)
        ? { ...current, ...value }
        : value
  }
  return body
}
