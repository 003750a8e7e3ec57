import {
  defineWireKit,
  type StreamBodyOptions,
  streamBody,
  type WireErrorKind,
  type WireErrorRule,
  type WireFileView,
  type WireFinishReason,
  type WireFraming,
  type WireKit,
  type WireKitOptions,
  type WireReasoningView,
  type WireReply,
  type WireRequestView,
  type WireStreamWriter,
  type WireUsage,
} from '@modelplex/conformance'
import { HttpResponse } from 'msw'
import contextWindow from './__fixtures__/error-400-context-window.json' with { type: 'json' }
import invalidArgument from './__fixtures__/error-400-invalid-argument.json' with { type: 'json' }
import unauthenticated from './__fixtures__/error-401-unauthenticated.json' with { type: 'json' }
import permissionDenied from './__fixtures__/error-403-permission-denied.json' with { type: 'json' }
import notFound from './__fixtures__/error-404-not-found.json' with { type: 'json' }
import resourceExhausted from './__fixtures__/error-429-resource-exhausted.json' with { type: 'json' }
import internal from './__fixtures__/error-500-internal.json' with { type: 'json' }
import unavailable from './__fixtures__/error-503-unavailable.json' with { type: 'json' }
import blockedPrompt from './__fixtures__/generate-content-blocked-prompt.json' with { type: 'json' }

/** Options of the Gemini wire kit (`baseURL` without `/v1beta`, which the SDK appends). */
export type GoogleWireKitOptions = WireKitOptions

/** An error as Google writes it: `{ error: { code, message, status, details? } }`. */
export interface GoogleErrorPayload {
  status: number
  body: { error: { code: number; message: string; status: string; details?: Array<Record<string, unknown>> } }
}

const API_VERSION = 'v1beta'

const FINISH_REASONS: Record<WireFinishReason, string> = {
  stop: 'STOP',
  length: 'MAX_TOKENS',
  // Gemini reports STOP with the function calls in the answer.
  'tool-calls': 'STOP',
  'content-filter': 'SAFETY',
}

/** What Gemini sends for a candidate stopped by its safety filter. */
const BLOCKING_RATINGS = [
  { category: 'HARM_CATEGORY_SEXUALLY_EXPLICIT', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_HATE_SPEECH', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true },
]

/** A Duration as protobuf JSON writes it: `"30s"`, `"0.030s"`. */
function duration(ms: number): string {
  return `${ms % 1000 === 0 ? ms / 1000 : (ms / 1000).toFixed(3)}s`
}

type GoogleErrorBody = GoogleErrorPayload['body']

/**
 * The error bodies as the Gemini API sends them, from `__fixtures__` (sources in its README).
 * `content-filter` is no HTTP error on Gemini: a blocked prompt is a 200 with `promptFeedback`
 * (`generate-content-blocked-prompt.json`).
 */
const ERROR_BODIES: Record<Exclude<WireErrorKind, 'content-filter'>, GoogleErrorBody> = {
  'bad-request': invalidArgument,
  unauthorized: unauthenticated,
  forbidden: permissionDenied,
  'not-found': notFound,
  'context-window': contextWindow,
  'rate-limit': resourceExhausted,
  server: internal,
  overloaded: unavailable,
}

const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo'

/** The status and body Gemini answers an error kind with; a 429 advertises `retryAfterMs` in its `RetryInfo`. */
export function googleErrorPayload(
  kind: Exclude<WireErrorKind, 'content-filter'>,
  retryAfterMs?: number,
): GoogleErrorPayload {
  const { error } = ERROR_BODIES[kind]
  if (kind !== 'rate-limit') return { status: error.code, body: { error } }
  // Google advertises the wait in RetryInfo, not in a Retry-After header: the recorded delay is replaced by the scenario's.
  const details = (error.details ?? []).filter((detail) => detail['@type'] !== RETRY_INFO)
  if (retryAfterMs !== undefined) details.push({ '@type': RETRY_INFO, retryDelay: duration(retryAfterMs) })
  return { status: error.code, body: { error: { ...error, details } } }
}

/**
 * `usageMetadata` as Gemini writes it (ai.google.dev/api/generate-content#UsageMetadata):
 * `candidatesTokenCount` leaves the thinking tokens out (`thoughtsTokenCount`), `promptTokenCount`
 * includes the cached ones (`cachedContentTokenCount`, split per modality in `cacheTokensDetails`).
 */
function usageMetadata(usage: WireUsage, metadata = false) {
  const reasoning = usage.reasoningTokens ?? 0
  const candidates = usage.outputTokens - reasoning
  return {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount: candidates,
    totalTokenCount: usage.inputTokens + usage.outputTokens,
    ...(usage.cachedInputTokens ? { cachedContentTokenCount: usage.cachedInputTokens } : {}),
    ...(reasoning ? { thoughtsTokenCount: reasoning } : {}),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: usage.inputTokens }],
    ...(usage.cachedInputTokens
      ? { cacheTokensDetails: [{ modality: 'TEXT', tokenCount: usage.cachedInputTokens }] }
      : {}),
    ...(metadata ? { candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: candidates }] } : {}),
  }
}

