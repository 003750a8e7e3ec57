import type { AdapterRequest, CallContext } from '@modelplex/core/adapter'

/** Settings that thinking mode (DeepSeek's default) accepts and ignores. */
const IGNORED_WHILE_THINKING = ['temperature', 'topP', 'presencePenalty', 'frequencyPenalty'] as const

function thinkingDisabled(providerOptions: Record<string, unknown>): boolean {
  const thinking = providerOptions.thinking as { type?: unknown } | undefined
  return thinking?.type === 'disabled'
}

/**
 * DeepSeek's differences from the Chat Completions body: in thinking mode, on by default, an
 * assistant turn that called tools must carry `reasoning_content` back, or DeepSeek answers 400.
 * The translator writes the turn's reasoning parts there (`sendReasoning`); a tool-call turn with
 * none (history from another provider) gets an empty one. And the sampling settings thinking
 * mode ignores are reported as warnings instead of being dropped without a word.
 */
export function convertToDeepSeekRequest(
  body: Record<string, unknown>,
  request: AdapterRequest,
  context: Pick<CallContext, 'warn' | 'providerOptions'>,
): Record<string, unknown> {
  if (thinkingDisabled(context.providerOptions)) return body
  for (const setting of IGNORED_WHILE_THINKING) {
    if (request[setting] !== undefined) {
      context.warn({
        type: 'unsupported-setting',
        setting,
        message: `DeepSeek ignores ${setting} in thinking mode (its default); pass providerOptions.deepseek.thinking = { type: 'disabled' } to use it`,
      })
    }
  }
  const messages = body.messages as Array<Record<string, unknown>>
  if (!messages.some((message) => message.role === 'assistant' && message.tool_calls)) return body
  return {
    ...body,
    messages: messages.map((message) =>
      message.role === 'assistant' && message.tool_calls && message.reasoning_content === undefined
        ? { ...message, reasoning_content: '' }
        : message,
    ),
  }
}
