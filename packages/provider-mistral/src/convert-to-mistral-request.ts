// Type-only: erased at build, so importing this module never loads the SDK.
import type {
  AssistantMessage,
  ChatCompletionRequest,
  ContentChunk,
  SystemMessage,
  ToolCall,
  ToolMessage,
  UserMessage,
} from '@mistralai/mistralai/models/components'
import type { FilePart, Message, ToolChoice } from '@modelplex/core'
import type { AdapterRequest, CallContext } from '@modelplex/core/adapter'
import { filePartData, filePartUrl, imagePartUrl, stringifyToolOutput } from '@modelplex/core/adapter'
import type { MistralMessageOptions, MistralReasoningMetadata } from './mistral-provider-options.js'

/** A message as the SDK's `ChatCompletionRequest.messages` takes it. */
export type MistralChatMessage = ChatCompletionRequest['messages'][number]

export interface ConvertOptions {
  stream?: boolean
  /**
   * Rewrites tool call ids that are not 9 letters or digits (Mistral rejects them with code 3280)
   * into a stable 9-character id derived from the original. Default true.
   */
  normalizeToolCallIds?: boolean
}

const MISTRAL_TOOL_CALL_ID = /^[a-zA-Z0-9]{9}$/
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** cyrb53: a fast 53-bit string hash; enough to keep distinct ids of one conversation distinct. */
function hash53(text: string): number {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ code, 2654435761)
    h2 = Math.imul(h2 ^ code, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}

/**
 * The tool call id Mistral accepts: unchanged when it is already 9 letters or digits (every id
 * Mistral itself returns), otherwise 9 base-62 digits of its hash. Deterministic, so an assistant
 * tool call and the tool result answering it get the same id.
 */
export function toMistralToolCallId(id: string): string {
  if (MISTRAL_TOOL_CALL_ID.test(id)) return id
  let value = hash53(id)
  let out = ''
  for (let i = 0; i < 9; i++) {
    out += BASE62[value % 62]
    value = Math.floor(value / 62)
  }
  return out
}

/**
 * A file part as Mistral's chunk: audio as `input_audio` (base64, or the URL as given; Voxtral),
 * anything else as `document_url` (a data: URL for inline bytes, or the https URL) with its name.
 */
export function convertMistralFilePart(part: FilePart): ContentChunk {
  if (part.mediaType.startsWith('audio/')) {
    const data = filePartData(part)
    return { type: 'input_audio', inputAudio: 'url' in data ? data.url : data.base64 }
  }
  return {
    type: 'document_url',
    documentUrl: filePartUrl(part),
    ...(part.filename !== undefined ? { documentName: part.filename } : {}),
  }
}

/** Mistral's options of one message (`providerOptions.mistral` on the message). */
function messageOptions(message: Message): MistralMessageOptions | undefined {
  return message.providerOptions?.mistral as MistralMessageOptions | undefined
}

