import {
  defineWireKit,
  errorResponse,
  errorTable,
  joinTextParts,
  type SseFrame,
  sseFraming,
  type WireCacheBreakpoint,
  type WireErrorKind,
  type WireFileView,
  type WireFinishReason,
  type WireKit,
  type WireKitOptions,
  type WireReasoningView,
  type WireRequestView,
  type WireUsage,
} from '@modelplex/conformance'
import contentFilter from './__fixtures__/error-400-content-filter.json' with { type: 'json' }
import badRequest from './__fixtures__/error-400-invalid-request.json' with { type: 'json' }
import contextWindow from './__fixtures__/error-400-prompt-too-long.json' with { type: 'json' }
import unauthorized from './__fixtures__/error-401-authentication.json' with { type: 'json' }
import forbidden from './__fixtures__/error-403-permission.json' with { type: 'json' }
import notFound from './__fixtures__/error-404-not-found.json' with { type: 'json' }
import rateLimit from './__fixtures__/error-429-rate-limit.json' with { type: 'json' }
import server from './__fixtures__/error-500-api.json' with { type: 'json' }
import overloaded from './__fixtures__/error-529-overloaded.json' with { type: 'json' }

/** Options of the Anthropic wire kit (`baseURL` without `/v1`; `settings` e.g. `apiVersion`, `pricing`). */
export type AnthropicWireKitOptions = WireKitOptions

/** An error as the API writes it. */
export interface AnthropicErrorPayload {
  status: number
  body: { type: 'error'; error: { type: string; message: string }; request_id: string }
}

/** The documented error bodies (https://platform.claude.com/docs/en/api/errors), one fixture per kind. */
const ERRORS = errorTable(
  {
    badRequest,
    unauthorized,
    forbidden,
    notFound,
    contextWindow,
    contentFilter,
    rateLimit,
    server,
    overloaded,
  },
  { overloaded: 529 },
) as Record<WireErrorKind, AnthropicErrorPayload>

/** The status and body Anthropic answers a kind with (a copy: callers may edit it). */
export function anthropicErrorPayload(kind: WireErrorKind): AnthropicErrorPayload {
  return structuredClone(ERRORS[kind])
}

/** The version from which the API rejects `temperature`, `top_p` and `top_k` (a 400, like the real API). */
const SAMPLING_REMOVED_IN = '2026-10-21'
const CREATED_AT = '2026-09-28T00:00:00Z'
const SIGNATURE = 'EqQBCkYIBxgCKkDmodelplexSignature'

const STOP_REASONS: Record<WireFinishReason, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  'tool-calls': 'tool_use',
  'content-filter': 'refusal',
}

/**
 * Anthropic usage (platform.claude.com/docs/en/api/messages, the `usage` object; the split in
 * platform.claude.com/docs/en/build-with-claude/prompt-caching): `input_tokens` excludes the cache
 * reads and writes, reported on their own, with the writes split by lifetime in `cache_creation`.
 * With `metadata`, the extras of a priority-tier answer that ran one server-side web search.
 */
function anthropicUsage(usage: WireUsage, metadata = false) {
  const cached = usage.cachedInputTokens ?? 0
  const written = usage.cacheWriteInputTokens ?? 0
  const written1h = usage.cacheWrite1hInputTokens ?? 0
  return {
    input_tokens: usage.inputTokens - cached - written,
    cache_creation_input_tokens: written,
    cache_read_input_tokens: cached,
    cache_creation: { ephemeral_5m_input_tokens: written - written1h, ephemeral_1h_input_tokens: written1h },
    output_tokens: usage.outputTokens,
    output_tokens_details: null,
    server_tool_use: metadata ? METADATA_SERVER_TOOL_USE : null,
    service_tier: metadata ? 'priority' : 'standard',
    inference_geo: null,
    speed: null,
  }
}

/** `usage.server_tool_use` of an answer that ran one web search (platform.claude.com/docs/en/api/messages). */
const METADATA_SERVER_TOOL_USE = { web_search_requests: 1, web_fetch_requests: 0 }

/** What `providerMetadata.anthropic` holds after a reply scripted with `metadata: true`. */
const METADATA = {
  serviceTier: 'priority',
  serverToolUse: METADATA_SERVER_TOOL_USE,
  cacheCreation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
}

/** A breakpoint's place and lifetime, when the block has `cache_control`. */
function breakpointOf(block: any, at: string): WireCacheBreakpoint | undefined {
  const control = block?.cache_control
  if (!control || typeof control !== 'object') return undefined
  return { at, ...(typeof control.ttl === 'string' ? { ttl: control.ttl } : {}) }
}

/** A `document` block read back: PDF (base64 or URL) or plain text (as base64 of its UTF-8). */
function fileOf(block: any): WireFileView {
  const source = block?.source ?? {}
  const view: WireFileView =
    source.type === 'url'
      ? { mediaType: 'application/pdf', url: source.url }
      : source.type === 'text'
        ? {
            mediaType: source.media_type ?? 'text/plain',
            data: Buffer.from(String(source.data), 'utf8').toString('base64'),
          }
        : { mediaType: source.media_type, data: source.data }
  if (typeof block.title === 'string') view.filename = block.title
  return view
}

