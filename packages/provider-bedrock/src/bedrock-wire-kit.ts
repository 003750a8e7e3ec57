import {
  type AwsEventStreamMessage,
  awsEvent,
  awsEventStreamFraming,
  awsException,
  defineWireKit,
  imageDownloadHandler,
  type WireCacheBreakpoint,
  type WireErrorEntry,
  type WireErrorKind,
  type WireFinishReason,
  type WireKit,
  type WireReasoning,
  type WireReply,
  type WireReplyContext,
  type WireRequestView,
  type WireStreamWriter,
  type WireUsage,
} from '@modelplex/conformance'
import { HttpResponse } from 'msw'
import contentFilter from './__fixtures__/error-400-content-filter.json' with { type: 'json' }
import inputTooLong from './__fixtures__/error-400-input-too-long.json' with { type: 'json' }
import validation from './__fixtures__/error-400-validation.json' with { type: 'json' }
import accessDenied from './__fixtures__/error-403-access-denied.json' with { type: 'json' }
import unrecognizedClient from './__fixtures__/error-403-unrecognized-client.json' with { type: 'json' }
import resourceNotFound from './__fixtures__/error-404-resource-not-found.json' with { type: 'json' }
import throttling from './__fixtures__/error-429-throttling.json' with { type: 'json' }
import internalServer from './__fixtures__/error-500-internal-server.json' with { type: 'json' }
import serviceUnavailable from './__fixtures__/error-503-service-unavailable.json' with { type: 'json' }

/** Options of the Bedrock wire kit; the defaults answer like bedrock-runtime in us-east-1. */
export interface BedrockWireKitOptions {
  /** The endpoint the provider is pointed at (its `baseURL` setting). */
  baseURL?: string
  region?: string
  /** `sigv4` (default): settings carry access keys; `bearer`: a Bedrock API key. */
  auth?: 'sigv4' | 'bearer'
  accessKeyId?: string
  secretAccessKey?: string
  /** The Bedrock API key of `bearer` mode. */
  apiKey?: string
  models?: { chat: string; embedding?: string }
  /** Extra provider settings, e.g. `pricing`. */
  settings?: Record<string, unknown>
}

/** An error as bedrock-runtime writes it: status, `x-amzn-errortype` and `{ "message": … }`. */
export interface BedrockErrorPayload {
  status: number
  /** The exception name, e.g. `ThrottlingException`. */
  type: string
  message: string
}

/** An error reply as `__fixtures__/error-*.json` records it (sources in its README). */
interface BedrockErrorFixture {
  status: number
  headers: Record<string, string>
  body: { message: string }
}

/** The recorded reply each canonical kind gets (all credential failures are 403 on Bedrock). */
const ERROR_FIXTURES: Record<WireErrorKind, BedrockErrorFixture> = {
  'bad-request': validation,
  unauthorized: unrecognizedClient,
  forbidden: accessDenied,
  'not-found': resourceNotFound,
  'context-window': inputTooLong,
  'content-filter': contentFilter,
  'rate-limit': throttling,
  server: internalServer,
  overloaded: serviceUnavailable,
}

/** The status, exception name and message Bedrock answers an error kind with. */
export function bedrockErrorPayload(kind: WireErrorKind): BedrockErrorPayload {
  const { status, headers, body } = ERROR_FIXTURES[kind]
  // `x-amzn-errortype` is `<exception>:<namespace>`.
  const type = headers['x-amzn-errortype']!.split(':')[0]!
  return { status, type, message: body.message }
}

/** The builder's error table: the fixture's status, body and exception header (the request id is the kit's). */
const ERROR_ENTRIES = {} as Record<WireErrorKind, WireErrorEntry>
for (const [kind, { status, headers, body }] of Object.entries(ERROR_FIXTURES)) {
  ERROR_ENTRIES[kind as WireErrorKind] = {
    status,
    body,
    headers: { 'x-amzn-errortype': headers['x-amzn-errortype']! },
  }
}

