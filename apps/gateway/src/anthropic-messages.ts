// Anthropic's Messages wire format, from https://docs.anthropic.com/en/api/messages (request and
// the message object) and https://docs.anthropic.com/en/docs/build-with-claude/streaming (events).
import type { FinishReason, GenerateRequest, GenerateResult, Message, Usage } from '@modelplex/core'
import { z } from 'zod'
import { type StreamEncoder, sseEvent } from './stream-encoder.js'

// Blocks strip keys they do not know (SDKs send back what they received, e.g. `citations`).
const textBlock = z.object({ type: z.literal('text'), text: z.string() })
const imageBlock = z.object({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [
    z.object({ type: z.literal('base64'), media_type: z.string().min(1), data: z.string().min(1) }),
    z.object({ type: z.literal('url'), url: z.string().min(1) }),
  ]),
})
const toolUseBlock = z.object({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.unknown(),
})
const toolResultBlock = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z.union([z.string(), z.array(z.union([textBlock, imageBlock]))]).optional(),
  is_error: z.boolean().optional(),
})
const thinkingBlock = z.object({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string().optional(),
})

const messageSchema = z.discriminatedUnion('role', [
  z.object({
    role: z.literal('user'),
    content: z.union([z.string(), z.array(z.union([textBlock, imageBlock, toolResultBlock])).min(1)]),
  }),
  z.object({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(z.union([textBlock, toolUseBlock, thinkingBlock]))]),
  }),
])

export const messagesRequestSchema = z
  .object({
    model: z.string().min(1),
    max_tokens: z.number().int().positive(),
    messages: z.array(messageSchema).min(1, 'messages must hold at least one message'),
    system: z.union([z.string(), z.array(textBlock)]).optional(),
    stop_sequences: z.array(z.string().min(1)).optional(),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().positive().optional(),
    stream: z.boolean().optional(),
    tools: z
      .array(
        z.object({
          name: z.string().min(1),
          description: z.string().optional(),
          input_schema: z.record(z.string(), z.unknown()),
        }),
      )
      .optional(),
    tool_choice: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
        z.object({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
        z.object({ type: z.literal('none') }),
        z.object({
          type: z.literal('tool'),
          name: z.string().min(1),
          disable_parallel_tool_use: z.boolean().optional(),
        }),
      ])
      .optional(),
    thinking: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('enabled'), budget_tokens: z.number().int().positive() }),
        z.object({ type: z.literal('disabled') }),
      ])
      .optional(),
    metadata: z.object({ user_id: z.string().nullish() }).optional(),
  })
  .strict()

export type MessagesRequest = z.infer<typeof messagesRequestSchema>

const textOf = (content: string | Array<{ type: string; text?: string }> | undefined): string =>
  typeof content === 'string' ? content : (content ?? []).map((block) => block.text ?? '').join('')

function imageOf(block: z.infer<typeof imageBlock>): { type: 'image'; image: string; mediaType?: string } {
  return block.source.type === 'base64'
    ? { type: 'image' as const, image: block.source.data, mediaType: block.source.media_type }
    : { type: 'image' as const, image: block.source.url }
}

/** Anthropic's messages as core's: tool results in a user turn become a tool message before it. */
function toCoreMessages(body: MessagesRequest): Message[] {
  const out: Message[] = []
  const system = textOf(body.system)
  if (system) out.push({ role: 'system', content: system })
  const toolNames = new Map<string, string>()
  for (const message of body.messages) {
    if (message.role === 'assistant') {
      if (typeof message.content === 'string') {
        out.push({ role: 'assistant', content: message.content })
        continue
      }
      out.push({
        role: 'assistant',
        content: message.content.map((block) => {
          if (block.type === 'text') return { type: 'text' as const, text: block.text }
          if (block.type === 'thinking')
            return {
              type: 'reasoning' as const,
              text: block.thinking,
              ...(block.signature ? { providerMetadata: { anthropic: { signature: block.signature } } } : {}),
            }
          toolNames.set(block.id, block.name)
          return {
            type: 'tool-call' as const,
            toolCallId: block.id,
            toolName: block.name,
            input: block.input,
          }
        }),
      })
      continue
    }
    if (typeof message.content === 'string') {
      out.push({ role: 'user', content: message.content })
      continue
    }
    const results = message.content.filter((block) => block.type === 'tool_result')
    if (results.length > 0) {
      out.push({
        role: 'tool',
        content: results.map((block) => ({
          type: 'tool-result' as const,
          toolCallId: block.tool_use_id,
          toolName: toolNames.get(block.tool_use_id) ?? 'unknown',
          output: textOf(block.content),
          ...(block.is_error ? { isError: true } : {}),
        })),
      })
    }
    const parts: Array<{ type: 'text'; text: string } | ReturnType<typeof imageOf>> = []
    for (const block of message.content) {
      if (block.type === 'text') parts.push({ type: 'text', text: block.text })
      else if (block.type === 'image') parts.push(imageOf(block))
    }
    if (parts.length > 0) out.push({ role: 'user', content: parts })
  }
  return out
}

