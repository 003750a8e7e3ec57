import { imagePartUrl, stringifyToolOutput } from './adapter-helpers.js'
import type { AssistantMessage, FilePart, Message } from './types.js'

/** A tool call in the OpenAI Chat Completions shape, which several vendors share. */
export interface ChatToolCallPayload {
  id: string
  type: 'function'
  function: { name: string; arguments: string }
}

/** A text part of a user message, in the shape every chat-style vendor shares. */
export interface ChatTextPart {
  type: 'text'
  text: string
}

/** How one vendor writes the messages whose shape differs between chat-style vendors. */
export interface ChatMessageShape<Out, ImagePartOut> {
  /** A user image, given as one URL (http(s), or a data: URL for base64). */
  image(url: string): ImagePartOut
  /** A user file part (a document, audio); core has already refused the media types the provider does not list. */
  file?(part: FilePart): ImagePartOut
  /**
   * An assistant turn: its joined text, and its tool calls (arguments as JSON text); `message` is
   * the turn as given, for vendors that send back its reasoning parts or read its `providerOptions`.
   */
  assistant(text: string, toolCalls: ChatToolCallPayload[], message: AssistantMessage): Out
  /** One tool result, its output as text. */
  tool(toolCallId: string, content: string): Out
}

/** A system or user message: the same on every chat-style vendor. */
export type ChatCommonMessage<ImagePartOut> =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | Array<ChatTextPart | ImagePartOut> }

/**
 * Converts core messages to a chat-style vendor's (OpenAI Chat Completions and the APIs modelled
 * on it): system and user messages as is (text-only parts joined into one string, which every
 * such server accepts), tool results one message each, assistant turns through `shape`.
 */
export function convertToChatMessages<Out, ImagePartOut>(
  messages: readonly Message[],
  shape: ChatMessageShape<Out, ImagePartOut>,
): Array<Out | ChatCommonMessage<ImagePartOut>> {
  const out: Array<Out | ChatCommonMessage<ImagePartOut>> = []
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        out.push({ role: 'system', content: message.content })
        break
      case 'user': {
        if (typeof message.content === 'string') {
          out.push({ role: 'user', content: message.content })
          break
        }
        if (message.content.every((part) => part.type === 'text')) {
          out.push({
            role: 'user',
            content: message.content.map((part) => (part as ChatTextPart).text).join(''),
          })
          break
        }
        out.push({
          role: 'user',
          content: message.content.map((part) => {
            if (part.type === 'text') return { type: 'text', text: part.text }
            if (part.type === 'image') return shape.image(imagePartUrl(part))
            if (!shape.file)
              throw new TypeError(`file parts (${part.mediaType}) need the vendor's file shape`)
            return shape.file(part)
          }),
        })
        break
      }
      case 'assistant': {
        if (typeof message.content === 'string') {
          out.push(shape.assistant(message.content, [], message))
          break
        }
        let text = ''
        const toolCalls: ChatToolCallPayload[] = []
        for (const part of message.content) {
          if (part.type === 'text') text += part.text
          else if (part.type === 'tool-call') {
            toolCalls.push({
              id: part.toolCallId,
              type: 'function',
              function: {
                name: part.toolName,
                // A string input is the model's raw arguments (not JSON); send it back unchanged.
                arguments: typeof part.input === 'string' ? part.input : JSON.stringify(part.input ?? {}),
              },
            })
          }
        }
        out.push(shape.assistant(text, toolCalls, message))
        break
      }
      case 'tool':
        for (const part of message.content) {
          out.push(shape.tool(part.toolCallId, stringifyToolOutput(part.output)))
        }
        break
    }
  }
  return out
}
