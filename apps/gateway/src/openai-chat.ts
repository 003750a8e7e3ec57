// OpenAI's Chat Completions wire format, from https://platform.openai.com/docs/api-reference/chat
// (request body, the chat.completion object and the chat.completion.chunk stream).
import {
  type FinishReason,
  type GenerateRequest,
  type GenerateResult,
  InvalidRequestError,
  type Message,
  type Usage,
} from '@modelplex/core'
import { z } from 'zod'
import { type StreamEncoder, sseData } from './stream-encoder.js'

// Messages strip keys they do not know, as OpenAI does: SDKs send back fields of the message they
// received (`parsed`, `annotations`). The request's top level stays strict.
const textPart = z.object({ type: z.literal('text'), text: z.string() })
const imagePart = z.object({
  type: z.literal('image_url'),
  image_url: z.object({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }),
})

const toolCall = z.object({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
})

const textContent = z.union([z.string(), z.array(textPart)])

const chatMessage = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: textContent, name: z.string().optional() }),
  z.object({ role: z.literal('developer'), content: textContent, name: z.string().optional() }),
  z.object({
    role: z.literal('user'),
    content: z.union([z.string(), z.array(z.union([textPart, imagePart])).min(1)]),
    name: z.string().optional(),
  }),
  z.object({
    role: z.literal('assistant'),
    content: textContent.nullish(),
    name: z.string().optional(),
    refusal: z.string().nullish(),
    tool_calls: z.array(toolCall).optional(),
    /** What reasoning servers (DeepSeek, vLLM, LiteLLM) send back: the model's reasoning. */
    reasoning_content: z.string().nullish(),
  }),
  z.object({ role: z.literal('tool'), content: textContent, tool_call_id: z.string().min(1) }),
])

const functionTool = z
  .object({
    type: z.literal('function'),
    function: z
      .object({
        name: z.string().min(1),
        description: z.string().optional(),
        parameters: z.record(z.string(), z.unknown()).optional(),
        strict: z.boolean().nullish(),
      })
      .strict(),
  })
  .strict()

export const chatRequestSchema = z
  .object({
    model: z.string().min(1),
    messages: z.array(chatMessage).min(1, 'messages must hold at least one message'),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).strict().nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    max_tokens: z.number().int().positive().nullish(),
    max_completion_tokens: z.number().int().positive().nullish(),
    stop: z.union([z.string(), z.array(z.string()).max(16)]).nullish(),
    seed: z.number().int().nullish(),
    presence_penalty: z.number().min(-2).max(2).nullish(),
    frequency_penalty: z.number().min(-2).max(2).nullish(),
    n: z.literal(1, { message: 'the gateway returns one choice; set n to 1 or leave it out' }).nullish(),
    tools: z.array(functionTool).optional(),
    tool_choice: z
      .union([
        z.enum(['auto', 'none', 'required']),
        z
          .object({ type: z.literal('function'), function: z.object({ name: z.string().min(1) }).strict() })
          .strict(),
      ])
      .optional(),
    parallel_tool_calls: z.boolean().optional(),
    response_format: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('text') }).strict(),
        z.object({ type: z.literal('json_object') }).strict(),
        z
          .object({
            type: z.literal('json_schema'),
            json_schema: z
              .object({
                name: z.string().min(1),
                description: z.string().optional(),
                schema: z.record(z.string(), z.unknown()).optional(),
                strict: z.boolean().nullish(),
              })
              .strict(),
          })
          .strict(),
      ])
      .optional(),
    reasoning_effort: z.enum(['minimal', 'low', 'medium', 'high']).nullish(),
    user: z.string().optional(),
    metadata: z.record(z.string(), z.string()).optional(),
    store: z.boolean().nullish(),
  })
  .strict()

export type ChatRequest = z.infer<typeof chatRequestSchema>

const joinText = (content: string | Array<{ text: string }> | null | undefined): string =>
  typeof content === 'string' ? content : (content ?? []).map((part) => part.text).join('')

