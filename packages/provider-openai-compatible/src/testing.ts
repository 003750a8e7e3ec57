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

/** Where a vendor writes the usage of a stream. */
export type StreamUsagePlacement =
  /** OpenAI: a last chunk with `choices: []` and `usage`, sent only when `stream_options.include_usage` asks. */
  | 'final-chunk'
  /** On the chunk that carries `finish_reason` (several compatible servers). */
  | 'finish-chunk'
  /** Groq: `x_groq.usage` on the finish chunk. */
  | 'x_groq'

/** Options of an OpenAI-shaped wire kit; the defaults are OpenAI's own wire format. */
export interface OpenAIWireKitOptions {
  /** Base URL the provider is pointed at. Default `https://openai-compatible.modelplex.test/v1`. */
  baseURL?: string
  apiKey?: string
  models?: { chat: string; embedding?: string }
  /** Extra provider settings (beside `apiKey` and `baseURL`), e.g. `pricing` or `organization`. */
  settings?: Record<string, unknown>
  /** Reads the key from the request headers (lower-cased). Default: `Authorization: Bearer <key>`. */
  readApiKey?: (headers: Record<string, string>) => string | undefined
  /** Where a stream's usage goes. Default `final-chunk`. */
  streamUsage?: StreamUsagePlacement
  /** The delta field that carries reasoning text. Default `reasoning_content` (DeepSeek's). */
  reasoningField?: string
  /** `owned_by` of listed models. Default `system`. */
  ownedBy?: string
  /** Replaces the documented error body of a kind (status, body and headers), in the vendor's own shape. */
  errorBody?: (kind: WireErrorKind, apiKey: string | undefined) => WireErrorPayload | undefined
  /** The JSON of the data frame a vendor writes for an error inside a stream. Default: OpenAI's `{ error }`. */
  streamError?: (kind: WireErrorKind) => unknown
  /** Adds the vendor's own usage fields (cache counts, cost) to the OpenAI-shaped usage it writes. */
  extendUsage?: (payload: Record<string, unknown>, usage: WireUsage, model: string) => Record<string, unknown>
  /** How a wait is advertised: OpenAI's `retry-after-ms` and `retry-after`, or `retry-after` (seconds) only. Default both. */
  retryAfter?: 'ms-and-seconds' | 'seconds'
  /** The body of `GET /models` for these ids, when the vendor's differs from OpenAI's `{ object: 'list', data }`. */
  modelsBody?: (ids: string[]) => unknown
  /**
   * Paths of the chat, embeddings and models endpoints under the base URL, in MSW syntax (`:name`
   * matches one segment), e.g. Azure's `/deployments/:deployment/chat/completions`. Default OpenAI's.
   */
  paths?: { chat?: string; embeddings?: string; models?: string }
  /** Reads the model from the request (Azure names the deployment in the path). Default: the body's `model`. */
  readModel?: (request: Request, body: unknown) => string | undefined
  /** Edits each JSON payload before it is written, for vendor fields such as Azure's content-filter results. */
  transformPayload?: (payload: Record<string, unknown>, kind: OpenAIPayloadKind) => Record<string, unknown>
  /** JSON chunks sent before a stream's first chunk (Azure's `prompt_filter_results`); `cutAfter` counts past them. */
  streamPreamble?: () => unknown[]
}

/** Which payload `transformPayload` is given. */
export type OpenAIPayloadKind = 'completion' | 'chunk' | 'embeddings'

/** An error response in any vendor's shape: status, JSON (or text) body and headers. */
export interface WireErrorPayload {
  status: number
  body: unknown
  headers?: Record<string, string>
}

/** An error as the server writes it. */
export interface OpenAIErrorPayload {
  status: number
  body: { error: { message: string; type: string; param: string | null; code: string | null } }
  headers?: Record<string, string>
}

const CREATED = 1_735_689_600
const FINISH_REASONS: Record<WireFinishReason, string> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
  'content-filter': 'content_filter',
}

function bearer(headers: Record<string, string>): string | undefined {
  const value = headers.authorization
  return value?.startsWith('Bearer ') ? value.slice('Bearer '.length) : value
}

