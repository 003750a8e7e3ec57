// The Responses API on a test host. Payload shapes follow OpenAI's API reference: the response
// object (https://platform.openai.com/docs/api-reference/responses/object), the create request
// (https://platform.openai.com/docs/api-reference/responses/create) and the streaming events
// (https://platform.openai.com/docs/api-reference/responses-streaming), as the `openai` SDK 6.x
// types them (`resources/responses/responses.d.ts`). HTTP error bodies are Chat Completions' own.
import {
  type ApiKeyLocation,
  defineWireKit,
  type SseFrame,
  sseFraming,
  type WireErrorKind,
  type WireErrorRule,
  type WireFinishReason,
  type WireKit,
  type WireKitOptions,
  type WireReasoning,
  type WireReply,
  type WireRequestView,
  type WireStreamPart,
  type WireUsage,
} from '@modelplex/conformance'
import {
  createOpenAICompatibleWireKit,
  type OpenAICompatibleWireKitOptions,
  openAIErrors,
} from '@modelplex/provider-openai-compatible/testing'

const CREATED = 1_735_689_600

/** The url_citation annotation written with `metadata: true` (the shape of the web search guide's example). */
export const RESPONSES_CITATION = {
  type: 'url_citation',
  start_index: 0,
  end_index: 3,
  url: 'https://example.com/hello',
  title: 'Hello',
}

/** What `providerMetadata.openai` holds after a reply scripted with `metadata: true`. */
export const responsesMetadata = {
  generate: { serviceTier: 'default', status: 'completed', annotations: [RESPONSES_CITATION] },
  stream: { serviceTier: 'default', status: 'completed', annotations: [RESPONSES_CITATION] },
}

function usageOf(usage: WireUsage) {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  }
}

/** Status and incomplete_details of a finish reason: an early stop is `incomplete` with its reason. */
function statusOf(reason: WireFinishReason) {
  if (reason === 'length')
    return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }
  if (reason === 'content-filter')
    return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } }
  return { status: 'completed', incomplete_details: null }
}

function reasoningItem(id: string, reasoning: WireReasoning) {
  return {
    id,
    type: 'reasoning',
    summary: reasoning.text ? [{ type: 'summary_text', text: reasoning.text }] : [],
    encrypted_content: reasoning.signature ?? reasoning.redacted ?? null,
  }
}

function messageItem(id: string, text: string, annotations: unknown[]) {
  return {
    id,
    type: 'message',
    status: 'completed',
    role: 'assistant',
    content: [{ type: 'output_text', text, annotations, logprobs: [] }],
  }
}

function functionCallItem(id: string, call: { id: string; name: string; arguments: string }) {
  return {
    id,
    type: 'function_call',
    status: 'completed',
    arguments: call.arguments,
    call_id: call.id,
    name: call.name,
  }
}

/** The response object around `output`, as `response.completed` and a non-stream reply carry it. */
function responseObject(
  id: string,
  model: string,
  reply: { finishReason: WireFinishReason; usage: WireUsage },
  output: unknown[],
  body: any,
) {
  return {
    id,
    object: 'response',
    created_at: CREATED,
    ...statusOf(reply.finishReason),
    error: null,
    instructions: body?.instructions ?? null,
    max_output_tokens: body?.max_output_tokens ?? null,
    model,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: body?.reasoning?.effort ?? null, summary: body?.reasoning?.summary ?? null },
    service_tier: 'default',
    store: body?.store ?? true,
    temperature: body?.temperature ?? 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: body?.tools ?? [],
    top_p: 1,
    truncation: 'disabled',
    usage: usageOf(reply.usage),
    user: null,
    metadata: {},
  }
}

function inputText(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content
    .map((part: any) =>
      (part?.type === 'input_text' || part?.type === 'output_text') && typeof part.text === 'string'
        ? part.text
        : '',
    )
    .join('')
}

function fileView(part: any): NonNullable<WireRequestView['messages'][number]['files']>[number] {
  if (typeof part.file_url === 'string') return { mediaType: 'application/octet-stream', url: part.file_url }
  const inline = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(part.file_data ?? '')
  return {
    mediaType: inline?.[1] ?? 'application/octet-stream',
    ...(inline ? { data: inline[2]! } : {}),
    ...(part.filename !== undefined ? { filename: part.filename } : {}),
  }
}

