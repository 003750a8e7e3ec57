// Hostile streams through modelplex, in memory (an in-process `fetch` that hands out the body in
// 64 KiB pieces, no socket): 200,000 one-character text events, and one 40 MB text event (one
// 40 MB SSE or NDJSON line; one 40 MB event-stream message for Bedrock). One fresh process per
// vendor and probe: `node --expose-gc probes.mjs <vendor> <tiny|long> [count|megabytes]` prints
// one JSON line. bench.mjs runs every vendor; `BENCH_PROBE_EVENTS` and `BENCH_PROBE_MB` scale them.
import { bedrockStream, cohereStream, googleStream, ollamaStream, VENDOR_MODELS } from './vendors.mjs'

export const PROBE_VENDORS = ['openai', 'anthropic', 'bedrock', 'google', 'mistral', 'cohere', 'ollama']
export const PROBE_EVENTS = Number(process.env.BENCH_PROBE_EVENTS ?? 200_000)
export const PROBE_MB = Number(process.env.BENCH_PROBE_MB ?? 40)

const API_KEY = 'sk-bench-not-a-real-key'
const PIECE = 64 * 1024

function openAIStream(texts) {
  const lines = texts.map(
    (text) =>
      `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":${JSON.stringify(text)}},"finish_reason":null}]}\n\n`,
  )
  lines.push(
    'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}\n\n',
  )
  lines.push('data: [DONE]\n\n')
  return Buffer.from(lines.join(''))
}

function anthropicStream(texts) {
  const event = (type, data) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`
  const lines = [
    event('message_start', {
      message: {
        id: 'msg',
        type: 'message',
        role: 'assistant',
        model: 'm',
        content: [],
        stop_reason: null,
        usage: { input_tokens: 1, output_tokens: 1 },
      },
    }),
    event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  ]
  for (const text of texts)
    lines.push(event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }))
  lines.push(event('content_block_stop', { index: 0 }))
  lines.push(event('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 1 } }))
  lines.push(event('message_stop', {}))
  return Buffer.from(lines.join(''))
}

const BODIES = {
  openai: openAIStream,
  mistral: openAIStream,
  anthropic: anthropicStream,
  bedrock: (texts) => bedrockStream(0, texts),
  google: (texts) => googleStream(0, texts),
  cohere: (texts) => cohereStream(0, texts),
  ollama: (texts) => ollamaStream(0, texts),
}

const CONTENT_TYPES = {
  bedrock: 'application/vnd.amazon.eventstream',
  ollama: 'application/x-ndjson',
}

/** A `fetch` that answers every call with `body`, 64 KiB at a time. */
function memoryFetch(vendor, body) {
  return async () => {
    let offset = 0
    const stream = new ReadableStream({
      pull(controller) {
        if (offset >= body.length) return controller.close()
        controller.enqueue(
          new Uint8Array(body.buffer, body.byteOffset + offset, Math.min(PIECE, body.length - offset)),
        )
        offset += PIECE
      },
    })
    return new Response(stream, {
      status: 200,
      headers: {
        'content-type': CONTENT_TYPES[vendor] ?? 'text/event-stream',
        'x-request-id': 'req_probe',
        'x-amzn-requestid': 'req_probe',
      },
    })
  }
}

async function provider(vendor, fetch) {
  const common = { fetch, retry: { maxRetries: 0 }, timeoutMs: 600_000 }
  switch (vendor) {
    case 'openai':
      return (await import('@modelplex/provider-openai')).createOpenAI({ apiKey: API_KEY, ...common })
    case 'anthropic':
      return (await import('@modelplex/provider-anthropic')).createAnthropic({
        apiKey: API_KEY,
        defaultMaxOutputTokens: 1024,
        ...common,
      })
    case 'bedrock':
      return (await import('@modelplex/provider-bedrock')).createBedrock({
        region: 'us-east-1',
        accessKeyId: 'AKIABENCHNOTAREALKEY',
        secretAccessKey: 'bench-secret',
        ...common,
      })
    case 'google':
      return (await import('@modelplex/provider-google')).createGoogle({ apiKey: API_KEY, ...common })
    case 'mistral':
      return (await import('@modelplex/provider-mistral')).createMistral({ apiKey: API_KEY, ...common })
    case 'cohere':
      return (await import('@modelplex/provider-cohere')).createCohere({ apiKey: API_KEY, ...common })
    case 'ollama':
      return (await import('@modelplex/provider-ollama')).createOllama({ ...common })
  }
  throw new Error(`unknown vendor ${vendor}`)
}

const MODELS = { openai: 'gpt-4o-mini', anthropic: 'claude-sonnet-5-5', ...VENDOR_MODELS }

async function probe(vendor, kind, size) {
  const texts = kind === 'tiny' ? Array.from({ length: size }, () => 'x') : ['x'.repeat(size * 1024 * 1024)]
  const body = BODIES[vendor](texts)
  texts.length = 0
  const client = await provider(vendor, memoryFetch(vendor, body))
  globalThis.gc?.()
  const heapBefore = process.memoryUsage().heapUsed
  const rssBefore = process.memoryUsage.rss()
  let peakHeap = heapBefore
  let chars = 0
  let events = 0
  const started = performance.now()
  for await (const event of client.stream({
    model: MODELS[vendor],
    messages: [{ role: 'user', content: 'hi' }],
  })) {
    if (event.type !== 'text-delta') continue
    events++
    chars += event.text.length
    // Sampled, not per event: memoryUsage() itself costs microseconds.
    if ((events & 1023) === 1) {
      const heap = process.memoryUsage().heapUsed
      if (heap > peakHeap) peakHeap = heap
    }
  }
  const ms = performance.now() - started
  const heapEnd = process.memoryUsage().heapUsed
  const expected = kind === 'tiny' ? size : size * 1024 * 1024
  if (chars !== expected) throw new Error(`${vendor} ${kind}: ${chars} characters, expected ${expected}`)
  const mb = 1024 * 1024
  return {
    ms,
    events,
    eventsPerSecond: events / (ms / 1000),
    bodyMb: body.length / mb,
    heapGrowthMb: (Math.max(peakHeap, heapEnd) - heapBefore) / mb,
    rssGrowthMb: (process.memoryUsage.rss() - rssBefore) / mb,
  }
}

if (process.argv[1] && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href) {
  const [vendor, kind, size] = process.argv.slice(2)
  const amount = Number(size ?? (kind === 'tiny' ? PROBE_EVENTS : PROBE_MB))
  try {
    process.stdout.write(`${JSON.stringify(await probe(vendor, kind, amount))}\n`)
    process.exit(0)
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ error: String(error?.message ?? error).slice(0, 300) })}\n`)
    process.exit(0)
  }
}
