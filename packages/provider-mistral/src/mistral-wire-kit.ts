import {
  defineWireKit,
  type SseFrame,
  sseFraming,
  type WireErrorKind,
  type WireFileView,
  type WireFinishReason,
  type WireKit,
  type WireKitOptions,
  type WireReasoningView,
  type WireReply,
  type WireRequestView,
  type WireUsage,
} from '@modelplex/conformance'
import contextLength from './__fixtures__/error-400-context-length.json' with { type: 'json' }
import invalidModel from './__fixtures__/error-400-invalid-model.json' with { type: 'json' }
import invalidToolCallId from './__fixtures__/error-400-tool-call-id.json' with { type: 'json' }
import unauthorized from './__fixtures__/error-401-unauthorized.json' with { type: 'json' }
import forbidden from './__fixtures__/error-403-forbidden.json' with { type: 'json' }
import guardrail from './__fixtures__/error-403-guardrail.json' with { type: 'json' }
import rateLimit from './__fixtures__/error-429-rate-limit.json' with { type: 'json' }
import serverError from './__fixtures__/error-500-server-error.json' with { type: 'json' }
import serviceUnavailable from './__fixtures__/error-503-service-unavailable.json' with { type: 'json' }

/** Options of the Mistral wire kit (`baseURL` is the server root; `settings` e.g. `pricing`, `normalizeToolCallIds`). */
export type MistralWireKitOptions = WireKitOptions

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

/**
 * Mistral's usage object. With `metadata`, the `service_tier` it reports per request (the SDK's
 * `UsageInfo.serviceTier`, "standard or priority"; @mistralai/mistralai 2.7 models/components/usageinfo).
 */
function usageOf(usage: WireUsage, metadata = false) {
  return {
    prompt_tokens: usage.inputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    completion_tokens: usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
    ...(metadata ? { service_tier: 'standard' } : {}),
  }
}

/** What `providerMetadata.mistral` holds after a reply scripted with `metadata: true`. */
const METADATA = { created: CREATED, serviceTier: 'standard' }

/** A `thinking` chunk as Mistral's reasoning guide shows it (docs.mistral.ai/capabilities/reasoning). */
function thinkingChunk(text: string) {
  return { type: 'thinking', thinking: [{ type: 'text', text }] }
}

/** RIFF (WAV), ID3 / MPEG frame (MP3), fLaC, OggS: `input_audio` carries no media type, so it is read off the bytes. */
function audioTypeOf(base64: string): string {
  if (base64.startsWith('UklGR')) return 'audio/wav'
  if (base64.startsWith('SUQz') || base64.startsWith('//')) return 'audio/mpeg'
  if (base64.startsWith('ZkxhQ')) return 'audio/flac'
  if (base64.startsWith('T2dnUw')) return 'audio/ogg'
  return 'audio/*'
}

/** The file chunks of a message's content: `document_url` (data: or https URL) and `input_audio`. */
function filesOf(content: unknown): WireFileView[] {
  const files: WireFileView[] = []
  if (!Array.isArray(content)) return files
  for (const part of content) {
    if (part?.type === 'document_url' && typeof part.document_url === 'string') {
      const inline = /^data:([^;,]+);base64,(.*)$/s.exec(part.document_url)
      const name = typeof part.document_name === 'string' ? { filename: part.document_name } : {}
      files.push(
        inline
          ? { mediaType: inline[1]!, data: inline[2]!, ...name }
          : { mediaType: 'application/pdf', url: part.document_url, ...name },
      )
    } else if (part?.type === 'input_audio' && typeof part.input_audio === 'string') {
      const audio = part.input_audio
      files.push(
        /^https?:/.test(audio)
          ? { mediaType: 'audio/*', url: audio }
          : { mediaType: audioTypeOf(audio), data: audio },
      )
    }
  }
  return files
}

