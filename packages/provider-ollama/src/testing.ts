import {
  hangUntilAborted,
  headersOf,
  ndjsonResponse,
  resetResponse,
  type WireErrorKind,
  type WireFinishReason,
  type WireKit,
  type WireReply,
  type WireRequestView,
  type WireStreamPart,
  type WireUsage,
} from '@modelplex/conformance'
import { type HttpHandler, HttpResponse, http } from 'msw'
import doesNotSupportTools from './__fixtures__/error-400-does-not-support-tools.json' with { type: 'json' }
import inputTooLong from './__fixtures__/error-400-input-too-long.json' with { type: 'json' }
import unauthorized from './__fixtures__/error-401-unauthorized.json' with { type: 'json' }
import modelNotFound from './__fixtures__/error-404-model-not-found.json' with { type: 'json' }
import usageLimit from './__fixtures__/error-429-usage-limit.json' with { type: 'json' }
import runnerTerminated from './__fixtures__/error-500-runner-terminated.json' with { type: 'json' }
import serverBusy from './__fixtures__/error-503-server-busy.json' with { type: 'json' }
import unexpectedEof from './__fixtures__/stream-error-unexpected-eof.json' with { type: 'json' }

/** Options of the Ollama wire kit. */
export interface OllamaWireKitOptions {
  /** The server the provider is pointed at. Default `http://ollama.modelplex.test:11434`. */
  baseURL?: string
  /** Sent as `Authorization: Bearer` (Ollama needs none; ollama.com and proxies do). */
  apiKey?: string
  models?: { chat: string; embedding?: string }
  /** Extra provider settings beside `baseURL` and `apiKey`. */
  settings?: Record<string, unknown>
}

/** An error as Ollama writes it: a status and `{"error": "<text>"}` (no codes). */
export interface OllamaErrorPayload {
  status: number
  statusText: string
  /** `undefined` is an empty body (Ollama's 403 from its host/origin check has none). */
  body: { error: string } | undefined
}

const CREATED_AT = '2026-11-21T10:00:00.000000Z'
const DURATIONS = { total_duration: 885095291, load_duration: 3753500 }

/** A 1×1 PNG, served for any image URL the provider downloads. */
const PIXEL_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='

/**
 * Ollama's error replies for each canonical kind, from `__fixtures__` (sources in its README). Ollama
 * has no content filter, so `content-filter` has no wire form.
 */
const ERRORS: Record<Exclude<WireErrorKind, 'content-filter'>, OllamaErrorPayload> = {
  'bad-request': { status: 400, statusText: 'Bad Request', body: doesNotSupportTools },
  // ollama.com (or a signed-in proxy) without a valid key.
  unauthorized: { status: 401, statusText: 'Unauthorized', body: unauthorized },
  // The server's allowed-hosts / origin check aborts with a bare 403.
  forbidden: { status: 403, statusText: 'Forbidden', body: undefined },
  'not-found': { status: 404, statusText: 'Not Found', body: modelNotFound },
  // The runner's errorInputTooLong: /api/embed, and /api/chat with `truncate: false`.
  'context-window': { status: 400, statusText: 'Bad Request', body: inputTooLong },
  // Ollama Cloud's usage limit; local Ollama never answers 429.
  'rate-limit': { status: 429, statusText: 'Too Many Requests', body: usageLimit },
  server: { status: 500, statusText: 'Internal Server Error', body: runnerTerminated },
  // OLLAMA_MAX_QUEUE exceeded (the scheduler's ErrMaxQueue).
  overloaded: { status: 503, statusText: 'Service Unavailable', body: serverBusy },
}

/** The status and `{"error"}` body Ollama answers an error kind with. */
export function ollamaErrorPayload(kind: WireErrorKind): OllamaErrorPayload {
  if (kind === 'content-filter') {
    throw new Error('ollama wire kit: Ollama has no content filter, so no wire format for "content-filter"')
  }
  return ERRORS[kind]
}

/** The `{"error"}` line written inside a stream once the answer has started. */
function streamErrorLine(kind: WireErrorKind): { error: string } {
  return kind === 'overloaded' ? serverBusy : unexpectedEof
}

function doneReason(reason: WireFinishReason): string {
  if (reason === 'content-filter') {
    throw new Error('ollama wire kit: Ollama has no content filter, so no done_reason for "content-filter"')
  }
  // Ollama reports `stop` when the model called tools.
  return reason === 'length' ? 'length' : 'stop'
}

function metrics(usage: WireUsage) {
  return {
    ...DURATIONS,
    prompt_eval_count: usage.inputTokens,
    prompt_eval_duration: 328493000,
    eval_count: usage.outputTokens,
    eval_duration: 552222000,
  }
}

function bearer(headers: Record<string, string>): string | undefined {
  const value = headers.authorization
  return value?.startsWith('Bearer ') ? value.slice('Bearer '.length) : value
}

function asStrings(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined
  return Array.isArray(value) ? value.map(String) : [String(value)]
}

