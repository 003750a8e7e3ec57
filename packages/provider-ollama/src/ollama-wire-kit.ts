import {
  defineWireKit,
  imageDownloadHandler,
  ndjsonFraming,
  type WireErrorKind,
  type WireErrorRule,
  type WireFinishReason,
  type WireKit,
  type WireKitOptions,
  type WireReply,
  type WireRequestView,
  type WireStreamPart,
  type WireUsage,
} from '@modelplex/conformance'
import { HttpResponse } from 'msw'
import doesNotSupportTools from './__fixtures__/error-400-does-not-support-tools.json' with { type: 'json' }
import inputTooLong from './__fixtures__/error-400-input-too-long.json' with { type: 'json' }
import unauthorized from './__fixtures__/error-401-unauthorized.json' with { type: 'json' }
import modelNotFound from './__fixtures__/error-404-model-not-found.json' with { type: 'json' }
import usageLimit from './__fixtures__/error-429-usage-limit.json' with { type: 'json' }
import runnerTerminated from './__fixtures__/error-500-runner-terminated.json' with { type: 'json' }
import serverBusy from './__fixtures__/error-503-server-busy.json' with { type: 'json' }
import unexpectedEof from './__fixtures__/stream-error-unexpected-eof.json' with { type: 'json' }

/** Options of the Ollama wire kit (`apiKey` is sent as `Authorization: Bearer`, which ollama.com and proxies need). */
export type OllamaWireKitOptions = WireKitOptions

/** An error as Ollama writes it: a status and `{"error": "<text>"}` (no codes). */
export interface OllamaErrorPayload {
  status: number
  /** `undefined` is an empty body (Ollama's 403 from its host/origin check has none). */
  body: { error: string } | undefined
}

const CREATED_AT = '2026-11-21T10:00:00.000000Z'
const DURATIONS = { total_duration: 885095291, load_duration: 3753500 }

/** What `providerMetadata.ollama` holds after any chat reply of this kit. */
const METADATA = {
  totalDuration: 885095291,
  loadDuration: 3753500,
  promptEvalDuration: 328493000,
  evalDuration: 552222000,
  doneReason: 'stop',
  createdAt: '2026-11-21T10:00:00.000000Z',
}

/**
 * Ollama's error replies for each canonical kind, from `__fixtures__` (sources in its README). Ollama
 * has no content filter, so `content-filter` has no wire form.
 */
const ERRORS: Record<Exclude<WireErrorKind, 'content-filter'>, OllamaErrorPayload> = {
  'bad-request': { status: 400, body: doesNotSupportTools },
  // ollama.com (or a signed-in proxy) without a valid key.
  unauthorized: { status: 401, body: unauthorized },
  // The server's allowed-hosts / origin check aborts with a bare 403.
  forbidden: { status: 403, body: undefined },
  'not-found': { status: 404, body: modelNotFound },
  // The runner's errorInputTooLong: /api/embed, and /api/chat with `truncate: false`.
  'context-window': { status: 400, body: inputTooLong },
  // Ollama Cloud's usage limit; local Ollama never answers 429.
  'rate-limit': { status: 429, body: usageLimit },
  server: { status: 500, body: runnerTerminated },
  // OLLAMA_MAX_QUEUE exceeded (the scheduler's ErrMaxQueue).
  overloaded: { status: 503, body: serverBusy },
}

/** The status and `{"error"}` body Ollama answers an error kind with. */
export function ollamaErrorPayload(kind: WireErrorKind): OllamaErrorPayload {
  if (kind === 'content-filter') {
    throw new Error('ollama wire kit: Ollama has no content filter, so no wire format for "content-filter"')
  }
  return ERRORS[kind]
}

/** The builder's error table: Ollama's bodies, the bare 403, and no content filter. */
const ERROR_RULES: Record<WireErrorKind, WireErrorRule> = {
  ...ERRORS,
  // The client falls back to the status text when the body is empty.
  forbidden: () => new HttpResponse(null, { status: 403, statusText: 'Forbidden' }),
  'content-filter': () => ollamaErrorPayload('content-filter'),
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
    // Part of prompt_eval_count, omitted when 0 (ollama/ollama#17943, api.Metrics `omitempty`).
    ...(usage.cachedInputTokens ? { prompt_eval_cached_count: usage.cachedInputTokens } : {}),
    prompt_eval_duration: 328493000,
    eval_count: usage.outputTokens,
    eval_duration: 552222000,
  }
}

function asStrings(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined
  return Array.isArray(value) ? value.map(String) : [String(value)]
}