/** Thinking blocks read back: `thinking` → text and signature, `redacted_thinking` → its data. */
function reasoningOf(blocks: any[]): WireReasoningView[] {
  const out: WireReasoningView[] = []
  for (const block of blocks) {
    if (block?.type === 'thinking')
      out.push({ text: String(block.thinking ?? ''), signature: block.signature })
    else if (block?.type === 'redacted_thinking') out.push({ text: '', redacted: block.data })
  }
  return out
}

/** Fills the view from a Messages API body: system, messages (tool results as `tool` turns), settings, tools. */
export function readAnthropicMessages(view: WireRequestView, body: any): void {
  if (view.operation !== 'generate' && view.operation !== 'stream') return
  const breakpoints: WireCacheBreakpoint[] = []
  const mark = (block: any, at: string) => {
    const point = breakpointOf(block, at)
    if (point) breakpoints.push(point)
  }
  for (const tool of Array.isArray(body.tools) ? body.tools : []) mark(tool, 'tools')
  if (body.system !== undefined) {
    if (Array.isArray(body.system)) {
      view.system = body.system.map((block: { text?: string }) => block?.text ?? '').join('\n')
      for (const block of body.system) mark(block, 'system')
    } else view.system = String(body.system)
  }
  for (const message of body.messages ?? []) {
    const blocks: any[] = Array.isArray(message.content) ? message.content : []
    const results = blocks.filter((block) => block?.type === 'tool_result')
    if (results.length > 0) {
      for (const block of results) mark(block, `messages.${view.messages.length}`)
      view.messages.push({
        role: 'tool',
        text: results.map((block) => joinTextParts(block.content)).join('\n'),
        toolCallIds: results.map((block) => block.tool_use_id),
      })
      const rest = blocks.filter((block) => block?.type !== 'tool_result')
      if (rest.length > 0) {
        for (const block of rest) mark(block, `messages.${view.messages.length}`)
        view.messages.push({ role: 'user', text: joinTextParts(rest) })
      }
      continue
    }
    for (const block of blocks) mark(block, `messages.${view.messages.length}`)
    const entry: WireRequestView['messages'][number] = {
      role: message.role,
      text: joinTextParts(message.content),
    }
    const toolUses = blocks.filter((block) => block?.type === 'tool_use')
    if (toolUses.length > 0) entry.toolCallIds = toolUses.map((block) => block.id)
    const images = blocks.filter((block) => block?.type === 'image').length
    if (images > 0) entry.images = images
    const reasoning = reasoningOf(blocks)
    if (reasoning.length > 0) entry.reasoning = reasoning
    const files = blocks.filter((block) => block?.type === 'document').map(fileOf)
    if (files.length > 0) entry.files = files
    view.messages.push(entry)
  }
  if (breakpoints.length > 0) view.cacheBreakpoints = breakpoints
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
}

const frame = (event: string, data: Record<string, unknown>): SseFrame => ({
  event,
  data: JSON.stringify({ type: event, ...data }),
})

/**
 * A wire kit that answers like api.anthropic.com: `POST /v1/messages` (JSON or SSE) and
 * `GET /v1/models`, with Anthropic's payloads, event stream, error bodies, `request-id` headers
 * and `retry-after` in seconds; `x-api-key` wins over `Authorization: Bearer` when both are sent.
 */
