// The native providers beyond OpenAI and Anthropic: each vendor's wire format for the mock server,
// and its three clients (raw fetch, the vendor SDK's own call, modelplex). Kept apart from
// clients.mjs and fixtures.mjs, which only add these lists to theirs.
//
// Wire payloads, from the vendors' API references:
// - Bedrock Converse / ConverseStream (docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html,
//   API_runtime_ConverseStream.html): `POST /model/{modelId}/converse[-stream]`; the stream is AWS
//   event-stream frames (`:event-type` messageStart, contentBlockDelta, contentBlockStop,
//   messageStop, metadata), encoded here with the SDK's own `@smithy/eventstream-codec`.
// - Gemini generateContent / streamGenerateContent?alt=sse (ai.google.dev/api/generate-content):
//   SSE `data:` lines of GenerateContentResponse, CRLF CRLF between events as Google sends them.
// - Mistral chat completions (docs.mistral.ai/api/#tag/chat): the OpenAI Chat Completions shape on
//   the same path, so Mistral is answered by the OpenAI payloads.
// - Cohere v2 chat (docs.cohere.com/reference/chat-stream): named SSE events message-start,
//   content-start, content-delta, content-end, message-end.
// - Ollama /api/chat (github.com/ollama/ollama/blob/main/docs/api.md): one JSON object per line.
import { EventStreamCodec } from '@smithy/eventstream-codec'
import { LONG_STREAM_CHUNKS, LONG_STREAM_MODEL, SHORT_STREAM_CHUNKS } from './fixtures.mjs'

export const BEDROCK_MODEL = 'amazon.nova-lite-v1:0'
export const GOOGLE_MODEL = 'gemini-2.5-flash'
export const MISTRAL_MODEL = 'mistral-small-latest'
export const COHERE_MODEL = 'command-a-03-2025'
export const OLLAMA_MODEL = 'llama3.2'

const API_KEY = 'sk-bench-not-a-real-key'
const PROMPT = 'Say something about foxes.'
const MESSAGES = [{ role: 'user', content: PROMPT }]
const WORDS = ['The', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog', '.']
const TEXT = 'The quick brown fox jumps over the lazy dog.'
const AWS = { region: 'us-east-1', accessKeyId: 'AKIABENCHNOTAREALKEY', secretAccessKey: 'bench-secret' }

const textEncoder = new TextEncoder()
const textDecoder = new TextDecoder()
const codec = new EventStreamCodec(
  (bytes) => textDecoder.decode(bytes),
  (text) => textEncoder.encode(text),
)

// ---------------------------------------------------------------------------------------------
// Wire payloads

function awsFrame(eventType, payload) {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: textEncoder.encode(JSON.stringify(payload)),
  })
}

function concat(parts) {
  return Buffer.concat(parts.map((part) => Buffer.from(part.buffer, part.byteOffset, part.byteLength)))
}

/** A ConverseStream body of `chunks` text deltas, or of the given `texts`. */
export function bedrockStream(chunks, texts) {
  const parts = [awsFrame('messageStart', { role: 'assistant' })]
  const count = texts ? texts.length : chunks
  for (let i = 0; i < count; i++) {
    parts.push(
      awsFrame('contentBlockDelta', {
        contentBlockIndex: 0,
        delta: { text: texts ? texts[i] : WORDS[i % WORDS.length] },
        p: 'abcdefghijkl',
      }),
    )
  }
  parts.push(awsFrame('contentBlockStop', { contentBlockIndex: 0 }))
  parts.push(awsFrame('messageStop', { stopReason: 'end_turn' }))
  parts.push(
    awsFrame('metadata', {
      usage: { inputTokens: 12, outputTokens: count, totalTokens: 12 + count },
      metrics: { latencyMs: 100 },
    }),
  )
  return concat(parts)
}

