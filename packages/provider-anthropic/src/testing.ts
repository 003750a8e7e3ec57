import {
  errorResponse,
  hangUntilAborted,
  headersOf,
  resetResponse,
  type SseFrame,
  sseResponse,
  type WireErrorKind,
  type WireFinishReason,
  type WireKit,
  type WireReply,
  type WireRequestView,
  type WireUsage,
} from '@modelplex/conformance'
import { type HttpHandler, HttpResponse, http } from 'msw'

/** Options of the Anthropic wire kit. */
export interface AnthropicWireKitOptions {
  /** Base URL the provider is pointed at (without `/v1`). Default `https://api.anthropic.modelplex.test`. */
  baseURL?: string
  apiKey?: string
  models?: { chat: string }
  /** Extra provider settings (beside `apiKey` and `baseURL`), e.g. `apiVersion` or `pricing`. */
  settings?: Record<string, unknown>
}

/** An error as the API writes it. */
export interface AnthropicErrorPayload {
  status: number
  body: { type: 'error'; error: { type: string; message: string }; request_id: string }
}

/** The version from which the API rejects `temperature`, `top_p` and `top_k` (a 400, like the real API). */
const SAMPLING_REMOVED_IN = '2026-10-21'
const CREATED_AT = '2026-09-28T00:00:00Z'

const STOP_REASONS: Record<WireFinishReason, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  'tool-calls': 'tool_use',
  'content-filter': 'refusal',
}

let requestCounter = 0
const nextRequestId = () => `req_011CWmodelplex${String(++requestCounter).padStart(6, '0')}`

/**
 * The error bodies of https://platform.claude.com/docs/en/api/errors: the HTTP status, `error.type`
 * and, for the cases Anthropic gives no type for, the message text it sends.
 */
export function anthropicErrorPayload(kind: WireErrorKind): AnthropicErrorPayload {
  const error = (status: number, type: string, message: string): AnthropicErrorPayload => ({
    status,
    body: { type: 'error', error: { type, message }, request_id: nextRequestId() },
  })
  switch (kind) {
    case 'bad-request':
      return error(
        400,
        'invalid_request_error',
        'max_tokens: 200000 > 128000, which is the maximum allowed number of output tokens for claude-sonnet-5-5',
      )
    case 'unauthorized':
      return error(401, 'authentication_error', 'invalid x-api-key')
    case 'forbidden':
      return error(
        403,
        'permission_error',
        'Your API key does not have permission to use the specified resource.',
      )
    case 'not-found':
      return error(404, 'not_found_error', 'model: claude-unknown')
    case 'context-window':
      return error(400, 'invalid_request_error', 'prompt is too long: 1048577 tokens > 1000000 maximum')
    case 'content-filter':
      return error(400, 'invalid_request_error', 'Output blocked by content filtering policy')
    case 'rate-limit':
      return error(
        429,
        'rate_limit_error',
        "This request would exceed your account's rate limit. Please try again later.",
      )
    case 'server':
      return error(500, 'api_error', 'Internal server error')
    case 'overloaded':
      return error(529, 'overloaded_error', 'Overloaded')
  }
}

/** Anthropic usage: `input_tokens` excludes the cache reads, reported on their own. */
function anthropicUsage(usage: WireUsage) {
  const cached = usage.cachedInputTokens ?? 0
  return {
    input_tokens: usage.inputTokens - cached,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: 'standard',
    inference_geo: null,
    speed: null,
  }
}

function bearer(headers: Record<string, string>): string | undefined {
  const value = headers.authorization
  return value?.startsWith('Bearer ') ? value.slice('Bearer '.length) : value
}

/** The key as the API reads it: `x-api-key` wins over `Authorization: Bearer` when both are sent. */
function readApiKey(headers: Record<string, string>): string | undefined {
  return headers['x-api-key'] ?? bearer(headers)
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content))
    return content.map((block) => (block?.type === 'text' ? block.text : '')).join('')
  return ''
}

