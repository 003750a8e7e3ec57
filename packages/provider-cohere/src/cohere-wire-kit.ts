import {
  defineWireKit,
  type SseFrame,
  sseFraming,
  type WireErrorKind,
  type WireFinishReason,
  type WireKit,
  type WireKitOptions,
  type WireReasoningView,
  type WireReply,
  type WireRequestView,
  type WireStreamWriter,
  type WireUsage,
} from '@modelplex/conformance'
import invalidRequest from './__fixtures__/error-400-invalid-request.json' with { type: 'json' }
import tooManyTokens from './__fixtures__/error-400-too-many-tokens.json' with { type: 'json' }
import invalidApiToken from './__fixtures__/error-401-invalid-api-token.json' with { type: 'json' }
import forbidden from './__fixtures__/error-403-forbidden.json' with { type: 'json' }
import modelNotFound from './__fixtures__/error-404-model.json' with { type: 'json' }
import trialKeyLimit from './__fixtures__/error-429-trial-key.json' with { type: 'json' }
import blockedInput from './__fixtures__/error-498-blocked-input.json' with { type: 'json' }
import internal from './__fixtures__/error-500-internal.json' with { type: 'json' }
import unavailable from './__fixtures__/error-503-unavailable.json' with { type: 'json' }

/** Options of the Cohere wire kit (`baseURL` is the API root, without `/v2`; `settings` e.g. `pricing`). */
export type CohereWireKitOptions = WireKitOptions

/** An error as api.cohere.com writes it: a status and `{ id, message }`. */
export interface CohereErrorPayload {
  status: number
  body: { id: string; message: string }
}

const FINISH_REASONS: Record<WireFinishReason, string> = {
  stop: 'COMPLETE',
  length: 'MAX_TOKENS',
  'tool-calls': 'TOOL_CALL',
  // The v2 enum documents no filter reason; Cohere's own value for a reply deemed toxic is v1's.
  'content-filter': 'ERROR_TOXIC',
}

/** A request id in the shape Cohere puts in `id` (a UUID). */
const idOf = (sequence: number) => `5f0c1a2e-7b3d-4c6a-9e8f-${sequence.toString(16).padStart(12, '0')}`

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

function usageOf(usage: WireUsage, metadata = false) {
  const counts = { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens }
  return {
    // A grounded (documents) call also bills search units.
    billed_units: metadata ? { ...counts, search_units: 1 } : counts,
    tokens: counts,
    ...(usage.cachedInputTokens ? { cached_tokens: usage.cachedInputTokens } : {}),
  }
}

/**
 * A citation as the v2 chat response writes it (docs.cohere.com/reference/chat, `message.citations`:
 * start, end, text, sources of type `document`, citation type `TEXT_CONTENT`).
 */
const CITATION = {
  start: 0,
  end: 5,
  text: 'Hello',
  type: 'TEXT_CONTENT',
  sources: [
    { type: 'document', id: 'doc:0', document: { id: 'doc:0', snippet: 'Hello from the handbook.' } },
  ],
}

/** What `providerMetadata.cohere` holds after a reply scripted with `metadata: true`. */
const METADATA = {
  billedUnits: { searchUnits: 1 },
  tokens: { inputTokens: 10, outputTokens: 5 },
  citations: [
    {
      start: 0,
      end: 5,
      text: 'Hello',
      type: 'TEXT_CONTENT',
      sources: [{ type: 'document', id: 'doc:0' }],
    },
  ],
}

/** The `thinking` items an assistant message carried back (docs.cohere.com/docs/reasoning). */
function reasoningOf(content: unknown): WireReasoningView[] {
  if (!Array.isArray(content)) return []
  return content
    .filter((part) => part?.type === 'thinking' && typeof part.thinking === 'string')
    .map((part) => ({ text: part.thinking as string }))
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) return content.map((part) => (part?.type === 'text' ? part.text : '')).join('')
  return ''
}

/** Fills the view from a `v2/chat` or `v2/embed` body: messages, settings, tools, format, texts. */
export function readCohereRequest(view: WireRequestView, body: any): void {
  const { operation } = view
  if (operation === 'embed') {
    if (Array.isArray(body?.texts)) view.embedInput = body.texts.map(String)
    if (body?.output_dimension !== undefined) view.dimensions = body.output_dimension
    return
  }
  if (operation === 'listModels') return
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
      if (message.role === 'assistant') {
        const reasoning = reasoningOf(message.content)
        if (reasoning.length > 0) entry.reasoning = reasoning
      }
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
}

const event = (type: string, data: Record<string, unknown>): SseFrame => ({
  event: type,
  data: JSON.stringify({ type, ...data }),
})

type OpenBlock = { kind: 'text' | 'thinking' | 'tool'; index: number }

/**
 * The SSE events of a scripted stream, as api.cohere.com writes them (`event: <type>` then one
 * `data:` line): content blocks for text and thinking, tool-call-start/delta/end for calls.
 */
