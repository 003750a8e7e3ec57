// The hostile-load probe of issue 16, for the providers that used to parse streams in their SDKs:
// 200,000 tiny events, and one 5/10/20/40 MB line, through `provider.stream().result()` with the
// vendor's own wire format answered by a fetch double (bodies in 64 KiB reads, as a socket gives
// them). It prints events/s, seconds and heap growth; it asserts only that the text came through
// (speed is never asserted). Run on main and on a branch to compare:
//   pnpm --filter @modelplex/stream-probe probe            (PROBE_ONLY=google,ollama to pick)
//   PROBE_LIVE=1 PROBE_SIZES=40 pnpm --filter @modelplex/stream-probe probe   (live memory only)
import type { Provider } from '@modelplex/core'
import { createCohere } from '@modelplex/provider-cohere'
import { createGoogle } from '@modelplex/provider-google'
import { createMistral } from '@modelplex/provider-mistral'
import { createOllama } from '@modelplex/provider-ollama'
import { expect, it } from 'vitest'

const TINY_EVENTS = 200_000
const LINE_SIZES_MB = process.env.PROBE_SIZES?.split(',').map(Number) ?? [5, 10, 20, 40]
/** PROBE_LIVE=1: collect the garbage before each sample, so the peak is of live memory (slower; time not comparable). */
const LIVE = process.env.PROBE_LIVE === '1'
const READ_SIZE = 65_536
/** A size that took longer than this skips the larger ones (the SDK parsers are super-linear). */
const GIVE_UP_SECONDS = 45
const encoder = new TextEncoder()
const gc = (globalThis as { gc?: () => void }).gc

interface Vendor {
  id: string
  /** The whole body: one text event per entry of `texts`, then the vendor's end of the answer. */
  body(texts: readonly string[]): string
  provider(fetch: typeof globalThis.fetch): Provider
  contentType: string
}

const sse = (data: unknown, event?: string) =>
  `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`

const VENDORS: Vendor[] = [
  {
    id: 'google',
    contentType: 'text/event-stream',
    // streamGenerateContent?alt=sse: one GenerateContentResponse per `data:` frame, CRLF-separated.
    body: (texts) =>
      texts
        .map(
          (text) =>
            `data: ${JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text }] } }] })}\r\n\r\n`,
        )
        .join('') +
      `data: ${JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 } })}\r\n\r\n`,
    provider: (fetch) => createGoogle({ apiKey: 'AIzaSy-probe-0123456789', fetch, retry: { maxRetries: 0 } }),
  },
  {
    id: 'mistral',
    contentType: 'text/event-stream',
    body: (texts) => {
      const chunk = (delta: object, finish: string | null) => ({
        id: 'p',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'mistral-small-latest',
        choices: [{ index: 0, delta, finish_reason: finish }],
      })
      return `${texts.map((content) => sse(chunk({ content }, null))).join('')}${sse({ ...chunk({ content: '' }, 'stop'), usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } })}${sse('[DONE]')}`
    },
    provider: (fetch) =>
      createMistral({ apiKey: 'mistral-probe-0123456789', fetch, retry: { maxRetries: 0 } }),
  },
  {
    id: 'cohere',
    contentType: 'text/event-stream',
    body: (texts) =>
      sse({ type: 'message-start', id: 'p', delta: { message: { role: 'assistant' } } }, 'message-start') +
      texts
        .map((text) =>
          sse(
            { type: 'content-delta', index: 0, delta: { message: { content: { text } } } },
            'content-delta',
          ),
        )
        .join('') +
      sse(
        {
          type: 'message-end',
          delta: { finish_reason: 'COMPLETE', usage: { tokens: { input_tokens: 1, output_tokens: 1 } } },
        },
        'message-end',
      ),
    provider: (fetch) => createCohere({ apiKey: 'co-probe-0123456789', fetch, retry: { maxRetries: 0 } }),
  },
  {
    id: 'ollama',
    contentType: 'application/x-ndjson',
    body: (texts) =>
      texts
        .map(
          (content) =>
            `${JSON.stringify({ model: 'llama3.2', message: { role: 'assistant', content }, done: false })}\n`,
        )
        .join('') +
      `${JSON.stringify({ model: 'llama3.2', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 1, eval_count: 1 })}\n`,
    provider: (fetch) =>
      createOllama({ host: 'http://ollama.probe.test:11434', fetch, retry: { maxRetries: 0 } }),
  },
]