/** Converts core messages to the SDK's chat messages (one `tool` message per tool result). */
export function convertToMistralMessages(
  messages: readonly Message[],
  normalizeToolCallIds = true,
): MistralChatMessage[] {
  const callId = normalizeToolCallIds ? toMistralToolCallId : (id: string) => id
  const out: MistralChatMessage[] = []
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        out.push({ role: 'system', content: message.content } satisfies SystemMessage)
        break
      case 'user': {
        if (typeof message.content === 'string') {
          out.push({ role: 'user', content: message.content } satisfies UserMessage)
          break
        }
        // Text-only parts are joined into a string, the shape every Mistral model accepts.
        if (message.content.every((part) => part.type === 'text')) {
          const text = message.content.map((part) => (part as { text: string }).text).join('')
          out.push({ role: 'user', content: text } satisfies UserMessage)
          break
        }
        const content = message.content.map((part): ContentChunk => {
          if (part.type === 'text') return { type: 'text', text: part.text }
          if (part.type === 'image') return { type: 'image_url', imageUrl: imagePartUrl(part) }
          return convertMistralFilePart(part)
        })
        out.push({ role: 'user', content } satisfies UserMessage)
        break
      }
      case 'assistant': {
        if (typeof message.content === 'string') {
          out.push({
            role: 'assistant',
            content: message.content,
            ...(messageOptions(message)?.prefix ? { prefix: true } : {}),
          } satisfies AssistantMessage)
          break
        }
        let text = ''
        // Reasoning goes back as the `thinking` chunk it came in, in the turn's order (Mistral's
        // reasoning guide: earlier thinking is part of the assistant content); then content is chunks.
        const chunks: ContentChunk[] = []
        let reasoning = false
        const toolCalls: ToolCall[] = []
        for (const part of message.content) {
          if (part.type === 'text') {
            text += part.text
            chunks.push({ type: 'text', text: part.text })
          } else if (part.type === 'reasoning') {
            reasoning = true
            const signature = (part.providerMetadata?.mistral as MistralReasoningMetadata | undefined)
              ?.signature
            chunks.push({
              type: 'thinking',
              thinking: [{ type: 'text', text: part.text }],
              ...(typeof signature === 'string' ? { signature } : {}),
            })
          } else if (part.type === 'file') {
            // Mistral's assistant content has no document or audio chunk: the file is not sent back.
          } else {
            toolCalls.push({
              id: callId(part.toolCallId),
              type: 'function',
              function: {
                name: part.toolName,
                // A string input is the model's raw arguments (not JSON); send it back unchanged.
                arguments: typeof part.input === 'string' ? part.input : JSON.stringify(part.input ?? {}),
              },
              index: toolCalls.length,
            })
          }
        }
        const assistant: AssistantMessage & { role: 'assistant' } = {
          role: 'assistant',
          content: reasoning ? chunks : text,
        }
        if (toolCalls.length > 0) assistant.toolCalls = toolCalls
        if (messageOptions(message)?.prefix) assistant.prefix = true
        out.push(assistant)
        break
      }
      case 'tool':
        for (const part of message.content) {
          out.push({
            role: 'tool',
            toolCallId: callId(part.toolCallId),
            name: part.toolName,
            content: stringifyToolOutput(part.output),
          } satisfies ToolMessage)
        }
        break
    }
  }
  return out
}

function convertToolChoice(choice: ToolChoice): ChatCompletionRequest['toolChoice'] {
  if (typeof choice !== 'string') return { type: 'function', function: { name: choice.toolName } }
  // Mistral's name for "must call a tool" is `any`.
  return choice === 'required' ? 'any' : choice
}

/**
 * Translates a core request into the SDK's `ChatCompletionRequest` (camelCase; the SDK writes the
 * snake_case wire). Settings Mistral cannot take are reported through `context.warn`.
 * `providerOptions` are not merged here: they are wire fields, merged into the JSON body by the
 * adapter, because the SDK drops fields its schema does not know.
 */
export function convertToMistralRequest(
  request: AdapterRequest,
  context: Pick<CallContext, 'warn'>,
  options: ConvertOptions = {},
): ChatCompletionRequest {
  const body: ChatCompletionRequest = {
    model: request.model,
    messages: convertToMistralMessages(request.messages, options.normalizeToolCallIds ?? true),
  }
  if (request.temperature !== undefined) body.temperature = request.temperature
  if (request.maxOutputTokens !== undefined) body.maxTokens = request.maxOutputTokens
  if (request.topP !== undefined) body.topP = request.topP
  if (request.topK !== undefined) {
    context.warn({
      type: 'unsupported-setting',
      setting: 'topK',
      message: 'topK is not part of the Mistral chat API and was not sent',
    })
  }
  if (request.presencePenalty !== undefined) body.presencePenalty = request.presencePenalty
  if (request.frequencyPenalty !== undefined) body.frequencyPenalty = request.frequencyPenalty
  if (request.stopSequences?.length) body.stop = request.stopSequences
  if (request.seed !== undefined) body.randomSeed = request.seed
  if (request.tools?.length) {
    body.tools = request.tools.map((tool) => ({
      type: 'function' as const,
      function: {
        name: tool.name,
        ...(tool.description ? { description: tool.description } : {}),
        parameters: tool.parameters,
      },
    }))
  }
  if (request.toolChoice !== undefined) body.toolChoice = convertToolChoice(request.toolChoice)
  const format = request.responseFormat
  if (format?.type === 'json') {
    body.responseFormat = format.schema
      ? {
          type: 'json_schema',
          jsonSchema: {
            name: format.name ?? 'response',
            ...(format.description ? { description: format.description } : {}),
            schemaDefinition: format.schema,
            strict: true,
          },
        }
      : { type: 'json_object' }
  }
  if (options.stream) body.stream = true
  return body
}