/** Fills the view from an `/api/chat` or `/api/embed` body: messages, options, tools, format, input. */
export function readOllamaRequest(view: WireRequestView, body: any): void {
  const { operation } = view
  if (operation === 'embed') {
    view.embedInput = asStrings(body?.input)
    if (body?.dimensions !== undefined) view.dimensions = body.dimensions
    return
  }
  if (operation === 'listModels') return
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
    // Earlier thinking goes back as the assistant message's `thinking` (docs/api.md, chat messages).
    if (message.role === 'assistant' && typeof message.thinking === 'string' && message.thinking !== '') {
      entry.reasoning = [{ text: message.thinking }]
    }
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
 * The NDJSON lines of the tool calls that start at `parts[start]`. Ollama sends a tool call whole,
 * so a run of tool-call slices becomes one line per call, written with the run's first slice: a
 * cut inside the run still delivers every call of it.
 */
function toolCallLines(parts: readonly WireStreamPart[], start: number, model: string): unknown[] {
  const calls: Array<{ index: number; id?: string; name: string; args: string }> = []
  for (let at = start; at < parts.length; at++) {
    const part = parts[at]!
    if (part.type !== 'tool-call') break
    let call = calls.find((entry) => entry.index === part.index)
    if (!call) {
      call = { index: part.index, name: '', args: '' }
      calls.push(call)
    }
    if (part.id !== undefined) call.id = part.id
    if (part.name !== undefined) call.name = part.name
    call.args += part.argumentsDelta
  }
  return calls.map((call) =>
    chatChunk(model, { tool_calls: [toolCallPayload(call.index, call.id, call.name, call.args)] }),
  )
}

function chatResponse(reply: Extract<WireReply, { type: 'generate' }>, model: string) {
  const message: Record<string, unknown> = { role: 'assistant', content: reply.text ?? '' }
  // A thinking model's answer with `think` on: `message.thinking` beside `content` (docs/api.md).
  if (reply.reasoning?.length) message.thinking = reply.reasoning.map((block) => block.text).join('')
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
 * A wire kit that answers like an Ollama server: `POST /api/chat` (JSON, or NDJSON when `stream` is
 * not `false`), `POST /api/embed` and `GET /api/tags`, with Ollama's `{"error": "..."}` bodies. It
 * also serves image URLs as a 1×1 PNG, because the provider downloads them (Ollama takes base64 only).
 * Ollama itself sends no Retry-After; a gateway in front of it may, and the provider honours it.
 */
export function createOllamaWireKit(options: OllamaWireKitOptions = {}): WireKit {
  return defineWireKit<unknown>({
    name: 'ollama',
    defaults: {
      baseURL: 'http://ollama.modelplex.test:11434',
      apiKey: 'ollama-modelplex-test-0123456789abcdef',
      models: { chat: 'llama3.2', embedding: 'nomic-embed-text' },
    },
    options,
    apiKey: ['bearer'],
    retryAfter: 'seconds',
    errors: ERROR_RULES,
    // Gin's c.JSON content type, which a proxy's page here imitates.
    malformedContentType: 'application/json; charset=utf-8',
    routes: [
      // Ollama streams unless the body says `"stream": false`.
      {
        method: 'post',
        path: '/api/chat',
        operation: (body) => (body?.stream === false ? 'generate' : 'stream'),
      },
      { method: 'post', path: '/api/embed', operation: 'embed' },
      { method: 'get', path: '/api/tags', operation: 'listModels' },
    ],
    extraHandlers: [imageDownloadHandler()],
    read: readOllamaRequest,
    // The final chunk's timings (nanoseconds) and done_reason, which this kit always writes.
    metadata: { generate: METADATA, stream: METADATA },
    v2: {
      // `think: true` turns thinking on; `message.thinking` is unsigned and goes back as the
      // assistant message's `thinking` field (docs/api.md; ollama.com/blog/thinking).
      reasoningOptions: { think: true },
      reasoningReturn: 'text',
    },
    generate: (reply, { model }) => chatResponse(reply, model),
    stream: {
      framing: ndjsonFraming,
      open(reply, { model }) {
        const parts = reply.errorAfter ? reply.parts.slice(0, reply.errorAfter.parts) : reply.parts
        return {
          part(part, index) {
            // Ollama signs nothing: a reasoning block just stops; no line marks its end.
            if (part.type === 'reasoning-end') return []
            if (part.type !== 'tool-call') {
              return [
                chatChunk(model, part.type === 'text' ? { content: part.text } : { thinking: part.text }),
              ]
            }
            return parts[index - 1]?.type === 'tool-call' ? [] : toolCallLines(parts, index, model)
          },
          finish: () => [
            {
              model,
              created_at: CREATED_AT,
              message: { role: 'assistant', content: '' },
              done_reason: doneReason(reply.finishReason),
              done: true,
              ...metrics(reply.usage),
            },
          ],
          // Ollama writes a failure after the answer started as one `{"error"}` line, then closes.
          error: (kind) => [streamErrorLine(kind)],
        }
      },
    },
    embed: (reply, { view, models }) => ({
      model: reply.model ?? view.model ?? models.embedding,
      embeddings: reply.vectors,
      ...DURATIONS,
      prompt_eval_count: reply.usage.inputTokens,
    }),
    models: (reply) => ({
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
    }),
  })
}

/** The default kit of `@modelplex/provider-ollama`, used by its conformance test. */
export const kit: WireKit = createOllamaWireKit()
