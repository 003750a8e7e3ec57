import type { AssistantMessage, FilePart, Message, ToolChoice, UserMessage } from '@modelplex/core'
import {
  type AdapterRequest,
  type CallContext,
  filePartData,
  imagePartUrl,
  stringifyToolOutput,
} from '@modelplex/core/adapter'
import { readResponsesOptions } from './openai-provider-options.js'

/** A Responses `input` item as modelplex writes it (https://platform.openai.com/docs/api-reference/responses/create). */
export type OpenAIResponsesInputItem =
  | { role: 'system' | 'developer'; content: string }
  | { role: 'user'; content: string | OpenAIResponsesUserContent[] }
  | { role: 'assistant'; content: Array<{ type: 'output_text'; text: string }> }
  | { type: 'function_call'; call_id: string; name: string; arguments: string }
  | { type: 'function_call_output'; call_id: string; output: string }
  | OpenAIResponsesReasoningItem

export type OpenAIResponsesUserContent =
  | { type: 'input_text'; text: string }
  | { type: 'input_image'; image_url: string; detail: 'auto' }
  | { type: 'input_file'; filename: string; file_data: string }
  | { type: 'input_file'; file_url: string }

/** A reasoning item as it is sent back: the one the response returned, byte for byte. */
export interface OpenAIResponsesReasoningItem {
  type: 'reasoning'
  id: string
  encrypted_content?: string | null
  summary: Array<{ type: 'summary_text'; text: string }>
}

/** The Responses request body: the documented fields plus whatever `providerOptions` add. */
export interface OpenAIResponsesRequest {
  model: string
  input: OpenAIResponsesInputItem[]
  [field: string]: unknown
}

/** What a reasoning part keeps in `providerMetadata.openai`. */
export interface OpenAIReasoningMetadata {
  /** The reasoning item's `id` (`rs_…`). */
  itemId?: string
  /** The item's `encrypted_content`, sent back as is. */
  encryptedContent?: string | null
}

/** The extension a media type's file is named with, when the part has no filename. */
const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/markdown': 'md',
  'text/csv': 'csv',
  'text/html': 'html',
  'application/json': 'json',
}

function fileContent(part: FilePart): OpenAIResponsesUserContent {
  const data = filePartData(part)
  if ('url' in data) return { type: 'input_file', file_url: data.url }
  const filename = part.filename ?? `file.${EXTENSIONS[data.mediaType] ?? 'bin'}`
  return { type: 'input_file', filename, file_data: `data:${data.mediaType};base64,${data.base64}` }
}

function userContent(message: UserMessage): OpenAIResponsesInputItem {
  if (typeof message.content === 'string') return { role: 'user', content: message.content }
  const content: OpenAIResponsesUserContent[] = []
  for (const part of message.content) {
    switch (part.type) {
      case 'text':
        content.push({ type: 'input_text', text: part.text })
        break
      case 'image':
        content.push({ type: 'input_image', image_url: imagePartUrl(part), detail: 'auto' })
        break
      case 'file':
        content.push(fileContent(part))
        break
    }
  }
  return { role: 'user', content }
}

/** An assistant turn as output items, in its order: reasoning items, text, function calls. */
function assistantItems(message: AssistantMessage, out: OpenAIResponsesInputItem[], provider: string): void {
  if (typeof message.content === 'string') {
    if (message.content)
      out.push({ role: 'assistant', content: [{ type: 'output_text', text: message.content }] })
    return
  }
  let reasoning: OpenAIResponsesReasoningItem | undefined
  let text: { type: 'output_text'; text: string }[] | undefined
  for (const part of message.content) {
    if (part.type !== 'reasoning') reasoning = undefined
    if (part.type !== 'text') text = undefined
    switch (part.type) {
      case 'reasoning': {
        const meta = (part.providerMetadata?.[provider] ?? {}) as OpenAIReasoningMetadata
        // Parts of one item (one per summary part) share its id: they go back as that one item.
        if (!reasoning || (meta.itemId !== undefined && reasoning.id !== meta.itemId)) {
          reasoning = { type: 'reasoning', id: meta.itemId ?? '', summary: [] }
          if (meta.encryptedContent !== undefined) reasoning.encrypted_content = meta.encryptedContent
          out.push(reasoning)
        } else if (meta.encryptedContent !== undefined && reasoning.encrypted_content === undefined) {
          reasoning.encrypted_content = meta.encryptedContent
        }
        if (part.text) reasoning.summary.push({ type: 'summary_text', text: part.text })
        break
      }
      case 'text':
        if (!part.text) break
        if (text) text.push({ type: 'output_text', text: part.text })
        else {
          text = [{ type: 'output_text', text: part.text }]
          out.push({ role: 'assistant', content: text })
        }
        break
      case 'tool-call':
        out.push({
          type: 'function_call',
          call_id: part.toolCallId,
          name: part.toolName,
          arguments: JSON.stringify(part.input ?? {}),
        })
        break
      case 'file':
        // Responses has no assistant file content; a file the model did not make cannot be its output.
        break
    }
  }
}

