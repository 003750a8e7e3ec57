import { type ImagePart, InvalidRequestError, type Message } from '@modelplex/core'
import type { AdapterRequest, AdapterTool, CallContext } from '@modelplex/core/adapter'
import { bytesToBase64, stringifyToolOutput } from '@modelplex/core/adapter'
import { toOllamaWireOptions } from './ollama-provider-options.js'
import type { OllamaToolCallPayload } from './parse-ollama-response.js'

/** A chat message as `/api/chat` takes it: text content, base64 images beside it. */
export type OllamaChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string; images?: string[] }
  | { role: 'assistant'; content: string; thinking?: string; tool_calls?: OllamaToolCallPayload[] }
  | { role: 'tool'; content: string; tool_name: string; tool_call_id: string }

/** The `/api/chat` body: the documented fields plus whatever `providerOptions` add. */
export interface OllamaChatRequest {
  model: string
  messages: OllamaChatMessage[]
  stream: boolean
  tools?: Array<{ type: 'function'; function: { name: string; description?: string; parameters: unknown } }>
  format?: 'json' | Record<string, unknown>
  options?: Record<string, unknown>
  [field: string]: unknown
}

/** Fetches an image URL into base64; the adapter passes one that uses the call's fetch and signal. */
export type ImageLoader = (url: URL, field: string) => Promise<string>

export interface ConvertOptions {
  stream: boolean
  loadImage: ImageLoader
}

/** The base64 payload of a `data:` URL (percent-encoded data is re-encoded). */
function dataUrlBase64(url: string, field: string): string {
  const comma = url.indexOf(',')
  if (comma < 0) throw new InvalidRequestError(`${field} is a data: URL without data`, { field })
  const meta = url.slice(5, comma)
  const payload = url.slice(comma + 1)
  if (/;base64$/i.test(meta)) return payload
  return bytesToBase64(new TextEncoder().encode(decodeURIComponent(payload)))
}

/** Ollama takes images only as base64: data URLs are unwrapped, http(s) URLs downloaded. */
async function imageBase64(part: ImagePart, field: string, loadImage: ImageLoader): Promise<string> {
  const { image } = part
  if (typeof image !== 'string') return loadImage(image, field)
  if (image.startsWith('data:')) return dataUrlBase64(image, field)
  if (/^https?:/i.test(image)) return loadImage(new URL(image), field)
  return image
}

/** Ollama wants arguments as an object; a string input is parsed when it holds a JSON object. */
function toolArguments(input: unknown): Record<string, unknown> {
  if (typeof input === 'string') {
    try {
      const parsed = JSON.parse(input)
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed
    } catch {
      // Not JSON: fall through to an empty argument object.
    }
    return {}
  }
  return typeof input === 'object' && input !== null && !Array.isArray(input)
    ? (input as Record<string, unknown>)
    : {}
}

/**
 * Converts core messages to `/api/chat` messages: text parts joined, images as base64 in
 * `images`, tool calls with their ids, and one `tool` message per result carrying both
 * `tool_name` (the documented link) and `tool_call_id` (for servers that match by id; a server
 * that does not know the field ignores it).
 */
