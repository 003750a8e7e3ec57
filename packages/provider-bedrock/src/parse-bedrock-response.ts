import type { ConverseCommandOutput, TokenUsage } from '@aws-sdk/client-bedrock-runtime'
import { type FinishReason, MalformedResponseError, type Usage } from '@modelplex/core'
import {
  type AdapterContentPart,
  type AdapterGenerateResult,
  type AdapterToolCall,
  assembleResult,
  bytesToBase64,
  type VendorMetadata,
} from '@modelplex/core/adapter'

const FINISH_REASONS: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool-calls',
  guardrail_intervened: 'content-filter',
  content_filtered: 'content-filter',
  malformed_model_output: 'error',
  malformed_tool_use: 'error',
}

/** Maps Converse's `stopReason` to the core finish reason. */
export function mapBedrockStopReason(stopReason: string | undefined): FinishReason {
  return (stopReason && FINISH_REASONS[stopReason]) || 'other'
}

/**
 * Normalizes Converse usage. Bedrock counts cache reads and writes apart from `inputTokens`
 * (as Anthropic does); core's `inputTokens` holds them all, with the cached share beside it.
 * `cacheDetails` splits the writes by lifetime (1h and 5m).
 */
export function convertBedrockUsage(usage: TokenUsage | undefined): Usage | undefined {
  if (!usage) return undefined
  const cacheRead = usage.cacheReadInputTokens
  const cacheWrite = usage.cacheWriteInputTokens
  const inputTokens = (usage.inputTokens ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0)
  const outputTokens = usage.outputTokens ?? 0
  const hour = usage.cacheDetails?.find((detail) => detail.ttl === '1h')?.inputTokens
  return {
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    ...(cacheRead !== undefined ? { cachedInputTokens: cacheRead } : {}),
    ...(cacheWrite !== undefined ? { cacheWriteInputTokens: cacheWrite } : {}),
    ...(hour !== undefined ? { cacheWrite1hInputTokens: hour } : {}),
  }
}

/** Response fields beyond the common result, as `providerMetadata.bedrock` carries them. */
const METADATA_FIELDS = [
  'metrics',
  'trace',
  'performanceConfig',
  'serviceTier',
  'additionalModelResponseFields',
] as const

/** What a Converse response or ConverseStream `metadata` event sent beyond the common result. */
export function bedrockMetadata(source: Record<string, unknown> | undefined): VendorMetadata | undefined {
  if (!source) return undefined
  const metadata: VendorMetadata = {}
  for (const field of METADATA_FIELDS) if (source[field] !== undefined) metadata[field] = source[field]
  const details = (source.usage as TokenUsage | undefined)?.cacheDetails
  if (details?.length) metadata.cacheDetails = details
  return Object.keys(metadata).length > 0 ? metadata : undefined
}

/** The metadata with the answer's citations added, when it had any. */
export function withCitations(
  metadata: VendorMetadata | undefined,
  citations: unknown[],
): VendorMetadata | undefined {
  return citations.length > 0 ? { ...metadata, citations } : metadata
}

/** Reads a Converse response into the core result; a response without a message is malformed. */
export function parseBedrockResponse(
  response: ConverseCommandOutput,
  model: string,
  name = 'Amazon Bedrock',
): AdapterGenerateResult {
  const message = response?.output?.message
  if (!message || !Array.isArray(message.content)) {
    throw new MalformedResponseError(`${name}: the Converse response holds no output message`, {
      provider: 'bedrock',
      model,
    })
  }
  const content: AdapterContentPart[] = []
  const toolCalls: AdapterToolCall[] = []
  let text = ''
  let reasoning = ''
  const citations: unknown[] = []
  for (const block of message.content) {
    if (typeof block.text === 'string') {
      text += block.text
      content.push({ type: 'text', text: block.text })
    } else if (block.toolUse) {
      const input = block.toolUse.input ?? {}
      const toolCall: AdapterToolCall = {
        toolCallId: block.toolUse.toolUseId ?? '',
        toolName: block.toolUse.name ?? '',
        input,
        // Converse returns the arguments parsed; their JSON text stands in for the raw string.
        rawInput: JSON.stringify(input),
      }
      toolCalls.push(toolCall)
      content.push({ type: 'tool-call', ...toolCall })
    } else if (block.citationsContent) {
      // A cited answer (documents sent with `citations: { enabled: true }`): its text, the citations apart.
      const cited = (block.citationsContent.content ?? []).map((part) => part.text ?? '').join('')
      text += cited
      if (cited) content.push({ type: 'text', text: cited })
      citations.push(...(block.citationsContent.citations ?? []))
    } else if (block.reasoningContent?.reasoningText) {
      const { text: thought = '', signature } = block.reasoningContent.reasoningText
      reasoning += thought
      content.push({
        type: 'reasoning',
        text: thought,
        ...(signature !== undefined ? { providerMetadata: { signature } } : {}),
      })
    } else if (block.reasoningContent?.redactedContent) {
      // Encrypted reasoning: no text, the bytes go back as they came.
      content.push({
        type: 'reasoning',
        text: '',
        providerMetadata: { redactedData: bytesToBase64(block.reasoningContent.redactedContent) },
      })
    }
  }
  return assembleResult({
    text,
    reasoning: reasoning || undefined,
    content,
    toolCalls,
    providerMetadata: withCitations(
      bedrockMetadata(response as unknown as Record<string, unknown>),
      citations,
    ),
    finishReason: mapBedrockStopReason(response.stopReason),
    rawFinishReason: response.stopReason,
    usage: convertBedrockUsage(response.usage),
    model,
    id: response.$metadata?.requestId,
    raw: response,
  })
}
