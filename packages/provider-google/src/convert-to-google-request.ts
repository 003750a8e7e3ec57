import type { ImagePart, Message, ToolCallPart, Warning } from '@modelplex/core'
import type { AdapterRequest, CallContext } from '@modelplex/core/adapter'

/** A part of a Gemini `Content`, as the API takes it. */
export type GooglePart = Record<string, unknown>

/** A Gemini `Content`: a role and its parts. */
export interface GoogleContent {
  role: 'user' | 'model'
  parts: GooglePart[]
}

/** What `models.generateContent` takes, before the adapter adds the per-call options. */
export interface GoogleGenerateParams {
  model: string
  contents: GoogleContent[]
  config: Record<string, unknown>
}

export interface ConvertOptions {
  /** The thought signature Gemini attached to this tool call, when the adapter saw it. */
  signatureFor?: (toolCallId: string, model: string) => string | undefined
}

/**
 * Google's documented placeholder for a tool call that carries no thought signature (a call from
 * another provider, process or session): Gemini 3 models reject unsigned calls in the current turn
 * with a 400, and skip validation for this value (ai.google.dev/gemini-api/docs/thought-signatures).
 */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator'

const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
}

/** Gemini 3 and later validate thought signatures on function calls; `-latest` aliases point there too. */
export function requiresThoughtSignature(model: string): boolean {
  const major = /gemini-(\d+)/.exec(model)
  if (major) return Number(major[1]) >= 3
  return /gemini-[a-z-]*latest/.test(model)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function base64OfText(text: string): string {
  let binary = ''
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/** An image part: base64 and data: URLs inline, http(s) URLs as `fileData`, which Gemini fetches itself. */
function imagePart(part: ImagePart, warn: (warning: Warning) => void): GooglePart {
  const image = part.image instanceof URL ? part.image.href : part.image
  if (image.startsWith('data:')) {
    const match = /^data:([^;,]*)((?:;[^;,]*)*?)(;base64)?,(.*)$/s.exec(image)
    const mimeType = match?.[1] || part.mediaType || 'application/octet-stream'
    const payload = match?.[4] ?? ''
    const data = match?.[3] ? payload : base64OfText(decodeURIComponent(payload))
    return { inlineData: { mimeType, data } }
  }
  if (/^https?:/i.test(image)) {
    const extension = /\.([a-z0-9]+)(?:$|[?#])/i.exec(new URL(image).pathname)?.[1]?.toLowerCase()
    const mimeType = part.mediaType ?? (extension ? IMAGE_TYPES[extension] : undefined)
    if (!mimeType) {
      warn({
        type: 'other',
        setting: 'image',
        message: `Gemini needs the media type of ${image}; none was given and the extension does not tell. Pass mediaType.`,
      })
    }
    return { fileData: { fileUri: image, ...(mimeType ? { mimeType } : {}) } }
  }
  return { inlineData: { mimeType: part.mediaType!, data: image } }
}

/** Gemini's `args` is a JSON object; tool inputs are usually one already. */
function callArgs(part: ToolCallPart, warn: (warning: Warning) => void): Record<string, unknown> {
  if (isPlainObject(part.input)) return part.input
  if (typeof part.input === 'string') {
    try {
      const parsed: unknown = JSON.parse(part.input)
      if (isPlainObject(parsed)) return parsed
    } catch {
      // Not JSON: reported below.
    }
  }
  if (part.input === undefined || part.input === null) return {}
  warn({
    type: 'other',
    setting: 'messages',
    message: `Gemini takes tool-call arguments as a JSON object; the input of ${part.toolCallId} was wrapped as { "value": … }.`,
  })
  return { value: part.input }
}

/** Gemini reads `output` and `error` keys of a function response; any other object is the output as a whole. */
function functionResponse(output: unknown, isError: boolean | undefined): Record<string, unknown> {
  if (isError) return { error: output }
  return isPlainObject(output) ? output : { output }
}

function assistantParts(
  message: Extract<Message, { role: 'assistant' }>,
  model: string,
  options: ConvertOptions,
  warn: (warning: Warning) => void,
): GooglePart[] {
  if (typeof message.content === 'string') return message.content ? [{ text: message.content }] : []
  const parts: GooglePart[] = []
  for (const part of message.content) {
    if (part.type === 'text') {
      if (part.text) parts.push({ text: part.text })
      continue
    }
    const signature =
      options.signatureFor?.(part.toolCallId, model) ??
      (requiresThoughtSignature(model) ? SKIP_THOUGHT_SIGNATURE : undefined)
    parts.push({
      functionCall: { id: part.toolCallId, name: part.toolName, args: callArgs(part, warn) },
      ...(signature ? { thoughtSignature: signature } : {}),
    })
  }
  return parts
}

/** Translates the messages into Gemini `contents` and the `systemInstruction` text parts. */
function convertMessages(
  messages: Message[],
  model: string,
  options: ConvertOptions,
  warn: (warning: Warning) => void,
): { contents: GoogleContent[]; system: GooglePart[] } {
  const contents: GoogleContent[] = []
  const system: GooglePart[] = []
  let warnedLateSystem = false
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        if (contents.length > 0 && !warnedLateSystem) {
          warnedLateSystem = true
          warn({
            type: 'other',
            setting: 'messages',
            message:
              'Gemini has one system instruction: system messages after the first turn were moved into it.',
          })
        }
        system.push({ text: message.content })
        break
      case 'user':
        contents.push({
          role: 'user',
          parts:
            typeof message.content === 'string'
              ? [{ text: message.content }]
              : message.content.map((part) =>
                  part.type === 'text' ? { text: part.text } : imagePart(part, warn),
                ),
        })
        break
      case 'assistant': {
        const parts = assistantParts(message, model, options, warn)
        // An empty model turn is rejected by the API ("contents.parts must not be empty").
        if (parts.length > 0) contents.push({ role: 'model', parts })
        break
      }
      case 'tool': {
        const parts = message.content.map((part) => ({
          functionResponse: {
            id: part.toolCallId,
            name: part.toolName,
            response: functionResponse(part.output, part.isError),
          },
        }))
        // The results of one turn's parallel calls must arrive together, in one user turn.
        const previous = contents[contents.length - 1]
        if (previous?.role === 'user' && previous.parts.every((part) => 'functionResponse' in part)) {
          previous.parts.push(...parts)
        } else {
          contents.push({ role: 'user', parts })
        }
        break
      }
    }
  }
  return { contents, system }
}

function toolConfig(request: AdapterRequest): Record<string, unknown> | undefined {
  const choice = request.toolChoice
  if (!choice || !request.tools?.length) return undefined
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } }
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } }
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } }
  return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.toolName] } }
}