const STOP_REASONS: Record<WireFinishReason, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  'tool-calls': 'tool_use',
  'content-filter': 'content_filtered',
}

/** Bedrock pads stream events with a `p` field so their sizes do not leak the text. */
const PADDING = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0'

/**
 * Converse usage: cache reads and writes are counted apart from `inputTokens`, and `cacheDetails`
 * splits the writes by lifetime, 1h before 5m (TokenUsage, Bedrock API reference
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_TokenUsage.html).
 */
function bedrockUsage(usage: WireUsage) {
  const cached = usage.cachedInputTokens ?? 0
  const written = usage.cacheWriteInputTokens ?? 0
  const hour = usage.cacheWrite1hInputTokens ?? 0
  const cacheDetails = [
    ...(hour > 0 ? [{ ttl: '1h', inputTokens: hour }] : []),
    ...(written - hour > 0 ? [{ ttl: '5m', inputTokens: written - hour }] : []),
  ]
  return {
    inputTokens: usage.inputTokens - cached - written,
    outputTokens: usage.outputTokens,
    totalTokens: usage.inputTokens + usage.outputTokens,
    ...(usage.cachedInputTokens !== undefined || usage.cacheWriteInputTokens !== undefined
      ? { cacheReadInputTokens: cached, cacheWriteInputTokens: written }
      : {}),
    ...(cacheDetails.length > 0 ? { cacheDetails } : {}),
  }
}

/**
 * The extras a reply scripted with `metadata: true` carries: the latency-optimized performance
 * configuration and the service tier (ConverseResponse and ConverseStreamMetadataEvent, Bedrock
 * API reference https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html).
 */
const METADATA_EXTRAS = {
  performanceConfig: { latency: 'optimized' },
  serviceTier: { type: 'priority' },
}

/** The media type of each Converse document format, for reading a request back. */
const DOCUMENT_MEDIA_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  csv: 'text/csv',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  html: 'text/html',
  txt: 'text/plain',
  md: 'text/markdown',
}

/** A reasoning block as Converse writes it: `reasoningText` with its signature, or `redactedContent` (base64). */
function reasoningBlock(reasoning: WireReasoning) {
  if (reasoning.redacted !== undefined) return { reasoningContent: { redactedContent: reasoning.redacted } }
  return {
    reasoningContent: {
      reasoningText: {
        text: reasoning.text,
        ...(reasoning.signature !== undefined ? { signature: reasoning.signature } : {}),
      },
    },
  }
}

function reasoningOf(blocks: any[]): WireRequestView['messages'][number]['reasoning'] {
  const reasoning = blocks
    .filter((block) => block.reasoningContent)
    .map(({ reasoningContent }) =>
      reasoningContent.redactedContent !== undefined
        ? { text: '', redacted: reasoningContent.redactedContent }
        : {
            text: reasoningContent.reasoningText?.text ?? '',
            ...(reasoningContent.reasoningText?.signature !== undefined
              ? { signature: reasoningContent.reasoningText.signature }
              : {}),
          },
    )
  return reasoning.length > 0 ? reasoning : undefined
}

/** The media type of each Converse audio format, for reading a request back. */
const AUDIO_MEDIA_TYPES: Record<string, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  flac: 'audio/flac',
  aac: 'audio/aac',
  'x-aac': 'audio/x-aac',
  ogg: 'audio/ogg',
  opus: 'audio/opus',
  mp4: 'audio/mp4',
  m4a: 'audio/m4a',
  webm: 'audio/webm',
  pcm: 'audio/pcm',
}