/** Reads a Messages API or models request back into the suite's canonical view. */
export function readAnthropicRequest(
  request: Request,
  body: any,
  operation: WireRequestView['operation'],
): WireRequestView {
  const headers = headersOf(request)
  const view: WireRequestView = {
    operation,
    url: request.url,
    headers,
    apiKey: readApiKey(headers),
    model: typeof body?.model === 'string' ? body.model : undefined,
    system: undefined,
    messages: [],
    body,
  }
  if (operation !== 'generate' && operation !== 'stream') return view
  if (body.system !== undefined) {
    view.system = Array.isArray(body.system)
      ? body.system.map((block: { text?: string }) => block?.text ?? '').join('\n')
      : String(body.system)
  }
  for (const message of body.messages ?? []) {
    const blocks: any[] = Array.isArray(message.content) ? message.content : []
    const results = blocks.filter((block) => block?.type === 'tool_result')
    if (results.length > 0) {
      view.messages.push({
        role: 'tool',
        text: results.map((block) => textOf(block.content)).join('\n'),
        toolCallIds: results.map((block) => block.tool_use_id),
      })
      const rest = blocks.filter((block) => block?.type !== 'tool_result')
      if (rest.length === 0) continue
      view.messages.push({ role: 'user', text: textOf(rest) })
      continue
    }
    const entry: WireRequestView['messages'][number] = { role: message.role, text: textOf(message.content) }
    const toolUses = blocks.filter((block) => block?.type === 'tool_use')
    if (toolUses.length > 0) entry.toolCallIds = toolUses.map((block) => block.id)
    const images = blocks.filter((block) => block?.type === 'image').length
    if (images > 0) entry.images = images
    view.messages.push(entry)
  }
  if (body.temperature !== undefined) view.temperature = body.temperature
  if (body.max_tokens !== undefined) view.maxOutputTokens = body.max_tokens
  if (body.top_p !== undefined) view.topP = body.top_p
  if (Array.isArray(body.stop_sequences)) view.stopSequences = body.stop_sequences
  if (Array.isArray(body.tools)) {
    view.tools = body.tools.map((tool: any) => ({
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      parameters: tool.input_schema ?? {},
    }))
  }
  const format = body.output_config?.format
  if (format?.type === 'json_schema') {
    view.responseSchema = format.schema
    view.jsonOutput = true
  }
  return view
}

function message(reply: Extract<WireReply, { type: 'generate' }>, model: string) {
  const content: Array<Record<string, unknown>> = []
  if (reply.text) content.push({ type: 'text', text: reply.text })
  for (const call of reply.toolCalls ?? []) {
    content.push({
      type: 'tool_use',
      id: call.id,
      name: call.name,
      input: JSON.parse(call.arguments || '{}'),
    })
  }
  return {
    id: reply.id ?? 'msg_01ModelplexGenerate000001',
    type: 'message',
    role: 'assistant',
    model: reply.model ?? model,
    content,
    stop_reason: STOP_REASONS[reply.finishReason],
    stop_sequence: null,
    usage: anthropicUsage(reply.usage),
  }
}

const frame = (event: string, data: Record<string, unknown>): SseFrame => ({
  event,
  data: JSON.stringify({ type: event, ...data }),
})

/**
 * The SSE frames of a scripted stream in the Messages API event format. Returns the frames and,
 * for each number of parts, how many frames carry them (so `cutAfter` counts parts, not frames).
 */
function streamFrames(
  reply: Extract<WireReply, { type: 'stream' }>,
  model: string,
  id: string,
): { frames: SseFrame[]; framesAfterParts: number[] } {
  const usage = anthropicUsage(reply.usage)
  const frames: SseFrame[] = [
    frame('message_start', {
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    }),
    frame('ping', {}),
  ]
  const framesAfterParts = [frames.length]
  // One content block per run of text or reasoning, one per tool call.
  let open: { index: number; kind: 'text' | 'reasoning' | 'tool'; tool?: number } | undefined
  let blocks = 0
  const toolBlocks = new Map<number, number>()
  const close = () => {
    if (!open) return
    if (open.kind === 'reasoning') {
      frames.push(
        frame('content_block_delta', {
          index: open.index,
          delta: { type: 'signature_delta', signature: 'EqQBCkYIBxgCKkDmodelplexSignature' },
        }),
      )
    }
    frames.push(frame('content_block_stop', { index: open.index }))
    open = undefined
  }
  const parts = reply.errorAfter ? reply.parts.slice(0, reply.errorAfter.parts) : reply.parts
  for (const part of parts) {
    if (part.type === 'text' || part.type === 'reasoning') {
      if (open?.kind !== part.type) {
        close()
        open = { index: blocks++, kind: part.type }
        const contentBlock =
          part.type === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '' }
        frames.push(frame('content_block_start', { index: open.index, content_block: contentBlock }))
      }
      const delta =
        part.type === 'text'
          ? { type: 'text_delta', text: part.text }
          : { type: 'thinking_delta', thinking: part.text }
      frames.push(frame('content_block_delta', { index: open.index, delta }))
    } else {
      let index = toolBlocks.get(part.index)
      if (index === undefined || open?.index !== index) {
        close()
        index ??= blocks++
        toolBlocks.set(part.index, index)
        open = { index, kind: 'tool', tool: part.index }
        frames.push(
          frame('content_block_start', {
            index,
            content_block: { type: 'tool_use', id: part.id, name: part.name, input: {} },
          }),
        )
      }
      if (part.argumentsDelta) {
        frames.push(
          frame('content_block_delta', {
            index,
            delta: { type: 'input_json_delta', partial_json: part.argumentsDelta },
          }),
        )
      }
    }
    framesAfterParts.push(frames.length)
  }
  if (reply.errorAfter) {
    // Anthropic reports a failure after the 200 as an `error` event, then closes the stream.
    const { error } = anthropicErrorPayload(reply.errorAfter.kind).body
    frames.push({ event: 'error', data: JSON.stringify({ type: 'error', error }) })
    return { frames, framesAfterParts }
  }
  close()
  frames.push(
    frame('message_delta', {
      delta: { stop_reason: STOP_REASONS[reply.finishReason], stop_sequence: null },
      usage: {
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        output_tokens: usage.output_tokens,
        output_tokens_details: null,
        server_tool_use: null,
      },
    }),
    frame('message_stop', {}),
  )
  return { frames, framesAfterParts }
}