/** A Messages request as core's GenerateRequest (the model is resolved by the caller). */
export function toMessagesGenerateRequest(body: MessagesRequest): GenerateRequest {
  const request: GenerateRequest = { messages: toCoreMessages(body), maxOutputTokens: body.max_tokens }
  if (body.temperature !== undefined) request.temperature = body.temperature
  if (body.top_p !== undefined) request.topP = body.top_p
  if (body.top_k !== undefined) request.topK = body.top_k
  if (body.stop_sequences?.length) request.stopSequences = body.stop_sequences
  if (body.tools?.length)
    request.tools = body.tools.map((tool) => ({
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      parameters: tool.input_schema,
    }))
  const choice = body.tool_choice
  if (choice)
    request.toolChoice =
      choice.type === 'tool'
        ? { type: 'tool', toolName: choice.name }
        : choice.type === 'any'
          ? 'required'
          : choice.type
  // Thinking is Anthropic's own option: it reaches an Anthropic target, and other providers ignore it.
  if (body.thinking?.type === 'enabled')
    request.providerOptions = {
      anthropic: { thinking: { type: 'enabled', budgetTokens: body.thinking.budget_tokens } },
    }
  return request
}

const stopReasons: Record<FinishReason, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  'tool-calls': 'tool_use',
  'content-filter': 'refusal',
  error: 'end_turn',
  other: 'end_turn',
}

const anthropicUsage = (usage: Usage | undefined) => ({
  input_tokens: usage?.inputTokens ?? 0,
  output_tokens: usage?.outputTokens ?? 0,
  cache_read_input_tokens: usage?.cachedInputTokens ?? 0,
  cache_creation_input_tokens: usage?.cacheWriteInputTokens ?? 0,
})

const signatureOf = (metadata: Record<string, Record<string, unknown>> | undefined): string => {
  const signature = metadata?.anthropic?.signature
  return typeof signature === 'string' ? signature : ''
}

/** The `message` object for a result; `model` is what the client asked for. */
export function anthropicMessage(result: GenerateResult, id: string, model: string) {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: result.content.map((part) =>
      part.type === 'text'
        ? { type: 'text', text: part.text }
        : part.type === 'reasoning'
          ? { type: 'thinking', thinking: part.text, signature: signatureOf(part.providerMetadata) }
          : { type: 'tool_use', id: part.toolCallId, name: part.toolName, input: part.input ?? {} },
    ),
    stop_reason: stopReasons[result.finishReason],
    stop_sequence: null,
    usage: anthropicUsage(result.usage),
  }
}

/**
 * The Messages event stream: `message_start`, then per content block `content_block_start`,
 * its deltas (`text_delta`, `thinking_delta`, `signature_delta`, `input_json_delta`) and
 * `content_block_stop`, then `message_delta` with the stop reason and usage, and `message_stop`.
 */
export function anthropicMessageStream(id: string, model: string): StreamEncoder {
  let index = -1
  let open: 'text' | 'thinking' | 'tool' | undefined
  let openTool: number | undefined
  let streamedTools = 0
  let wholeTools = 0
  const frames: string[] = []
  const stop = () => {
    if (open) frames.push(sseEvent('content_block_stop', { type: 'content_block_stop', index }))
    open = undefined
    openTool = undefined
  }
  const start = (kind: 'text' | 'thinking' | 'tool', block: Record<string, unknown>) => {
    stop()
    index++
    open = kind
    frames.push(sseEvent('content_block_start', { type: 'content_block_start', index, content_block: block }))
  }
  const delta = (body: Record<string, unknown>) =>
    frames.push(sseEvent('content_block_delta', { type: 'content_block_delta', index, delta: body }))
  const take = () => frames.splice(0, frames.length)
  return {
    open: () => [
      sseEvent('message_start', {
        type: 'message_start',
        message: {
          id,
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 0, output_tokens: 0 },
        },
      }),
    ],
    event(event) {
      switch (event.type) {
        case 'text-delta':
          if (open !== 'text') start('text', { type: 'text', text: '' })
          delta({ type: 'text_delta', text: event.text })
          break
        case 'reasoning-delta':
          if (open !== 'thinking') start('thinking', { type: 'thinking', thinking: '', signature: '' })
          delta({ type: 'thinking_delta', thinking: event.text })
          break
        case 'reasoning-end': {
          if (open !== 'thinking') start('thinking', { type: 'thinking', thinking: '', signature: '' })
          const signature = signatureOf(event.providerMetadata)
          if (signature) delta({ type: 'signature_delta', signature })
          stop()
          break
        }
        case 'text-end':
          if (open === 'text') stop()
          break
        case 'tool-call-delta':
          if (open !== 'tool' || openTool !== event.index) {
            streamedTools++
            start('tool', {
              type: 'tool_use',
              id: event.toolCallId ?? `toolu_${id}_${event.index}`,
              name: event.toolName ?? '',
              input: {},
            })
            openTool = event.index
          }
          if (event.argumentsDelta) delta({ type: 'input_json_delta', partial_json: event.argumentsDelta })
          break
        case 'tool-call':
          wholeTools++
          // A call already sent as deltas is complete; one that came whole is sent whole.
          if (wholeTools > streamedTools) {
            streamedTools++
            start('tool', {
              type: 'tool_use',
              id: event.toolCall.toolCallId,
              name: event.toolCall.toolName,
              input: {},
            })
            delta({ type: 'input_json_delta', partial_json: event.toolCall.rawInput })
            stop()
          }
          break
        case 'finish':
          stop()
          frames.push(
            sseEvent('message_delta', {
              type: 'message_delta',
              delta: { stop_reason: stopReasons[event.finishReason], stop_sequence: null },
              usage: anthropicUsage(event.usage),
            }),
            sseEvent('message_stop', { type: 'message_stop' }),
          )
          break
      }
      return take()
    },
    fail: (wire) => [
      sseEvent('error', {
        type: 'error',
        error: {
          type:
            wire.status === 429
              ? 'rate_limit_error'
              : wire.status >= 500
                ? 'api_error'
                : 'invalid_request_error',
          message: wire.message,
        },
      }),
    ],
    close: () => [],
  }
}