function googleChunk(text, last, chunks) {
  const chunk = {
    candidates: [
      { content: { parts: [{ text }], role: 'model' }, index: 0, ...(last ? { finishReason: 'STOP' } : {}) },
    ],
    usageMetadata: last
      ? { promptTokenCount: 12, candidatesTokenCount: chunks, totalTokenCount: 12 + chunks }
      : { promptTokenCount: 12, totalTokenCount: 12 },
    modelVersion: GOOGLE_MODEL,
    responseId: 'bench',
  }
  return `data: ${JSON.stringify(chunk)}\r\n\r\n`
}

/** A streamGenerateContent body: one text part per event, finishReason and usage on the last. */
export function googleStream(chunks, texts) {
  const count = texts ? texts.length : chunks
  const lines = []
  for (let i = 0; i < count; i++)
    lines.push(googleChunk(texts ? texts[i] : WORDS[i % WORDS.length], i === count - 1, count))
  return Buffer.from(lines.join(''))
}

function cohereEvent(type, data) {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`
}

/** A Cohere v2 chat stream. */
export function cohereStream(chunks, texts) {
  const count = texts ? texts.length : chunks
  const lines = [
    cohereEvent('message-start', {
      id: 'bench',
      delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } },
    }),
    cohereEvent('content-start', { index: 0, delta: { message: { content: { type: 'text', text: '' } } } }),
  ]
  for (let i = 0; i < count; i++) {
    lines.push(
      cohereEvent('content-delta', {
        index: 0,
        delta: { message: { content: { text: texts ? texts[i] : WORDS[i % WORDS.length] } } },
      }),
    )
  }
  lines.push(cohereEvent('content-end', { index: 0 }))
  lines.push(
    cohereEvent('message-end', {
      delta: {
        finish_reason: 'COMPLETE',
        usage: {
          billed_units: { input_tokens: 12, output_tokens: count },
          tokens: { input_tokens: 12, output_tokens: count },
        },
      },
    }),
  )
  return Buffer.from(lines.join(''))
}

const OLLAMA_STAMP = '2025-01-01T00:00:00.000000Z'

/** An Ollama /api/chat stream: NDJSON, the counts on the `done` line. */
export function ollamaStream(chunks, texts) {
  const count = texts ? texts.length : chunks
  const lines = []
  for (let i = 0; i < count; i++) {
    lines.push(
      `${JSON.stringify({
        model: OLLAMA_MODEL,
        created_at: OLLAMA_STAMP,
        message: { role: 'assistant', content: texts ? texts[i] : WORDS[i % WORDS.length] },
        done: false,
      })}\n`,
    )
  }
  lines.push(
    `${JSON.stringify({
      model: OLLAMA_MODEL,
      created_at: OLLAMA_STAMP,
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: 'stop',
      total_duration: 1_000_000,
      load_duration: 1000,
      prompt_eval_count: 12,
      prompt_eval_duration: 1000,
      eval_count: count,
      eval_duration: 1000,
    })}\n`,
  )
  return Buffer.from(lines.join(''))
}

const json = (value) => Buffer.from(JSON.stringify(value))

function vendorPayloads() {
  return {
    bedrock: {
      json: json({
        output: { message: { role: 'assistant', content: [{ text: TEXT }] } },
        stopReason: 'end_turn',
        usage: { inputTokens: 12, outputTokens: 10, totalTokens: 22 },
        metrics: { latencyMs: 100 },
      }),
      short: bedrockStream(SHORT_STREAM_CHUNKS),
      long: bedrockStream(LONG_STREAM_CHUNKS),
    },
    google: {
      json: json({
        candidates: [{ content: { parts: [{ text: TEXT }], role: 'model' }, finishReason: 'STOP', index: 0 }],
        usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 10, totalTokenCount: 22 },
        modelVersion: GOOGLE_MODEL,
        responseId: 'bench',
      }),
      short: googleStream(SHORT_STREAM_CHUNKS),
      long: googleStream(LONG_STREAM_CHUNKS),
    },
    cohere: {
      json: json({
        id: 'bench',
        message: { role: 'assistant', content: [{ type: 'text', text: TEXT }] },
        finish_reason: 'COMPLETE',
        usage: {
          billed_units: { input_tokens: 12, output_tokens: 10 },
          tokens: { input_tokens: 12, output_tokens: 10 },
        },
      }),
      short: cohereStream(SHORT_STREAM_CHUNKS),
      long: cohereStream(LONG_STREAM_CHUNKS),
    },
    ollama: {
      json: json({
        model: OLLAMA_MODEL,
        created_at: OLLAMA_STAMP,
        message: { role: 'assistant', content: TEXT },
        done: true,
        done_reason: 'stop',
        total_duration: 1_000_000,
        load_duration: 1000,
        prompt_eval_count: 12,
        prompt_eval_duration: 1000,
        eval_count: 10,
        eval_duration: 1000,
      }),
      short: ollamaStream(SHORT_STREAM_CHUNKS),
      long: ollamaStream(LONG_STREAM_CHUNKS),
    },
  }
}

const STREAM_TYPES = {
  bedrock: 'application/vnd.amazon.eventstream',
  google: 'text/event-stream',
  cohere: 'text/event-stream',
  ollama: 'application/x-ndjson',
}

/**
 * The mock server's answer for these vendors' routes: `{ status, headers, body }`, or undefined
 * for a URL that is not theirs. Bedrock names the model in the path and streams by path, the
 * others by `"stream":true` in the body.
 */
export function createVendorRoutes() {
  const payloads = vendorPayloads()
  return (url, body) => {
    let vendor
    let stream
    let long
    if (url.startsWith('/model/')) {
      vendor = 'bedrock'
      stream = url.endsWith('/converse-stream')
      long = url.includes(LONG_STREAM_MODEL)
    } else if (url.includes(':generateContent') || url.includes(':streamGenerateContent')) {
      vendor = 'google'
      stream = url.includes(':streamGenerateContent')
      long = url.includes(LONG_STREAM_MODEL)
    } else if (url.startsWith('/v2/chat')) {
      vendor = 'cohere'
      stream = body.includes('"stream":true')
      long = body.includes(LONG_STREAM_MODEL)
    } else if (url.startsWith('/api/chat')) {
      vendor = 'ollama'
      stream = body.includes('"stream":true')
      long = body.includes(LONG_STREAM_MODEL)
    } else return undefined
    const route = payloads[vendor]
    const headers = { 'x-amzn-requestid': 'req_bench', 'x-request-id': 'req_bench' }
    if (!stream) {
      const payload = route.json
      return {
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(payload.length) },
        body: payload,
      }
    }
    return {
      headers: { ...headers, 'content-type': STREAM_TYPES[vendor] },
      body: long ? route.long : route.short,
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Clients: `generate()` resolves with the text; `stream(model)` with the text chunks and when the
// first arrived. Raw fetch reads to the end of the body, as the SDKs do.

async function readLines(body, separator, onLine) {
  const decoder = new TextDecoder()
  let buffer = ''
  for await (const bytes of body) {
    buffer += decoder.decode(bytes, { stream: true })
    let start = 0
    for (;;) {
      const end = buffer.indexOf(separator, start)
      if (end === -1) break
      onLine(buffer.slice(start, end))
      start = end + separator.length
    }
    buffer = buffer.slice(start)
  }
}

function counter(onChunk) {
  const state = { chunks: 0, firstAt: 0 }
  state.add = (text) => {
    if (!text) return
    if (state.chunks++ === 0) state.firstAt = performance.now()
    onChunk?.(state.chunks)
  }
  return state
}

async function post(url, headers, body) {
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) })
  if (!response.ok) throw new Error(`HTTP ${response.status}`)
  return response
}

function fetchBedrock(baseURL) {
  // The mock does not check SigV4, so the floor sends none (signing is the SDK's cost, not the wire's).
  const headers = { 'content-type': 'application/json' }
  const url = (model, stream) =>
    `${baseURL}/model/${encodeURIComponent(model)}/${stream ? 'converse-stream' : 'converse'}`
  const body = { messages: [{ role: 'user', content: [{ text: PROMPT }] }] }
  return {
    async generate() {
      const json = await (await post(url(BEDROCK_MODEL, false), headers, body)).json()
      return json.output.message.content[0].text
    },
    async stream(model, onChunk) {
      const response = await post(url(model, true), headers, body)
      const count = counter(onChunk)
      // Framing by the length prelude; each message decoded (CRC-checked) by the SDK's codec.
      let pending = new Uint8Array(0)
      for await (const bytes of response.body) {
        let buffer = pending.length === 0 ? bytes : concat([pending, bytes])
        let offset = 0
        while (buffer.length - offset >= 4) {
          const view = new DataView(buffer.buffer, buffer.byteOffset + offset)
          const total = view.getUint32(0)
          if (buffer.length - offset < total) break
          const message = codec.decode(buffer.subarray(offset, offset + total))
          offset += total
          if (message.headers[':event-type']?.value === 'contentBlockDelta')
            count.add(JSON.parse(textDecoder.decode(message.body)).delta?.text)
        }
        buffer = buffer.subarray(offset)
        pending = buffer
      }
      return { chunks: count.chunks, firstAt: count.firstAt }
    },
  }
}

async function sdkBedrock(baseURL) {
  const [{ BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand }, { NodeHttpHandler }] =
    await Promise.all([import('@aws-sdk/client-bedrock-runtime'), import('@smithy/node-http-handler')])
  // The SDK's HTTP/1.1 handler for Node: its default for this client is HTTP/2, which the mock does not speak.
  const client = new BedrockRuntimeClient({
    requestHandler: new NodeHttpHandler(),
    region: AWS.region,
    endpoint: baseURL,
    credentials: { accessKeyId: AWS.accessKeyId, secretAccessKey: AWS.secretAccessKey },
    maxAttempts: 1,
  })
  const messages = [{ role: 'user', content: [{ text: PROMPT }] }]
  return {
    async generate() {
      const output = await client.send(new ConverseCommand({ modelId: BEDROCK_MODEL, messages }))
      return output.output.message.content[0].text
    },
    async stream(model, onChunk) {
      const output = await client.send(new ConverseStreamCommand({ modelId: model, messages }))
      const count = counter(onChunk)
      for await (const event of output.stream) count.add(event.contentBlockDelta?.delta?.text)
      return { chunks: count.chunks, firstAt: count.firstAt }
    },
  }
}

function fetchGoogle(baseURL) {
  const headers = { 'content-type': 'application/json', 'x-goog-api-key': API_KEY }
  const body = { contents: [{ role: 'user', parts: [{ text: PROMPT }] }] }
  return {
    async generate() {
      const url = `${baseURL}/v1beta/models/${GOOGLE_MODEL}:generateContent`
      const json = await (await post(url, headers, body)).json()
      return json.candidates[0].content.parts[0].text
    },
    async stream(model, onChunk) {
      const url = `${baseURL}/v1beta/models/${model}:streamGenerateContent?alt=sse`
      const response = await post(url, headers, body)
      const count = counter(onChunk)
      await readLines(response.body, '\r\n\r\n', (event) => {
        if (event.startsWith('data: '))
          count.add(JSON.parse(event.slice(6)).candidates?.[0]?.content?.parts?.[0]?.text)
      })
      return { chunks: count.chunks, firstAt: count.firstAt }
    },
  }
}

async function sdkGoogle(baseURL) {
  const { GoogleGenAI } = await import('@google/genai')
  const client = new GoogleGenAI({ apiKey: API_KEY, vertexai: false, httpOptions: { baseUrl: baseURL } })
  return {
    async generate() {
      const response = await client.models.generateContent({ model: GOOGLE_MODEL, contents: PROMPT })
      return response.text
    },
    async stream(model, onChunk) {
      const count = counter(onChunk)
      for await (const chunk of await client.models.generateContentStream({ model, contents: PROMPT }))
        count.add(chunk.candidates?.[0]?.content?.parts?.[0]?.text)
      return { chunks: count.chunks, firstAt: count.firstAt }
    },
  }
}

async function sdkMistral(baseURL) {
  const { Mistral } = await import('@mistralai/mistralai')
  const client = new Mistral({ apiKey: API_KEY, serverURL: baseURL, retryConfig: { strategy: 'none' } })
  return {
    async generate() {
      const response = await client.chat.complete({ model: MISTRAL_MODEL, messages: MESSAGES })
      return response.choices[0].message.content
    },
    async stream(model, onChunk) {
      const count = counter(onChunk)
      for await (const event of await client.chat.stream({ model, messages: MESSAGES }))
        count.add(event.data.choices[0]?.delta?.content)
      return { chunks: count.chunks, firstAt: count.firstAt }
    },
  }
}

function fetchCohere(baseURL) {
  const url = `${baseURL}/v2/chat`
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` }
  return {
    async generate() {
      const json = await (await post(url, headers, { model: COHERE_MODEL, messages: MESSAGES })).json()
      return json.message.content[0].text
    },
    async stream(model, onChunk) {
      const response = await post(url, headers, { model, messages: MESSAGES, stream: true })
      const count = counter(onChunk)
      await readLines(response.body, '\n\n', (event) => {
        const data = event.indexOf('data: ')
        if (data === -1) return
        const parsed = JSON.parse(event.slice(data + 6))
        if (parsed.type === 'content-delta') count.add(parsed.delta?.message?.content?.text)
      })
      return { chunks: count.chunks, firstAt: count.firstAt }
    },
  }
}

