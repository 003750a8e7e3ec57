import {
  ContentFilterError,
  type FinishReason,
  type MalformedResponseError,
  type ModelInfo,
  type Usage,
} from '@modelplex/core'
import type {
  AdapterContentPart,
  AdapterEmbedResult,
  AdapterGenerateResult,
  AdapterToolCall,
  VendorMetadata,
} from '@modelplex/core/adapter'
import { assembleResult, malformedResponse } from '@modelplex/core/adapter'

/** Gemini's `usageMetadata` (the fields modelplex reads). */
export interface GoogleUsageMetadata {
  promptTokenCount?: number
  candidatesTokenCount?: number
  totalTokenCount?: number
  cachedContentTokenCount?: number
  thoughtsTokenCount?: number
  toolUsePromptTokenCount?: number
}

/** Where parsing reports to: the names on errors. */
export interface ParseContext {
  provider: string
  name: string
  model: string
}

const CONTENT_FILTER = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
])
// The model tried to call a tool and failed: an error of the answer, not a normal stop.
const TOOL_FAILURE = new Set([
  'MALFORMED_FUNCTION_CALL',
  'UNEXPECTED_TOOL_CALL',
  'TOO_MANY_TOOL_CALLS',
  'MISSING_THOUGHT_SIGNATURE',
])

/** Maps Gemini's `finishReason`; `STOP` with function calls in the answer is `tool-calls`. */
export function mapGoogleFinishReason(raw: string | undefined, hasToolCalls: boolean): FinishReason {
  if (raw === 'STOP') return hasToolCalls ? 'tool-calls' : 'stop'
  if (raw === 'MAX_TOKENS') return 'length'
  if (raw && CONTENT_FILTER.has(raw)) return 'content-filter'
  if (raw && TOOL_FAILURE.has(raw)) return 'error'
  return 'other'
}

/**
 * Normalizes Gemini usage. `candidatesTokenCount` excludes thinking tokens, which Google bills at
 * the output rate, so `outputTokens` adds `thoughtsTokenCount` (also reported as `reasoningTokens`);
 * `inputTokens` adds the tool-use prompt. `promptTokenCount` already includes the cached tokens.
 */
export function convertGoogleUsage(usage: GoogleUsageMetadata | undefined | null): Usage | undefined {
  if (!usage || typeof usage !== 'object') return undefined
  const thoughts = usage.thoughtsTokenCount ?? 0
  const inputTokens = (usage.promptTokenCount ?? 0) + (usage.toolUsePromptTokenCount ?? 0)
  const outputTokens = (usage.candidatesTokenCount ?? 0) + thoughts
  const result: Usage = {
    inputTokens,
    outputTokens,
    totalTokens: usage.totalTokenCount ?? inputTokens + outputTokens,
  }
  if (usage.cachedContentTokenCount) result.cachedInputTokens = usage.cachedContentTokenCount
  if (thoughts) result.reasoningTokens = thoughts
  return result
}