/** The `document` and `audio` blocks of a message, in order, as file views. */
function filesOf(blocks: any[]): WireRequestView['messages'][number]['files'] {
  const files = blocks
    .filter((block) => block.document || block.audio)
    .map((block) => {
      const file = block.document ?? block.audio
      const mediaType = block.document
        ? (DOCUMENT_MEDIA_TYPES[file.format] ?? file.format)
        : (AUDIO_MEDIA_TYPES[file.format] ?? `audio/${file.format}`)
      return {
        mediaType,
        ...(file.source?.bytes !== undefined ? { data: file.source.bytes } : {}),
        ...(file.source?.s3Location?.uri !== undefined ? { url: file.source.s3Location.uri } : {}),
        ...(file.name !== undefined ? { filename: file.name } : {}),
      }
    })
  return files.length > 0 ? files : undefined
}

/** The cache checkpoints of a list of blocks, as breakpoints at `at`. */
function cachePointsOf(blocks: any[] | undefined, at: string): WireCacheBreakpoint[] {
  return (blocks ?? [])
    .filter((block) => block?.cachePoint)
    .map((block) => ({ at, ...(block.cachePoint.ttl !== undefined ? { ttl: block.cachePoint.ttl } : {}) }))
}

/** The key the request was signed or authorized with: SigV4's `Credential=<access key id>/…`, or the bearer token. */
export function readBedrockApiKey(headers: Record<string, string>): string | undefined {
  const auth = headers.authorization
  if (!auth) return undefined
  if (auth.startsWith('Bearer ')) return auth.slice('Bearer '.length)
  return /Credential=([^/,\s]+)\//.exec(auth)?.[1]
}

function textOfBlocks(blocks: any[] | undefined): string {
  let text = ''
  for (const block of blocks ?? []) {
    if (typeof block?.text === 'string') text += block.text
    else if (block?.json !== undefined) text += JSON.stringify(block.json)
  }
  return text
}

const isCohere = (model: string | undefined) => /(^|[.:/])cohere\.embed/.test(model ?? '')

/** Fills the view from a Converse or InvokeModel body (the model, from the path, already set). */
export function readBedrockRequest(view: WireRequestView, body: any): void {
  const { operation, model } = view
  if (operation === 'embed') {
    if (isCohere(model)) {
      view.embedInput = body?.texts
      if (body?.output_dimension !== undefined) view.dimensions = body.output_dimension
    } else {
      view.embedInput = typeof body?.inputText === 'string' ? [body.inputText] : undefined
      if (body?.dimensions !== undefined) view.dimensions = body.dimensions
    }
    return
  }
  if (Array.isArray(body?.system) && body.system.length > 0) view.system = textOfBlocks(body.system)
  const breakpoints: WireCacheBreakpoint[] = [...cachePointsOf(body?.system, 'system')]
  for (const message of body?.messages ?? []) {
    const blocks: any[] = message.content ?? []
    if (message.role === 'assistant') {
      const entry: WireRequestView['messages'][number] = { role: 'assistant', text: textOfBlocks(blocks) }
      const calls = blocks.filter((block) => block.toolUse).map((block) => block.toolUse.toolUseId)
      if (calls.length > 0) entry.toolCallIds = calls
      const reasoning = reasoningOf(blocks)
      if (reasoning) entry.reasoning = reasoning
      const files = filesOf(blocks)
      if (files) entry.files = files
      breakpoints.push(...cachePointsOf(blocks, `messages.${view.messages.length}`))
      view.messages.push(entry)
      continue
    }
    // A user turn may hold tool results (a `tool` message) followed by the user's own words.
    const results = blocks.filter((block) => block.toolResult).map((block) => block.toolResult)
    if (results.length > 0) {
      view.messages.push({
        role: 'tool',
        text: results.map((result) => textOfBlocks(result.content)).join(''),
        toolCallIds: results.map((result) => result.toolUseId),
      })
    }
    const own = blocks.filter((block) => !block.toolResult && !block.cachePoint)
    if (own.length > 0 || results.length === 0) {
      const entry: WireRequestView['messages'][number] = { role: 'user', text: textOfBlocks(own) }
      const images = own.filter((block) => block.image).length
      if (images > 0) entry.images = images
      const files = filesOf(own)
      if (files) entry.files = files
      view.messages.push(entry)
    }
    // Checkpoints belong to the entry the turn ended with (the user's words, else the tool results).
    breakpoints.push(...cachePointsOf(blocks, `messages.${view.messages.length - 1}`))
  }
  const config = body?.inferenceConfig ?? {}
  if (config.temperature !== undefined) view.temperature = config.temperature
  if (config.maxTokens !== undefined) view.maxOutputTokens = config.maxTokens
  if (config.topP !== undefined) view.topP = config.topP
  if (Array.isArray(config.stopSequences)) view.stopSequences = config.stopSequences
  if (Array.isArray(body?.toolConfig?.tools)) {
    breakpoints.push(...cachePointsOf(body.toolConfig.tools, 'tools'))
    view.tools = body.toolConfig.tools
      .filter((tool: any) => tool.toolSpec)
      .map((tool: any) => ({
        name: tool.toolSpec?.name,
        ...(tool.toolSpec?.description !== undefined ? { description: tool.toolSpec.description } : {}),
        parameters: tool.toolSpec?.inputSchema?.json ?? {},
      }))
  }
  if (breakpoints.length > 0) view.cacheBreakpoints = breakpoints
}

