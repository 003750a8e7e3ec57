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
import contextLength from './__fixtures__/error-400-context-length.json' with { type: 'json' }
import invalidModel from './__fixtures__/error-400-invalid-model.json' with { type: 'json' }
import invalidToolCallId from './__fixtures__/error-400-tool-call-id.json' with { type: 'json' }
import unauthorized from './__fixtures__/error-401-unauthorized.json' with { type: 'json' }
import forbidden from './__fixtures__/error-403-forbidden.json' with { type: 'json' }
import guardrail from './__fixtures__/error-403-guardrail.json' with { type: 'json' }
import rateLimit from './__fixtures__/error-429-rate-limit.json' with { type: 'json' }
import serverError from './__fixtures__/error-500-server-error.json' with { type: 'json' }
import serviceUnavailable from './__fixtures__/error-503-service-unavailable.json' with { type: 'json' }

/** Options of the Mistral wire kit. */
export interface MistralWireKitOptions {
  /** Server root the provider is pointed at (Mistral's paths start with `/v1`). */
  baseURL?: string
  apiKey?: string
  models?: { chat: string; embedding?: string }
  /** Extra provider settings, e.g. `pricing` or `normalizeToolCallIds`. */
  settings?: Record<string, unknown>
}

/** An error as Mistral writes it: status, JSON body, headers. */
export interface MistralErrorPayload {
  status: number
  body: Record<string, unknown>
  headers?: Record<string, string>
}

const CREATED = 1_767_225_600

/** Mistral's `finish_reason` values; it has none for a content filter (guardrails block with 403 instead). */
const FINISH_REASONS: Partial<Record<WireFinishReason, string>> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
}

let requestCounter = 0

function nextRequestId(): string {
  requestCounter++
  return `019b98cb-9ba7-7ce1-9414-${String(requestCounter).padStart(12, '0')}`
}

function finishReasonOf(reason: WireFinishReason): string {
  const wire = FINISH_REASONS[reason]
  if (!wire) throw new Error(`mistral wire kit: Mistral has no finish_reason for "${reason}"`)
  return wire
}

/**
 * The status and body of each canonical kind, from `__fixtures__` (sources in its README): the
 * documented `{ object: "error", message, type, param, code }`, the gateway's `{ message, request_id }`
 * (401, 403) and a guardrail block's `{ error: { code: "guardrail_triggered" } }` (403).
 */
const ERRORS: Record<WireErrorKind, MistralErrorPayload> = {
  'bad-request': { status: 400, body: invalidToolCallId },
  unauthorized: { status: 401, body: unauthorized },
  forbidden: { status: 403, body: forbidden },
  // Mistral answers an unknown model with 400 `invalid_model`; the suite's not-found expects a 404.
  'not-found': { status: 404, body: invalidModel },
  'context-window': { status: 400, body: contextLength },
  'content-filter': { status: 403, body: guardrail },
  'rate-limit': { status: 429, body: rateLimit },
  server: { status: 500, body: serverError },
  overloaded: { status: 503, body: serviceUnavailable },
}

/** The status and body Mistral answers an error kind with. */
export function mistralErrorPayload(kind: WireErrorKind): MistralErrorPayload {
  return ERRORS[kind]
}

function usageOf(usage: WireUsage) {
  return {
    prompt_tokens: usage.inputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    completion_tokens: usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
  }
}

function bearer(headers: Record<string, string>): string | undefined {
  const value = headers.authorization
  return value?.startsWith('Bearer ') ? value.slice('Bearer '.length) : value
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) return content.map((part) => (part?.type === 'text' ? part.text : '')).join('')
  return ''
}

function asStrings(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined
  return Array.isArray(value) ? value.map(String) : [String(value)]
}

/** Reads a Mistral chat, embeddings or models request back into the suite's canonical view. */
export function readMistralRequest(
  request: Request,
  body: any,
  operation: WireRequestView['operation'],
): WireRequestView {
  const headers = headersOf(request)
  const view: WireRequestView = {
    operation,
    url: request.url,
    headers,
    apiKey: bearer(headers),
    model: typeof body?.model === 'string' ? body.model : undefined,
    system: undefined,
    messages: [],
    body,
  }
  if (operation === 'embed') {
    view.embedInput = asStrings(body?.input)
    if (body?.output_dimension !== undefined && body.output_dimension !== null) {
      view.dimensions = body.output_dimension
    }
    return view
  }
  if (operation === 'listModels') return view
  const system: string[] = []
  for (const message of body?.messages ?? []) {
    if (message.role === 'system') {
      system.push(textOf(message.content))
      continue
    }
    const entry: WireRequestView['messages'][number] = { role: message.role, text: textOf(message.content) }
    if (message.role === 'assistant' && Array.isArray(message.tool_calls)) {
      entry.toolCallIds = message.tool_calls.map((call: { id: string }) => call.id)
    }
    if (message.role === 'tool') entry.toolCallIds = [message.tool_call_id]
    if (Array.isArray(message.content)) {
      const images = message.content.filter((part: { type?: string }) => part?.type === 'image_url').length
      if (images > 0) entry.images = images
    }
    view.messages.push(entry)
  }
  if (system.length > 0) view.system = system.join('\n')
  if (body.temperature !== undefined && body.temperature !== null) view.temperature = body.temperature
  if (body.max_tokens !== undefined && body.max_tokens !== null) view.maxOutputTokens = body.max_tokens
  if (body.top_p !== undefined && body.top_p !== null) view.topP = body.top_p
  const stop = asStrings(body.stop)
  if (stop) view.stopSequences = stop
  if (body.random_seed !== undefined && body.random_seed !== null) view.seed = body.random_seed
  if (Array.isArray(body.tools)) {
    view.tools = body.tools.map((tool: any) => ({
      name: tool.function?.name,
      ...(tool.function?.description !== undefined ? { description: tool.function.description } : {}),
      parameters: tool.function?.parameters ?? {},
    }))
  }
  const format = body.response_format
  if (format?.type === 'json_schema') {
    view.responseSchema = format.json_schema?.schema
    view.jsonOutput = true
  } else if (format?.type === 'json_object') {
    view.jsonOutput = true
  }
  return view
}