/**
 * A candidate's Google Search grounding, in the shape of the response example of
 * ai.google.dev/gemini-api/docs/google-search ("Understanding the grounding response").
 */
const GROUNDING_METADATA = {
  webSearchQueries: ['modelplex conformance greeting'],
  searchEntryPoint: { renderedContent: '<div class="container">modelplex</div>' },
  groundingChunks: [
    {
      web: {
        uri: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/mpx',
        title: 'modelplex.test',
      },
    },
  ],
  groundingSupports: [
    {
      segment: { startIndex: 0, endIndex: 6, text: 'Hello!' },
      groundingChunkIndices: [0],
      confidenceScores: [0.97],
    },
  ],
}

/** Safety ratings of an unblocked candidate (ai.google.dev/api/generate-content#safetyrating). */
const NEGLIGIBLE_RATINGS = [
  { category: 'HARM_CATEGORY_HATE_SPEECH', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'NEGLIGIBLE' },
]

/** The candidate extras written for a reply scripted with `metadata: true`. */
const CANDIDATE_METADATA = { groundingMetadata: GROUNDING_METADATA, safetyRatings: NEGLIGIBLE_RATINGS }

/** What `providerMetadata.google` then holds (a subset, as the scenarios match it). */
const EXPECTED_METADATA = {
  promptTokensDetails: [{ modality: 'TEXT', tokenCount: 10 }],
  candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: 5 }],
  groundingMetadata: GROUNDING_METADATA,
  safetyRatings: NEGLIGIBLE_RATINGS,
}

function textOf(parts: unknown): string {
  if (!Array.isArray(parts)) return ''
  return parts.map((part) => (typeof part?.text === 'string' && !part.thought ? part.text : '')).join('')
}

/** Thought parts sent back, with the signature each carried. */
function reasoningOf(parts: any[]): WireReasoningView[] {
  return parts
    .filter((part) => part?.thought === true && typeof part.text === 'string')
    .map((part) => ({
      text: part.text,
      ...(typeof part.thoughtSignature === 'string' ? { signature: part.thoughtSignature } : {}),
    }))
}

/** `inlineData` and `fileData` parts that are no images. */
function filesOf(parts: any[]): WireFileView[] {
  const files: WireFileView[] = []
  for (const part of parts) {
    const inline = part?.inlineData
    const file = part?.fileData
    if (inline && !String(inline.mimeType).startsWith('image/')) {
      files.push({ mediaType: inline.mimeType, data: inline.data })
    } else if (file && !String(file.mimeType).startsWith('image/')) {
      files.push({ mediaType: file.mimeType, url: file.fileUri })
    }
  }
  return files
}

function isImage(part: any): boolean {
  const mimeType = part?.inlineData?.mimeType ?? part?.fileData?.mimeType
  // An image URL sent without a media type is still an image part.
  return (
    (part?.inlineData || part?.fileData) && (mimeType === undefined || String(mimeType).startsWith('image/'))
  )
}

/** The model id of a `models/{model}:{method}` path, and the method. */
function route(url: string): { model: string | undefined; method: string | undefined } {
  const path = decodeURIComponent(new URL(url).pathname)
  const match = /\/models\/([^/:]+):([A-Za-z]+)$/.exec(path)
  return { model: match?.[1], method: match?.[2] }
}