/**
 * Builds the `@google/genai` parameters of a request: `contents` with roles `user`/`model`,
 * `systemInstruction`, the generation settings, `tools: [{ functionDeclarations }]`, `toolConfig`
 * and JSON output. The SDK writes them into the `generateContent` body.
 */
export function convertToGoogleRequest(
  request: AdapterRequest,
  context: Pick<CallContext, 'warn'>,
  options: ConvertOptions = {},
): GoogleGenerateParams {
  const { contents, system } = convertMessages(request.messages, request.model, options, context.warn)
  const config: Record<string, unknown> = {}
  if (system.length > 0) config.systemInstruction = { parts: system }
  if (request.temperature !== undefined) config.temperature = request.temperature
  if (request.maxOutputTokens !== undefined) config.maxOutputTokens = request.maxOutputTokens
  if (request.topP !== undefined) config.topP = request.topP
  if (request.topK !== undefined) config.topK = request.topK
  if (request.presencePenalty !== undefined) config.presencePenalty = request.presencePenalty
  if (request.frequencyPenalty !== undefined) config.frequencyPenalty = request.frequencyPenalty
  if (request.stopSequences?.length) config.stopSequences = request.stopSequences
  if (request.seed !== undefined) config.seed = request.seed
  if (request.tools?.length) {
    config.tools = [
      {
        functionDeclarations: request.tools.map((tool) => ({
          name: tool.name,
          ...(tool.description ? { description: tool.description } : {}),
          parametersJsonSchema: tool.parameters,
        })),
      },
    ]
  }
  const functionCalling = toolConfig(request)
  if (functionCalling) config.toolConfig = functionCalling
  const format = request.responseFormat
  if (format?.type === 'json') {
    config.responseMimeType = 'application/json'
    if (format.schema) {
      // Gemini has no field for the schema's description: it goes into the schema itself.
      config.responseJsonSchema =
        format.description && format.schema.description === undefined
          ? { ...format.schema, description: format.description }
          : format.schema
    }
  }
  return { model: request.model, contents, config }
}
