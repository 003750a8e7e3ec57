import {
  type ApiKeyLocation,
  defineWireKit,
  errorTable,
  joinTextParts,
  type SseFrame,
  sseFraming,
  type WireErrorEntry,
  type WireErrorKind,
  type WireErrorRule,
  type WireFinishReason,
  type WireKit,
  type WireKitOptions,
  type WireKitV2,
  type WireReasoning,
  type WireReasoningView,
  type WireRequestView,
  type WireUsage,
} from '@modelplex/conformance'
import contentFilter from './__fixtures__/error-400-content-policy.json' with { type: 'json' }
import contextWindow from './__fixtures__/error-400-context-length.json' with { type: 'json' }
import badRequest from './__fixtures__/error-400-invalid-value.json' with { type: 'json' }
import unauthorized from './__fixtures__/error-401-invalid-api-key.json' with { type: 'json' }
import forbidden from './__fixtures__/error-403-unsupported-country.json' with { type: 'json' }
import notFound from './__fixtures__/error-404-model-not-found.json' with { type: 'json' }
import rateLimit from './__fixtures__/error-429-rate-limit.json' with { type: 'json' }
import overloaded from './__fixtures__/error-503-overloaded.json' with { type: 'json' }
import server from './__fixtures__/error-stream-server-error.json' with { type: 'json' }

/** Where a vendor writes the usage of a stream. */
export type StreamUsagePlacement =
  /** OpenAI: a last chunk with `choices: []` and `usage`, sent only when `stream_options.include_usage` asks. */
  | 'final-chunk'
  /** On the chunk that carries `finish_reason` (several compatible servers). */
  | 'finish-chunk'
  /** Groq: `x_groq.usage` on the finish chunk. */
  | 'x_groq'

/** Which payload `transformPayload` is given. */
export type OpenAIPayloadKind = 'completion' | 'chunk' | 'embeddings'