/** A fetch answering `bytes` in 64 KiB reads; `onRead` runs on each read (heap sampling). */
function answering(bytes: Uint8Array, contentType: string, onRead?: () => void): typeof globalThis.fetch {
  return (async () => {
    let start = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        onRead?.()
        if (start >= bytes.length) return controller.close()
        controller.enqueue(bytes.subarray(start, start + READ_SIZE))
        start += READ_SIZE
      },
    })
    return new Response(body, { headers: { 'content-type': contentType } })
  }) as typeof globalThis.fetch
}

const request = (model: string) => ({ model, messages: [{ role: 'user' as const, content: 'Hi' }] })
const MODELS: Record<string, string> = {
  google: 'gemini-2.5-flash',
  mistral: 'mistral-small-latest',
  cohere: 'command-a-03-2025',
  ollama: 'llama3.2',
}
const only = process.env.PROBE_ONLY?.split(',')
const label = process.env.PROBE_LABEL ?? 'this tree'
const MB = 1024 * 1024

for (const vendor of VENDORS) {
  if (only && !only.includes(vendor.id)) continue

  it(`${vendor.id}: ${TINY_EVENTS} tiny events`, async () => {
    const texts = Array.from({ length: TINY_EVENTS }, (_, index) => String(index % 10))
    const bytes = encoder.encode(vendor.body(texts))
    // One warm-up call (SDK import, first-call setup), not measured.
    await vendor
      .provider(answering(encoder.encode(vendor.body(['warm'])), vendor.contentType))
      .stream(request(MODELS[vendor.id]!))
      .result()
    const provider = vendor.provider(answering(bytes, vendor.contentType))
    const started = performance.now()
    const result = await provider.stream(request(MODELS[vendor.id]!)).result()
    const seconds = (performance.now() - started) / 1000
    expect(result.text.length).toBe(TINY_EVENTS)
    console.log(
      `[probe ${label}] ${vendor.id} tiny: ${TINY_EVENTS} events in ${seconds.toFixed(2)} s = ${Math.round(TINY_EVENTS / seconds / 100) / 10}k events/s`,
    )
  })

  it(`${vendor.id}: one long line`, async () => {
    let gaveUp = false
    for (const size of LINE_SIZES_MB) {
      if (gaveUp) {
        console.log(
          `[probe ${label}] ${vendor.id} line ${size} MB: skipped (a smaller line took over ${GIVE_UP_SECONDS} s)`,
        )
        continue
      }
      const text = 'x'.repeat(size * MB)
      const bytes = encoder.encode(vendor.body([text]))
      gc?.()
      // The JS heap and the ArrayBuffers (where an SDK that buffers bytes keeps them); the body's
      // own bytes were allocated before the baseline.
      const memory = () => {
        const { heapUsed, arrayBuffers } = process.memoryUsage()
        return heapUsed + arrayBuffers
      }
      const baseline = memory()
      let peak = baseline
      const sample = () => {
        if (LIVE) gc?.()
        const used = memory()
        if (used > peak) peak = used
      }
      const provider = vendor.provider(answering(bytes, vendor.contentType, sample))
      const started = performance.now()
      const result = await provider.stream(request(MODELS[vendor.id]!)).result()
      const seconds = (performance.now() - started) / 1000
      sample()
      expect(result.text.length).toBe(text.length)
      const growth = (peak - baseline) / MB
      console.log(
        `[probe ${label}] ${vendor.id} line ${size} MB: ${seconds.toFixed(2)} s, peak ${LIVE ? 'live ' : ''}heap+buffers growth ${growth.toFixed(0)} MB (${(growth / size).toFixed(2)}× the line)`,
      )
      if (seconds > GIVE_UP_SECONDS) gaveUp = true
    }
  })
}