export function createAnthropicWireKit(options: AnthropicWireKitOptions = {}): WireKit {
  return defineWireKit<SseFrame>({
    name: 'anthropic',
    defaults: {
      baseURL: 'https://api.anthropic.modelplex.test',
      apiKey: 'sk-ant-api03-modelplex-test-0123456789abcdef',
      models: { chat: 'claude-sonnet-5-5' },
    },
    options,
    apiKey: [{ header: 'x-api-key' }, 'bearer'],
    requestId: {
      header: 'request-id',
      format: (sequence) => `req_011CWmodelplex${String(sequence).padStart(6, '0')}`,
    },
    retryAfter: 'seconds',
    errors: ERRORS,
    routes: [
      {
        method: 'post',
        path: '/v1/messages',
        operation: (body) => (body?.stream ? 'stream' : 'generate'),
        intercept(view) {
          const body = view.body as Record<string, unknown>
          const sampling = ['temperature', 'top_p', 'top_k'].find((field) => body?.[field] !== undefined)
          if (!sampling || (view.headers['anthropic-version'] ?? '') < SAMPLING_REMOVED_IN) return undefined
          // What the API answers from 2026-10-21 on: the adapter must not have sent it.
          const payload = anthropicErrorPayload('bad-request')
          payload.body.error.message = `${sampling}: Extra inputs are not permitted`
          return errorResponse(400, payload.body, { 'request-id': payload.body.request_id })
        },
      },
      { method: 'get', path: '/v1/models', operation: 'listModels' },
    ],
    read: readAnthropicMessages,
    metadata: { generate: METADATA, stream: METADATA },
    // The SDK's default API version (2026-10-21) removed temperature: the adapter warns and sends none.
    unsupportedSettings: ['temperature'],
    v2: {
      reasoningOptions: { thinking: { type: 'enabled', budgetTokens: 1024 } },
      reasoningReturn: 'signed',
      cachePoint: (ttl) => ({ cacheControl: { type: 'ephemeral', ttl } }),
      cacheTtl: true,
      maxCacheBreakpoints: 4,
      cacheWrites: true,
    },
    generate(reply, { model }) {
      const content: Array<Record<string, unknown>> = []
      // Thinking first, as the API answers (platform.claude.com/docs/en/build-with-claude/extended-thinking).
      for (const block of reply.reasoning ?? []) {
        content.push(
          block.redacted !== undefined
            ? { type: 'redacted_thinking', data: block.redacted }
            : { type: 'thinking', thinking: block.text, signature: block.signature ?? SIGNATURE },
        )
      }
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
        model,
        content,
        stop_reason: STOP_REASONS[reply.finishReason],
        stop_sequence: null,
        usage: anthropicUsage(reply.usage, reply.metadata),
      }
    },
    stream: {
      framing: sseFraming('message_start'),
      open(reply, { model, sequence, errorBody }) {
        const usage = anthropicUsage(reply.usage, reply.metadata)
        // The final usage repeats the counts, without the cache split and the service fields.
        const { cache_creation, service_tier, inference_geo, speed, ...deltaUsage } = usage
        // One content block per run of text or reasoning, one per tool call.
        let open: { index: number; kind: 'text' | 'reasoning' | 'tool' } | undefined
        let blocks = 0
        const toolBlocks = new Map<number, number>()
        const close = (signature = SIGNATURE): SseFrame[] => {
          if (!open) return []
          const frames =
            open.kind === 'reasoning'
              ? [
                  frame('content_block_delta', {
                    index: open.index,
                    delta: { type: 'signature_delta', signature },
                  }),
                ]
              : []
          frames.push(frame('content_block_stop', { index: open.index }))
          open = undefined
          return frames
        }
        return {
          start: () => [
            frame('message_start', {
              message: {
                id: `msg_01ModelplexStream${String(sequence).padStart(6, '0')}`,
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
          ],
          part(part) {
            const frames: SseFrame[] = []
            // A thinking block ends with a signature_delta; redacted thinking comes whole in its start
            // (platform.claude.com/docs/en/build-with-claude/streaming, "Thinking delta").
            if (part.type === 'reasoning-end') {
              if (part.redacted !== undefined) {
                frames.push(...close())
                const index = blocks++
                const block = { type: 'redacted_thinking', data: part.redacted }
                frames.push(frame('content_block_start', { index, content_block: block }))
                frames.push(frame('content_block_stop', { index }))
              } else if (open?.kind === 'reasoning') frames.push(...close(part.signature))
              return frames
            }
            if (part.type === 'text' || part.type === 'reasoning') {
              if (open?.kind !== part.type) {
                frames.push(...close())
                open = { index: blocks++, kind: part.type }
                const block =
                  part.type === 'text'
                    ? { type: 'text', text: '' }
                    : { type: 'thinking', thinking: '', signature: '' }
                frames.push(frame('content_block_start', { index: open.index, content_block: block }))
              }
              const delta =
                part.type === 'text'
                  ? { type: 'text_delta', text: part.text }
                  : { type: 'thinking_delta', thinking: part.text }
              frames.push(frame('content_block_delta', { index: open.index, delta }))
              return frames
            }
            let index = toolBlocks.get(part.index)
            if (index === undefined || open?.index !== index) {
              frames.push(...close())
              index ??= blocks++
              toolBlocks.set(part.index, index)
              open = { index, kind: 'tool' }
              const block = { type: 'tool_use', id: part.id, name: part.name, input: {} }
              frames.push(frame('content_block_start', { index, content_block: block }))
            }
            if (part.argumentsDelta) {
              const delta = { type: 'input_json_delta', partial_json: part.argumentsDelta }
              frames.push(frame('content_block_delta', { index, delta }))
            }
            return frames
          },
          finish: () => [
            ...close(),
            frame('message_delta', {
              delta: { stop_reason: STOP_REASONS[reply.finishReason], stop_sequence: null },
              usage: deltaUsage,
            }),
            frame('message_stop', {}),
          ],
          // Anthropic reports a failure after the 200 as an `error` event, then closes the stream.
          error: (kind) => {
            const { error } = errorBody(kind) as AnthropicErrorPayload['body']
            return [{ event: 'error', data: JSON.stringify({ type: 'error', error }) }]
          },
        }
      },
    },
    models: (reply) => ({
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
    }),
  })
}

/** The default kit of `@modelplex/provider-anthropic`, used by its conformance test. */
export const kit: WireKit = createAnthropicWireKit()