async function sdkCohere(baseURL) {
  const { CohereClientV2 } = await import('cohere-ai')
  const client = new CohereClientV2({ token: API_KEY, environment: baseURL })
  return {
    async generate() {
      const response = await client.chat({ model: COHERE_MODEL, messages: MESSAGES }, { maxRetries: 0 })
      return response.message.content[0].text
    },
    async stream(model, onChunk) {
      const count = counter(onChunk)
      for await (const event of await client.chatStream({ model, messages: MESSAGES }, { maxRetries: 0 }))
        if (event.type === 'content-delta') count.add(event.delta?.message?.content?.text)
      return { chunks: count.chunks, firstAt: count.firstAt }
    },
  }
}

function fetchOllama(baseURL) {
  const url = `${baseURL}/api/chat`
  const headers = { 'content-type': 'application/json' }
  return {
    async generate() {
      const json = await (
        await post(url, headers, { model: OLLAMA_MODEL, messages: MESSAGES, stream: false })
      ).json()
      return json.message.content
    },
    async stream(model, onChunk) {
      const response = await post(url, headers, { model, messages: MESSAGES, stream: true })
      const count = counter(onChunk)
      await readLines(response.body, '\n', (line) => {
        if (line) count.add(JSON.parse(line).message?.content)
      })
      return { chunks: count.chunks, firstAt: count.firstAt }
    },
  }
}

