import {
  errorResponse,
  hangUntilAborted,
  headersOf,
  resetResponse,
  streamBody,
  type WireErrorKind,
  type WireFinishReason,
  type WireKit,
  type WireReply,
  type WireRequestView,
  type WireUsage,
} from '@modelplex/conformance'
import { type HttpHandler, HttpResponse, http } from 'msw'
import contextWindow from './__fixtures__/error-400-context-window.json' with { type: 'json' }
import invalidArgument from './__fixtures__/error-400-invalid-argument.json' with { type: 'json' }
import unauthenticated from './__fixtures__/error-401-unauthenticated.json' with { type: 'json' }
import permissionDenied from './__fixtures__/error-403-permission-denied.json' with { type: 'json' }
import notFound from './__fixtures__/error-404-not-found.json' with { type: 'json' }
import resourceExhausted from './__fixtures__/error-429-resource-exhausted.json' with { type: 'json' }
import internal from './__fixtures__/error-500-internal.json' with { type: 'json' }
import unavailable from './__fixtures__/error-503-unavailable.json' with { type: 'json' }
import blockedPrompt from './__fixtures__/generate-content-blocked-prompt.json' with { type: 'json' }

/** Options of the Gemini wire kit. */
export interface GoogleWireKitOptions {
  /** Base URL the provider is pointed at (the SDK appends `/v1beta/...`). */
  baseURL?: string
  apiKey?: string
  models?: { chat: string; embedding?: string }
  /** Extra provider settings beside `apiKey` and `baseURL`. */
  settings?: Record<string, unknown>
}

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

function usageMetadata(usage: WireUsage) {
  return {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount: usage.outputTokens,
    totalTokenCount: usage.inputTokens + usage.outputTokens,
    ...(usage.cachedInputTokens ? { cachedContentTokenCount: usage.cachedInputTokens } : {}),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: usage.inputTokens }],
  }
}

function textOf(parts: unknown): string {
  if (!Array.isArray(parts)) return ''
  return parts.map((part) => (typeof part?.text === 'string' && !part.thought ? part.text : '')).join('')
}

/** The model id of a `models/{model}:{method}` path, and the method. */
function route(url: string): { model: string | undefined; method: string | undefined } {
  const path = decodeURIComponent(new URL(url).pathname)
  const match = /\/models\/([^/:]+):([A-Za-z]+)$/.exec(path)
  return { model: match?.[1], method: match?.[2] }
}