function converseResponse(reply: Extract<WireReply, { type: 'generate' }>) {
  const content: unknown[] = (reply.reasoning ?? []).map(reasoningBlock)
  if (reply.text) content.push({ text: reply.text })
  for (const call of reply.toolCalls ?? []) {
    content.push({
      toolUse: { toolUseId: call.id, name: call.name, input: JSON.parse(call.arguments || '{}') },
    })
  }
  return {
    output: { message: { role: 'assistant', content } },
    stopReason: STOP_REASONS[reply.finishReason],
    usage: bedrockUsage(reply.usage),
    metrics: { latencyMs: 412 },
    ...(reply.metadata ? METADATA_EXTRAS : {}),
  }
}

/** The in-stream exception of a kind: the exception name, lower camel case, as `:exception-type`. */
function streamException(kind: WireErrorKind): AwsEventStreamMessage {
  const { type, message } = bedrockErrorPayload(kind)
  return awsException(type[0]!.toLowerCase() + type.slice(1), message)
}

/** The ConverseStream events of a scripted reply: one content block per run of text or reasoning, one per tool call. */
function converseStream(
  reply: Extract<WireReply, { type: 'stream' }>,
): WireStreamWriter<AwsEventStreamMessage> {
  const blocks = new Map<string, number>()
  let open: { key: string; index: number } | undefined
  /** Reasoning blocks closed so far (by a signature or a redacted block). */
  let reasoningBlocks = 0
  const stop = (index: number) =>
    awsEvent('contentBlockStop', { contentBlockIndex: index, p: PADDING.slice(0, 5) })
  // The block a part belongs to, closing the open one when it changes.
  const block = (key: string, events: AwsEventStreamMessage[]): { index: number; fresh: boolean } => {
    if (open?.key === key) return { index: open.index, fresh: false }
    if (open) events.push(stop(open.index))
    const known = blocks.get(key)
    const index = known ?? blocks.size
    blocks.set(key, index)
    open = { key, index }
    return { index, fresh: known === undefined }
  }
  return {
    start: () => [awsEvent('messageStart', { p: PADDING.slice(0, 7), role: 'assistant' })],
    part(part) {
      const events: AwsEventStreamMessage[] = []
      if (part.type === 'reasoning-end') {
        if (part.redacted !== undefined) {
          // Redacted reasoning is a block of its own, sent whole in one delta.
          const { index } = block(`redacted:${++reasoningBlocks}`, events)
          const delta = { reasoningContent: { redactedContent: part.redacted } }
          events.push(
            awsEvent('contentBlockDelta', { contentBlockIndex: index, delta, p: PADDING.slice(0, 6) }),
          )
          return events
        }
        // The signature is the reasoning block's last delta; the next reasoning opens a new block.
        const { index } = block(`reasoning:${reasoningBlocks}`, events)
        reasoningBlocks++
        const delta = { reasoningContent: { signature: part.signature ?? '' } }
        events.push(
          awsEvent('contentBlockDelta', { contentBlockIndex: index, delta, p: PADDING.slice(0, 8) }),
        )
        return events
      }
      if (part.type === 'text' || part.type === 'reasoning') {
        const key = part.type === 'text' ? 'text' : `reasoning:${reasoningBlocks}`
        const { index } = block(key, events)
        const delta = part.type === 'text' ? { text: part.text } : { reasoningContent: { text: part.text } }
        events.push(
          awsEvent('contentBlockDelta', { contentBlockIndex: index, delta, p: PADDING.slice(0, 12) }),
        )
        return events
      }
      const { index, fresh } = block(`tool:${part.index}`, events)
      if (fresh) {
        const toolUse = { toolUseId: part.id ?? `tooluse_${part.index}`, name: part.name ?? '' }
        events.push(
          awsEvent('contentBlockStart', {
            contentBlockIndex: index,
            start: { toolUse },
            p: PADDING.slice(0, 9),
          }),
        )
      }
      if (part.argumentsDelta !== '') {
        const delta = { toolUse: { input: part.argumentsDelta } }
        events.push(
          awsEvent('contentBlockDelta', { contentBlockIndex: index, delta, p: PADDING.slice(0, 3) }),
        )
      }
      return events
    },
    finish: () => [
      ...(open ? [stop(open.index)] : []),
      awsEvent('messageStop', { p: PADDING.slice(0, 20), stopReason: STOP_REASONS[reply.finishReason] }),
      awsEvent('metadata', {
        metrics: { latencyMs: 318 },
        p: PADDING.slice(0, 4),
        usage: bedrockUsage(reply.usage),
        ...(reply.metadata ? METADATA_EXTRAS : {}),
      }),
    ],
    error: (kind) => [streamException(kind)],
  }
}