/** Fills the view from a Gemini request: the model from the path, then contents, config, tools or embed requests. */
export function readGoogleRequest(view: WireRequestView, body: any): void {
  const { operation } = view
  view.model = route(view.url).model
  if (operation === 'listModels') return
  if (operation === 'embed') {
    const requests: any[] = Array.isArray(body?.requests) ? body.requests : []
    view.embedInput = requests.map((entry) => textOf(entry?.content?.parts))
    const dimensions = requests[0]?.outputDimensionality
    if (dimensions !== undefined) view.dimensions = dimensions
    return
  }
  const system = body?.systemInstruction?.parts
  if (Array.isArray(system)) view.system = system.map((part: any) => part?.text ?? '').join('\n')
  for (const content of body?.contents ?? []) {
    const parts: any[] = Array.isArray(content?.parts) ? content.parts : []
    const responses = parts.filter((part) => part?.functionResponse)
    if (content?.role === 'user' && responses.length > 0 && responses.length === parts.length) {
      view.messages.push({
        role: 'tool',
        text: responses.map((part) => JSON.stringify(part.functionResponse.response)).join('\n'),
        toolCallIds: responses.map((part) => part.functionResponse.id),
      })
      continue
    }
    const entry: WireRequestView['messages'][number] = {
      role: content?.role === 'model' ? 'assistant' : 'user',
      text: textOf(parts),
    }
    const calls = parts.filter((part) => part?.functionCall)
    if (calls.length > 0) entry.toolCallIds = calls.map((part) => part.functionCall.id)
    const images = parts.filter(isImage).length
    if (images > 0) entry.images = images
    const reasoning = reasoningOf(parts)
    if (reasoning.length > 0) entry.reasoning = reasoning
    const files = filesOf(parts)
    if (files.length > 0) entry.files = files
    view.messages.push(entry)
  }
  const config = body?.generationConfig ?? {}
  if (config.temperature !== undefined) view.temperature = config.temperature
  if (config.maxOutputTokens !== undefined) view.maxOutputTokens = config.maxOutputTokens
  if (config.topP !== undefined) view.topP = config.topP
  if (config.stopSequences !== undefined) view.stopSequences = config.stopSequences
  if (config.seed !== undefined) view.seed = config.seed
  const declarations = (body?.tools ?? []).flatMap((tool: any) => tool?.functionDeclarations ?? [])
  if (declarations.length > 0) {
    view.tools = declarations.map((declaration: any) => ({
      name: declaration.name,
      ...(declaration.description !== undefined ? { description: declaration.description } : {}),
      parameters: declaration.parametersJsonSchema ?? declaration.parameters ?? {},
    }))
  }
  const schema = config.responseJsonSchema ?? config.responseSchema
  if (schema !== undefined) view.responseSchema = schema
  if (config.responseMimeType === 'application/json') view.jsonOutput = true
}

function parseArguments(json: string): Record<string, unknown> {
  return json.trim() === '' ? {} : JSON.parse(json)
}

/** A `GenerateContentResponse` for a scripted answer. */
function generateResponse(reply: Extract<WireReply, { type: 'generate' }>, model: string) {
  const parts: Array<Record<string, unknown>> = []
  // Thought summaries (includeThoughts) come first, each with its signature
  // (ai.google.dev/gemini-api/docs/thinking#summaries, /docs/thought-signatures). Gemini has no
  // redacted reasoning: a redacted block is written as an empty signed thought part.
  for (const block of reply.reasoning ?? []) {
    const signature = block.signature ?? block.redacted
    parts.push({ text: block.text, thought: true, ...(signature ? { thoughtSignature: signature } : {}) })
  }
  if (reply.text) parts.push({ text: reply.text })
  for (const call of reply.toolCalls ?? []) {
    parts.push({ functionCall: { id: call.id, name: call.name, args: parseArguments(call.arguments) } })
  }
  const candidate: Record<string, unknown> = { finishReason: FINISH_REASONS[reply.finishReason], index: 0 }
  // A candidate stopped by the safety filter may carry no content at all.
  if (parts.length > 0) candidate.content = { parts, role: 'model' }
  if (reply.metadata) Object.assign(candidate, CANDIDATE_METADATA)
  if (reply.finishReason === 'content-filter') candidate.safetyRatings = BLOCKING_RATINGS
  return {
    candidates: [candidate],
    usageMetadata: usageMetadata(reply.usage, reply.metadata),
    modelVersion: reply.model ?? model,
    responseId: reply.id ?? 'modelplex-response-1',
  }
}