interface StreamContext {
  id: string
  model: string
}

function chunk(context: StreamContext, delta: Record<string, unknown>, finishReason: string | null = null) {
  return {
    id: context.id,
    object: 'chat.completion.chunk',
    created: CREATED,
    model: context.model,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  }
}

const data = (value: unknown): SseFrame => ({ data: JSON.stringify(value) })

/**
 * The SSE frames of a scripted stream in Mistral's format: a role chunk, one chunk per part, a last
 * chunk with `finish_reason` and `usage` together, then `data: [DONE]`. Reasoning arrives as
 * `thinking` content chunks; a tool call's first slice carries its id and name, later slices an
 * empty name (as the live API writes incremental calls). A failure inside the stream is a chunk
 * with `finish_reason: "error"`.
 */
function streamFrames(reply: Extract<WireReply, { type: 'stream' }>, context: StreamContext): SseFrame[] {
  const frames: SseFrame[] = [data(chunk(context, { role: 'assistant', content: '' }))]
  const parts = reply.errorAfter ? reply.parts.slice(0, reply.errorAfter.parts) : reply.parts
  for (const part of parts) {
    if (part.type === 'text') frames.push(data(chunk(context, { content: part.text })))
    else if (part.type === 'reasoning') {
      const thinking = [{ type: 'thinking', thinking: [{ type: 'text', text: part.text }] }]
      frames.push(data(chunk(context, { content: thinking })))
    } else {
      const call: Record<string, unknown> = part.id !== undefined ? { id: part.id } : {}
      call.type = 'function'
      call.function = { name: part.name ?? '', arguments: part.argumentsDelta }
      call.index = part.index
      frames.push(data(chunk(context, { tool_calls: [call] })))
    }
  }
  if (reply.errorAfter) {
    frames.push(data(chunk(context, { content: '' }, 'error')))
    frames.push({ data: '[DONE]' })
    return frames
  }
  const finish = chunk(context, { content: '' }, finishReasonOf(reply.finishReason))
  frames.push(data({ ...finish, usage: usageOf(reply.usage) }))
  frames.push({ data: '[DONE]' })
  return frames
}

function completion(reply: Extract<WireReply, { type: 'generate' }>, model: string) {
  const toolCalls = reply.toolCalls?.length
    ? reply.toolCalls.map((call) => ({
        id: call.id,
        function: { name: call.name, arguments: call.arguments },
      }))
    : null
  return {
    id: reply.id ?? 'cmpl-e5cc70bb28c444948073e77776eb30ef',
    created: CREATED,
    model: reply.model ?? model,
    usage: usageOf(reply.usage),
    object: 'chat.completion',
    choices: [
      {
        index: 0,
        finish_reason: finishReasonOf(reply.finishReason),
        message: { role: 'assistant', tool_calls: toolCalls, content: reply.text ?? '' },
      },
    ],
  }
}

function modelCard(id: string) {
  return {
    id,
    object: 'model',
    created: CREATED,
    owned_by: 'mistralai',
    capabilities: {
      completion_chat: true,
      function_calling: true,
      completion_fim: false,
      fine_tuning: false,
      vision: true,
      classification: false,
    },
    name: id,
    description: `Test model ${id}`,
    max_context_length: 131072,
    aliases: [],
    deprecation: null,
    default_model_temperature: 0.3,
    type: 'base',
  }
}

/**
 * A wire kit that answers like api.mistral.ai: `POST /v1/chat/completions` (JSON or SSE),
 * `POST /v1/embeddings` and `GET /v1/models` under the server root, with Mistral's payloads,
 * error bodies and `mistral-correlation-id` headers.
 */
