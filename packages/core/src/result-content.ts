// Turns what an adapter read (parts with unkeyed vendor metadata) into what the user gets: parts
// whose metadata is filed under the provider's id, and the assistant message to send back.
import type { AdapterContentPart, AdapterToolCall, VendorMetadata } from './provider-spec.js'
import type { ContentPart, ResultMessage, ToolCall } from './result-types.js'

/** `{ [provider]: metadata }`, or undefined when there is none. */
export function keyMetadata(
  provider: string,
  metadata: VendorMetadata | undefined,
): Record<string, Record<string, unknown>> | undefined {
  return metadata === undefined ? undefined : { [provider]: metadata }
}

/** A tool call with its metadata filed under the provider. */
export function keyToolCall(provider: string, call: AdapterToolCall): ToolCall {
  if (call.providerMetadata === undefined) return call as ToolCall
  return { ...call, providerMetadata: { [provider]: call.providerMetadata } }
}

/**
 * The user's content parts. Every reasoning part carries `providerMetadata[provider]` (`{}` when
 * the vendor sent nothing), which marks where it came from: a provider sends back only its own.
 */
export function keyContent(provider: string, parts: readonly AdapterContentPart[]): ContentPart[] {
  const out: ContentPart[] = new Array(parts.length)
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!
    if (part.type === 'reasoning') {
      out[index] = {
        type: 'reasoning',
        text: part.text,
        providerMetadata: { [provider]: part.providerMetadata ?? {} },
      }
    } else if (part.type === 'tool-call') {
      out[index] = { type: 'tool-call', ...keyToolCall(provider, part) }
    } else {
      out[index] =
        part.providerMetadata === undefined
          ? (part as ContentPart)
          : { type: 'text', text: part.text, providerMetadata: { [provider]: part.providerMetadata } }
    }
  }
  return out
}

/** The assistant message that holds `content`, as the next request takes it back. */
export function resultMessages(content: readonly ContentPart[]): ResultMessage[] {
  const parts: ResultMessage['content'] = new Array(content.length)
  for (let index = 0; index < content.length; index++) {
    const part = content[index]!
    if (part.type === 'tool-call') {
      const { toolCallId, toolName, input, providerMetadata } = part
      parts[index] = providerMetadata
        ? { type: 'tool-call', toolCallId, toolName, input, providerMetadata }
        : { type: 'tool-call', toolCallId, toolName, input }
    } else {
      parts[index] = part
    }
  }
  return [{ role: 'assistant', content: parts }]
}