/** Reads an `/api/chat`, `/api/embed` or `/api/tags` request back into the suite's canonical view. */
export function readOllamaRequest(
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
    if (body?.dimensions !== undefined) view.dimensions = body.dimensions
    return view
  }
  if (operation === 'listModels') return view
  const system: string[] = []
  for (const message of body?.messages ?? []) {
    if (message.role === 'system') {
      system.push(String(message.content ?? ''))
      continue
    }
    const entry: WireRequestView['messages'][number] = { role: message.role, text: message.content ?? '' }
    if (message.role === 'assistant' && Array.isArray(message.tool_calls)) {
      entry.toolCallIds = message.tool_calls.map((call: { id?: string }) => call.id)
    }
    if (message.role === 'tool') entry.toolCallIds = [message.tool_call_id]
    if (Array.isArray(message.images) && message.images.length > 0) entry.images = message.images.length
    view.messages.push(entry)
  }
  if (system.length > 0) view.system = system.join('\n')
  const options = body?.options ?? {}
  if (options.temperature !== undefined) view.temperature = options.temperature
  if (options.num_predict !== undefined) view.maxOutputTokens = options.num_predict
  if (options.top_p !== undefined) view.topP = options.top_p
  const stop = asStrings(options.stop)
  if (stop) view.stopSequences = stop
  if (options.seed !== undefined) view.seed = options.seed
  if (Array.isArray(body?.tools)) {
    view.tools = body.tools.map((tool: any) => ({
      name: tool.function?.name,
      ...(tool.function?.description !== undefined ? { description: tool.function.description } : {}),
      parameters: tool.function?.parameters ?? {},
    }))
  }
  if (typeof body?.format === 'object' && body.format !== null) {
    view.responseSchema = body.format
    view.jsonOutput = true
  } else if (body?.format === 'json') {
    view.jsonOutput = true
  }
  return view
}

function toolCallPayload(index: number, id: string | undefined, name: string, args: string) {
  return { ...(id ? { id } : {}), function: { index, name, arguments: JSON.parse(args || '{}') } }
}

function chatChunk(model: string, message: Record<string, unknown>) {
  return {
    model,
    created_at: CREATED_AT,
    message: { role: 'assistant', content: '', ...message },
    done: false,
  }
}

/**
 * The NDJSON lines of a scripted stream. Ollama sends a tool call whole, so the split argument
 * parts are joined into one call line; `parts[i]` tells how many scripted parts a line covers.
 */
function streamLines(
  reply: Extract<WireReply, { type: 'stream' }>,
  model: string,
): { lines: unknown[]; parts: number[] } {
  const lines: unknown[] = []
  const parts: number[] = []
  const scripted = reply.errorAfter ? reply.parts.slice(0, reply.errorAfter.parts) : reply.parts
  let pending: Array<{ index: number; id?: string; name: string; args: string }> = []
  let pendingParts = 0
  const flush = () => {
    if (pending.length === 0) return
    for (const call of pending) {
      lines.push(
        chatChunk(model, { tool_calls: [toolCallPayload(call.index, call.id, call.name, call.args)] }),
      )
      parts.push(0)
    }
    parts[parts.length - 1] = pendingParts
    pending = []
    pendingParts = 0
  }
  for (const part of scripted as WireStreamPart[]) {
    if (part.type === 'tool-call') {
      let call = pending.find((entry) => entry.index === part.index)
      if (!call) {
        call = { index: part.index, name: '', args: '' }
        pending.push(call)
      }
      if (part.id !== undefined) call.id = part.id
      if (part.name !== undefined) call.name = part.name
      call.args += part.argumentsDelta
      pendingParts++
      continue
    }
    flush()
    lines.push(chatChunk(model, part.type === 'text' ? { content: part.text } : { thinking: part.text }))
    parts.push(1)
  }
  flush()
  if (reply.errorAfter) {
    // Ollama writes a failure after the answer started as one `{"error"}` line, then closes.
    lines.push(streamErrorLine(reply.errorAfter.kind))
    parts.push(0)
    return { lines, parts }
  }
  lines.push({
    model,
    created_at: CREATED_AT,
    message: { role: 'assistant', content: '' },
    done_reason: doneReason(reply.finishReason),
    done: true,
    ...metrics(reply.usage),
  })
  parts.push(0)
  return { lines, parts }
}

/** How many lines carry the first `cutAfter` scripted parts. */
function linesForParts(parts: number[], cutAfter: number): number {
  let seen = 0
  for (let line = 0; line < parts.length; line++) {
    if (seen >= cutAfter) return line
    seen += parts[line]!
  }
  return parts.length
}

function chatResponse(reply: Extract<WireReply, { type: 'generate' }>, model: string) {
  const message: Record<string, unknown> = { role: 'assistant', content: reply.text ?? '' }
  if (reply.toolCalls?.length) {
    message.tool_calls = reply.toolCalls.map((call, index) =>
      toolCallPayload(index, call.id, call.name, call.arguments),
    )
  }
  return {
    model: reply.model ?? model,
    created_at: CREATED_AT,
    message,
    done_reason: doneReason(reply.finishReason),
    done: true,
    ...metrics(reply.usage),
  }
}

