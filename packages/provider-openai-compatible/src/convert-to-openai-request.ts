import type { ImagePart, Message, ToolChoice } from '@modelplex/core'
import type { AdapterRequest, CallContext } from '@modelplex/core/adapter'
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

export interface OpenAIToolCallPayload {
  id: string
  type: 'function'
  function: { name: string; arguments: string }
}

/** The Chat Completions request body: the documented fields plus whatever `providerOptions` add. */
export interface OpenAIChatRequest {
  model: string
  messages: OpenAIChatMessage[]
  [field: string]: unknown
}

function imageUrl(part: ImagePart): string {
  const { image } = part
  if (typeof image !== 'string') return image.href
  if (/^(https?:|data:)/.test(image)) return image
  return `data:${part.mediaType};base64,${image}`
}

/** Tool outputs travel as text; anything else is sent as its JSON. */
function stringifyOutput(output: unknown): string {
  if (typeof output === 'string') return output
  return JSON.stringify(output ?? null)
}

/** Converts core messages to Chat Completions messages (one `tool` message per tool result). */
export function convertToOpenAIMessages(messages: readonly Message[]): OpenAIChatMessage[] {
  const out: OpenAIChatMessage[] = []
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        out.push({ role: 'system', content: message.content })
        break
      case 'user': {
        if (typeof message.content === 'string') {
          out.push({ role: 'user', content: message.content })
          break
        }
        // Text-only parts are joined into a string: every OpenAI-compatible server accepts that shape.
        if (message.content.every((part) => part.type === 'text')) {
          out.push({
            role: 'user',
            content: message.content.map((part) => (part as { text: string }).text).join(''),
          })
          break
        }
        out.push({
          role: 'user',
          content: message.content.map(
            (part): OpenAIUserContentPart =>
              part.type === 'text'
                ? { type: 'text', text: part.text }
                : { type: 'image_url', image_url: { url: imageUrl(part) } },
          ),
        })
        break
      }
      case 'assistant': {
        if (typeof message.content === 'string') {
          out.push({ role: 'assistant', content: message.content })
          break
        }
        let text = ''
        const toolCalls: OpenAIToolCallPayload[] = []
        for (const part of message.content) {
          if (part.type === 'text') text += part.text
          else {
            toolCalls.push({
              id: part.toolCallId,
              type: 'function',
              function: {
                name: part.toolName,
                // A string input is the model's raw arguments (not JSON); send it back unchanged.
                arguments: typeof part.input === 'string' ? part.input : JSON.stringify(part.input ?? {}),
              },
            })
          }
        }
        out.push(
          toolCalls.length > 0
            ? { role: 'assistant', content: text || null, tool_calls: toolCalls }
            : { role: 'assistant', content: text },
        )
        break
      }
      case 'tool':
        for (const part of message.content) {
          out.push({ role: 'tool', tool_call_id: part.toolCallId, content: stringifyOutput(part.output) })
        }
        break
    }
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