/** Which vector a Titan call (one text per call) gets: the scripted vectors, in the order the calls arrive. */
const titanCalls = new WeakMap<object, number>()

/** An InvokeModel embeddings answer, Cohere's (all texts at once) or Titan's (one text per call). */
function embedResponse(reply: Extract<WireReply, { type: 'embed' }>, context: WireReplyContext): Response {
  const { view, requestId } = context
  const headers = {
    'x-amzn-requestid': requestId,
    'x-amzn-bedrock-invocation-latency': '96',
    'x-amzn-bedrock-input-token-count': '0',
  }
  if (isCohere(view.model)) {
    headers['x-amzn-bedrock-input-token-count'] = String(reply.usage.inputTokens)
    return HttpResponse.json(
      {
        id: '5b1c3f0e-98d2-4c55-a3a7-2f1f5d6c7e80',
        embeddings: { float: reply.vectors },
        response_type: 'embeddings_by_type',
        texts: view.embedInput ?? [],
      },
      { headers },
    )
  }
  // Titan: one text per call. Call i gets vector i and its share of the scripted tokens.
  const call = titanCalls.get(reply) ?? 0
  titanCalls.set(reply, call + 1)
  const count = reply.vectors.length
  const index = call % count
  const share =
    Math.floor(reply.usage.inputTokens / count) + (index < reply.usage.inputTokens % count ? 1 : 0)
  headers['x-amzn-bedrock-input-token-count'] = String(share)
  return HttpResponse.json({ embedding: reply.vectors[index], inputTextTokenCount: share }, { headers })
}

/** The model id of a `/model/{modelId}/{action}` path. */
function modelOf(url: string): string | undefined {
  const match = /\/model\/([^/]+)\/[a-z-]+$/.exec(new URL(url).pathname)
  return match ? decodeURIComponent(match[1]!) : undefined
}

