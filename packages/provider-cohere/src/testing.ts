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
import invalidRequest from './__fixtures__/error-400-invalid-request.json' with { type: 'json' }
import tooManyTokens from './__fixtures__/error-400-too-many-tokens.json' with { type: 'json' }
import invalidApiToken from './__fixtures__/error-401-invalid-api-token.json' with { type: 'json' }
import forbidden from './__fixtures__/error-403-forbidden.json' with { type: 'json' }
import modelNotFound from './__fixtures__/error-404-model.json' with { type: 'json' }
import trialKeyLimit from './__fixtures__/error-429-trial-key.json' with { type: 'json' }
import blockedInput from './__fixtures__/error-498-blocked-input.json' with { type: 'json' }
import internal from './__fixtures__/error-500-internal.json' with { type: 'json' }
import unavailable from './__fixtures__/error-503-unavailable.json' with { type: 'json' }

/** Options of the Cohere wire kit. */
export interface CohereWireKitOptions {
  /** Base URL the provider is pointed at (the API root, without `/v2`). */
  baseURL?: string
  apiKey?: string
  models?: { chat: string; embedding?: string }
  /** Extra provider settings (beside `apiKey` and `baseURL`), e.g. `pricing` or `clientName`. */
  settings?: Record<string, unknown>
}

/** An error as api.cohere.com writes it: a status and `{ id, message }`. */
export interface CohereErrorPayload {
  status: number
  body: { id: string; message: string }
  headers?: Record<string, string>
}

const FINISH_REASONS: Record<WireFinishReason, string> = {
  stop: 'COMPLETE',
  length: 'MAX_TOKENS',
  'tool-calls': 'TOOL_CALL',
  // The v2 enum documents no filter reason; Cohere's own value for a reply deemed toxic is v1's.
  'content-filter': 'ERROR_TOXIC',
}

let counter = 0

/** A request id in the shape Cohere puts in `id` (a UUID). */
function nextId(): string {
  counter++
  return `5f0c1a2e-7b3d-4c6a-9e8f-${counter.toString(16).padStart(12, '0')}`
}

/**
 * The status and body of each canonical kind, from `__fixtures__` (sources in its README). 498 is
 * Cohere's status for a request or reply holding a deny-listed token (the SDK's `InvalidTokenError`).
 */
const ERRORS: Record<WireErrorKind, CohereErrorPayload> = {
  'bad-request': { status: 400, body: invalidRequest },
  unauthorized: { status: 401, body: invalidApiToken },
  forbidden: { status: 403, body: forbidden },
  'not-found': { status: 404, body: modelNotFound },
  'context-window': { status: 400, body: tooManyTokens },
  'content-filter': { status: 498, body: blockedInput },
  'rate-limit': { status: 429, body: trialKeyLimit },
  server: { status: 500, body: internal },
  overloaded: { status: 503, body: unavailable },
}

/** The status and `{ id, message }` body Cohere answers an error kind with. */
export function cohereErrorPayload(kind: WireErrorKind): CohereErrorPayload {
  return ERRORS[kind]
}

function usageOf(usage: WireUsage) {
  const counts = { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens }
  return {
    billed_units: counts,
    tokens: counts,
    ...(usage.cachedInputTokens ? { cached_tokens: usage.cachedInputTokens } : {}),
  }
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) return content.map((part) => (part?.type === 'text' ? part.text : '')).join('')
  return ''
}

function bearer(headers: Record<string, string>): string | undefined {
  const value = headers.authorization
  return value?.startsWith('Bearer ') ? value.slice('Bearer '.length) : value
}