/** Reads a Gemini request (generate, stream, batch embeddings, model list) back into the suite's view. */
export function readGoogleRequest(
  request: Request,
  body: any,
  operation: WireRequestView['operation'],
): WireRequestView {
  const headers = headersOf(request)
  const view: WireRequestView = {
    operation,
    url: request.url,
    headers,
    apiKey: headers['x-goog-api-key'],
    model: route(request.url).model,
    system: undefined,
    messages: [],
    body,
  }
  if (operation === 'listModels') return view
  if (operation === 'embed') {
    const requests: any[] = Array.isArray(body?.requests) ? body.requests : []
    view.embedInput = requests.map((entry) => textOf(entry?.content?.parts))
    const dimensions = requests[0]?.outputDimensionality
    if (dimensions !== undefined) view.dimensions = dimensions
    return view
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
    const images = parts.filter((part) => part?.inlineData || part?.fileData).length
    if (images > 0) entry.images = images
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
  return view
}

function parseArguments(json: string): Record<string, unknown> {
  return json.trim() === '' ? {} : JSON.parse(json)
}

/** A `GenerateContentResponse` for a scripted answer. */
function generateResponse(reply: Extract<WireReply, { type: 'generate' }>, model: string) {
  const parts: Array<Record<string, unknown>> = []
  if (reply.text) parts.push({ text: reply.text })
  for (const call of reply.toolCalls ?? []) {
    parts.push({ functionCall: { id: call.id, name: call.name, args: parseArguments(call.arguments) } })
  }
  const candidate: Record<string, unknown> = { finishReason: FINISH_REASONS[reply.finishReason], index: 0 }
  // A candidate stopped by the safety filter may carry no content at all.
  if (parts.length > 0) candidate.content = { parts, role: 'model' }
  if (reply.finishReason === 'content-filter') candidate.safetyRatings = BLOCKING_RATINGS
  return {
    candidates: [candidate],
    usageMetadata: usageMetadata(reply.usage),
    modelVersion: reply.model ?? model,
    responseId: reply.id ?? 'modelplex-response-1',
  }
}

/** One SSE event as Gemini writes it: a `data:` line of compact JSON, then a blank CRLF line. */
function frame(value: unknown): string {
  return `data: ${JSON.stringify(value)}\r\n\r\n`
}

interface StreamFrame {
  text: string
  /** Index of the last scripted part this frame carries. */
  lastPart: number
}

/**
 * The frames of a scripted stream. Gemini sends function calls whole, so the argument slices of one
 * call are joined and sent in one chunk once the call is complete; a cut before that loses the call.
 */
function streamFrames(reply: Extract<WireReply, { type: 'stream' }>, model: string): StreamFrame[] {
  const responseId = 'modelplex-stream-1'
  const running = (outputTokens: number) => ({
    promptTokenCount: reply.usage.inputTokens,
    candidatesTokenCount: outputTokens,
    totalTokenCount: reply.usage.inputTokens + outputTokens,
  })
  const chunk = (parts: Array<Record<string, unknown>>, index: number) =>
    frame({
      candidates: [{ content: { parts, role: 'model' }, index: 0 }],
      usageMetadata: running(Math.min(index + 1, reply.usage.outputTokens)),
      modelVersion: model,
      responseId,
    })
  const frames: StreamFrame[] = []
  const parts = reply.errorAfter ? reply.parts.slice(0, reply.errorAfter.parts) : reply.parts
  let call: { index: number; id?: string; name?: string; args: string } | undefined
  const flushCall = (lastPart: number) => {
    if (!call) return
    const functionCall = {
      ...(call.id ? { id: call.id } : {}),
      name: call.name,
      args: parseArguments(call.args),
    }
    frames.push({ text: chunk([{ functionCall }], lastPart), lastPart })
    call = undefined
  }
  parts.forEach((part, index) => {
    if (part.type === 'tool-call') {
      if (call && call.index !== part.index) flushCall(index - 1)
      call ??= { index: part.index, args: '' }
      if (part.id !== undefined) call.id = part.id
      if (part.name !== undefined) call.name = part.name
      call.args += part.argumentsDelta
      return
    }
    flushCall(index - 1)
    const wirePart = part.type === 'reasoning' ? { text: part.text, thought: true } : { text: part.text }
    frames.push({ text: chunk([wirePart], index), lastPart: index })
  })
  flushCall(parts.length - 1)
  if (reply.errorAfter) {
    // Gemini reports a failure mid-stream as a data frame holding Google's error object, then closes.
    const kind = reply.errorAfter.kind === 'content-filter' ? 'server' : reply.errorAfter.kind
    frames.push({ text: frame(googleErrorPayload(kind).body), lastPart: parts.length })
    return frames
  }
  frames.push({
    text: frame({
      candidates: [
        {
          content: { parts: [{ text: '' }], role: 'model' },
          finishReason: FINISH_REASONS[reply.finishReason],
          index: 0,
        },
      ],
      usageMetadata: usageMetadata(reply.usage),
      modelVersion: model,
      responseId,
    }),
    lastPart: parts.length,
  })
  return frames
}

function sse(pieces: string[], options: { cutAfter?: number; chunkBytes?: number } = {}): Response {
  return new Response(streamBody(pieces, options), {
    status: 200,
    headers: { 'content-type': 'text/event-stream', 'content-disposition': 'attachment' },
  })
}

/**
 * A wire kit that answers like generativelanguage.googleapis.com: `POST /v1beta/models/{model}:generateContent`,
 * `:streamGenerateContent?alt=sse` (SSE `data:` frames of `GenerateContentResponse`),
 * `:batchEmbedContents` and `GET /v1beta/models`, with Google's error bodies; the key is read from
 * `x-goog-api-key`.
 */
export function createGoogleWireKit(options: GoogleWireKitOptions = {}): WireKit {
  const baseURL = (options.baseURL ?? 'https://generativelanguage.modelplex.test').replace(/\/$/, '')
  const apiKey = options.apiKey ?? 'AIzaSy-modelplex-test-0123456789abcdef'
  const models = options.models ?? { chat: 'gemini-3.8-flash', embedding: 'gemini-embedding-001' }

  /** The replies every endpoint shares: errors, resets, hangs, malformed bodies. */
  async function common(
    reply: WireReply,
    request: Request,
    view: WireRequestView,
  ): Promise<Response | undefined> {
    switch (reply.type) {
      case 'error': {
        if (reply.kind === 'content-filter') {
          return view.operation === 'stream' ? sse([frame(blockedPrompt)]) : HttpResponse.json(blockedPrompt)
        }
        const payload = googleErrorPayload(reply.kind, reply.retryAfterMs)
        return errorResponse(payload.status, payload.body)
      }
      case 'reset':
        return resetResponse()
      case 'hang':
        return hangUntilAborted(request)
      case 'malformed':
        // A proxy's error page served with a 200: the body does not parse.
        if (view.operation === 'stream') return sse(['data: <html>Bad gateway</html>\r\n\r\n'])
        return new HttpResponse('<html><body>Bad gateway</body></html>', {
          status: 200,
          headers: { 'content-type': 'application/json; charset=UTF-8' },
        })
      default:
        return undefined
    }
  }

  function mismatch(reply: WireReply, view: WireRequestView): never {
    throw new Error(`google wire kit: reply "${reply.type}" does not answer a ${view.operation} request`)
  }

  return {
    settings: { apiKey, baseURL, ...options.settings },
    apiKey,
    baseURL,
    models,
    handlers(serve, base = baseURL): HttpHandler[] {
      const root = `${base.replace(/\/$/, '')}/${API_VERSION}`
      return [
        http.post(`${root}/models/*`, async ({ request }) => {
          const { method } = route(request.url)
          const body = (await request.json()) as any
          const operation =
            method === 'streamGenerateContent'
              ? 'stream'
              : method === 'generateContent'
                ? 'generate'
                : 'embed'
          if (operation === 'embed' && method !== 'batchEmbedContents') {
            throw new Error(`google wire kit: unexpected method ${method} (${request.url})`)
          }
          const view = readGoogleRequest(request, body, operation)
          const reply = await serve(view)
          const shared = await common(reply, request, view)
          if (shared) return shared
          const model = view.model ?? models.chat
          if (operation === 'generate') {
            if (reply.type !== 'generate') return mismatch(reply, view)
            return HttpResponse.json(generateResponse(reply, model))
          }
          if (operation === 'stream') {
            if (reply.type !== 'stream') return mismatch(reply, view)
            const frames = streamFrames(reply, reply.model ?? model)
            const sent =
              reply.cutAfter === undefined
                ? frames
                : frames.filter((entry) => entry.lastPart < reply.cutAfter!)
            return sse(
              sent.map((entry) => entry.text),
              {
                ...(reply.cutAfter !== undefined ? { cutAfter: sent.length } : {}),
                ...(reply.chunkBytes !== undefined ? { chunkBytes: reply.chunkBytes } : {}),
              },
            )
          }
          if (reply.type !== 'embed') return mismatch(reply, view)
          return HttpResponse.json({
            embeddings: reply.vectors.map((values) => ({ values })),
            usageMetadata: {
              promptTokenCount: reply.usage.inputTokens,
              promptTokenDetails: [{ modality: 'TEXT', tokenCount: reply.usage.inputTokens }],
            },
          })
        }),
        http.get(`${root}/models`, async ({ request }) => {
          const view = readGoogleRequest(request, undefined, 'listModels')
          const reply = await serve(view)
          const shared = await common(reply, request, view)
          if (shared) return shared
          if (reply.type !== 'models') return mismatch(reply, view)
          return HttpResponse.json({
            models: reply.ids.map((id) => ({
              name: `models/${id}`,
              version: '001',
              displayName: id,
              inputTokenLimit: 1_048_576,
              outputTokenLimit: 65_536,
              supportedGenerationMethods: ['generateContent', 'countTokens'],
            })),
          })
        }),
      ]
    },
  }
}

/** The default kit of `@modelplex/provider-google`, used by its conformance test. */
export const kit: WireKit = createGoogleWireKit()