async function sdkOllama(baseURL) {
  const { Ollama } = await import('ollama')
  const client = new Ollama({ host: baseURL })
  return {
    async generate() {
      const response = await client.chat({ model: OLLAMA_MODEL, messages: MESSAGES, stream: false })
      return response.message.content
    },
    async stream(model, onChunk) {
      const count = counter(onChunk)
      for await (const part of await client.chat({ model, messages: MESSAGES, stream: true }))
        count.add(part.message?.content)
      return { chunks: count.chunks, firstAt: count.firstAt }
    },
  }
}

function modelplexClient(provider, model) {
  return {
    async generate() {
      return (await provider.generate({ model, messages: MESSAGES })).text
    },
    async stream(streamModel, onChunk) {
      const count = counter(onChunk)
      for await (const event of provider.stream({ model: streamModel, messages: MESSAGES }))
        if (event.type === 'text-delta') count.add(event.text)
      return { chunks: count.chunks, firstAt: count.firstAt }
    },
  }
}

const noRetry = { retry: { maxRetries: 0 } }

async function modelplexBedrock(baseURL) {
  const { createBedrock } = await import('@modelplex/provider-bedrock')
  return modelplexClient(createBedrock({ ...AWS, baseURL, ...noRetry }), BEDROCK_MODEL)
}