/** The `thinking` chunks an assistant message carried back. */
function reasoningOf(content: unknown): WireReasoningView[] {
  if (!Array.isArray(content)) return []
  return content
    .filter((part) => part?.type === 'thinking')
    .map((part) => ({
      text: Array.isArray(part.thinking)
        ? part.thinking.map((inner: { text?: string }) => inner?.text ?? '').join('')
        : '',
      ...(typeof part.signature === 'string' ? { signature: part.signature } : {}),
    }))
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

/** Fills the view from a Mistral chat or embeddings body: messages, settings, tools, format, input. */
export function readMistralRequest(view: WireRequestView, body: any): void {
  const { operation } = view
  if (operation === 'embed') {
    view.embedInput = asStrings(body?.input)
    if (body?.output_dimension !== undefined && body.output_dimension !== null) {
      view.dimensions = body.output_dimension
    }
    return
  }
  if (operation === 'listModels') return
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
      const files = filesOf(message.content)
      if (files.length > 0) entry.files = files
      if (message.role === 'assistant') {
        const reasoning = reasoningOf(message.content)
        if (reasoning.length > 0) entry.reasoning = reasoning
      }
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
}

function chunk(
  id: string,
  model: string,
  delta: Record<string, unknown>,
  finishReason: string | null = null,
) {
  return {
    id,
    object: 'chat.completion.chunk',
    created: CREATED,
    model,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  }
}

const data = (value: unknown): SseFrame => ({ data: JSON.stringify(value) })

/**
 * Mistral's part of a stream chunk: text, `thinking` content, or one slice of a tool call.
 * Mistral does not sign thinking, so the end of a reasoning block is not on the wire (undefined).
 */
function partDelta(
  part: Extract<WireReply, { type: 'stream' }>['parts'][number],
): Record<string, unknown> | undefined {
  if (part.type === 'text') return { content: part.text }
  if (part.type === 'reasoning') return { content: [thinkingChunk(part.text)] }
  if (part.type === 'reasoning-end') return undefined
  // Later slices carry an empty name, as the live API writes incremental calls.
  const call = {
    ...(part.id !== undefined ? { id: part.id } : {}),
    type: 'function',
    function: { name: part.name ?? '', arguments: part.argumentsDelta },
    index: part.index,
  }
  return { tool_calls: [call] }
}

function completion(reply: Extract<WireReply, { type: 'generate' }>, model: string) {
  const toolCalls = reply.toolCalls?.length
    ? reply.toolCalls.map((call) => ({
        id: call.id,
        function: { name: call.name, arguments: call.arguments },
      }))
    : null
  // A reasoning answer's content is chunks: the `thinking` chunk(s), then the text chunk.
  const content = reply.reasoning?.length
    ? [
        ...reply.reasoning.map((block) => thinkingChunk(block.text)),
        ...(reply.text ? [{ type: 'text', text: reply.text }] : []),
      ]
    : (reply.text ?? '')
  return {
    id: reply.id ?? 'cmpl-e5cc70bb28c444948073e77776eb30ef',
    created: CREATED,
    model: reply.model ?? model,
    usage: usageOf(reply.usage, reply.metadata),
    object: 'chat.completion',
    choices: [
      {
        index: 0,
        finish_reason: finishReasonOf(reply.finishReason),
        message: { role: 'assistant', tool_calls: toolCalls, content },
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

/** A request id in the shape of Mistral's `mistral-correlation-id` (a UUIDv7). */
const requestIdOf = (sequence: number) => `019b98cb-9ba7-7ce1-9414-${String(sequence).padStart(12, '0')}`

/**
 * A wire kit that answers like api.mistral.ai: `POST /v1/chat/completions` (JSON or SSE: a role
 * chunk, one chunk per part, a last chunk with `finish_reason` and `usage`, then `[DONE]`),
 * `POST /v1/embeddings` and `GET /v1/models` under the server root, with Mistral's payloads,
 * error bodies and `mistral-correlation-id` headers.
 */
export function createMistralWireKit(options: MistralWireKitOptions = {}): WireKit {
  return defineWireKit<SseFrame>({
    name: 'mistral',
    defaults: {
      baseURL: 'https://api.mistral.modelplex.test',
      apiKey: 'mistral-modelplex-test-0123456789abcdef',
      models: { chat: 'mistral-small-latest', embedding: 'codestral-embed' },
    },
    // Mistral itself rejects ids like the suite's "call_1"; with normalization on, they would be
    // rewritten on the wire and the suite's round-trip check could not see them. The rewrite has its
    // own tests (mistral-provider.test.ts, through this kit).
    options: { ...options, settings: { normalizeToolCallIds: false, ...options.settings } },
    apiKey: ['bearer'],
    requestId: { header: 'mistral-correlation-id', format: requestIdOf },
    retryAfter: 'seconds',
    errors: ERRORS,
    routes: [
      {
        method: 'post',
        path: '/v1/chat/completions',
        operation: (body) => (body?.stream ? 'stream' : 'generate'),
      },
      { method: 'post', path: '/v1/embeddings', operation: 'embed' },
      { method: 'get', path: '/v1/models', operation: 'listModels' },
    ],
    read: readMistralRequest,
    metadata: { generate: METADATA, stream: METADATA },
    v2: {
      // Magistral's reasoning system prompt; the thinking comes back as `thinking` chunks, unsigned,
      // and goes back as the same chunk in the assistant content (docs.mistral.ai/capabilities/reasoning).
      reasoningOptions: { promptMode: 'reasoning' },
      reasoningReturn: 'text',
    },
    generate: (reply, { model }) => completion(reply, model),
    stream: {
      framing: sseFraming(),
      open(reply, { model, requestId }) {
        const id = requestId.replace(/-/g, '')
        const frame = (delta: Record<string, unknown>, finishReason?: string) =>
          data(chunk(id, model, delta, finishReason ?? null))
        return {
          start: () => [frame({ role: 'assistant', content: '' })],
          part: (part) => {
            const delta = partDelta(part)
            return delta ? [frame(delta)] : []
          },
          finish: () => [
            data({
              ...chunk(id, model, { content: '' }, finishReasonOf(reply.finishReason)),
              usage: usageOf(reply.usage, reply.metadata),
            }),
            { data: '[DONE]' },
          ],
          // A failure inside the stream is a chunk with `finish_reason: "error"`.
          error: () => [frame({ content: '' }, 'error'), { data: '[DONE]' }],
        }
      },
    },
    embed: (reply, { requestId, models, view }) => ({
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
    }),
    models: (reply) => ({ object: 'list', data: reply.ids.map(modelCard) }),
  })
}

/** The default kit of `@modelplex/provider-mistral`, used by its conformance test. */
export const kit: WireKit = createMistralWireKit()