export function createMistralKit(options: MistralWireKitOptions = {}): WireKit {
  const baseURL = (options.baseURL ?? 'https://api.mistral.modelplex.test').replace(/\/$/, '')
  const apiKey = options.apiKey ?? 'mistral-modelplex-test-0123456789abcdef'
  const models = options.models ?? { chat: 'mistral-small-latest', embedding: 'codestral-embed' }

  function errorReply(kind: WireErrorKind, retryAfterMs: number | undefined): Response {
    const requestId = nextRequestId()
    const payload = mistralErrorPayload(kind)
    const headers: Record<string, string> = {
      'mistral-correlation-id': requestId,
      'x-kong-request-id': requestId,
      ...payload.headers,
    }
    // Retry-After in whole seconds, as HTTP defines it.
    if (retryAfterMs !== undefined) headers['retry-after'] = String(Math.ceil(retryAfterMs / 1000))
    return errorResponse(payload.status, payload.body, headers)
  }

  /** The replies every endpoint shares: errors, resets, hangs, malformed bodies. */
  function common(
    reply: WireReply,
    request: Request,
    view: WireRequestView,
  ): Response | Promise<Response> | undefined {
    switch (reply.type) {
      case 'error':
        return errorReply(reply.kind, reply.retryAfterMs)
      case 'reset':
        return resetResponse()
      case 'hang':
        return hangUntilAborted(request)
      case 'malformed':
        // A proxy's error page served with a 200: the body does not parse.
        if (view.operation === 'stream') return sseResponse([{ data: '<html>Bad gateway</html>' }])
        return new HttpResponse('<html><body>Bad gateway</body></html>', {
          status: 200,
          headers: { 'content-type': 'application/json' },
        })
      default:
        return undefined
    }
  }

  function mismatch(reply: WireReply, view: WireRequestView): never {
    throw new Error(`mistral wire kit: reply "${reply.type}" does not answer a ${view.operation} request`)
  }

  return {
    // Mistral itself rejects ids like the suite's "call_1"; with normalization on, they would be
    // rewritten on the wire and the suite's round-trip check could not see them. The rewrite has its
    // own tests (mistral-provider.test.ts, through this kit).
    settings: { apiKey, baseURL, normalizeToolCallIds: false, ...options.settings },
    apiKey,
    baseURL,
    models,
    handlers(serve, base = baseURL): HttpHandler[] {
      const root = base.replace(/\/$/, '')
      return [
        http.post(`${root}/v1/chat/completions`, async ({ request }) => {
          const body = (await request.json()) as any
          const view = readMistralRequest(request, body, body?.stream ? 'stream' : 'generate')
          const reply = await serve(view)
          const shared = common(reply, request, view)
          if (shared) return shared
          const requestId = nextRequestId()
          const headers = { 'mistral-correlation-id': requestId, 'x-kong-request-id': requestId }
          if (reply.type === 'generate') {
            return HttpResponse.json(completion(reply, view.model ?? models.chat), { headers })
          }
          if (reply.type !== 'stream') return mismatch(reply, view)
          const context: StreamContext = {
            id: `${requestId.replace(/-/g, '')}`,
            model: reply.model ?? view.model ?? models.chat,
          }
          return sseResponse(streamFrames(reply, context), {
            headers,
            // The first frame is the role chunk, so `cutAfter` parts means that many frames more.
            ...(reply.cutAfter !== undefined ? { cutAfter: reply.cutAfter + 1 } : {}),
            ...(reply.chunkBytes !== undefined ? { chunkBytes: reply.chunkBytes } : {}),
          })
        }),
        http.post(`${root}/v1/embeddings`, async ({ request }) => {
          const body = (await request.json()) as any
          const view = readMistralRequest(request, body, 'embed')
          const reply = await serve(view)
          const shared = common(reply, request, view)
          if (shared) return shared
          if (reply.type !== 'embed') return mismatch(reply, view)
          const requestId = nextRequestId()
          return HttpResponse.json(
            {
              id: requestId.replace(/-/g, ''),
              object: 'list',
              data: reply.vectors.map((embedding, index) => ({ object: 'embedding', embedding, index })),
              model: reply.model ?? view.model ?? models.embedding,
              usage: {
                prompt_audio_seconds: null,
                prompt_tokens: reply.usage.inputTokens,
                total_tokens: reply.usage.inputTokens,
                completion_tokens: 0,
                request_count: null,
                prompt_tokens_details: null,
                prompt_token_details: null,
              },
            },
            { headers: { 'mistral-correlation-id': requestId } },
          )
        }),
        http.get(`${root}/v1/models`, async ({ request }) => {
          const view = readMistralRequest(request, undefined, 'listModels')
          const reply = await serve(view)
          const shared = common(reply, request, view)
          if (shared) return shared
          if (reply.type !== 'models') return mismatch(reply, view)
          return HttpResponse.json({ object: 'list', data: reply.ids.map(modelCard) })
        }),
      ]
    },
  }
}

/** The default kit of `@modelplex/provider-mistral`, used by its conformance test. */
export const kit: WireKit = createMistralKit()