/** Reads a `v2/chat`, `v2/embed` or `v1/models` request back into the suite's canonical view. */
export function readCohereRequest(
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
    if (Array.isArray(body?.texts)) view.embedInput = body.texts.map(String)
    if (body?.output_dimension !== undefined) view.dimensions = body.output_dimension
    return view
  }
  if (operation === 'listModels') return view
  const system: string[] = []
  for (const message of body?.messages ?? []) {
    if (message.role === 'system') {
      system.push(textOf(message.content))
      continue
    }
    const entry: WireRequestView['messages'][number] = {
      role: message.role,
      text: textOf(message.content) || (typeof message.tool_plan === 'string' ? message.tool_plan : ''),
    }
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
  if (body.max_tokens !== undefined) view.maxOutputTokens = body.max_tokens
  if (body.p !== undefined) view.topP = body.p
  if (Array.isArray(body.stop_sequences)) view.stopSequences = body.stop_sequences
  if (body.seed !== undefined) view.seed = body.seed
  if (Array.isArray(body.tools)) {
    view.tools = body.tools.map((tool: any) => ({
      name: tool.function?.name,
      ...(tool.function?.description !== undefined ? { description: tool.function.description } : {}),
      parameters: tool.function?.parameters ?? {},
    }))
  }
  const format = body.response_format
  if (format?.type === 'json_object') {
    view.jsonOutput = true
    if (format.json_schema) view.responseSchema = format.json_schema
  }
  return view
}

const event = (type: string, data: Record<string, unknown>): SseFrame => ({
  event: type,
  data: JSON.stringify({ type, ...data }),
})

type OpenBlock = { kind: 'text' | 'thinking'; index: number } | { kind: 'tool'; index: number }

/**
 * The SSE frames of a scripted stream, as api.cohere.com writes them (`event: <type>` then one
 * `data:` line), and the number of frames written after each part, for `cutAfter`.
 */
function streamFrames(
  reply: Extract<WireReply, { type: 'stream' }>,
  id: string,
): { frames: SseFrame[]; framesAfterPart: number[] } {
  const frames: SseFrame[] = [event('message-start', { id, delta: { message: { role: 'assistant' } } })]
  const framesAfterPart: number[] = []
  let open: OpenBlock | undefined
  let contentIndex = -1
  const close = () => {
    if (open?.kind === 'tool') frames.push(event('tool-call-end', { index: open.index }))
    else if (open) frames.push(event('content-end', { index: open.index }))
    open = undefined
  }
  const parts = reply.errorAfter ? reply.parts.slice(0, reply.errorAfter.parts) : reply.parts
  for (const part of parts) {
    if (part.type === 'text' || part.type === 'reasoning') {
      const kind = part.type === 'text' ? 'text' : 'thinking'
      if (open?.kind !== kind) {
        close()
        contentIndex++
        frames.push(
          event('content-start', {
            index: contentIndex,
            delta: { message: { content: { type: kind, [kind]: '' } } },
          }),
        )
        open = { kind, index: contentIndex }
      }
      frames.push(
        event('content-delta', {
          index: contentIndex,
          delta: { message: { content: { [kind]: part.text } } },
        }),
      )
    } else {
      const starts = part.id !== undefined || open?.kind !== 'tool' || open.index !== part.index
      if (starts) {
        close()
        frames.push(
          event('tool-call-start', {
            index: part.index,
            delta: {
              message: {
                tool_calls: { id: part.id, type: 'function', function: { name: part.name, arguments: '' } },
              },
            },
          }),
        )
        open = { kind: 'tool', index: part.index }
      }
      if (part.argumentsDelta !== '' || !starts) {
        frames.push(
          event('tool-call-delta', {
            index: part.index,
            delta: { message: { tool_calls: { function: { arguments: part.argumentsDelta } } } },
          }),
        )
      }
    }
    framesAfterPart.push(frames.length)
  }
  if (reply.errorAfter) {
    // Cohere reports a failure mid-generation on message-end: finish_reason ERROR and an `error` text.
    const { body } = cohereErrorPayload(reply.errorAfter.kind)
    frames.push(event('message-end', { delta: { error: body.message, finish_reason: 'ERROR' } }))
    return { frames, framesAfterPart }
  }
  close()
  frames.push(
    event('message-end', {
      delta: { finish_reason: FINISH_REASONS[reply.finishReason], usage: usageOf(reply.usage) },
    }),
  )
  return { frames, framesAfterPart }
}