/** Fills the view from a Responses body: `input` items, `instructions`, settings, tools, `text.format`. */
export function readResponsesRequest(view: WireRequestView, body: any): void {
  const system: string[] = []
  if (typeof body?.instructions === 'string') system.push(body.instructions)
  let assistant: WireRequestView['messages'][number] | undefined
  const assistantTurn = () => {
    if (!assistant) {
      assistant = { role: 'assistant', text: '' }
      view.messages.push(assistant)
    }
    return assistant
  }
  const input =
    typeof body?.input === 'string' ? [{ role: 'user', content: body.input }] : (body?.input ?? [])
  for (const item of input) {
    const type = item?.type ?? 'message'
    if (type === 'message' && (item.role === 'system' || item.role === 'developer')) {
      system.push(inputText(item.content))
      continue
    }
    if (type === 'message' && item.role === 'user') {
      assistant = undefined
      const entry: WireRequestView['messages'][number] = { role: 'user', text: inputText(item.content) }
      if (Array.isArray(item.content)) {
        const images = item.content.filter((part: any) => part?.type === 'input_image').length
        if (images > 0) entry.images = images
        const files = item.content.filter((part: any) => part?.type === 'input_file').map(fileView)
        if (files.length > 0) entry.files = files
      }
      view.messages.push(entry)
      continue
    }
    if (type === 'function_call_output') {
      assistant = undefined
      view.messages.push({ role: 'tool', text: String(item.output ?? ''), toolCallIds: [item.call_id] })
      continue
    }
    // Output items of one assistant turn: messages, reasoning items and function calls, in order.
    const turn = assistantTurn()
    if (type === 'message') turn.text += inputText(item.content)
    else if (type === 'function_call') {
      turn.toolCallIds = [...(turn.toolCallIds ?? []), item.call_id]
    } else if (type === 'reasoning') {
      const text = (item.summary ?? []).map((part: any) => part?.text ?? '').join('')
      const view = {
        text,
        ...(typeof item.encrypted_content === 'string' ? { signature: item.encrypted_content } : {}),
      }
      turn.reasoning = [...(turn.reasoning ?? []), view]
    }
  }
  if (system.length > 0) view.system = system.join('\n')
  if (body?.temperature !== undefined) view.temperature = body.temperature
  if (body?.max_output_tokens !== undefined) view.maxOutputTokens = body.max_output_tokens
  if (body?.top_p !== undefined) view.topP = body.top_p
  if (Array.isArray(body?.tools)) {
    view.tools = body.tools
      .filter((tool: any) => tool?.type === 'function')
      .map((tool: any) => ({
        name: tool.name,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
        parameters: tool.parameters ?? {},
      }))
  }
  const format = body?.text?.format
  if (format?.type === 'json_schema') {
    view.responseSchema = format.schema
    view.jsonOutput = true
  } else if (format?.type === 'json_object') {
    view.jsonOutput = true
  }
}

/** The `error` event body of a kind, from the documented error table (`{ error: { message, type, code } }`). */
function streamErrorEvent(body: any, sequence: number) {
  const error = body?.error ?? {}
  return {
    type: 'error',
    code: error.code ?? error.type ?? 'server_error',
    message: error.message ?? 'The server had an error while processing your request.',
    param: error.param ?? null,
    sequence_number: sequence,
  }
}

