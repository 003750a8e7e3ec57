import type { Message, ToolChoice } from '@modelplex/core'
import {
  type AdapterRequest,
  type CallContext,
  type ChatMessageShape,
  type ChatToolCallPayload,
  convertToChatMessages,
} from '@modelplex/core/adapter'
import { type OpenAICompatibleQuirks, resolveQuirks } from './openai-compatible-quirks.js'

/** A Chat Completions message as the wire carries it. */
export type OpenAIChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | OpenAIUserContentPart[] }
  | { role: 'assistant'; content: string | null; tool_calls?: OpenAIToolCallPayload[] }
  | { role: 'tool'; tool_call_id: string; content: string }

export type OpenAIUserContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } }

export type OpenAIToolCallPayload = ChatToolCallPayload

/** The Chat Completions request body: the documented fields plus whatever `providerOptions` add. */
export interface OpenAIChatRequest {
  model: string
  messages: OpenAIChatMessage[]
  [field: string]: unknown
}

/** How Chat Completions writes what differs between chat-style vendors. */
const openAIMessageShape: ChatMessageShape<OpenAIChatMessage, OpenAIUserContentPart> = {
  image: (url) => ({ type: 'image_url', image_url: { url } }),
  assistant: (text, toolCalls) =>
    toolCalls.length > 0
      ? { role: 'assistant', content: text || null, tool_calls: toolCalls }
      : { role: 'assistant', content: text },
  tool: (toolCallId, content) => ({ role: 'tool', tool_call_id: toolCallId, content }),
}

/** Converts core messages to Chat Completions messages (one `tool` message per tool result). */
export function convertToOpenAIMessages(messages: readonly Message[]): OpenAIChatMessage[] {
  return convertToChatMessages(messages, openAIMessageShape) as OpenAIChatMessage[]
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
  let body: OpenAIChatRequest = { model: request.model, messages: convertToOpenAIMessages(request.messages) }
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
  const extra = context.providerOptions
  for (const key in extra) body[key] = extra[key]
  return body
}