function chatResponse(reply: Extract<WireReply, { type: 'generate' }>) {
  const message: Record<string, unknown> = { role: 'assistant' }
  if (reply.text) message.content = [{ type: 'text', text: reply.text }]
  if (reply.toolCalls?.length) {
    message.tool_calls = reply.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }))
  }
  return {
    id: reply.id ?? nextId(),
    message,
    finish_reason: FINISH_REASONS[reply.finishReason],
    usage: usageOf(reply.usage),
  }
}

/**
 * A wire kit that answers like api.cohere.com: MSW handlers for `POST /v2/chat` (JSON or SSE),
 * `POST /v2/embed` and `GET /v1/models` under the base URL, writing Cohere's exact payloads
 * (snake_case, `finish_reason` in capitals, `usage.tokens` and `billed_units`) and error bodies.
 */
export function createCohereKit(options: CohereWireKitOptions = {}): WireKit {
  const baseURL = (options.baseURL ?? 'https://api.cohere.modelplex.test').replace(/\/$/, '')
  const apiKey = options.apiKey ?? 'co-modelplex-test-0123456789abcdefghij'
  const models = options.models ?? { chat: 'command-a-03-2025', embedding: 'embed-v4.0' }

  function errorReply(kind: WireErrorKind, retryAfterMs: number | undefined): Response {
    const payload = cohereErrorPayload(kind)
    const headers: Record<string, string> = { ...payload.headers }
    // Cohere documents no retry header; the standard one, in whole seconds, is what its SDK reads.
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
    throw new Error(`cohere wire kit: reply "${reply.type}" does not answer a ${view.operation} request`)
  }

  return {
    settings: { apiKey, baseURL, ...options.settings },
    apiKey,
    baseURL,
    models,
    handlers(serve, base = baseURL): HttpHandler[] {
      const root = base.replace(/\/$/, '')
      return [
        http.post(`${root}/v2/chat`, async ({ request }) => {
          const body = (await request.json()) as any
          const view = readCohereRequest(request, body, body?.stream ? 'stream' : 'generate')
          const reply = await serve(view)
          const shared = await common(reply, request, view)
          if (shared) return shared
          if (reply.type === 'generate') return HttpResponse.json(chatResponse(reply))
          if (reply.type !== 'stream') return mismatch(reply, view)
          const { frames, framesAfterPart } = streamFrames(reply, nextId())
          let cutAfter: number | undefined
          if (reply.cutAfter !== undefined) {
            cutAfter = reply.cutAfter <= 0 ? 1 : (framesAfterPart[reply.cutAfter - 1] ?? frames.length - 1)
          }
          return sseResponse(frames, {
            ...(cutAfter !== undefined ? { cutAfter } : {}),
            ...(reply.chunkBytes !== undefined ? { chunkBytes: reply.chunkBytes } : {}),
          })
        }),
        http.post(`${root}/v2/embed`, async ({ request }) => {
          const body = (await request.json()) as any
          const view = readCohereRequest(request, body, 'embed')
          const reply = await serve(view)
          const shared = await common(reply, request, view)
          if (shared) return shared
          if (reply.type !== 'embed') return mismatch(reply, view)
          return HttpResponse.json({
            id: nextId(),
            texts: body?.texts ?? [],
            embeddings: { float: reply.vectors },
            meta: {
              api_version: { version: '2' },
              billed_units: { input_tokens: reply.usage.inputTokens },
            },
            response_type: 'embeddings_by_type',
          })
        }),
        http.get(`${root}/v1/models`, async ({ request }) => {
          const view = readCohereRequest(request, undefined, 'listModels')
          const reply = await serve(view)
          const shared = await common(reply, request, view)
          if (shared) return shared
          if (reply.type !== 'models') return mismatch(reply, view)
          return HttpResponse.json({
            models: reply.ids.map((name) => ({
              name,
              is_deprecated: false,
              endpoints: ['chat'],
              finetuned: false,
              context_length: 128000,
              default_endpoints: [],
              features: ['tools', 'json_mode', 'json_schema'],
            })),
          })
        }),
      ]
    },
  }
}

/** The default kit of `@modelplex/provider-cohere`, used by its conformance test. */
export const kit: WireKit = createCohereKit()