/** Options of an OpenAI-shaped wire kit; the defaults are OpenAI's own wire format. */
export interface OpenAICompatibleWireKitOptions extends WireKitOptions {
  /** Where the key travels, first present wins. Default `Authorization: Bearer <key>`. */
  apiKeyFrom?: readonly ApiKeyLocation[]
  /** Where a stream's usage goes. Default `final-chunk`. */
  streamUsage?: StreamUsagePlacement
  /** The delta field that carries reasoning text. Default `reasoning_content` (DeepSeek's). */
  reasoningField?: string
  /**
   * Also writes reasoning as OpenRouter's `reasoning_details` blocks (`reasoning.text` with its
   * `signature`, `reasoning.encrypted` for redacted blocks), and reads them back from requests.
   */
  reasoningDetails?: boolean
  /**
   * Adds the vendor's extras to a payload scripted with `metadata: true` (after the shared
   * `logprobs` on a completion); `kind` names a completion or a stream's finish chunk.
   */
  metadataPayload?: (
    payload: Record<string, unknown>,
    kind: 'completion' | 'finish-chunk',
  ) => Record<string, unknown>
  /** What `providerMetadata[id]` then holds. Default the shared extras: fingerprint, tier, logprobs. */
  metadata?: WireKit['metadata']
  /** Interface v2 facts of the vendor. Default: reasoning is not sent back (`none`). */
  v2?: WireKitV2
  /** `owned_by` of listed models. Default `system`. */
  ownedBy?: string
  /** The vendor's error table; kinds it leaves out keep OpenAI's bodies. */
  errors?: Partial<Record<WireErrorKind, WireErrorRule>>
  /** The JSON of the data frame a vendor writes for an error inside a stream. Default: the error table's body. */
  streamError?: (kind: WireErrorKind) => unknown
  /** Adds the vendor's own usage fields (cache counts, cost) to the OpenAI-shaped usage it writes. */
  extendUsage?: (payload: Record<string, unknown>, usage: WireUsage, model: string) => Record<string, unknown>
  /** How a wait is advertised: OpenAI's `retry-after-ms` and `retry-after`, or `retry-after` (seconds) only. Default both. */
  retryAfter?: 'both' | 'seconds'
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

/** The error bodies as OpenAI documents them (https://platform.openai.com/docs/guides/error-codes). */
export const openAIErrors: Record<WireErrorKind, WireErrorEntry> = errorTable({
  badRequest,
  unauthorized,
  forbidden,
  notFound,
  contextWindow,
  contentFilter,
  rateLimit,
  server,
  overloaded,
})

const CREATED = 1_735_689_600
const FINISH_REASONS: Record<WireFinishReason, string> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
  'content-filter': 'content_filter',
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

/**
 * Log probabilities of "Hello!" in OpenAI's `choices[].logprobs.content` form
 * (https://platform.openai.com/docs/api-reference/chat/object#chat/object-choices).
 */
export const WIRE_LOGPROBS = [
  { token: 'Hello', logprob: -0.0009, bytes: [72, 101, 108, 108, 111], top_logprobs: [] },
  { token: '!', logprob: -0.0121, bytes: [33], top_logprobs: [] },
]

/** What the shared extras become in `providerMetadata`. */
export const OPENAI_WIRE_METADATA: NonNullable<WireKit['metadata']> = {
  generate: { systemFingerprint: 'fp_modelplex', serviceTier: 'default', logprobs: WIRE_LOGPROBS },
  stream: { systemFingerprint: 'fp_modelplex', serviceTier: 'default' },
}

/**
 * Reasoning blocks in OpenRouter's `reasoning_details` form
 * (https://openrouter.ai/docs/use-cases/reasoning-tokens#reasoning-details-api-shape).
 */
export function wireReasoningDetails(blocks: readonly WireReasoning[]): Record<string, unknown>[] {
  return blocks.map((block, index) =>
    block.redacted !== undefined
      ? { type: 'reasoning.encrypted', data: block.redacted, id: null, format: 'anthropic-claude-v1', index }
      : {
          type: 'reasoning.text',
          text: block.text,
          ...(block.signature !== undefined ? { signature: block.signature } : {}),
          id: null,
          format: 'anthropic-claude-v1',
          index,
        },
  )
}

/** Reasoning an assistant message carried back: `reasoning_details` blocks, else a plain text field. */
function readReasoningBack(message: any): WireReasoningView[] | undefined {
  if (Array.isArray(message.reasoning_details)) {
    return message.reasoning_details.map((block: any) =>
      block?.type === 'reasoning.encrypted'
        ? { text: '', redacted: block.data }
        : {
            text: typeof block?.text === 'string' ? block.text : (block?.summary ?? ''),
            ...(typeof block?.signature === 'string' ? { signature: block.signature } : {}),
          },
    )
  }
  for (const field of ['reasoning_content', 'reasoning']) {
    if (typeof message[field] === 'string') return [{ text: message[field] }]
  }
  return undefined
}

/** File parts of a user message: `file` (data: URL or URL) and `input_audio`. */
function readFiles(content: unknown): WireRequestView['messages'][number]['files'] {
  if (!Array.isArray(content)) return undefined
  const files: NonNullable<WireRequestView['messages'][number]['files']> = []
  for (const part of content) {
    if (part?.type === 'file') {
      const data = String(part.file?.file_data ?? '')
      const inline = /^data:([^;,]+);base64,(.*)$/s.exec(data)
      files.push(
        inline
          ? { mediaType: inline[1]!, data: inline[2]!, filename: part.file?.filename }
          : { mediaType: 'application/octet-stream', url: data, filename: part.file?.filename },
      )
    } else if (part?.type === 'input_audio') {
      const format = part.input_audio?.format
      files.push({
        mediaType: format === 'mp3' ? 'audio/mpeg' : `audio/${format}`,
        data: part.input_audio?.data,
      })
    }
  }
  return files.length > 0 ? files : undefined
}

function asStrings(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined
  return Array.isArray(value) ? value.map(String) : [String(value)]
}

/** Fills the view from a Chat Completions or embeddings body. */
export function readOpenAIRequest(view: WireRequestView, body: any): void {
  if (view.operation === 'embed') {
    view.embedInput = asStrings(body?.input)
    if (body?.dimensions !== undefined) view.dimensions = body.dimensions
    return
  }
  if (view.operation === 'listModels') return
  const system: string[] = []
  for (const message of body?.messages ?? []) {
    if (message.role === 'system' || message.role === 'developer') {
      system.push(joinTextParts(message.content))
      continue
    }
    const entry: WireRequestView['messages'][number] = {
      role: message.role,
      text: joinTextParts(message.content),
    }
    if (message.role === 'assistant' && Array.isArray(message.tool_calls)) {
      entry.toolCallIds = message.tool_calls.map((call: { id: string }) => call.id)
    }
    if (message.role === 'tool') entry.toolCallIds = [message.tool_call_id]
    if (message.role === 'assistant') {
      const reasoning = readReasoningBack(message)
      if (reasoning) entry.reasoning = reasoning
    }
    if (Array.isArray(message.content)) {
      const images = message.content.filter((part: { type?: string }) => part?.type === 'image_url').length
      if (images > 0) entry.images = images
      const files = readFiles(message.content)
      if (files) entry.files = files
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
}

/** Little-endian float32, base64: what OpenAI sends for `encoding_format: 'base64'`. */
function base64Embedding(vector: number[]): string {
  const bytes = new Uint8Array(new Float32Array(vector).buffer)
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

const data = (value: unknown): SseFrame => ({ data: JSON.stringify(value) })

/**
 * A wire kit for any OpenAI-shaped vendor: `POST /chat/completions` (JSON or SSE),
 * `POST /embeddings` and `GET /models` under the base URL, writing OpenAI's exact payloads and
 * error bodies. Vendors pass their base URL, key location, error table and usage placement.
 */
export function createOpenAICompatibleWireKit(options: OpenAICompatibleWireKitOptions = {}): WireKit {
  const placement = options.streamUsage ?? 'final-chunk'
  const reasoningField = options.reasoningField ?? 'reasoning_content'
  const usageOf = (wire: WireUsage, model: string) =>
    options.extendUsage ? options.extendUsage(openAIUsage(wire), wire, model) : openAIUsage(wire)
  const transform = options.transformPayload ?? ((payload: Record<string, unknown>) => payload)
  const paths = { chat: '/chat/completions', embeddings: '/embeddings', models: '/models', ...options.paths }
  const readModel = options.readModel
  const withMetadata = (
    payload: Record<string, unknown>,
    kind: 'completion' | 'finish-chunk',
    asked: boolean | undefined,
  ) => (asked && options.metadataPayload ? options.metadataPayload(payload, kind) : payload)

  return defineWireKit<SseFrame>({
    name: 'openai',
    defaults: {
      baseURL: 'https://openai-compatible.modelplex.test/v1',
      apiKey: 'sk-modelplex-test-0123456789abcdef',
      models: { chat: 'test-chat-model', embedding: 'test-embedding-model' },
    },
    options,
    metadata: options.metadata ?? OPENAI_WIRE_METADATA,
    v2: options.v2 ?? { reasoningReturn: 'none' },
    apiKey: options.apiKeyFrom ?? ['bearer'],
    requestId: { header: 'x-request-id', format: (sequence) => `req_${sequence}` },
    retryAfter: options.retryAfter ?? 'both',
    errors: { ...openAIErrors, ...options.errors },
    routes: [
      { method: 'post', path: paths.chat, operation: (body) => (body?.stream ? 'stream' : 'generate') },
      { method: 'post', path: paths.embeddings, operation: 'embed' },
      { method: 'get', path: paths.models, operation: 'listModels' },
    ],
    read(view, body, request) {
      readOpenAIRequest(view, body)
      if (readModel) view.model = readModel(request, body)
    },
    generate(reply, { model }) {
      const message: Record<string, unknown> = {
        role: 'assistant',
        content: reply.text ?? null,
        refusal: null,
        annotations: [],
      }
      if (reply.reasoning?.length) {
        const text = reply.reasoning.map((block) => block.text).join('')
        if (text) message[reasoningField] = text
        if (options.reasoningDetails) message.reasoning_details = wireReasoningDetails(reply.reasoning)
      }
      if (reply.toolCalls?.length) {
        message.tool_calls = reply.toolCalls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: call.arguments },
        }))
      }
      const completion = {
        id: reply.id ?? 'chatcmpl-modelplex',
        object: 'chat.completion',
        created: CREATED,
        model,
        choices: [
          {
            index: 0,
            message,
            logprobs: reply.metadata ? { content: WIRE_LOGPROBS, refusal: null } : null,
            finish_reason: FINISH_REASONS[reply.finishReason],
          },
        ],
        usage: usageOf(reply.usage, model),
        service_tier: 'default',
        system_fingerprint: 'fp_modelplex',
      }
      return transform(withMetadata(completion, 'completion', reply.metadata), 'completion')
    },
    stream: {
      framing: sseFraming(),
      open(reply, { model, sequence, view, errorBody }) {
        const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
          id: `chatcmpl-stream-${sequence}`,
          object: 'chat.completion.chunk',
          created: CREATED,
          model,
          service_tier: 'default',
          system_fingerprint: 'fp_modelplex',
          choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
        })
        const emit = (value: Record<string, unknown>): SseFrame => data(transform(value, 'chunk'))
        const includeUsage = (view.body as any)?.stream_options?.include_usage === true
        return {
          start: () => [
            ...(options.streamPreamble?.() ?? []).map(data),
            emit(chunk({ role: 'assistant', content: '', refusal: null })),
          ],
          part(part) {
            if (part.type === 'text') return [emit(chunk({ content: part.text }))]
            if (part.type === 'reasoning') {
              const details = options.reasoningDetails
                ? { reasoning_details: wireReasoningDetails([{ text: part.text }]) }
                : {}
              return [emit(chunk({ [reasoningField]: part.text, ...details }))]
            }
            if (part.type === 'reasoning-end') {
              // Plain reasoning fields carry no signature: the end of a block writes nothing. OpenRouter
              // sends the signature as a last `reasoning.text` slice with empty text.
              if (!options.reasoningDetails || (part.signature === undefined && part.redacted === undefined))
                return []
              const block: WireReasoning =
                part.redacted !== undefined
                  ? { text: '', redacted: part.redacted }
                  : { text: '', signature: part.signature! }
              return [emit(chunk({ [reasoningField]: '', reasoning_details: wireReasoningDetails([block]) }))]
            }
            const call: Record<string, unknown> = { index: part.index }
            if (part.id !== undefined) {
              call.id = part.id
              call.type = 'function'
            }
            call.function = {
              ...(part.name !== undefined ? { name: part.name } : {}),
              arguments: part.argumentsDelta,
            }
            return [emit(chunk({ tool_calls: [call] }))]
          },
          finish() {
            const usage = usageOf(reply.usage, model)
            let finish: Record<string, unknown> = chunk({}, FINISH_REASONS[reply.finishReason])
            if (placement === 'finish-chunk') finish.usage = usage
            if (placement === 'x_groq') finish.x_groq = { id: `req_chatcmpl-stream-${sequence}`, usage }
            finish = withMetadata(finish, 'finish-chunk', reply.metadata)
            const frames = [emit(finish)]
            if (placement === 'final-chunk' && includeUsage)
              frames.push(emit({ ...chunk({}), choices: [], usage }))
            frames.push({ data: '[DONE]' })
            return frames
          },
          // OpenAI reports a failure mid-stream as a data frame holding an `error` object, then closes.
          error: (kind) => [data(options.streamError ? options.streamError(kind) : errorBody(kind))],
        }
      },
    },
    embed(reply, { view, models }) {
      const base64 = (view.body as any)?.encoding_format === 'base64'
      const payload = {
        object: 'list',
        data: reply.vectors.map((vector, index) => ({
          object: 'embedding',
          index,
          embedding: base64 ? base64Embedding(vector) : vector,
        })),
        model: reply.model ?? view.model ?? models.embedding,
        usage: { prompt_tokens: reply.usage.inputTokens, total_tokens: reply.usage.inputTokens },
      }
      return transform(payload, 'embeddings')
    },
    models: (reply) =>
      options.modelsBody?.(reply.ids) ?? {
        object: 'list',
        data: reply.ids.map((id) => ({
          id,
          object: 'model',
          created: CREATED,
          owned_by: options.ownedBy ?? 'system',
        })),
      },
  })
}

/** The default kit of `@modelplex/provider-openai-compatible` (a self-hosted server on a test host). */
export const kit: WireKit = createOpenAICompatibleWireKit()