/**
 * A wire kit that answers like api.anthropic.com: MSW handlers for `POST /v1/messages` (JSON or
 * SSE) and `GET /v1/models` under the base URL, with Anthropic's exact payloads, event stream
 * and error bodies, `request-id` headers and `retry-after` in seconds.
 */
export function createAnthropicKit(options: AnthropicWireKitOptions = {}): WireKit {
  const baseURL = (options.baseURL ?? 'https://api.anthropic.modelplex.test').replace(/\/$/, '')
  const apiKey = options.apiKey ?? 'sk-ant-api03-modelplex-test-0123456789abcdef'
  const models = options.models ?? { chat: 'claude-sonnet-5-5' }

  function errorReply(kind: WireErrorKind, retryAfterMs: number | undefined): Response {
    const payload = anthropicErrorPayload(kind)
    const headers: Record<string, string> = { 'request-id': payload.body.request_id }
    // Anthropic advertises the wait in whole seconds.
    if (retryAfterMs !== undefined) headers['retry-after'] = String(Math.ceil(retryAfterMs / 1000))
    return errorResponse(payload.status, payload.body, headers)
  }

  /** The replies every endpoint shares: errors, resets, hangs, malformed bodies. */
  async function common(
    reply: WireReply,
    request: Request,
    view: WireRequestView,
  ): Promise<Response | undefined> {
    switch (reply.type) {
      case 'error':
        return errorReply(reply.kind, reply.retryAfterMs)
      case 'reset':
        return resetResponse()
      case 'hang':
        return hangUntilAborted(request)
      case 'malformed':
        // A proxy's error page served as JSON: the body does not parse.
        if (view.operation === 'stream')
          return sseResponse([{ event: 'message_start', data: '<html>Bad gateway</html>' }])
        return new HttpResponse('<html><body>Bad gateway</body></html>', {
          status: 200,
          headers: { 'content-type': 'application/json' },
        })
      default:
        return undefined
    }
  }

  function mismatch(reply: WireReply, view: WireRequestView): never {
    throw new Error(`anthropic wire kit: reply "${reply.type}" does not answer a ${view.operation} request`)
  }

  return {
    settings: { apiKey, baseURL, ...options.settings },
    apiKey,
    baseURL,
    models,
    handlers(serve, base = baseURL): HttpHandler[] {
      const root = base.replace(/\/$/, '')
      return [
        http.post(`${root}/v1/messages`, async ({ request }) => {
          const body = (await request.json()) as any
          const view = readAnthropicRequest(request, body, body?.stream ? 'stream' : 'generate')
          const reply = await serve(view)
          const version = view.headers['anthropic-version'] ?? ''
          const sampling = ['temperature', 'top_p', 'top_k'].find((field) => body?.[field] !== undefined)
          if (sampling && version >= SAMPLING_REMOVED_IN) {
            // What the API answers from 2026-10-21 on: the adapter must not have sent it.
            const payload = anthropicErrorPayload('bad-request')
            payload.body.error.message = `${sampling}: Extra inputs are not permitted`
            return errorResponse(400, payload.body, { 'request-id': payload.body.request_id })
          }
          const shared = await common(reply, request, view)
          if (shared) return shared
          const headers = { 'request-id': nextRequestId() }
          if (reply.type === 'generate')
            return HttpResponse.json(message(reply, view.model ?? models.chat), { headers })
          if (reply.type !== 'stream') return mismatch(reply, view)
          const { frames, framesAfterParts } = streamFrames(
            reply,
            reply.model ?? view.model ?? models.chat,
            `msg_01ModelplexStream${String(requestCounter).padStart(6, '0')}`,
          )
          const cutAfter =
            reply.cutAfter === undefined
              ? undefined
              : framesAfterParts[Math.min(reply.cutAfter, framesAfterParts.length - 1)]
          return sseResponse(frames, {
            headers,
            ...(cutAfter !== undefined ? { cutAfter } : {}),
            ...(reply.chunkBytes !== undefined ? { chunkBytes: reply.chunkBytes } : {}),
          })
        }),
        http.get(`${root}/v1/models`, async ({ request }) => {
          const view = readAnthropicRequest(request, undefined, 'listModels')
          const reply = await serve(view)
          const shared = await common(reply, request, view)
          if (shared) return shared
          if (reply.type !== 'models') return mismatch(reply, view)
          return HttpResponse.json(
            {
              data: reply.ids.map((id) => ({
                type: 'model',
                id,
                display_name: id,
                created_at: CREATED_AT,
                max_input_tokens: 1_000_000,
                max_tokens: 128_000,
              })),
              has_more: false,
              first_id: reply.ids[0] ?? null,
              last_id: reply.ids[reply.ids.length - 1] ?? null,
            },
            { headers: { 'request-id': nextRequestId() } },
          )
        }),
      ]
    },
  }
}

/** The default kit of `@modelplex/provider-anthropic`, used by its conformance test. */
export const kit: WireKit = createAnthropicKit()