/** Writes one scripted stream as the Responses API's events, each output item opened and closed in turn. */
function streamWriter(
  reply: Extract<WireReply, { type: 'stream' }>,
  context: {
    model: string
    sequence: number
    view: WireRequestView
    errorBody(kind: WireErrorKind): unknown
  },
) {
  const responseId = `resp_stream_${context.sequence}`
  let sequenceNumber = 0
  const output: any[] = []
  const frame = (value: Record<string, unknown>): SseFrame => ({
    event: value.type as string,
    data: JSON.stringify({ ...value, sequence_number: sequenceNumber++ }),
  })
  type Open =
    | { kind: 'reasoning'; index: number; id: string; text: string }
    | { kind: 'message'; index: number; id: string; text: string }
    | { kind: 'function_call'; index: number; id: string; callId: string; name: string; arguments: string }
  let open: Open | undefined
  const calls = new Map<number, Extract<Open, { kind: 'function_call' }>>()

  const close = (signature?: string, redacted?: string): SseFrame[] => {
    if (!open) return []
    const item = open
    open = undefined
    if (item.kind === 'reasoning') {
      const done = reasoningItem(item.id, { text: item.text, signature, redacted })
      output[item.index] = done
      const frames: SseFrame[] = []
      if (item.text) {
        frames.push(
          frame({
            type: 'response.reasoning_summary_text.done',
            item_id: item.id,
            output_index: item.index,
            summary_index: 0,
            text: item.text,
          }),
          frame({
            type: 'response.reasoning_summary_part.done',
            item_id: item.id,
            output_index: item.index,
            summary_index: 0,
            part: { type: 'summary_text', text: item.text },
          }),
        )
      }
      frames.push(frame({ type: 'response.output_item.done', output_index: item.index, item: done }))
      return frames
    }
    if (item.kind === 'message') {
      const annotations = reply.metadata ? [RESPONSES_CITATION] : []
      const done = messageItem(item.id, item.text, annotations)
      output[item.index] = done
      return [
        ...(reply.metadata
          ? [
              frame({
                type: 'response.output_text.annotation.added',
                item_id: item.id,
                output_index: item.index,
                content_index: 0,
                annotation_index: 0,
                annotation: RESPONSES_CITATION,
              }),
            ]
          : []),
        frame({
          type: 'response.output_text.done',
          item_id: item.id,
          output_index: item.index,
          content_index: 0,
          text: item.text,
          logprobs: [],
        }),
        frame({
          type: 'response.content_part.done',
          item_id: item.id,
          output_index: item.index,
          content_index: 0,
          part: done.content[0],
        }),
        frame({ type: 'response.output_item.done', output_index: item.index, item: done }),
      ]
    }
    const done = functionCallItem(item.id, { id: item.callId, name: item.name, arguments: item.arguments })
    output[item.index] = done
    return [
      frame({
        type: 'response.function_call_arguments.done',
        item_id: item.id,
        output_index: item.index,
        arguments: item.arguments,
      }),
      frame({ type: 'response.output_item.done', output_index: item.index, item: done }),
    ]
  }

  const shell = (status: string) => ({
    ...responseObject(responseId, context.model, reply, [], context.view.body),
    status,
    incomplete_details: null,
    usage: null,
  })

  /** Closes the open item and opens a reasoning or message item: its output slot and `output_item.added`. */
  const openItem = (
    kind: 'reasoning' | 'message',
    frames: SseFrame[],
  ): Extract<Open, { kind: 'reasoning' | 'message' }> => {
    frames.push(...close())
    const index = output.length
    const id = `${kind === 'reasoning' ? 'rs' : 'msg'}_stream_${context.sequence}_${index}`
    output.push(undefined)
    const item =
      kind === 'reasoning'
        ? { id, type: 'reasoning', summary: [] }
        : { id, type: 'message', status: 'in_progress', role: 'assistant', content: [] }
    frames.push(frame({ type: 'response.output_item.added', output_index: index, item }))
    return { kind, index, id, text: '' }
  }

  return {
    start: () => [
      frame({ type: 'response.created', response: shell('in_progress') }),
      frame({ type: 'response.in_progress', response: shell('in_progress') }),
    ],
    part(part: WireStreamPart): SseFrame[] {
      const frames: SseFrame[] = []
      switch (part.type) {
        case 'reasoning': {
          if (open?.kind !== 'reasoning') {
            open = openItem('reasoning', frames)
            const { id, index } = open
            frames.push(
              frame({
                type: 'response.reasoning_summary_part.added',
                item_id: id,
                output_index: index,
                summary_index: 0,
                part: { type: 'summary_text', text: '' },
              }),
            )
          }
          open.text += part.text
          frames.push(
            frame({
              type: 'response.reasoning_summary_text.delta',
              item_id: open.id,
              output_index: open.index,
              summary_index: 0,
              delta: part.text,
            }),
          )
          return frames
        }
        case 'reasoning-end': {
          // Reasoning with no summary: an item of its own, carrying only its encrypted content.
          if (open?.kind !== 'reasoning') open = openItem('reasoning', frames)
          frames.push(...close(part.signature, part.redacted))
          return frames
        }
        case 'text': {
          if (open?.kind !== 'message') {
            open = openItem('message', frames)
            const { id, index } = open
            frames.push(
              frame({
                type: 'response.content_part.added',
                item_id: id,
                output_index: index,
                content_index: 0,
                part: { type: 'output_text', text: '', annotations: [], logprobs: [] },
              }),
            )
          }
          open.text += part.text
          frames.push(
            frame({
              type: 'response.output_text.delta',
              item_id: open.id,
              output_index: open.index,
              content_index: 0,
              delta: part.text,
              logprobs: [],
            }),
          )
          return frames
        }
        case 'tool-call': {
          let call = calls.get(part.index)
          if (part.id !== undefined || !call) {
            frames.push(...close())
            const index = output.length
            call = {
              kind: 'function_call',
              index,
              id: `fc_stream_${context.sequence}_${index}`,
              callId: part.id ?? `call_${index}`,
              name: part.name ?? '',
              arguments: '',
            }
            calls.set(part.index, call)
            open = call
            output.push(undefined)
            frames.push(
              frame({
                type: 'response.output_item.added',
                output_index: index,
                item: {
                  id: call.id,
                  type: 'function_call',
                  status: 'in_progress',
                  arguments: '',
                  call_id: call.callId,
                  name: call.name,
                },
              }),
            )
          }
          if (part.argumentsDelta !== '') {
            call.arguments += part.argumentsDelta
            frames.push(
              frame({
                type: 'response.function_call_arguments.delta',
                item_id: call.id,
                output_index: call.index,
                delta: part.argumentsDelta,
              }),
            )
          }
          return frames
        }
      }
    },
    finish(): SseFrame[] {
      const frames = close()
      const response = responseObject(
        responseId,
        context.model,
        reply,
        output.filter(Boolean),
        context.view.body,
      )
      const type = response.status === 'incomplete' ? 'response.incomplete' : 'response.completed'
      frames.push(frame({ type, response }))
      return frames
    },
    // https://platform.openai.com/docs/api-reference/responses-streaming/error
    error: (kind: WireErrorKind): SseFrame[] => {
      const event = streamErrorEvent(context.errorBody(kind), sequenceNumber++)
      return [{ event: 'error', data: JSON.stringify(event) }]
    },
  }
}