async function modelplexGoogle(baseURL) {
  const { createGoogle } = await import('@modelplex/provider-google')
  return modelplexClient(createGoogle({ apiKey: API_KEY, baseURL, ...noRetry }), GOOGLE_MODEL)
}

async function modelplexMistral(baseURL) {
  const { createMistral } = await import('@modelplex/provider-mistral')
  return modelplexClient(createMistral({ apiKey: API_KEY, baseURL, ...noRetry }), MISTRAL_MODEL)
}

async function modelplexCohere(baseURL) {
  const { createCohere } = await import('@modelplex/provider-cohere')
  return modelplexClient(createCohere({ apiKey: API_KEY, baseURL, ...noRetry }), COHERE_MODEL)
}

async function modelplexOllama(baseURL) {
  const { createOllama } = await import('@modelplex/provider-ollama')
  return modelplexClient(createOllama({ baseURL, ...noRetry }), OLLAMA_MODEL)
}

/** The OpenAI-shaped wire: Mistral's floor is the OpenAI floor's code on the same payloads. */
async function fetchMistral(baseURL) {
  const { findClient } = await import('./clients.mjs')
  return findClient('openai:fetch').load(baseURL)
}

const rows = (vendor, sdkLabel, floor, sdk, modelplex) => [
  { id: `${vendor}:fetch`, vendor, role: 'floor', label: 'raw fetch', load: floor },
  { id: `${vendor}:sdk`, vendor, role: 'sdk', label: sdkLabel, load: sdk },
  { id: `${vendor}:modelplex`, vendor, role: 'modelplex', label: 'modelplex', load: modelplex },
]