/**
 * A wire kit that answers like an Ollama server: `POST /api/chat` (JSON, or NDJSON when
 * `stream` is not `false`), `POST /api/embed` and `GET /api/tags`, with Ollama's
 * `{"error": "..."}` bodies. It also serves any `*.png|jpg|jpeg|gif|webp` URL as a 1×1 PNG,
 * because the provider downloads image URLs (Ollama takes base64 only).
 */
export function createOllamaKit(options: OllamaWireKitOptions = {}): WireKit {
  const baseURL = (options.baseURL ?? 'http://ollama.modelplex.test:11434').replace(/\/+$/, '')
  const apiKey = options.apiKey ?? 'ollama-modelplex-test-0123456789abcdef'
  const models = options.models ?? { chat: 'llama3.2', embedding: 'nomic-embed-text' }

  function errorReply(kind: WireErrorKind, retryAfterMs: number | undefined) {
    const payload = ollamaErrorPayload(kind)
    const headers = new Headers()
    // Ollama itself sends no Retry-After; a gateway in front of it may, and the provider honours it.
    if (retryAfterMs !== undefined) headers.set('retry-after', String(Math.ceil(retryAfterMs / 1000)))
    const init = { status: payload.status, statusText: payload.statusText, headers }
    if (payload.body === undefined) return new HttpResponse(null, init)
    // Gin's c.JSON, which Ollama answers errors with.
    headers.set('content-type', 'application/json; charset=utf-8')
    return new HttpResponse(JSON.stringify(payload.body), init)
  }

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
        // A proxy's error page with a 200: not JSON, not NDJSON.
        if (view.operation === 'stream') return ndjsonResponse(['<html><body>Bad gateway</body></html>'])
        return new HttpResponse('<html><body>Bad gateway</body></html>', {
          status: 200,
          headers: { 'content-type': 'application/json; charset=utf-8' },
        })
      default:
        return undefined
    }
  }

  function mismatch(reply: WireReply, view: WireRequestView): never {
    throw new Error(`ollama wire kit: reply "${reply.type}" does not answer a ${view.operation} request`)
  }

  return {
    settings: { baseURL, apiKey, ...options.settings },
    apiKey,
    baseURL,
    models,
    handlers(serve, base = baseURL): HttpHandler[] {
      const root = base.replace(/\/+$/, '')
      return [
        http.post(`${root}/api/chat`, async ({ request }) => {
          const body = (await request.json()) as any
          // Ollama streams unless the body says `"stream": false`.
          const view = readOllamaRequest(request, body, body?.stream === false ? 'generate' : 'stream')
          const reply = await serve(view)
          const shared = await common(reply, request, view)
          if (shared) return shared
          const model = view.model ?? models.chat
          if (reply.type === 'generate') return HttpResponse.json(chatResponse(reply, model))
          if (reply.type !== 'stream') return mismatch(reply, view)
          const { lines, parts } = streamLines(reply, reply.model ?? model)
          return ndjsonResponse(lines, {
            ...(reply.cutAfter !== undefined ? { cutAfter: linesForParts(parts, reply.cutAfter) } : {}),
            ...(reply.chunkBytes !== undefined ? { chunkBytes: reply.chunkBytes } : {}),
          })
        }),
        http.post(`${root}/api/embed`, async ({ request }) => {
          const body = (await request.json()) as any
          const view = readOllamaRequest(request, body, 'embed')
          const reply = await serve(view)
          const shared = await common(reply, request, view)
          if (shared) return shared
          if (reply.type !== 'embed') return mismatch(reply, view)
          return HttpResponse.json({
            model: reply.model ?? view.model ?? models.embedding,
            embeddings: reply.vectors,
            ...DURATIONS,
            prompt_eval_count: reply.usage.inputTokens,
          })
        }),
        http.get(`${root}/api/tags`, async ({ request }) => {
          const view = readOllamaRequest(request, undefined, 'listModels')
          const reply = await serve(view)
          const shared = await common(reply, request, view)
          if (shared) return shared
          if (reply.type !== 'models') return mismatch(reply, view)
          return HttpResponse.json({
            models: reply.ids.map((id, index) => ({
              name: id,
              model: id,
              modified_at: CREATED_AT,
              size: 2019393189,
              digest: `${index}`.padStart(64, 'a'),
              details: {
                parent_model: '',
                format: 'gguf',
                family: 'llama',
                families: ['llama'],
                parameter_size: '3.2B',
                quantization_level: 'Q4_K_M',
              },
            })),
          })
        }),
        http.get(/\.(png|jpe?g|gif|webp)$/i, () => {
          const bytes = Uint8Array.from(atob(PIXEL_PNG), (char) => char.charCodeAt(0))
          return new HttpResponse(bytes, { headers: { 'content-type': 'image/png' } })
        }),
      ]
    },
  }
}

/** The default kit of `@modelplex/provider-ollama`, used by its conformance test. */
export const kit: WireKit = createOllamaKit()
