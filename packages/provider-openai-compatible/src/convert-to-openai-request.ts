import {
  type AssistantMessage,
  type FilePart,
  InvalidRequestError,
  type Message,
  type ToolChoice,
} from '@modelplex/core'
import {
  type AdapterRequest,
  type CallContext,
  type ChatMessageShape,
  type ChatToolCallPayload,
  convertToChatMessages,
  filePartData,
  filePartUrl,
} from '@modelplex/core/adapter'
import { type OpenAICompatibleQuirks, resolveQuirks } from './openai-compatible-quirks.js'

/** A Chat Completions message as the wire carries it. */
export type OpenAIChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | OpenAIUserContentPart[] }
  | {
      role: 'assistant'
      content: string | null
      tool_calls?: OpenAIToolCallPayload[]
      /** Reasoning sent back, in the vendor's field (`reasoning_content`, `reasoning_details`). */
      [field: string]: unknown
    }
  | { role: 'tool'; tool_call_id: string; content: string }

export type OpenAIUserContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } }
  /** A document (PDF), as OpenAI and OpenRouter take it: a data: URL (or a URL) and its name. */
  | { type: 'file'; file: { file_data: string; filename: string } }
  /** A WAV or MP3 clip, base64. */
  | { type: 'input_audio'; input_audio: { data: string; format: string } }

export type OpenAIToolCallPayload = ChatToolCallPayload

/** The Chat Completions request body: the documented fields plus whatever `providerOptions` add. */
export interface OpenAIChatRequest {
  model: string
  messages: OpenAIChatMessage[]
  [field: string]: unknown
}

/** The `format` of `input_audio` for a media type: `wav` or `mp3`, the two Chat Completions takes. */
function audioFormat(mediaType: string): string | undefined {
  if (/^audio\/(x-)?(wav|wave)$/.test(mediaType)) return 'wav'
  if (/^audio\/(mpeg|mp3)$/.test(mediaType)) return 'mp3'
  return undefined
}

/** A file part in the Chat Completions form: audio as `input_audio`, anything else as a `file` (data: URL). */
export function convertOpenAIFilePart(part: FilePart): OpenAIUserContentPart {
  const format = part.mediaType.startsWith('audio/') ? audioFormat(part.mediaType) : undefined
  if (format) {
    const data = filePartData(part)
    if ('url' in data) {
      throw new InvalidRequestError(`input_audio takes base64 audio, not a URL (${data.url})`)
    }
    return { type: 'input_audio', input_audio: { data: data.base64, format } }
  }
  const extension = part.mediaType.split('/')[1]?.split('+')[0] ?? 'bin'
  return {
    type: 'file',
    file: { file_data: filePartUrl(part), filename: part.filename ?? `document.${extension}` },
  }
}

/** The reasoning parts of an assistant turn (core already dropped those of other providers). */
function reasoningParts(message: AssistantMessage) {
  return typeof message.content === 'string'
    ? []
    : message.content.filter((part) => part.type === 'reasoning')
}

/** Reasoning write-back: its text in one field, or the vendor's own edit. */
export type SendReasoning = OpenAICompatibleQuirks['sendReasoning']

/** The `reasoning_details` blocks kept on an assistant turn's reasoning parts, in order. */
export function reasoningDetailsOf(message: AssistantMessage, provider?: string): unknown[] {
  const details: unknown[] = []
  for (const part of reasoningParts(message)) {
    const metadata = (provider ? part.providerMetadata?.[provider] : undefined) as
      | { reasoningDetails?: unknown }
      | undefined
    if (Array.isArray(metadata?.reasoningDetails)) details.push(...metadata.reasoningDetails)
  }
  return details
}

/** How Chat Completions writes what differs between chat-style vendors. */
function openAIMessageShape(
  sendReasoning: SendReasoning,
): ChatMessageShape<OpenAIChatMessage, OpenAIUserContentPart> {
  return {
    image: (url) => ({ type: 'image_url', image_url: { url } }),
    file: convertOpenAIFilePart,
    assistant(text, toolCalls, message) {
      let wire: Record<string, unknown> =
        toolCalls.length > 0
          ? { role: 'assistant', content: text || null, tool_calls: toolCalls }
          : { role: 'assistant', content: text }
      if (typeof sendReasoning === 'string') {
        const reasoning = reasoningParts(message)
          .map((part) => part.text)
          .join('')
        if (reasoning) wire[sendReasoning] = reasoning
      } else if (sendReasoning) {
        wire = sendReasoning(wire, message)
      }
      return wire as OpenAIChatMessage
    },
    tool: (toolCallId, content) => ({ role: 'tool', tool_call_id: toolCallId, content }),
  }
}

const plainShape = openAIMessageShape(undefined)