/**
 * A wire kit that answers like bedrock-runtime: `POST /model/{modelId}/converse` (JSON),
 * `/converse-stream` (AWS event-stream frames with CRCs) and `/invoke` (Titan and Cohere
 * embeddings), with AWS's JSON errors (`x-amzn-errortype` and `{"message": …}`). Converse takes
 * images only as bytes, so the provider downloads https image URLs: the kit answers them with a
 * 1×1 PNG. Bedrock itself sends no Retry-After; the kit adds the standard header when a scenario
 * asks, and the provider honours it.
 */
export function createBedrockWireKit(options: BedrockWireKitOptions = {}): WireKit {
  const auth = options.auth ?? 'sigv4'
  const accessKeyId = options.accessKeyId ?? 'AKIAMODELPLEXTEST0001'
  const secretAccessKey = options.secretAccessKey ?? 'modelplex/test/secret+0123456789abcdefghijklmn'
  const bearerKey = options.apiKey ?? 'ABSKbW9kZWxwbGV4LXRlc3QtYmVkcm9jay1hcGkta2V5'
  const credentials = auth === 'bearer' ? { apiKey: bearerKey } : { accessKeyId, secretAccessKey }
  const built = defineWireKit<AwsEventStreamMessage>({
    name: 'bedrock',
    defaults: {
      baseURL: 'https://bedrock-runtime.us-east-1.modelplex.test',
      apiKey: auth === 'bearer' ? bearerKey : accessKeyId,
      // Claude on Bedrock: signed reasoning, cache checkpoints on tools and 1-hour cache lifetimes.
      models: { chat: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0', embedding: 'cohere.embed-v4:0' },
    },
    options: {
      ...(options.baseURL !== undefined ? { baseURL: options.baseURL } : {}),
      ...(options.models !== undefined ? { models: options.models } : {}),
    },
    // SigV4 carries the access key id inside `Authorization`; `read` takes it from there.
    apiKey: [],
    requestId: {
      header: 'x-amzn-requestid',
      format: (sequence) => `${sequence.toString(16).padStart(8, '0')}-5a1e-4c2b-9d3f-0123456789ab`,
    },
    retryAfter: 'seconds',
    errors: ERROR_ENTRIES,
    routes: [
      { method: 'post', path: '/model/:modelId/converse', operation: 'generate' },
      { method: 'post', path: '/model/:modelId/converse-stream', operation: 'stream' },
      { method: 'post', path: '/model/:modelId/invoke', operation: 'embed' },
    ],
    extraHandlers: [imageDownloadHandler()],
    read(view, body, request) {
      view.model = modelOf(request.url)
      view.apiKey = readBedrockApiKey(view.headers)
      readBedrockRequest(view, body)
    },
    generate: converseResponse,
    stream: { framing: awsEventStreamFraming, open: converseStream },
    embed: embedResponse,
  })
  const region = options.region ?? 'us-east-1'
  return {
    ...built,
    settings: { region, baseURL: built.baseURL, ...credentials, ...options.settings },
    metadata: {
      generate: { metrics: { latencyMs: 412 }, ...METADATA_EXTRAS },
      stream: { metrics: { latencyMs: 318 }, ...METADATA_EXTRAS },
    },
    v2: {
      reasoningOptions: { reasoningConfig: { type: 'enabled', budgetTokens: 1024 } },
      // Claude on Bedrock: the reasoning block goes back with its signature, unchanged.
      reasoningReturn: 'signed',
      cachePoint: (ttl) => ({ cachePoint: { type: 'default', ttl } }),
      cacheTtl: true,
      maxCacheBreakpoints: 4,
      cacheWrites: true,
    },
  }
}

/** The default kit of `@modelplex/provider-bedrock` (SigV4 credentials), used by its conformance test. */
export const kit: WireKit = createBedrockWireKit()