/** The native providers' clients, in table order; clients.mjs appends them to its list. */
export const VENDOR_CLIENTS = [
  ...rows('bedrock', 'AWS SDK (client-bedrock-runtime)', fetchBedrock, sdkBedrock, modelplexBedrock),
  ...rows('google', '@google/genai', fetchGoogle, sdkGoogle, modelplexGoogle),
  ...rows('mistral', '@mistralai/mistralai', fetchMistral, sdkMistral, modelplexMistral),
  ...rows('cohere', 'cohere-ai', fetchCohere, sdkCohere, modelplexCohere),
  ...rows('ollama', 'ollama', fetchOllama, sdkOllama, modelplexOllama),
]

/** Table titles of these vendors. */
export const VENDOR_TITLES = {
  bedrock: 'Amazon Bedrock Converse (AWS event-stream)',
  google: 'Google Gemini generateContent (SSE)',
  mistral: 'Mistral chat completions (the OpenAI wire)',
  cohere: 'Cohere v2 chat (SSE)',
  ollama: 'Ollama /api/chat (NDJSON)',
}

/** The short-stream model of each vendor (any model not named LONG_STREAM_MODEL gets the short stream). */
export const VENDOR_MODELS = {
  bedrock: BEDROCK_MODEL,
  google: GOOGLE_MODEL,
  mistral: MISTRAL_MODEL,
  cohere: COHERE_MODEL,
  ollama: OLLAMA_MODEL,
}