/**
 * Converts core messages to Responses `input` items; the system prompt travels as a `system`
 * message. `provider` is the id a reasoning part's `providerMetadata` is filed under.
 */
export function convertToResponsesInput(
  messages: readonly Message[],
  provider = 'openai',
): OpenAIResponsesInputItem[] {
  const out: OpenAIResponsesInputItem[] = []
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        out.push({ role: 'system', content: message.content })
        break
      case 'user':
        out.push(userContent(message))
        break
      case 'assistant':
        assistantItems(message, out, provider)
        break
      case 'tool':
        for (const result of message.content) {
          out.push({
            type: 'function_call_output',
            call_id: result.toolCallId,
            output: stringifyToolOutput(result.output),
          })
        }
        break
    }
  }
  return out
}

function convertToolChoice(choice: ToolChoice): unknown {
  return typeof choice === 'string' ? choice : { type: 'function', name: choice.toolName }
}

/**
 * Translates a core request into a Responses body (`POST /v1/responses`). Stateless by default
 * (`store: false`); with reasoning asked for, `reasoning.encrypted_content` is included so the
 * reasoning items can travel back in `r.messages`. Unknown `providerOptions` keys are merged last.
 */
export function convertToResponsesRequest(
  request: AdapterRequest,
  context: Pick<CallContext, 'warn' | 'providerOptions'>,
  options: { stream?: boolean; provider?: string } = {},
): OpenAIResponsesRequest {
  const body: OpenAIResponsesRequest = {
    model: request.model,
    input: convertToResponsesInput(request.messages, options.provider),
  }
  if (request.temperature !== undefined) body.temperature = request.temperature
  if (request.maxOutputTokens !== undefined) body.max_output_tokens = request.maxOutputTokens
  if (request.topP !== undefined) body.top_p = request.topP
  const unsupported = (setting: string) =>
    context.warn({
      type: 'unsupported-setting',
      setting,
      message: `${setting} is not part of the OpenAI Responses API and was not sent`,
    })
  if (request.topK !== undefined) unsupported('topK')
  if (request.presencePenalty !== undefined) unsupported('presencePenalty')
  if (request.frequencyPenalty !== undefined) unsupported('frequencyPenalty')
  if (request.stopSequences?.length) unsupported('stopSequences')
  if (request.seed !== undefined) unsupported('seed')
  if (request.tools?.length) {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      parameters: tool.parameters,
      strict: false,
    }))
  }
  if (request.toolChoice !== undefined) body.tool_choice = convertToolChoice(request.toolChoice)

  const provider = readResponsesOptions(context.providerOptions)
  const text: Record<string, unknown> = {}
  const format = request.responseFormat
  if (format?.type === 'json') {
    text.format = format.schema
      ? {
          type: 'json_schema',
          name: format.name ?? 'response',
          ...(format.description ? { description: format.description } : {}),
          schema: format.schema,
          // As on the Chat Completions path: OpenAI enforces the schema.
          strict: true,
        }
      : { type: 'json_object' }
  }
  if (provider.textVerbosity !== undefined) text.verbosity = provider.textVerbosity
  if (Object.keys(text).length > 0) body.text = text

  if (provider.reasoning) body.reasoning = provider.reasoning
  // Stateless unless asked otherwise: nothing is kept on OpenAI's side, so reasoning has to travel back encrypted.
  const store = provider.store ?? false
  body.store = store
  const include = provider.include
  if (!store && provider.reasoning && !include.includes('reasoning.encrypted_content')) {
    include.push('reasoning.encrypted_content')
  }
  if (include.length > 0) body.include = include
  if (options.stream) body.stream = true
  Object.assign(body, provider.fields)
  return body
}
