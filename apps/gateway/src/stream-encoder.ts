import type { StreamEvent } from '@modelplex/core'
import type { WireError } from './gateway-errors.js'

/** Turns core's stream events into one wire format's SSE frames (each a complete `…\n\n` block). */
export interface StreamEncoder {
  /** Frames sent before the first event. */
  open(): string[]
  event(event: StreamEvent): string[]
  /** Frames that report an error after the stream began (the status is already 200). */
  fail(error: WireError): string[]
  /** Frames sent after the last event. */
  close(): string[]
}

export const sseData = (data: unknown): string => `data: ${JSON.stringify(data)}\n\n`
export const sseEvent = (name: string, data: unknown): string =>
  `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`