/** Options of the Responses kit: where it answers, and the kit that serves embeddings and models beside it. */
export interface OpenAIResponsesWireKitOptions extends WireKitOptions {
  /** Options of the OpenAI kit that answers `/embeddings` and `/models` beside `/responses`. */
  chat?: OpenAICompatibleWireKitOptions
  /** A vendor's own kit for the other endpoints instead (Azure's), sharing this kit's base URL. */
  companion?: WireKit
  /** Where the key travels, first present wins. Default `Authorization: Bearer <key>`. */
  apiKeyFrom?: readonly ApiKeyLocation[]
  /** The vendor's error table; kinds it leaves out keep OpenAI's bodies. */
  errors?: Partial<Record<WireErrorKind, WireErrorRule>>
}

/** A wire kit that answers like api.openai.com's Responses API (`POST /responses`), on a test host. */
export function createOpenAIResponsesWireKit(options: OpenAIResponsesWireKitOptions = {}): WireKit {
  const defaults = {
    baseURL: 'https://api.openai.modelplex.test/v1',
    apiKey: 'sk-proj-modelplex-test-0123456789abcdef',
    models: { chat: 'gpt-4o-mini', embedding: 'text-embedding-3-small' },
  }
  const responses = defineWireKit<SseFrame>({
    name: 'openai-responses',
    defaults,
    options,
    apiKey: options.apiKeyFrom ?? ['bearer'],
    requestId: { header: 'x-request-id', format: (sequence) => `req_resp_${sequence}` },
    retryAfter: 'both',
    errors: { ...openAIErrors, ...options.errors },
    routes: [
      { method: 'post', path: '/responses', operation: (body) => (body?.stream ? 'stream' : 'generate') },
    ],
    read: readResponsesRequest,
    generate(reply, { model, sequence, view }) {
      const output: unknown[] = []
      for (const [index, reasoning] of (reply.reasoning ?? []).entries()) {
        output.push(reasoningItem(`rs_${sequence}_${index}`, reasoning))
      }
      if (reply.text !== undefined) {
        output.push(messageItem(`msg_${sequence}`, reply.text, reply.metadata ? [RESPONSES_CITATION] : []))
      }
      for (const [index, call] of (reply.toolCalls ?? []).entries()) {
        output.push(functionCallItem(`fc_${sequence}_${index}`, call))
      }
      return responseObject(reply.id ?? `resp_${sequence}`, model, reply, output, view.body)
    },
    stream: { framing: sseFraming('error'), open: streamWriter },
    metadata: responsesMetadata,
    // The Responses API has no stop parameter: the adapter warns and sends none.
    unsupportedSettings: ['stopSequences'],
    v2: {
      reasoningOptions: { reasoning: { effort: 'low', summary: 'auto' } },
      // The encrypted item goes back whole (the scenarios' signature is its encrypted_content).
      reasoningReturn: 'signed',
    },
  })
  const baseURL = responses.baseURL
  const chat =
    options.companion ??
    createOpenAICompatibleWireKit({
      baseURL,
      apiKey: responses.apiKey,
      models: responses.models,
      ownedBy: 'openai',
      ...options.chat,
    })
  return {
    ...responses,
    handlers: (serve, base) => [...responses.handlers(serve, base), ...chat.handlers(serve, base)],
  }
}

/** The Responses kit of `@modelplex/provider-openai`, run by its conformance test (the default api). */
export const responsesKit: WireKit = createOpenAIResponsesWireKit()
