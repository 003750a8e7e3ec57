import { MalformedResponseError } from './errors.js'
import type {
  AdapterContentPart,
  AdapterGenerateResult,
  AdapterToolCall,
  VendorMetadata,
} from './provider-spec.js'
import type { Cost, FilePart, FinishReason, ImagePart, Usage } from './types.js'

/** How much of a body that is not what was expected a MalformedResponseError keeps as its cause. */
const RAW_EXCERPT_LENGTH = 200

/** A header of an SDK error: from a `Headers` object, or from a plain record of strings. */
export function readHeader(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined
  const value = (headers as Record<string, unknown>)[name]
  return typeof value === 'string' ? value : undefined
}

/** Where a response came from and what it held, for `malformedResponse`. */
export interface MalformedResponseOptions {
  provider: string
  model?: string | undefined
  /** The body as received: when it is text, its start becomes the error's cause. */
  raw?: unknown
}

/** A MalformedResponseError for a body that is not what the vendor documents. */
export function malformedResponse(
  message: string,
  options: MalformedResponseOptions,
): MalformedResponseError {
  const { provider, model, raw } = options
  return new MalformedResponseError(message, {
    provider,
    ...(model !== undefined ? { model } : {}),
    ...(typeof raw === 'string' ? { cause: new Error(raw.slice(0, RAW_EXCERPT_LENGTH)) } : {}),
  })
}

/** Tool outputs travel as text; anything else is sent as its JSON. */
export function stringifyToolOutput(output: unknown): string {
  if (typeof output === 'string') return output
  return JSON.stringify(output ?? null)
}

/** An image part as one URL: http(s) and data: URLs as given, bare base64 as a data: URL. */
export function imagePartUrl(part: ImagePart): string {
  const { image } = part
  if (typeof image !== 'string') return image.href
  if (/^(https?:|data:)/.test(image)) return image
  return `data:${part.mediaType};base64,${image}`
}

/** A file part's bytes as base64, or its URL; `data:` URLs are split into their base64 and media type. */
export function filePartData(
  part: FilePart,
): { base64: string; mediaType: string } | { url: string; mediaType: string } {
  const { data, mediaType } = part
  if (data instanceof Uint8Array) return { base64: bytesToBase64(data), mediaType }
  const text = data instanceof URL ? data.href : data
  const inline = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s.exec(text)
  if (inline) return { base64: inline[2]!, mediaType: inline[1] ?? mediaType }
  if (data instanceof URL || /^https?:/.test(text)) return { url: text, mediaType }
  return { base64: text, mediaType }
}

/** A file part as one data: URL (a URL part as its URL). */
export function filePartUrl(part: FilePart): string {
  const data = filePartData(part)
  return 'url' in data ? data.url : `data:${data.mediaType};base64,${data.base64}`
}

/** What a vendor's answer said, for `assembleResult`. */
export interface ResultParts {
  text: string
  reasoning?: string | undefined
  toolCalls: AdapterToolCall[]
  /** The parts in the vendor's order (reasoning with its signature, text, tool calls); default reasoning, text, tool calls. */
  content?: AdapterContentPart[] | undefined
  /** What the vendor sent beyond the common result. */
  providerMetadata?: VendorMetadata | undefined
  finishReason: FinishReason
  rawFinishReason: string | undefined
  usage: Usage | undefined
  /** The charge the vendor reported, when it did. */
  cost?: Cost | undefined
  model: string | undefined
  id: string | undefined
  raw: unknown
}

/** The adapter's result from its parts; `content`, unless given, lists the reasoning, then the text, then the tool calls. */
export function assembleResult(parts: ResultParts): AdapterGenerateResult {
  const { text, reasoning, toolCalls, cost, providerMetadata } = parts
  let content = parts.content
  if (!content) {
    content = []
    if (reasoning) content.push({ type: 'reasoning', text: reasoning })
    if (text) content.push({ type: 'text', text })
    for (const call of toolCalls) content.push({ type: 'tool-call', ...call })
  }
  return {
    text,
    ...(reasoning ? { reasoning } : {}),
    content,
    toolCalls,
    finishReason: parts.finishReason,
    rawFinishReason: parts.rawFinishReason,
    usage: parts.usage,
    ...(cost ? { cost } : {}),
    model: parts.model,
    id: parts.id,
    raw: parts.raw,
    ...(providerMetadata ? { providerMetadata } : {}),
  }
}

/** Decodes a base64 embedding: its float32 values, little-endian, one after the other. */
export function decodeBase64Embedding(data: string): number[] {
  const binary = atob(data)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  const view = new DataView(bytes.buffer)
  const out = new Array<number>(bytes.byteLength >> 2)
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true)
  return out
}

/**
 * The export `name` of an SDK module, which the `sdk` setting may also give as the export itself:
 * a function is taken as is; otherwise the named export, of the module or of its CommonJS
 * `default`, or a `default` that is itself the export.
 */
export function sdkExport<T = any>(sdk: unknown, name: string): T | undefined {
  if (typeof sdk === 'function') return sdk as T
  const module = sdk as Record<string, any> | null | undefined
  if (!module) return undefined
  const fallback = module.default
  return (module[name] ?? fallback?.[name] ?? (typeof fallback === 'function' ? fallback : undefined)) as
    | T
    | undefined
}

/** An image fetched for a vendor that takes bytes only. */
export interface DownloadedImage {
  bytes: Uint8Array
  /** The `content-type` the server declared, if any. */
  contentType: string | undefined
}

export interface DownloadImageOptions {
  /** The provider's `fetch` setting; the global one when absent. */
  fetch?: typeof fetch | undefined
  /** The call's signal: an abort is rethrown as it came. */
  signal: AbortSignal
  /**
   * What to throw when the download fails: `reason` is `HTTP <status>` or the network error's
   * message, `cause` the network error itself.
   */
  failure(reason: string, cause?: unknown): unknown
}

/** Downloads an image with the call's fetch and signal; a failed answer's body is released unread. */
export async function downloadImage(url: string, options: DownloadImageOptions): Promise<DownloadedImage> {
  const init = { signal: options.signal }
  let response: Response
  try {
    // The global fetch is called on globalThis: browsers refuse it detached.
    response = await (options.fetch ? options.fetch(url, init) : globalThis.fetch(url, init))
  } catch (cause) {
    if (options.signal.aborted) throw cause
    throw options.failure(cause instanceof Error ? cause.message : String(cause), cause)
  }
  if (!response.ok) {
    await response.body?.cancel()
    throw options.failure(`HTTP ${response.status}`)
  }
  const bytes = new Uint8Array(await response.arrayBuffer())
  return { bytes, contentType: response.headers.get('content-type') ?? undefined }
}

/** How many bytes go to one `String.fromCharCode` call: below every engine's argument limit. */
const BYTES_PER_SLICE = 0x8000

/** Base64 of raw bytes, without Node's Buffer, so providers also run in browsers and edge runtimes. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let offset = 0; offset < bytes.length; offset += BYTES_PER_SLICE) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + BYTES_PER_SLICE))
  }
  return btoa(binary)
}