/** An image URL as core takes it: a data: URL is split into base64 and its media type. */
function imageOf(url: string): { type: 'image'; image: string; mediaType?: string } {
  const data = /^data:([\w.+-]+\/[\w.+-]+);base64,(.*)$/s.exec(url)
  if (data) return { type: 'image', image: data[2] as string, mediaType: data[1] as string }
  return { type: 'image', image: url }
}

/** OpenAI's messages as core's: tool results get the tool's name from the call they answer. */
export function toCoreMessages(messages: ChatRequest['messages']): Message[] {
  const toolNames = new Map<string, string>()
  const out: Message[] = []
  for (const [index, message] of messages.entries()) {
    switch (message.role) {
      case 'system':
      case 'developer':
        out.push({ role: 'system', content: joinText(message.content) })
        break
      case 'user':
        out.push({
          role: 'user',
          content:
            typeof message.content === 'string'
              ? message.content
              : message.content.map((part) =>
                  part.type === 'text'
                    ? { type: 'text' as const, text: part.text }
                    : imageOf(part.image_url.url),
                ),
        })
        break
      case 'assistant': {
        const content: Array<
          | { type: 'text'; text: string }
          | { type: 'reasoning'; text: string }
          | { type: 'tool-call'; toolCallId: string; toolName: string; input: unknown }
        > = []
        if (message.reasoning_content) content.push({ type: 'reasoning', text: message.reasoning_content })
        const text = joinText(message.content)
        if (text) content.push({ type: 'text', text })
        for (const call of message.tool_calls ?? []) {
          toolNames.set(call.id, call.function.name)
          let input: unknown = call.function.arguments
          try {
            input = JSON.parse(call.function.arguments || '{}')
          } catch {
            // Arguments that are not JSON go on as the model wrote them.
          }
          content.push({ type: 'tool-call', toolCallId: call.id, toolName: call.function.name, input })
        }
        out.push({ role: 'assistant', content })
        break
      }
      case 'tool': {
        const toolName = toolNames.get(message.tool_call_id)
        if (!toolName)
          throw new InvalidRequestError(
            `messages[${index}]: tool_call_id "${message.tool_call_id}" answers no tool call of an earlier assistant message; send the assistant message with that tool call first`,
            { status: 400, code: 'invalid_request_error' },
          )
        out.push({
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: message.tool_call_id,
              toolName,
              output: joinText(message.content),
            },
          ],
        })
        break
      }
    }
  }
  return out
}

/** A Chat Completions request as core's GenerateRequest (the model is resolved by the caller). */
export function toGenerateRequest(body: ChatRequest): GenerateRequest {
  const request: GenerateRequest = { messages: toCoreMessages(body.messages) }
  if (body.temperature != null) request.temperature = body.temperature
  if (body.top_p != null) request.topP = body.top_p
  const maxTokens = body.max_completion_tokens ?? body.max_tokens
  if (maxTokens != null) request.maxOutputTokens = maxTokens
  if (body.stop != null) request.stopSequences = typeof body.stop === 'string' ? [body.stop] : body.stop
  if (body.seed != null) request.seed = body.seed
  if (body.presence_penalty != null) request.presencePenalty = body.presence_penalty
  if (body.frequency_penalty != null) request.frequencyPenalty = body.frequency_penalty
  if (body.tools?.length) {
    request.tools = body.tools.map(({ function: fn }) => ({
      name: fn.name,
      ...(fn.description ? { description: fn.description } : {}),
      parameters: fn.parameters ?? { type: 'object', properties: {} },
    }))
  }
  if (body.tool_choice) {
    request.toolChoice =
      typeof body.tool_choice === 'string'
        ? body.tool_choice
        : { type: 'tool', toolName: body.tool_choice.function.name }
  }
  const format = body.response_format
  if (format?.type === 'json_object') request.responseFormat = { type: 'json' }
  if (format?.type === 'json_schema') {
    request.responseFormat = {
      type: 'json',
      name: format.json_schema.name,
      ...(format.json_schema.description ? { description: format.json_schema.description } : {}),
      ...(format.json_schema.schema ? { schema: format.json_schema.schema } : {}),
    }
  }
  return request
}

