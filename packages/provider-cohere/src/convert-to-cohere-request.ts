import type { ImagePart, Message, ToolChoice } from '@modelplex/core'
import type { AdapterEmbedRequest, AdapterRequest, AdapterTool, CallContext } from '@modelplex/core/adapter'

// Requests are built in the SDK's own (camelCase) shape: `cohere-ai` serializes it to the wire's
// snake_case and passes unknown keys through untouched, so `providerOptions` may use either form.

/** A v2 chat message as `cohere-ai` takes it. */
export type CohereChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | CohereUserContentPart[] }
  | {
      role: 'assistant'
      content?: string
      toolPlan?: string
      toolCalls?: CohereToolCallPayload[]
    }
  | { role: 'tool'; toolCallId: string; content: string }

export type CohereUserContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; imageUrl: { url: string } }

export interface CohereToolCallPayload {
  id: string
  type: 'function'
  function: { name: string; arguments: string }
}

export interface CohereToolPayload {
  type: 'function'
  function: { name: string; description?: string; parameters: Record<string, unknown> }
}

/** The `v2/chat` request as `cohere-ai` takes it, plus whatever `providerOptions` add. */
export interface CohereChatRequest {
  model: string
  messages: CohereChatMessage[]
  [field: string]: unknown
}

/** The `v2/embed` request as `cohere-ai` takes it, plus whatever `providerOptions` add. */
export interface CohereEmbedRequest {
  model: string
  texts: string[]
  inputType: string
  embeddingTypes: string[]
  [field: string]: unknown
}

/** Cohere's embed endpoint takes at most 96 texts per call. */
export const MAX_TEXTS_PER_EMBED_CALL = 96

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

/** Converts core messages to v2 chat messages (one `tool` message per tool result). */
export function convertToCohereMessages(messages: readonly Message[]): CohereChatMessage[] {
  const out: CohereChatMessage[] = []
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
            (part): CohereUserContentPart =>
              part.type === 'text'
                ? { type: 'text', text: part.text }
                : { type: 'image_url', imageUrl: { url: imageUrl(part) } },
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
        const toolCalls: CohereToolCallPayload[] = []
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
        if (toolCalls.length === 0) out.push({ role: 'assistant', content: text })
        // Cohere's assistant turn that calls tools carries its text as `tool_plan`, not `content`.
        else out.push({ role: 'assistant', ...(text ? { toolPlan: text } : {}), toolCalls })
        break
      }
      case 'tool':
        for (const part of message.content) {
          out.push({ role: 'tool', toolCallId: part.toolCallId, content: stringifyOutput(part.output) })
        }
        break
    }
  }
  return out
}

function convertTools(tools: readonly AdapterTool[]): CohereToolPayload[] {
  return tools.map((tool) => ({
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      parameters: tool.parameters,
    },
  }))
}

/** Cohere's `tool_choice` is `REQUIRED` or `NONE`; one named tool is forced by sending only that tool. */
function applyToolChoice(body: CohereChatRequest, tools: CohereToolPayload[], choice: ToolChoice): void {
  if (choice === 'auto') return
  if (choice === 'none') {
    body.toolChoice = 'NONE'
    return
  }
  body.toolChoice = 'REQUIRED'
  if (choice !== 'required') body.tools = tools.filter((tool) => tool.function.name === choice.toolName)
}

/**
 * Translates a core request into a v2 chat request. Settings the API cannot take are reported
 * through `context.warn`, never dropped silently; `providerOptions` are merged last.
 */
export function convertToCohereRequest(
  request: AdapterRequest,
  context: Pick<CallContext, 'warn' | 'providerOptions'>,
): CohereChatRequest {
  const body: CohereChatRequest = {
    model: request.model,
    messages: convertToCohereMessages(request.messages),
  }
  if (request.temperature !== undefined) body.temperature = request.temperature
  if (request.maxOutputTokens !== undefined) body.maxTokens = request.maxOutputTokens
  if (request.topP !== undefined) body.p = request.topP
  if (request.topK !== undefined) body.k = request.topK
  if (request.presencePenalty !== undefined) body.presencePenalty = request.presencePenalty
  if (request.frequencyPenalty !== undefined) body.frequencyPenalty = request.frequencyPenalty
  if (request.stopSequences?.length) body.stopSequences = request.stopSequences
  if (request.seed !== undefined) body.seed = request.seed
  if (request.tools?.length) {
    const tools = convertTools(request.tools)
    body.tools = tools
    if (request.toolChoice !== undefined) applyToolChoice(body, tools, request.toolChoice)
  } else if (request.toolChoice === 'none') {
    // No tools and no tool use asked: nothing to send.
  } else if (request.toolChoice !== undefined && request.toolChoice !== 'auto') {
    context.warn({
      type: 'unsupported-setting',
      setting: 'toolChoice',
      message: 'toolChoice needs tools; none were given, so it was not sent',
    })
  }
  const format = request.responseFormat
  if (format?.type === 'json') {
    body.responseFormat = { type: 'json_object', ...(format.schema ? { jsonSchema: format.schema } : {}) }
    if (format.description) {
      context.warn({
        type: 'unsupported-setting',
        setting: 'responseFormat.description',
        message: "Cohere's response_format has no description field; the schema description was not sent",
      })
    }
  }
  const extra = context.providerOptions
  for (const key in extra) body[key] = extra[key]
  return body
}

/**
 * Translates one batch of an embedding request. `input_type` defaults to `search_document`
 * (Cohere requires one for v3+ models); set it through `providerOptions.cohere.input_type`.
 */
export function convertToCohereEmbedRequest(
  request: AdapterEmbedRequest,
  texts: string[],
  context: Pick<CallContext, 'providerOptions'>,
): CohereEmbedRequest {
  const body: CohereEmbedRequest = {
    model: request.model,
    texts,
    inputType: 'search_document',
    embeddingTypes: ['float'],
  }
  if (request.dimensions !== undefined) body.outputDimension = request.dimensions
  const extra = context.providerOptions
  for (const key in extra) body[key] = extra[key]
  return body
}
