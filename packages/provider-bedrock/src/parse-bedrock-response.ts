import type { ConverseCommandOutput, TokenUsage } from '@aws-sdk/client-bedrock-runtime'
import {
  type ContentPart,
  type FinishReason,
  MalformedResponseError,
  type ToolCall,
  type Usage,
} from '@modelplex/core'
import type { AdapterGenerateResult } from '@modelplex/core/adapter'

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
 */
export function convertBedrockUsage(usage: TokenUsage | undefined): Usage | undefined {
  if (!usage) return undefined
  const cacheRead = usage.cacheReadInputTokens
  const cacheWrite = usage.cacheWriteInputTokens
  const inputTokens = (usage.inputTokens ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0)
  const outputTokens = usage.outputTokens ?? 0
  return {
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    ...(cacheRead !== undefined ? { cachedInputTokens: cacheRead } : {}),
    ...(cacheWrite !== undefined ? { cacheWriteInputTokens: cacheWrite } : {}),
  }
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
  const content: ContentPart[] = []
  const toolCalls: ToolCall[] = []
  let text = ''
  let reasoning = ''
  for (const block of message.content) {
    if (typeof block.text === 'string') {
      text += block.text
      content.push({ type: 'text', text: block.text })
    } else if (block.toolUse) {
      const input = block.toolUse.input ?? {}
      const toolCall: ToolCall = {
        toolCallId: block.toolUse.toolUseId ?? '',
        toolName: block.toolUse.name ?? '',
        input,
        // Converse returns the arguments parsed; their JSON text stands in for the raw string.
        rawInput: JSON.stringify(input),
      }
      toolCalls.push(toolCall)
      content.push({ type: 'tool-call', ...toolCall })
    } else if (block.reasoningContent?.reasoningText?.text) {
      reasoning += block.reasoningContent.reasoningText.text
      content.push({ type: 'reasoning', text: block.reasoningContent.reasoningText.text })
    }
  }
  return {
    text,
    ...(reasoning ? { reasoning } : {}),
    content,
    toolCalls,
    finishReason: mapBedrockStopReason(response.stopReason),
    rawFinishReason: response.stopReason,
    usage: convertBedrockUsage(response.usage),
    model,
    id: response.$metadata?.requestId,
    raw: response,
  }
}
