import type { VendorMetadata } from '@modelplex/core/adapter'
import type { OpenAICompatibleQuirks } from './openai-compatible-quirks.js'

/**
 * What a completion (or one stream chunk) says beyond the common result, in camelCase:
 * `systemFingerprint`, `serviceTier`, and `logprobs` (the choice's `logprobs.content`, when asked),
 * then the vendor's own extras from `extractMetadata`.
 */
export function readOpenAIMetadata(
  payload: any,
  kind: 'completion' | 'chunk',
  quirks: Pick<OpenAICompatibleQuirks, 'extractMetadata'> = {},
): VendorMetadata | undefined {
  const metadata: VendorMetadata = {}
  if (typeof payload.system_fingerprint === 'string') metadata.systemFingerprint = payload.system_fingerprint
  if (typeof payload.service_tier === 'string') metadata.serviceTier = payload.service_tier
  const logprobs = payload.choices?.[0]?.logprobs
  if (Array.isArray(logprobs?.content)) metadata.logprobs = logprobs.content
  if (Array.isArray(logprobs?.refusal) && logprobs.refusal.length > 0)
    metadata.refusalLogprobs = logprobs.refusal
  const extra = quirks.extractMetadata?.(payload, kind)
  if (extra) Object.assign(metadata, extra)
  return Object.keys(metadata).length > 0 ? metadata : undefined
}

/** Merges one chunk's metadata into the stream's: log probabilities add up, the rest is the latest. */
export function mergeStreamMetadata(
  into: VendorMetadata | undefined,
  next: VendorMetadata | undefined,
): VendorMetadata | undefined {
  if (!next) return into
  if (!into) return { ...next }
  for (const key in next) {
    const value = next[key]
    const previous = into[key]
    if (
      (key === 'logprobs' || key === 'refusalLogprobs') &&
      Array.isArray(previous) &&
      Array.isArray(value)
    ) {
      into[key] = [...previous, ...value]
    } else {
      into[key] = value
    }
  }
  return into
}

/** A `reasoning_details` entry, as OpenRouter documents them (`reasoning.text`, `.summary`, `.encrypted`). */
type ReasoningDetail = Record<string, unknown> & { type?: string; index?: number }

/**
 * Adds streamed `reasoning_details` slices to the blocks gathered so far: a slice with the `index`
 * and `type` of a block continues it (text and summary appended, other fields set), any other starts one.
 */
export function mergeReasoningDetails(blocks: ReasoningDetail[], slices: unknown): void {
  if (!Array.isArray(slices)) return
  for (const slice of slices as ReasoningDetail[]) {
    if (!slice || typeof slice !== 'object') continue
    const block =
      typeof slice.index === 'number'
        ? blocks.find((entry) => entry.index === slice.index && entry.type === slice.type)
        : undefined
    if (!block) {
      blocks.push({ ...slice })
      continue
    }
    for (const key in slice) {
      const value = slice[key]
      if ((key === 'text' || key === 'summary') && typeof value === 'string') {
        block[key] = `${typeof block[key] === 'string' ? block[key] : ''}${value}`
      } else if (value !== null && value !== undefined) {
        block[key] = value
      }
    }
  }
}

/** The readable text of `reasoning_details` blocks (text and summaries; encrypted blocks have none). */
export function reasoningDetailsText(blocks: readonly unknown[]): string {
  let text = ''
  for (const block of blocks as ReasoningDetail[]) {
    if (typeof block?.text === 'string') text += block.text
    else if (typeof block?.summary === 'string') text += block.summary
  }
  return text
}