/** One SSE event as Gemini writes it: a `data:` line of compact JSON, then a blank CRLF line. */
function frame(value: unknown): string {
  return `data: ${JSON.stringify(value)}\r\n\r\n`
}

/**
 * The frames of a scripted stream. Gemini sends function calls whole, so the argument slices of one
 * call are joined and sent in one chunk with the call's last slice; a cut before that loses the call.
 */
function googleStream(
  reply: Extract<WireReply, { type: 'stream' }>,
  model: string,
): WireStreamWriter<string> {
  const responseId = 'modelplex-stream-1'
  const parts = reply.errorAfter ? reply.parts.slice(0, reply.errorAfter.parts) : reply.parts
  const chunk = (wireParts: Array<Record<string, unknown>>, index: number) => {
    const outputTokens = Math.min(index + 1, reply.usage.outputTokens)
    const running = {
      promptTokenCount: reply.usage.inputTokens,
      candidatesTokenCount: outputTokens,
      totalTokenCount: reply.usage.inputTokens + outputTokens,
    }
    const candidates = [{ content: { parts: wireParts, role: 'model' }, index: 0 }]
    return frame({ candidates, usageMetadata: running, modelVersion: model, responseId })
  }
  let call: { id?: string; name?: string; args: string } | undefined
  return {
    part(part, index) {
      if (part.type === 'reasoning-end') {
        // Its signature went out on the thought chunk before it; without one, Gemini sends the
        // signature alone on an empty thought part.
        const signature = part.signature ?? part.redacted
        if (!signature || parts[index - 1]?.type === 'reasoning') return []
        return [chunk([{ text: '', thought: true, thoughtSignature: signature }], index)]
      }
      if (part.type === 'reasoning') {
        // Gemini puts the signature on the last chunk of the thought.
        const next = parts[index + 1]
        const signature = next?.type === 'reasoning-end' ? (next.signature ?? next.redacted) : undefined
        return [
          chunk(
            [{ text: part.text, thought: true, ...(signature ? { thoughtSignature: signature } : {}) }],
            index,
          ),
        ]
      }
      if (part.type === 'text') return [chunk([{ text: part.text }], index)]
      call ??= { args: '' }
      if (part.id !== undefined) call.id = part.id
      if (part.name !== undefined) call.name = part.name
      call.args += part.argumentsDelta
      const next = parts[index + 1]
      if (next?.type === 'tool-call' && next.index === part.index) return []
      const functionCall = {
        ...(call.id ? { id: call.id } : {}),
        name: call.name,
        args: parseArguments(call.args),
      }
      call = undefined
      return [chunk([{ functionCall }], index)]
    },
    finish: () => [
      frame({
        candidates: [
          {
            content: { parts: [{ text: '' }], role: 'model' },
            finishReason: FINISH_REASONS[reply.finishReason],
            index: 0,
            ...(reply.metadata ? CANDIDATE_METADATA : {}),
          },
        ],
        usageMetadata: usageMetadata(reply.usage, reply.metadata),
        modelVersion: model,
        responseId,
      }),
    ],
    // Gemini reports a failure mid-stream as a data frame holding Google's error object, then closes.
    error: (kind) => [frame(googleErrorPayload(kind === 'content-filter' ? 'server' : kind).body)],
  }
}

/** Gemini's SSE: raw `data:` frames with CRLF endings, served as an attachment. */
function sse(frames: string[], options: StreamBodyOptions = {}): Response {
  return new Response(streamBody(frames, options), {
    status: 200,
    headers: { 'content-type': 'text/event-stream', 'content-disposition': 'attachment' },
  })
}

