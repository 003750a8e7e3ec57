import type { FilePart, ImagePart, Message, ToolCallPart, Warning } from '@modelplex/core'
import { type AdapterRequest, type CallContext, filePartData } from '@modelplex/core/adapter'
import { GOOGLE_CONFIG_KEYS } from './google-provider-options.js'

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

/** The provider id whose `providerMetadata` and `providerOptions` this converter reads. */
const PROVIDER = 'google'

/** The thought signature Gemini sent with a part, as the parser filed it (`providerMetadata.google.thoughtSignature`). */
function signatureOf(part: { providerMetadata?: Record<string, Record<string, unknown>> | undefined }) {
  const signature = part.providerMetadata?.[PROVIDER]?.thoughtSignature
  return typeof signature === 'string' ? signature : undefined
}

/** Part-level `providerOptions.google` (e.g. `mediaResolution`), written onto the wire part untouched. */
function partOptions(part: { providerOptions?: Record<string, Record<string, unknown> | undefined> }) {
  return part.providerOptions?.[PROVIDER] ?? {}
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

/**
 * A document, audio or video clip: bytes and base64 inline (`inlineData`), URLs (https, `gs://`,
 * Files API URIs) as `fileData`, which Gemini fetches itself (ai.google.dev/gemini-api/docs/document-processing,
 * /audio, /files). Gemini's `Blob` has no file name on the Developer API, so `filename` is not sent.
 */
function filePart(part: FilePart): GooglePart {
  if (typeof part.data === 'string' && /^gs:\/\//i.test(part.data)) {
    return { fileData: { mimeType: part.mediaType, fileUri: part.data } }
  }
  const data = filePartData(part)
  if ('url' in data) return { fileData: { mimeType: data.mediaType, fileUri: data.url } }
  return { inlineData: { mimeType: data.mediaType, data: data.base64 } }
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

/**
 * A model turn, part by part in the order Gemini sent it: thoughts as `{ text, thought: true }`, each
 * part with the `thoughtSignature` it came with, never merged with its neighbours
 * (ai.google.dev/gemini-api/docs/thought-signatures: return every part with its signature).
 */
function assistantParts(
  message: Extract<Message, { role: 'assistant' }>,
  model: string,
  warn: (warning: Warning) => void,
): GooglePart[] {
  if (typeof message.content === 'string') return message.content ? [{ text: message.content }] : []
  const parts: GooglePart[] = []
  // Gemini 3 rejects a turn whose first function call is unsigned; a turn that carries no signature
  // at all (from another provider or written by hand) gets Google's documented placeholder on it.
  let placeholder =
    requiresThoughtSignature(model) && !message.content.some((part) => signatureOf(part) !== undefined)
  for (const part of message.content) {
    const signature = signatureOf(part)
    const signed = signature !== undefined ? { thoughtSignature: signature } : {}
    switch (part.type) {
      case 'text':
        if (part.text || signature !== undefined) parts.push({ text: part.text, ...signed })
        break
      case 'reasoning':
        // An empty unsigned thought carries nothing Gemini reads; an empty part is a 400.
        if (part.text || signature !== undefined) parts.push({ text: part.text, thought: true, ...signed })
        break
      case 'file':
        parts.push({ ...filePart(part), ...signed })
        break
      case 'tool-call': {
        const thoughtSignature = signature ?? (placeholder ? SKIP_THOUGHT_SIGNATURE : undefined)
        placeholder = false
        parts.push({
          functionCall: { id: part.toolCallId, name: part.toolName, args: callArgs(part, warn) },
          ...(thoughtSignature !== undefined ? { thoughtSignature } : {}),
        })
        break
      }
    }
  }
  return parts
}

/** Translates the messages into Gemini `contents` and the `systemInstruction` text parts. */
function convertMessages(
  messages: Message[],
  model: string,
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
              : message.content.map((part) => {
                  const wire =
                    part.type === 'text'
                      ? { text: part.text }
                      : part.type === 'file'
                        ? filePart(part)
                        : imagePart(part, warn)
                  return { ...wire, ...partOptions(part) }
                }),
        })
        break
      case 'assistant': {
        const parts = assistantParts(message, model, warn)
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
  context: Pick<CallContext, 'warn'> & { providerOptions?: CallContext['providerOptions'] },
): GoogleGenerateParams {
  const { contents, system } = convertMessages(request.messages, request.model, context.warn)
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
  // Typed options the SDK knows (thinkingConfig, cachedContent, safetySettings…) go through its
  // config, which writes each where Gemini reads it (generationConfig or the body's top level).
  for (const [key, value] of Object.entries(context.providerOptions ?? {})) {
    if (GOOGLE_CONFIG_KEYS.has(key) && value !== undefined) config[key] = value
  }
  return { model: request.model, contents, config }
}