const finishReasons: Record<FinishReason, string> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
  'content-filter': 'content_filter',
  error: 'stop',
  other: 'stop',
}

export const openAIFinishReason = (reason: FinishReason): string => finishReasons[reason]

/** Core's usage as OpenAI's `usage` object. */
export function openAIUsage(usage: Usage | undefined): Record<string, unknown> {
  const input = usage?.inputTokens ?? 0
  const output = usage?.outputTokens ?? 0
  return {
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: usage?.totalTokens ?? input + output,
    prompt_tokens_details: { cached_tokens: usage?.cachedInputTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage?.reasoningTokens ?? 0 },
  }
}

/** The `chat.completion` object for a result; `model` is what the client asked for. */
export function chatCompletion(result: GenerateResult, id: string, model: string, created: number) {
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: result.text === '' && result.toolCalls.length > 0 ? null : result.text,
    refusal: null,
  }
  if (result.reasoning) message.reasoning_content = result.reasoning
  if (result.toolCalls.length > 0) {
    message.tool_calls = result.toolCalls.map((call) => ({
      id: call.toolCallId,
      type: 'function',
      function: { name: call.toolName, arguments: call.rawInput },
    }))
  }
  return {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: openAIFinishReason(result.finishReason) }],
    usage: openAIUsage(result.usage),
    system_fingerprint: null,
  }
}

/**
 * The `chat.completion.chunk` stream: a first chunk with the role, deltas of text, reasoning and
 * tool calls (the first delta of a call carries its id and name), a chunk with the finish
 * reason, then with `include_usage` a chunk with no choices and the usage, and `[DONE]`.
 */
export function openAIChatStream(
  id: string,
  model: string,
  created: number,
  includeUsage: boolean,
): StreamEncoder {
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    sseData({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      system_fingerprint: null,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(includeUsage ? { usage: null } : {}),
    })
  const startedTools = new Set<number>()
  let finishedTools = 0
  return {
    open: () => [chunk({ role: 'assistant', content: '', refusal: null })],
    event(event) {
      switch (event.type) {
        case 'text-delta':
          return [chunk({ content: event.text })]
        case 'reasoning-delta':
          return [chunk({ reasoning_content: event.text })]
        case 'tool-call-delta': {
          if (startedTools.has(event.index))
            return [
              chunk({ tool_calls: [{ index: event.index, function: { arguments: event.argumentsDelta } }] }),
            ]
          startedTools.add(event.index)
          const call = {
            index: event.index,
            id: event.toolCallId ?? `call_${id}_${event.index}`,
            type: 'function',
            function: { name: event.toolName ?? '', arguments: event.argumentsDelta },
          }
          return [chunk({ tool_calls: [call] })]
        }
        case 'tool-call': {
          finishedTools++
          // A call already sent as deltas is complete; one that came whole is sent whole.
          if (finishedTools <= startedTools.size) return []
          const index = startedTools.size
          startedTools.add(index)
          const { toolCallId, toolName, rawInput } = event.toolCall
          return [
            chunk({
              tool_calls: [
                {
                  index,
                  id: toolCallId,
                  type: 'function',
                  function: { name: toolName, arguments: rawInput },
                },
              ],
            }),
          ]
        }
        case 'finish': {
          const frames = [chunk({}, openAIFinishReason(event.finishReason))]
          if (includeUsage)
            frames.push(
              sseData({
                id,
                object: 'chat.completion.chunk',
                created,
                model,
                system_fingerprint: null,
                choices: [],
                usage: openAIUsage(event.usage),
              }),
            )
          return frames
        }
        default:
          return []
      }
    },
    // The openai SDK raises an APIError for a data frame that holds `error`.
    fail: (wire) => [
      sseData({ error: { message: wire.message, type: wire.type, param: null, code: wire.code } }),
    ],
    close: () => ['data: [DONE]\n\n'],
  }
}