/** OpenAI masks all but the ends of a wrong key in its 401 message; so does the kit. */
function maskKey(key: string | undefined): string {
  if (!key) return '<empty>'
  return key.length > 8 ? `${key.slice(0, 3)}${'*'.repeat(8)}${key.slice(-4)}` : '*'.repeat(key.length)
}

/** The error bodies as OpenAI documents them (https://platform.openai.com/docs/guides/error-codes). */
export function openAIErrorPayload(kind: WireErrorKind, apiKey?: string): OpenAIErrorPayload {
  const error = (
    status: number,
    message: string,
    type: string,
    code: string | null,
    param: string | null = null,
  ) => ({
    status,
    body: { error: { message, type, param, code } },
  })
  switch (kind) {
    case 'bad-request':
      return error(
        400,
        "Invalid value for 'temperature': expected a number between 0 and 2.",
        'invalid_request_error',
        'invalid_value',
        'temperature',
      )
    case 'unauthorized':
      return error(
        401,
        `Incorrect API key provided: ${maskKey(apiKey)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        'invalid_request_error',
        'invalid_api_key',
      )
    case 'forbidden':
      return error(
        403,
        'Country, region, or territory not supported',
        'request_forbidden',
        'unsupported_country_region_territory',
      )
    case 'not-found':
      return error(
        404,
        'The model `gpt-unknown` does not exist or you do not have access to it.',
        'invalid_request_error',
        'model_not_found',
      )
    case 'context-window':
      return error(
        400,
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
        'invalid_request_error',
        'context_length_exceeded',
        'messages',
      )
    case 'content-filter':
      return error(
        400,
        'Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.',
        'invalid_request_error',
        'content_policy_violation',
      )
    case 'rate-limit':
      return error(
        429,
        'Rate limit reached for gpt-4o-mini in organization org-modelplex on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.',
        'requests',
        'rate_limit_exceeded',
      )
    case 'server':
      return error(
        500,
        'The server had an error while processing your request. Sorry about that!',
        'server_error',
        null,
      )
    case 'overloaded':
      return error(503, 'The engine is currently overloaded, please try again later.', 'server_error', null)
  }
}

function openAIUsage(usage: WireUsage) {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  }
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

/** Reads a Chat Completions, embeddings or models request back into the suite's canonical view. */
export function readOpenAIRequest(
  request: Request,
  body: any,
  operation: WireRequestView['operation'],
  readApiKey: (headers: Record<string, string>) => string | undefined = bearer,
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
  if (operation === 'embed') {
    view.embedInput = asStrings(body?.input)
    if (body?.dimensions !== undefined) view.dimensions = body.dimensions
    return view
  }
  if (operation === 'listModels') return view
  const system: string[] = []
  for (const message of body?.messages ?? []) {
    if (message.role === 'system' || message.role === 'developer') {
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
  if (body.temperature !== undefined) view.temperature = body.temperature
  const maxTokens = body.max_completion_tokens ?? body.max_tokens
  if (maxTokens !== undefined) view.maxOutputTokens = maxTokens
  if (body.top_p !== undefined) view.topP = body.top_p
  const stop = asStrings(body.stop)
  if (stop) view.stopSequences = stop
  if (body.seed !== undefined) view.seed = body.seed
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
  includeUsage: boolean
  placement: StreamUsagePlacement
  reasoningField: string
  usage: (usage: WireUsage, model: string) => Record<string, unknown>
  streamError: (kind: WireErrorKind) => unknown
  transform: (chunk: Record<string, unknown>) => Record<string, unknown>
  preamble: unknown[]
}

function chunk(context: StreamContext, delta: Record<string, unknown>, finishReason: string | null = null) {
  return {
    id: context.id,
    object: 'chat.completion.chunk',
    created: CREATED,
    model: context.model,
    system_fingerprint: 'fp_modelplex',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  }
}

const data = (value: unknown): SseFrame => ({ data: JSON.stringify(value) })

/** The SSE frames of a scripted stream, in OpenAI's chunk format. */
function streamFrames(reply: Extract<WireReply, { type: 'stream' }>, context: StreamContext): SseFrame[] {
  const emit = (value: Record<string, unknown>): SseFrame => data(context.transform(value))
  const frames: SseFrame[] = [
    ...context.preamble.map(data),
    emit(chunk(context, { role: 'assistant', content: '', refusal: null })),
  ]
  const parts = reply.errorAfter ? reply.parts.slice(0, reply.errorAfter.parts) : reply.parts
  for (const part of parts) {
    if (part.type === 'text') frames.push(emit(chunk(context, { content: part.text })))
    else if (part.type === 'reasoning')
      frames.push(emit(chunk(context, { [context.reasoningField]: part.text })))
    else {
      const call: Record<string, unknown> = { index: part.index }
      if (part.id !== undefined) {
        call.id = part.id
        call.type = 'function'
      }
      call.function = {
        ...(part.name !== undefined ? { name: part.name } : {}),
        arguments: part.argumentsDelta,
      }
      frames.push(emit(chunk(context, { tool_calls: [call] })))
    }
  }
  if (reply.errorAfter) {
    // OpenAI reports a failure mid-stream as a data frame holding an `error` object, then closes.
    frames.push(data(context.streamError(reply.errorAfter.kind)))
    return frames
  }
  const usage = context.usage(reply.usage, context.model)
  const finish: Record<string, unknown> = chunk(context, {}, FINISH_REASONS[reply.finishReason])
  if (context.placement === 'finish-chunk') finish.usage = usage
  if (context.placement === 'x_groq') finish.x_groq = { id: `req_${context.id}`, usage }
  frames.push(emit(finish))
  if (context.placement === 'final-chunk' && context.includeUsage) {
    frames.push(emit({ ...chunk(context, {}), choices: [], usage }))
  }
  frames.push({ data: '[DONE]' })
  return frames
}

function completion(
  reply: Extract<WireReply, { type: 'generate' }>,
  model: string,
  usage: (usage: WireUsage, model: string) => Record<string, unknown>,
) {
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: reply.text ?? null,
    refusal: null,
    annotations: [],
  }
  if (reply.toolCalls?.length) {
    message.tool_calls = reply.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }))
  }
  const answered = reply.model ?? model
  return {
    id: reply.id ?? 'chatcmpl-modelplex',
    object: 'chat.completion',
    created: CREATED,
    model: answered,
    choices: [{ index: 0, message, logprobs: null, finish_reason: FINISH_REASONS[reply.finishReason] }],
    usage: usage(reply.usage, answered),
    service_tier: 'default',
    system_fingerprint: 'fp_modelplex',
  }
}

/** Little-endian float32, base64: what OpenAI sends for `encoding_format: 'base64'`. */
function base64Embedding(vector: number[]): string {
  const bytes = new Uint8Array(new Float32Array(vector).buffer)
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

let requestCounter = 0

/**
 * A wire kit for any OpenAI-shaped vendor: MSW handlers for `POST /chat/completions` (JSON or
 * SSE), `POST /embeddings` and `GET /models` under the base URL, writing OpenAI's exact payloads
 * and error bodies. Vendors pass their base URL, key header and usage placement.
 */
export function createOpenAIWireKit(options: OpenAIWireKitOptions = {}): WireKit {
  const baseURL = (options.baseURL ?? 'https://openai-compatible.modelplex.test/v1').replace(/\/$/, '')
  const apiKey = options.apiKey ?? 'sk-modelplex-test-0123456789abcdef'
  const models = options.models ?? { chat: 'test-chat-model', embedding: 'test-embedding-model' }
  const readApiKey = options.readApiKey ?? bearer
  const placement = options.streamUsage ?? 'final-chunk'
  const reasoningField = options.reasoningField ?? 'reasoning_content'
  const extendUsage = options.extendUsage
  const usage = (wire: WireUsage, model: string) => {
    const payload = openAIUsage(wire)
    return extendUsage ? extendUsage(payload, wire, model) : payload
  }
  const streamError =
    options.streamError ?? ((kind: WireErrorKind) => ({ error: openAIErrorPayload(kind).body.error }))
  const paths = { chat: '/chat/completions', embeddings: '/embeddings', models: '/models', ...options.paths }
  const transform = options.transformPayload ?? ((payload: Record<string, unknown>) => payload)

  /** The request read into a view, with the model taken from where this vendor puts it. */
  function readView(
    request: Request,
    body: unknown,
    operation: WireRequestView['operation'],
  ): WireRequestView {
    const view = readOpenAIRequest(request, body, operation, readApiKey)
    if (options.readModel) view.model = options.readModel(request, body)
    return view
  }

  function errorReply(
    kind: WireErrorKind,
    key: string | undefined,
    retryAfterMs: number | undefined,
  ): Response {
    const payload = options.errorBody?.(kind, key) ?? openAIErrorPayload(kind, key)
    const headers: Record<string, string> = { 'x-request-id': `req_${++requestCounter}`, ...payload.headers }
    if (retryAfterMs !== undefined) {
      if (options.retryAfter !== 'seconds') headers['retry-after-ms'] = String(retryAfterMs)
      headers['retry-after'] = String(Math.ceil(retryAfterMs / 1000))
    }
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
        return errorReply(reply.kind, view.apiKey, reply.retryAfterMs)
      case 'reset':
        return resetResponse()
      case 'hang':
        return hangUntilAborted(request)
      case 'malformed':
        // A proxy's error page served as JSON: the body does not parse.
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
    throw new Error(`openai wire kit: reply "${reply.type}" does not answer a ${view.operation} request`)
  }

  return {
    settings: { apiKey, baseURL, ...options.settings },
    apiKey,
    baseURL,
    models,
    handlers(serve, base = baseURL): HttpHandler[] {
      const root = base.replace(/\/$/, '')
      return [
        http.post(`${root}${paths.chat}`, async ({ request }) => {
          const body = (await request.json()) as any
          const view = readView(request, body, body?.stream ? 'stream' : 'generate')
          const reply = await serve(view)
          const shared = await common(reply, request, view)
          if (shared) return shared
          const headers = { 'x-request-id': `req_${++requestCounter}` }
          if (reply.type === 'generate')
            return HttpResponse.json(
              transform(completion(reply, view.model ?? models.chat, usage), 'completion'),
              {
                headers,
              },
            )
          if (reply.type !== 'stream') return mismatch(reply, view)
          const context: StreamContext = {
            id: `chatcmpl-stream-${requestCounter}`,
            model: reply.model ?? view.model ?? models.chat,
            includeUsage: body?.stream_options?.include_usage === true,
            placement,
            reasoningField,
            usage,
            streamError,
            transform: (payload) => transform(payload, 'chunk'),
            preamble: options.streamPreamble?.() ?? [],
          }
          const frames = streamFrames(reply, context)
          // The role chunk (after any preamble) comes first, so `cutAfter` parts means that many frames more.
          const leading = 1 + context.preamble.length
          return sseResponse(frames, {
            headers,
            ...(reply.cutAfter !== undefined ? { cutAfter: reply.cutAfter + leading } : {}),
            ...(reply.chunkBytes !== undefined ? { chunkBytes: reply.chunkBytes } : {}),
          })
        }),
        http.post(`${root}${paths.embeddings}`, async ({ request }) => {
          const body = (await request.json()) as any
          const view = readView(request, body, 'embed')
          const reply = await serve(view)
          const shared = await common(reply, request, view)
          if (shared) return shared
          if (reply.type !== 'embed') return mismatch(reply, view)
          const base64 = body?.encoding_format === 'base64'
          return HttpResponse.json(
            transform(
              {
                object: 'list',
                data: reply.vectors.map((vector, index) => ({
                  object: 'embedding',
                  index,
                  embedding: base64 ? base64Embedding(vector) : vector,
                })),
                model: reply.model ?? view.model ?? models.embedding,
                usage: { prompt_tokens: reply.usage.inputTokens, total_tokens: reply.usage.inputTokens },
              },
              'embeddings',
            ),
            { headers: { 'x-request-id': `req_${++requestCounter}` } },
          )
        }),
        http.get(`${root}${paths.models}`, async ({ request }) => {
          const view = readView(request, undefined, 'listModels')
          const reply = await serve(view)
          const shared = await common(reply, request, view)
          if (shared) return shared
          if (reply.type !== 'models') return mismatch(reply, view)
          if (options.modelsBody) return HttpResponse.json(options.modelsBody(reply.ids) as object)
          return HttpResponse.json({
            object: 'list',
            data: reply.ids.map((id) => ({
              id,
              object: 'model',
              created: CREATED,
              owned_by: options.ownedBy ?? 'system',
            })),
          })
        }),
      ]
    },
  }
}

/** The default kit of `@modelplex/provider-openai-compatible` (a self-hosted server on a test host). */
export const kit: WireKit = createOpenAIWireKit()
