import type { AssistantMessage, Message, ToolChoice } from '@modelplex/core'
import {
  type AdapterEmbedRequest,
  type AdapterRequest,
  type AdapterTool,
  type CallContext,
  type ChatMessageShape,
  type ChatToolCallPayload,
  convertToChatMessages,
} from '@modelplex/core/adapter'
import type { CohereReasoningMetadata } from './cohere-provider-options.js'

// Requests are built in the SDK's own (camelCase) shape: `cohere-ai` serializes it to the wire's
// snake_case and passes unknown keys through untouched, so `providerOptions` may use either form.

/** A v2 chat message as `cohere-ai` takes it. */
export type CohereChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | CohereUserContentPart[] }
  | {
      role: 'assistant'
      content?: string | CohereAssistantContentPart[]
      toolPlan?: string
      toolCalls?: CohereToolCallPayload[]
    }
  | { role: 'tool'; toolCallId: string; content: string }

export type CohereUserContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; imageUrl: { url: string } }

/** An assistant content item: text, or the `thinking` of a reasoning model sent back. */
export type CohereAssistantContentPart =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string }

export type CohereToolCallPayload = ChatToolCallPayload

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

/**
 * An assistant turn. One that calls tools carries its plan as `tool_plan` (the reasoning part read
 * from `tool_plan`, else the text), not `content`. Earlier `thinking` goes back as `thinking` content
 * items before the text: the v2 `AssistantMessage` content takes text and thinking items
 * (docs.cohere.com/reference/chat, `messages[].content`; cohere-ai `AssistantMessageV2ContentOneItem`).
 */
function convertAssistant(
  text: string,
  toolCalls: ChatToolCallPayload[],
  message: AssistantMessage,
): CohereChatMessage {
  const thinking: CohereAssistantContentPart[] = []
  let plan = ''
  if (typeof message.content !== 'string') {
    for (const part of message.content) {
      if (part.type !== 'reasoning') continue
      const metadata = part.providerMetadata?.cohere as CohereReasoningMetadata | undefined
      if (metadata?.toolPlan) plan += part.text
      else thinking.push({ type: 'thinking', thinking: part.text })
    }
  }
  if (toolCalls.length > 0) {
    const toolPlan = plan || text
    const content = [...thinking, ...(plan && text ? [{ type: 'text' as const, text }] : [])]
    return {
      role: 'assistant',
      ...(toolPlan ? { toolPlan } : {}),
      toolCalls,
      ...(content.length > 0 ? { content } : {}),
    }
  }
  if (thinking.length === 0) return { role: 'assistant', content: text }
  return { role: 'assistant', content: [...thinking, ...(text ? [{ type: 'text' as const, text }] : [])] }
}

/** How Cohere's v2 chat writes what differs from the other chat-style vendors. */
const cohereMessageShape: ChatMessageShape<CohereChatMessage, CohereUserContentPart> = {
  image: (url) => ({ type: 'image_url', imageUrl: { url } }),
  assistant: convertAssistant,
  tool: (toolCallId, content) => ({ role: 'tool', toolCallId, content }),
}

/** Converts core messages to v2 chat messages (one `tool` message per tool result). */
export function convertToCohereMessages(messages: readonly Message[]): CohereChatMessage[] {
  return convertToChatMessages(messages, cohereMessageShape) as CohereChatMessage[]
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