const googleFraming: WireFraming<string> = {
  respond: (frames, { cutAfter, chunkBytes }) => sse(frames, { cutAfter, chunkBytes }),
  malformed: () => sse(['data: <html>Bad gateway</html>\r\n\r\n']),
}

const payloadRule: WireErrorRule = ({ kind, retryAfterMs }) =>
  googleErrorPayload(kind as Exclude<WireErrorKind, 'content-filter'>, retryAfterMs)

/** The builder's error table; a blocked prompt is a 200 with `promptFeedback`, not an error status. */
const ERROR_RULES: Record<WireErrorKind, WireErrorRule> = {
  'bad-request': payloadRule,
  unauthorized: payloadRule,
  forbidden: payloadRule,
  'not-found': payloadRule,
  'context-window': payloadRule,
  'rate-limit': payloadRule,
  server: payloadRule,
  overloaded: payloadRule,
  'content-filter': ({ view }) =>
    view.operation === 'stream' ? sse([frame(blockedPrompt)]) : HttpResponse.json(blockedPrompt),
}

/** The operation of a `models/{model}:{method}` POST. */
function operationOf(url: string): WireRequestView['operation'] {
  const { method } = route(url)
  if (method === 'streamGenerateContent') return 'stream'
  if (method === 'generateContent') return 'generate'
  if (method === 'batchEmbedContents') return 'embed'
  throw new Error(`google wire kit: unexpected method ${method} (${url})`)
}

/**
 * A wire kit that answers like generativelanguage.googleapis.com: `POST /v1beta/models/{model}:generateContent`,
 * `:streamGenerateContent?alt=sse` (SSE `data:` frames of `GenerateContentResponse`),
 * `:batchEmbedContents` and `GET /v1beta/models`, with Google's error bodies; the key is read from
 * `x-goog-api-key`.
 */
export function createGoogleWireKit(options: GoogleWireKitOptions = {}): WireKit {
  return defineWireKit<string>({
    name: 'google',
    defaults: {
      baseURL: 'https://generativelanguage.modelplex.test',
      apiKey: 'AIzaSy-modelplex-test-0123456789abcdef',
      models: { chat: 'gemini-3.8-flash', embedding: 'gemini-embedding-001' },
    },
    options,
    apiKey: [{ header: 'x-goog-api-key' }],
    // Google advertises the wait in the 429's RetryInfo (see googleErrorPayload), not in a header.
    retryAfter: 'none',
    errors: ERROR_RULES,
    malformedContentType: 'application/json; charset=UTF-8',
    routes: [
      {
        method: 'post',
        path: `/${API_VERSION}/models/*`,
        operation: (_body, request) => operationOf(request.url),
      },
      { method: 'get', path: `/${API_VERSION}/models`, operation: 'listModels' },
    ],
    read: readGoogleRequest,
    metadata: { generate: EXPECTED_METADATA, stream: EXPECTED_METADATA },
    v2: {
      reasoningOptions: { thinkingConfig: { includeThoughts: true } },
      // Gemini: return every part with the thought signature it came with.
      reasoningReturn: 'signed',
      // No breakpoints on Gemini: a prompt prefix is cached explicitly (cachedContents) or implicitly.
      cacheWrites: false,
    },
    generate: (reply, { model }) => generateResponse(reply, model),
    stream: { framing: googleFraming, open: (reply, { model }) => googleStream(reply, model) },
    embed: (reply) => ({
      embeddings: reply.vectors.map((values) => ({ values })),
      usageMetadata: {
        promptTokenCount: reply.usage.inputTokens,
        promptTokenDetails: [{ modality: 'TEXT', tokenCount: reply.usage.inputTokens }],
      },
    }),
    models: (reply) => ({
      models: reply.ids.map((id) => ({
        name: `models/${id}`,
        version: '001',
        displayName: id,
        inputTokenLimit: 1_048_576,
        outputTokenLimit: 65_536,
        supportedGenerationMethods: ['generateContent', 'countTokens'],
      })),
    }),
  })
}

/** The default kit of `@modelplex/provider-google`, used by its conformance test. */
export const kit: WireKit = createGoogleWireKit()