export async function convertToOllamaMessages(
  messages: readonly Message[],
  loadImage: ImageLoader,
): Promise<OllamaChatMessage[]> {
  const out: OllamaChatMessage[] = []
  for (const [index, message] of messages.entries()) {
    switch (message.role) {
      case 'system':
        out.push({ role: 'system', content: message.content })
        break
      case 'user': {
        if (typeof message.content === 'string') {
          out.push({ role: 'user', content: message.content })
          break
        }
        const texts: string[] = []
        const images: string[] = []
        for (const [partIndex, part] of message.content.entries()) {
          if (part.type === 'text') texts.push(part.text)
          else if (part.type === 'image')
            images.push(await imageBase64(part, `messages.${index}.content.${partIndex}`, loadImage))
          // A file part never gets here: Ollama lists no file type, so core refuses it first.
        }
        out.push({ role: 'user', content: texts.join('\n'), ...(images.length ? { images } : {}) })
        break
      }
      case 'assistant': {
        if (typeof message.content === 'string') {
          out.push({ role: 'assistant', content: message.content })
          break
        }
        let text = ''
        let thinking = ''
        const toolCalls: OllamaToolCallPayload[] = []
        for (const part of message.content) {
          if (part.type === 'text') text += part.text
          // Earlier thinking goes back in the message's `thinking` field (Ollama's thinking docs:
          // "the thinking field" of an assistant message, kept in tool loops).
          else if (part.type === 'reasoning') thinking += part.text
          else if (part.type === 'file') {
            // An assistant message has no file field on /api/chat; nothing to send.
          } else {
            toolCalls.push({
              id: part.toolCallId,
              function: {
                index: toolCalls.length,
                name: part.toolName,
                arguments: toolArguments(part.input),
              },
            })
          }
        }
        out.push({
          role: 'assistant',
          content: text,
          ...(thinking ? { thinking } : {}),
          ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
        })
        break
      }
      case 'tool':
        for (const part of message.content) {
          out.push({
            role: 'tool',
            content: stringifyToolOutput(part.output),
            tool_name: part.toolName,
            tool_call_id: part.toolCallId,
          })
        }
        break
    }
  }
  return out
}

function convertTools(tools: readonly AdapterTool[]): NonNullable<OllamaChatRequest['tools']> {
  return tools.map((tool) => ({
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      parameters: tool.parameters,
    },
  }))
}

/** Applies `toolChoice`, which `/api/chat` lacks: `none` drops the tools, a named tool keeps only it. */
function chooseTools(request: AdapterRequest, context: Pick<CallContext, 'warn'>): AdapterTool[] | undefined {
  const { tools, toolChoice } = request
  if (!tools?.length || toolChoice === undefined || toolChoice === 'auto') return tools
  if (toolChoice === 'none') return undefined
  if (toolChoice === 'required') {
    context.warn({
      type: 'unsupported-setting',
      setting: 'toolChoice',
      message: 'Ollama cannot force a tool call; toolChoice "required" was sent as "auto"',
    })
    return tools
  }
  // Core has already refused a toolChoice that names no offered tool.
  const chosen = tools.filter((tool) => tool.name === toolChoice.toolName)
  context.warn({
    type: 'unsupported-setting',
    setting: 'toolChoice',
    message: `Ollama cannot force a tool call; only "${toolChoice.toolName}" was offered, and the model may still answer in text`,
  })
  return chosen
}

/**
 * Translates a core request into an `/api/chat` body. Sampling settings go into `options`
 * (`maxOutputTokens` → `num_predict`, `stopSequences` → `stop`); structured output is `format`
 * with the JSON schema. `providerOptions` are merged last (their `options` into ours).
 */
export async function convertToOllamaRequest(
  request: AdapterRequest,
  context: Pick<CallContext, 'warn' | 'providerOptions'>,
  { stream, loadImage }: ConvertOptions,
): Promise<OllamaChatRequest> {
  const body: OllamaChatRequest = {
    model: request.model,
    messages: await convertToOllamaMessages(request.messages, loadImage),
    stream,
  }
  const tools = chooseTools(request, context)
  if (tools?.length) body.tools = convertTools(tools)
  const format = request.responseFormat
  if (format?.type === 'json') body.format = format.schema ?? 'json'
  const options: Record<string, unknown> = {}
  if (request.temperature !== undefined) options.temperature = request.temperature
  if (request.maxOutputTokens !== undefined) options.num_predict = request.maxOutputTokens
  if (request.topP !== undefined) options.top_p = request.topP
  if (request.topK !== undefined) options.top_k = request.topK
  if (request.stopSequences?.length) options.stop = request.stopSequences
  if (request.seed !== undefined) options.seed = request.seed
  if (request.presencePenalty !== undefined) options.presence_penalty = request.presencePenalty
  if (request.frequencyPenalty !== undefined) options.frequency_penalty = request.frequencyPenalty
  const { options: extraOptions, ...extra } = toOllamaWireOptions(context.providerOptions) as {
    options?: unknown
  }
  if (typeof extraOptions === 'object' && extraOptions !== null) Object.assign(options, extraOptions)
  if (Object.keys(options).length > 0) body.options = options
  for (const key in extra) body[key] = (extra as Record<string, unknown>)[key]
  return body
}