/** `modelVersion` without the `models/` prefix Gemini sometimes puts on it. */
export function modelOf(modelVersion: unknown): string | undefined {
  return typeof modelVersion === 'string' && modelVersion
    ? modelVersion.replace(/^.*models\//, '')
    : undefined
}

/**
 * The id of a function call: Gemini's own when it sent one, else one derived from the response id
 * and the call's position, so a generate and a stream of the same answer name their calls alike.
 */
export function toolCallIdOf(call: { id?: unknown }, responseId: string | undefined, index: number): string {
  if (typeof call.id === 'string' && call.id) return call.id
  return responseId ? `call_${responseId}_${index}` : `call_${index}`
}

/** What goes back with a part: the `thoughtSignature` Gemini put on it, byte for byte. */
export function signatureMetadata(part: { thoughtSignature?: unknown }): VendorMetadata | undefined {
  return typeof part.thoughtSignature === 'string' ? { thoughtSignature: part.thoughtSignature } : undefined
}

/** A `functionCall` part as a core tool call, with the part's thought signature as its metadata. */
export function toToolCall(
  call: { name?: unknown; args?: unknown },
  toolCallId: string,
  part: { thoughtSignature?: unknown } = {},
): AdapterToolCall {
  const input = call.args && typeof call.args === 'object' ? call.args : {}
  const providerMetadata = signatureMetadata(part)
  return {
    toolCallId,
    toolName: String(call.name ?? ''),
    input,
    rawInput: JSON.stringify(input),
    ...(providerMetadata ? { providerMetadata } : {}),
  }
}

/** The `usageMetadata` breakdowns beyond the common usage: tokens per modality, cache and tool-use prompt. */
const USAGE_DETAILS = [
  'promptTokensDetails',
  'candidatesTokensDetails',
  'cacheTokensDetails',
  'toolUsePromptTokensDetails',
  'trafficType',
] as const

/** What a candidate carries beyond its content (ai.google.dev/api/generate-content#candidate). */
const CANDIDATE_EXTRAS = [
  'groundingMetadata',
  'urlContextMetadata',
  'citationMetadata',
  'safetyRatings',
  'avgLogprobs',
  'logprobsResult',
  'finishMessage',
] as const

/**
 * Gemini's extras as `providerMetadata.google`: `modelVersion`, `responseId`, the per-modality and
 * cache token breakdowns of `usageMetadata`, and the candidate's grounding, URL context, citations,
 * safety ratings and log probabilities; `codeExecution` lists the `executableCode` and
 * `codeExecutionResult` parts of Gemini's own code-execution tool, which are no client tool calls.
 * Keys Gemini did not send are absent.
 */
export function googleMetadata(
  response: any,
  candidate: any,
  codeExecution?: unknown[],
): VendorMetadata | undefined {
  const metadata: VendorMetadata = {}
  if (codeExecution?.length) metadata.codeExecution = codeExecution
  if (typeof response?.modelVersion === 'string') metadata.modelVersion = response.modelVersion
  if (typeof response?.responseId === 'string') metadata.responseId = response.responseId
  const usage = response?.usageMetadata
  if (usage && typeof usage === 'object') {
    for (const key of USAGE_DETAILS) if (usage[key] !== undefined) metadata[key] = usage[key]
  }
  if (candidate && typeof candidate === 'object') {
    for (const key of CANDIDATE_EXTRAS) if (candidate[key] !== undefined) metadata[key] = candidate[key]
  }
  return Object.keys(metadata).length > 0 ? metadata : undefined
}

/** A prompt blocked before any candidate was produced: `promptFeedback.blockReason`. */
export function blockedPromptError(response: any, context: ParseContext): ContentFilterError | undefined {
  const reason = response?.promptFeedback?.blockReason
  if (!reason || response?.candidates?.length) return undefined
  const detail = response.promptFeedback.blockReasonMessage
  return new ContentFilterError(
    `${context.name}: the prompt was blocked (${reason})${detail ? `: ${detail}` : ''}`,
    { provider: context.provider, model: context.model, code: String(reason) },
  )
}

function malformed(context: ParseContext, what: string): MalformedResponseError {
  return malformedResponse(`${context.name}: ${what}`, { provider: context.provider, model: context.model })
}

/** Reads a `GenerateContentResponse` (its first candidate) into the adapter's result. */
export function parseGoogleResponse(response: any, context: ParseContext): AdapterGenerateResult {
  if (!response || typeof response !== 'object') throw malformed(context, 'the response is not a JSON object')
  const blocked = blockedPromptError(response, context)
  if (blocked) throw blocked
  const candidate = Array.isArray(response.candidates) ? response.candidates[0] : undefined
  if (!candidate || typeof candidate !== 'object') {
    throw malformed(context, 'the response holds no candidate and no prompt feedback')
  }
  const responseId = typeof response.responseId === 'string' ? response.responseId : undefined
  const model = modelOf(response.modelVersion)
  let text = ''
  let reasoning = ''
  const toolCalls: AdapterToolCall[] = []
  // One content part per Gemini part, in Gemini's order: a part's signature stays on that part.
  const content: AdapterContentPart[] = []
  let codeExecution: unknown[] | undefined
  for (const part of candidate.content?.parts ?? []) {
    if (!part || typeof part !== 'object') continue
    if (part.executableCode || part.codeExecutionResult) {
      codeExecution ??= []
      codeExecution.push(part)
    } else if (part.functionCall) {
      const toolCallId = toolCallIdOf(part.functionCall, responseId, toolCalls.length)
      const call = toToolCall(part.functionCall, toolCallId, part)
      toolCalls.push(call)
      content.push({ type: 'tool-call', ...call })
    } else if (typeof part.text === 'string') {
      const providerMetadata = signatureMetadata(part)
      // An empty part that holds only a signature is kept: Gemini wants it back.
      if (part.text === '' && !providerMetadata) continue
      if (part.thought) reasoning += part.text
      else text += part.text
      content.push({
        type: part.thought ? 'reasoning' : 'text',
        text: part.text,
        ...(providerMetadata ? { providerMetadata } : {}),
      })
    }
  }
  const rawFinishReason = typeof candidate.finishReason === 'string' ? candidate.finishReason : undefined
  return assembleResult({
    text,
    reasoning,
    toolCalls,
    content,
    providerMetadata: googleMetadata(response, candidate, codeExecution),
    finishReason: mapGoogleFinishReason(rawFinishReason, toolCalls.length > 0),
    rawFinishReason,
    usage: convertGoogleUsage(response.usageMetadata),
    model,
    id: responseId,
    raw: response,
  })
}

/**
 * Reads an `EmbedContentResponse`. Usage is `promptTokenCount` of the raw body's `usageMetadata`
 * (which the SDK drops, so the adapter reads it off the wire) or, on Vertex AI, the sum of each
 * embedding's `statistics.tokenCount`.
 */
export function parseGoogleEmbeddings(
  response: any,
  promptTokenCount: number | undefined,
  context: ParseContext,
): AdapterEmbedResult {
  const embeddings = response?.embeddings
  if (!Array.isArray(embeddings) || embeddings.some((entry) => !Array.isArray(entry?.values))) {
    throw malformed(context, 'the embeddings response holds no list of vectors')
  }
  let inputTokens = promptTokenCount
  if (inputTokens === undefined && embeddings.some((entry) => entry.statistics?.tokenCount !== undefined)) {
    inputTokens = embeddings.reduce((sum, entry) => sum + (entry.statistics?.tokenCount ?? 0), 0)
  }
  return {
    embeddings: embeddings.map((entry) => entry.values as number[]),
    usage: inputTokens === undefined ? undefined : { inputTokens },
    model: undefined,
    raw: response,
  }
}

/** Reads a `Model` of `models.list`; the id is the name without its `models/` prefix. */
export function parseGoogleModel(model: any): ModelInfo | undefined {
  const id = modelOf(model?.name)
  if (!id) return undefined
  return {
    id,
    ownedBy: 'google',
    ...(typeof model.inputTokenLimit === 'number' ? { contextWindow: model.inputTokenLimit } : {}),
  }
}