function cohereStream(reply: Extract<WireReply, { type: 'stream' }>, id: string): WireStreamWriter<SseFrame> {
  let open: OpenBlock | undefined
  let contentIndex = -1
  const close = (): SseFrame[] => {
    const closing = open
    open = undefined
    if (!closing) return []
    return [event(closing.kind === 'tool' ? 'tool-call-end' : 'content-end', { index: closing.index })]
  }
  return {
    start: () => [event('message-start', { id, delta: { message: { role: 'assistant' } } })],
    part(part) {
      const frames: SseFrame[] = []
      if (part.type === 'text' || part.type === 'reasoning') {
        const kind = part.type === 'text' ? 'text' : 'thinking'
        if (open?.kind !== kind) {
          frames.push(...close())
          contentIndex++
          const content = { type: kind, [kind]: '' }
          frames.push(event('content-start', { index: contentIndex, delta: { message: { content } } }))
          open = { kind, index: contentIndex }
        }
        const delta = { message: { content: { [kind]: part.text } } }
        frames.push(event('content-delta', { index: contentIndex, delta }))
        return frames
      }
      // Cohere does not sign its thinking: the block's content-end is all that closes it.
      if (part.type === 'reasoning-end') return []
      const starts = part.id !== undefined || open?.kind !== 'tool' || open.index !== part.index
      if (starts) {
        frames.push(...close())
        const call = { id: part.id, type: 'function', function: { name: part.name, arguments: '' } }
        frames.push(event('tool-call-start', { index: part.index, delta: { message: { tool_calls: call } } }))
        open = { kind: 'tool', index: part.index }
      }
      if (part.argumentsDelta !== '' || !starts) {
        const calls = { function: { arguments: part.argumentsDelta } }
        frames.push(
          event('tool-call-delta', { index: part.index, delta: { message: { tool_calls: calls } } }),
        )
      }
      return frames
    },
    finish: () => [
      ...close(),
      // Citations stream after the content they cite, as citation-start / citation-end pairs.
      ...(reply.metadata
        ? [
            event('citation-start', { index: 0, delta: { message: { citations: CITATION } } }),
            event('citation-end', { index: 0 }),
          ]
        : []),
      event('message-end', {
        delta: {
          finish_reason: FINISH_REASONS[reply.finishReason],
          usage: usageOf(reply.usage, reply.metadata),
        },
      }),
    ],
    // Cohere reports a failure mid-generation on message-end: finish_reason ERROR and an `error` text.
    error: (kind) => [
      event('message-end', { delta: { error: ERRORS[kind].body.message, finish_reason: 'ERROR' } }),
    ],
  }
}

function chatResponse(reply: Extract<WireReply, { type: 'generate' }>, id: string) {
  const message: Record<string, unknown> = { role: 'assistant' }
  // A reasoning model's content: its `thinking` items, then the text (docs.cohere.com/docs/reasoning).
  const content = [
    ...(reply.reasoning ?? []).map((block) => ({ type: 'thinking', thinking: block.text })),
    ...(reply.text ? [{ type: 'text', text: reply.text }] : []),
  ]
  if (content.length > 0) message.content = content
  if (reply.metadata) message.citations = [CITATION]
  if (reply.toolCalls?.length) {
    message.tool_calls = reply.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }))
  }
  return {
    id: reply.id ?? id,
    message,
    finish_reason: FINISH_REASONS[reply.finishReason],
    usage: usageOf(reply.usage, reply.metadata),
  }
}

/**
 * A wire kit that answers like api.cohere.com: `POST /v2/chat` (JSON or SSE), `POST /v2/embed` and
 * `GET /v1/models` under the base URL, writing Cohere's exact payloads (snake_case, `finish_reason`
 * in capitals, `usage.tokens` and `billed_units`) and error bodies. Cohere documents no retry header;
 * the standard one, in whole seconds, is what its SDK reads.
 */
export function createCohereWireKit(options: CohereWireKitOptions = {}): WireKit {
  return defineWireKit<SseFrame>({
    name: 'cohere',
    defaults: {
      baseURL: 'https://api.cohere.modelplex.test',
      apiKey: 'co-modelplex-test-0123456789abcdefghij',
      models: { chat: 'command-a-03-2025', embedding: 'embed-v4.0' },
    },
    options,
    apiKey: ['bearer'],
    retryAfter: 'seconds',
    errors: ERRORS,
    routes: [
      { method: 'post', path: '/v2/chat', operation: (body) => (body?.stream ? 'stream' : 'generate') },
      { method: 'post', path: '/v2/embed', operation: 'embed' },
      { method: 'get', path: '/v1/models', operation: 'listModels' },
    ],
    read: readCohereRequest,
    metadata: { generate: METADATA, stream: METADATA },
    v2: {
      // command-a-reasoning's `thinking` option; thinking comes back unsigned as `thinking` content
      // and goes back as the same item in the assistant content (docs.cohere.com/docs/reasoning).
      reasoningOptions: { thinking: { type: 'enabled', tokenBudget: 1024 } },
      reasoningReturn: 'text',
    },
    generate: (reply, { sequence }) => chatResponse(reply, idOf(sequence)),
    stream: { framing: sseFraming(), open: (reply, { sequence }) => cohereStream(reply, idOf(sequence)) },
    embed: (reply, { sequence, view }) => ({
      id: idOf(sequence),
      texts: (view.body as { texts?: string[] } | undefined)?.texts ?? [],
      embeddings: { float: reply.vectors },
      meta: { api_version: { version: '2' }, billed_units: { input_tokens: reply.usage.inputTokens } },
      response_type: 'embeddings_by_type',
    }),
    models: (reply) => ({
      models: reply.ids.map((name) => ({
        name,
        is_deprecated: false,
        endpoints: ['chat'],
        finetuned: false,
        context_length: 128000,
        default_endpoints: [],
        features: ['tools', 'json_mode', 'json_schema'],
      })),
    }),
  })
}

/** The default kit of `@modelplex/provider-cohere`, used by its conformance test. */
export const kit: WireKit = createCohereWireKit()