/**
 * Converts core messages to Chat Completions messages (one `tool` message per tool result);
 * `sendReasoning` writes earlier reasoning back where the vendor takes it.
 */
export function convertToOpenAIMessages(
  messages: readonly Message[],
  sendReasoning?: SendReasoning,
): OpenAIChatMessage[] {
  const shape = sendReasoning ? openAIMessageShape(sendReasoning) : plainShape
  return convertToChatMessages(messages, shape) as OpenAIChatMessage[]
}

/** The `providerOptions` every Chat Completions server shares, camelCase → wire name. */
export const CHAT_COMPLETIONS_OPTION_KEYS: Readonly<Record<string, string>> = {
  logprobs: 'logprobs',
  topLogprobs: 'top_logprobs',
  logitBias: 'logit_bias',
  parallelToolCalls: 'parallel_tool_calls',
  serviceTier: 'service_tier',
  reasoningEffort: 'reasoning_effort',
  user: 'user',
}

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)
}

/** An option value with its object keys in snake_case, arrays and scalars as they are. */
function snakeCaseValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeCaseValue)
  if (!value || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value
  const out: Record<string, unknown> = {}
  for (const [key, inner] of Object.entries(value)) out[snakeCase(key)] = snakeCaseValue(inner)
  return out
}

/**
 * Writes `providerOptions` in the vendor's form: known camelCase keys under their wire name
 * (object values with snake_case keys), every other key untouched.
 */
export function convertOpenAIProviderOptions(
  options: Record<string, unknown> | undefined,
  keys: Readonly<Record<string, string>> = CHAT_COMPLETIONS_OPTION_KEYS,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key in options) {
    const wire = Object.hasOwn(keys, key) ? keys[key] : undefined
    out[wire ?? key] = wire ? snakeCaseValue(options[key]) : options[key]
  }
  return out
}

function convertToolChoice(choice: ToolChoice): unknown {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.toolName } }
}

/**
 * Translates a core request into a Chat Completions body. Settings the vendor cannot take are
 * reported through `context.warn`, never dropped silently; `providerOptions` are merged last.
 */
export function convertToOpenAIRequest(
  request: AdapterRequest,
  context: Pick<CallContext, 'warn' | 'providerOptions'>,
  quirks: OpenAICompatibleQuirks = {},
  options: { stream?: boolean } = {},
): OpenAIChatRequest {
  const resolved = resolveQuirks(quirks)
  let body: OpenAIChatRequest = {
    model: request.model,
    messages: convertToOpenAIMessages(request.messages, resolved.sendReasoning),
  }
  if (request.temperature !== undefined) body.temperature = request.temperature
  if (request.maxOutputTokens !== undefined) body[resolved.maxTokensField] = request.maxOutputTokens
  if (request.topP !== undefined) body.top_p = request.topP
  if (request.topK !== undefined) {
    if (resolved.topKField) body[resolved.topKField] = request.topK
    else {
      context.warn({
        type: 'unsupported-setting',
        setting: 'topK',
        message: 'topK is not part of the Chat Completions API and was not sent',
      })
    }
  }
  if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty
  if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty
  if (request.stopSequences?.length) body.stop = request.stopSequences
  if (request.seed !== undefined) body.seed = request.seed
  if (request.tools?.length) {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description ? { description: tool.description } : {}),
        parameters: tool.parameters,
      },
    }))
  }
  if (request.toolChoice !== undefined) body.tool_choice = convertToolChoice(request.toolChoice)
  const format = request.responseFormat
  if (format?.type === 'json') {
    if (format.schema && resolved.jsonSchema) {
      body.response_format = {
        type: 'json_schema',
        json_schema: {
          name: format.name ?? 'response',
          ...(format.description ? { description: format.description } : {}),
          schema: format.schema,
          strict: resolved.strictJsonSchema,
        },
      }
    } else {
      if (format.schema) {
        context.warn({
          type: 'unsupported-setting',
          setting: 'responseFormat.schema',
          message:
            'this server has no JSON-schema output mode; JSON mode was asked and the schema is not enforced',
        })
      }
      body.response_format = { type: 'json_object' }
    }
  }
  if (options.stream) {
    body.stream = true
    if (resolved.streamUsage) body.stream_options = { include_usage: true }
  }
  if (resolved.transformRequest) body = resolved.transformRequest(body, request, context) as OpenAIChatRequest
  const keys = resolved.providerOptionKeys
    ? { ...CHAT_COMPLETIONS_OPTION_KEYS, ...resolved.providerOptionKeys }
    : CHAT_COMPLETIONS_OPTION_KEYS
  const extra = convertOpenAIProviderOptions(context.providerOptions, keys)
  for (const key in extra) body[key] = extra[key]
  return body
}
