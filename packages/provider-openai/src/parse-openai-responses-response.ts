import type { FinishReason, Usage } from '@modelplex/core'
import {
  type AdapterContentPart,
  type AdapterGenerateResult,
  type AdapterToolCall,
  assembleResult,
  malformedResponse,
  parseToolInput,
  type VendorMetadata,
} from '@modelplex/core/adapter'

/** The Responses `usage` object (https://platform.openai.com/docs/api-reference/responses/object#responses/object-usage). */
export interface OpenAIResponsesUsagePayload {
  input_tokens?: number
  input_tokens_details?: { cached_tokens?: number } | null
  output_tokens?: number
  output_tokens_details?: { reasoning_tokens?: number } | null
  total_tokens?: number
}

/** Normalizes Responses usage; cache and reasoning counts appear only when the vendor reports some. */
export function convertResponsesUsage(
  usage: OpenAIResponsesUsagePayload | null | undefined,
): Usage | undefined {
  if (!usage || typeof usage !== 'object') return undefined
  const inputTokens = usage.input_tokens ?? 0
  const outputTokens = usage.output_tokens ?? 0
  const result: Usage = {
    inputTokens,
    outputTokens,
    totalTokens: usage.total_tokens ?? inputTokens + outputTokens,
  }
  const cached = usage.input_tokens_details?.cached_tokens
  if (cached) result.cachedInputTokens = cached
  const reasoning = usage.output_tokens_details?.reasoning_tokens
  if (reasoning) result.reasoningTokens = reasoning
  return result
}

/**
 * The finish reason of a response: `incomplete_details.reason` when it stopped early
 * (`max_output_tokens`, `content_filter`), tool calls when it ended on function calls.
 */
export function mapResponsesFinishReason(
  status: string | undefined,
  incompleteReason: string | undefined,
  hasToolCalls: boolean,
): { finishReason: FinishReason; rawFinishReason: string | undefined } {
  if (status === 'incomplete') {
    const raw = incompleteReason ?? 'incomplete'
    const finishReason =
      raw === 'max_output_tokens' ? 'length' : raw === 'content_filter' ? 'content-filter' : 'other'
    return { finishReason, rawFinishReason: raw }
  }
  if (status === 'completed' || status === undefined) {
    return hasToolCalls
      ? { finishReason: 'tool-calls', rawFinishReason: status }
      : { finishReason: 'stop', rawFinishReason: status }
  }
  return { finishReason: 'other', rawFinishReason: status }
}

/** The reasoning parts of one `reasoning` output item: one per summary part, each naming the item. */
export function reasoningParts(item: any): Array<Extract<AdapterContentPart, { type: 'reasoning' }>> {
  const metadata: VendorMetadata = { itemId: item.id }
  if (item.encrypted_content !== undefined) metadata.encryptedContent = item.encrypted_content
  const summary: any[] = Array.isArray(item.summary) ? item.summary : []
  const texts = summary.filter((part) => typeof part?.text === 'string').map((part) => part.text as string)
  if (texts.length === 0) return [{ type: 'reasoning', text: '', providerMetadata: metadata }]
  return texts.map((text) => ({ type: 'reasoning', text, providerMetadata: metadata }))
}

/** What the response said beyond the common result: id, status, service tier, annotations, logprobs. */
export function responseMetadata(response: any, annotations: unknown[], logprobs: unknown[]): VendorMetadata {
  const metadata: VendorMetadata = {}
  if (response.id !== undefined) metadata.responseId = response.id
  if (response.status !== undefined) metadata.status = response.status
  if (response.service_tier) metadata.serviceTier = response.service_tier
  if (annotations.length > 0) metadata.annotations = annotations
  if (logprobs.length > 0) metadata.logprobs = logprobs
  const incomplete = response.incomplete_details?.reason
  if (incomplete) metadata.incompleteReason = incomplete
  return metadata
}

/** Reads a Responses `response` object into the adapter's result, parts in the order of `output`. */
export function parseResponsesResponse(
  response: any,
  provider = 'OpenAI',
  providerId = 'openai',
): AdapterGenerateResult {
  if (!response || typeof response !== 'object' || !Array.isArray(response.output)) {
    throw malformedResponse(`${provider}: the response is not a Responses object (no output list)`, {
      provider: providerId,
      raw: response,
    })
  }
  const content: AdapterContentPart[] = []
  const toolCalls: AdapterToolCall[] = []
  const annotations: unknown[] = []
  const logprobs: unknown[] = []
  let text = ''
  let reasoning = ''
  for (const item of response.output) {
    switch (item?.type) {
      case 'message':
        for (const part of item.content ?? []) {
          if (part?.type === 'output_text' && typeof part.text === 'string') {
            text += part.text
            if (part.text) content.push({ type: 'text', text: part.text })
            if (Array.isArray(part.annotations)) annotations.push(...part.annotations)
            if (Array.isArray(part.logprobs)) logprobs.push(...part.logprobs)
          } else if (part?.type === 'refusal' && typeof part.refusal === 'string') {
            text += part.refusal
            content.push({ type: 'text', text: part.refusal })
          }
        }
        break
      case 'reasoning':
        for (const part of reasoningParts(item)) {
          content.push(part)
          if (part.text) reasoning = reasoning ? `${reasoning}\n\n${part.text}` : part.text
        }
        break
      case 'function_call': {
        const rawInput = typeof item.arguments === 'string' ? item.arguments : ''
        const call: AdapterToolCall = {
          toolCallId: item.call_id,
          toolName: item.name,
          input: parseToolInput(rawInput),
          rawInput,
        }
        toolCalls.push(call)
        content.push({ type: 'tool-call', ...call })
        break
      }
    }
  }
  const { finishReason, rawFinishReason } = mapResponsesFinishReason(
    response.status,
    response.incomplete_details?.reason,
    toolCalls.length > 0,
  )
  return assembleResult({
    text,
    reasoning: reasoning || undefined,
    toolCalls,
    content,
    providerMetadata: responseMetadata(response, annotations, logprobs),
    finishReason,
    rawFinishReason,
    usage: convertResponsesUsage(response.usage),
    model: response.model,
    id: response.id,
    raw: response,
  })
}
