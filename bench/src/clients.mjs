// The clients under test, each behind the same two calls: `generate()` (one non-streaming
// completion, resolves with its text) and `stream(model)` (reads a whole stream, resolves with
// the number of text chunks and when the first arrived). Loading a client imports its packages,
// so the cold-start figures can time exactly what a user's first call costs.
import { ANTHROPIC_MODEL, OPENAI_MODEL } from './fixtures.mjs'
import { VENDOR_CLIENTS, VENDOR_MODELS } from './vendors.mjs'

const API_KEY = 'sk-bench-not-a-real-key'
const PROMPT = 'Say something about foxes.'
const MESSAGES = [{ role: 'user', content: PROMPT }]

/**
 * Reads server-sent events off a fetch body, calling `onData` with each event's `data:` text.
 * Reads to the end of the body, as the SDKs do: stopping early would abort the request and
 * lose the keep-alive connection.
 */
async function readEvents(body, onData) {
  const decoder = new TextDecoder()
  let buffer = ''
  for await (const bytes of body) {
    buffer += decoder.decode(bytes, { stream: true })
    let start = 0
    for (;;) {
      const end = buffer.indexOf('\n\n', start)
      if (end === -1) break
      const data = buffer.indexOf('data: ', start)
      if (data !== -1 && data < end) onData(buffer.slice(data + 6, end))
      start = end + 2
    }
    buffer = buffer.slice(start)
  }
}

function fetchOpenAI(baseURL) {
  const url = `${baseURL}/v1/chat/completions`
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` }
  return {
    async generate() {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: OPENAI_MODEL, messages: MESSAGES }),
      })
      if (!response.ok) throw new Error(`HTTP ${response.status}`)
      const json = await response.json()
      return json.choices[0].message.content
    },
    async stream(model, onChunk) {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          model,
          messages: MESSAGES,
          stream: true,
          stream_options: { include_usage: true },
        }),
      })
      if (!response.ok) throw new Error(`HTTP ${response.status}`)
      let chunks = 0
      let firstAt = 0
      await readEvents(response.body, (data) => {
        if (data === '[DONE]') return
        const content = JSON.parse(data).choices[0]?.delta?.content
        if (content) {
          if (chunks++ === 0) firstAt = performance.now()
          onChunk?.(chunks)
        }
      })
      return { chunks, firstAt }
    },
  }
}

function fetchAnthropic(baseURL) {
  const url = `${baseURL}/v1/messages`
  const headers = {
    'content-type': 'application/json',
    'x-api-key': API_KEY,
    'anthropic-version': '2023-06-01',
  }
  return {
    async generate() {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: ANTHROPIC_MODEL, max_tokens: 1024, messages: MESSAGES }),
      })
      if (!response.ok) throw new Error(`HTTP ${response.status}`)
      const json = await response.json()
      return json.content[0].text
    },
    async stream(model, onChunk) {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model, max_tokens: 1024, messages: MESSAGES, stream: true }),
      })
      if (!response.ok) throw new Error(`HTTP ${response.status}`)
      let chunks = 0
      let firstAt = 0
      await readEvents(response.body, (data) => {
        const event = JSON.parse(data)
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
          if (chunks++ === 0) firstAt = performance.now()
          onChunk?.(chunks)
        }
      })
      return { chunks, firstAt }
    },
  }
}

async function sdkOpenAI(baseURL) {
  const { OpenAI } = await import('openai')
  const client = new OpenAI({ apiKey: API_KEY, baseURL: `${baseURL}/v1`, maxRetries: 0 })
  return {
    async generate() {
      const completion = await client.chat.completions.create({ model: OPENAI_MODEL, messages: MESSAGES })
      return completion.choices[0].message.content
    },
    async stream(model, onChunk) {
      const stream = await client.chat.completions.create({
        model,
        messages: MESSAGES,
        stream: true,
        stream_options: { include_usage: true },
      })
      let chunks = 0
      let firstAt = 0
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta?.content) {
          if (chunks++ === 0) firstAt = performance.now()
          onChunk?.(chunks)
        }
      }
      return { chunks, firstAt }
    },
  }
}

function fetchOpenAIResponses(baseURL) {
  const url = `${baseURL}/v1/responses`
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` }
  return {
    async generate() {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: OPENAI_MODEL, input: MESSAGES, store: false }),
      })
      if (!response.ok) throw new Error(`HTTP ${response.status}`)
      const json = await response.json()
      return json.output[0].content[0].text
    },
    async stream(model, onChunk) {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model, input: MESSAGES, store: false, stream: true }),
      })
      if (!response.ok) throw new Error(`HTTP ${response.status}`)
      let chunks = 0
      let firstAt = 0
      await readEvents(response.body, (data) => {
        const event = JSON.parse(data)
        if (event.type === 'response.output_text.delta') {
          if (chunks++ === 0) firstAt = performance.now()
          onChunk?.(chunks)
        }
      })
      return { chunks, firstAt }
    },
  }
}

async function sdkOpenAIResponses(baseURL) {
  const { OpenAI } = await import('openai')
  const client = new OpenAI({ apiKey: API_KEY, baseURL: `${baseURL}/v1`, maxRetries: 0 })
  return {
    async generate() {
      const response = await client.responses.create({ model: OPENAI_MODEL, input: MESSAGES, store: false })
      return response.output_text
    },
    async stream(model, onChunk) {
      const stream = await client.responses.create({ model, input: MESSAGES, store: false, stream: true })
      let chunks = 0
      let firstAt = 0
      for await (const event of stream) {
        if (event.type === 'response.output_text.delta') {
          if (chunks++ === 0) firstAt = performance.now()
          onChunk?.(chunks)
        }
      }
      return { chunks, firstAt }
    },
  }
}

async function sdkAnthropic(baseURL) {
  const { Anthropic } = await import('@anthropic-ai/sdk')
  const client = new Anthropic({ apiKey: API_KEY, baseURL, maxRetries: 0 })
  return {
    async generate() {
      const message = await client.messages.create({
        model: ANTHROPIC_MODEL,
        max_tokens: 1024,
        messages: MESSAGES,
      })
      return message.content[0].text
    },
    async stream(model, onChunk) {
      const stream = await client.messages.create({
        model,
        max_tokens: 1024,
        messages: MESSAGES,
        stream: true,
      })
      let chunks = 0
      let firstAt = 0
      for await (const event of stream) {
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
          if (chunks++ === 0) firstAt = performance.now()
          onChunk?.(chunks)
        }
      }
      return { chunks, firstAt }
    },
  }
}

function modelplexClient(provider, model) {
  return {
    async generate() {
      return (await provider.generate({ model, messages: MESSAGES })).text
    },
    async stream(streamModel, onChunk) {
      let chunks = 0
      let firstAt = 0
      for await (const event of provider.stream({ model: streamModel, messages: MESSAGES })) {
        if (event.type === 'text-delta') {
          if (chunks++ === 0) firstAt = performance.now()
          onChunk?.(chunks)
        }
      }
      return { chunks, firstAt }
    },
  }
}

async function modelplexOpenAI(baseURL) {
  const { createOpenAI } = await import('@modelplex/provider-openai')
  // `api: 'chat'`: Chat Completions, the API the other clients of this table call.
  return modelplexClient(
    createOpenAI({ apiKey: API_KEY, baseURL: `${baseURL}/v1`, api: 'chat', retry: { maxRetries: 0 } }),
    OPENAI_MODEL,
  )
}

async function modelplexOpenAIResponses(baseURL) {
  const { createOpenAI } = await import('@modelplex/provider-openai')
  return modelplexClient(
    createOpenAI({ apiKey: API_KEY, baseURL: `${baseURL}/v1`, retry: { maxRetries: 0 } }),
    OPENAI_MODEL,
  )
}

async function modelplexAnthropic(baseURL) {
  const { createAnthropic } = await import('@modelplex/provider-anthropic')
  return modelplexClient(
    createAnthropic({ apiKey: API_KEY, baseURL, retry: { maxRetries: 0 }, defaultMaxOutputTokens: 1024 }),
    ANTHROPIC_MODEL,
  )
}

function vercelClient(ai, languageModel, defaultModel) {
  return {
    async generate() {
      const result = await ai.generateText({
        model: languageModel(defaultModel),
        messages: MESSAGES,
        maxRetries: 0,
      })
      return result.text
    },
    async stream(model, onChunk) {
      let failure
      const result = ai.streamText({
        model: languageModel(model),
        messages: MESSAGES,
        maxRetries: 0,
        onError: ({ error }) => {
          failure = error
        },
      })
      let chunks = 0
      let firstAt = 0
      for await (const text of result.textStream) {
        if (text) {
          if (chunks++ === 0) firstAt = performance.now()
          onChunk?.(chunks)
        }
      }
      if (failure) throw failure
      return { chunks, firstAt }
    },
  }
}

async function vercelOpenAI(baseURL) {
  const [ai, { createOpenAI }] = await Promise.all([import('ai'), import('@ai-sdk/openai')])
  globalThis.AI_SDK_LOG_WARNINGS = false
  const provider = createOpenAI({ apiKey: API_KEY, baseURL: `${baseURL}/v1` })
  // `.chat`: Chat Completions, the API every other client here calls (the default is Responses).
  return vercelClient(ai, (model) => provider.chat(model), OPENAI_MODEL)
}

async function vercelOpenAIResponses(baseURL) {
  const [ai, { createOpenAI }] = await Promise.all([import('ai'), import('@ai-sdk/openai')])
  globalThis.AI_SDK_LOG_WARNINGS = false
  const provider = createOpenAI({ apiKey: API_KEY, baseURL: `${baseURL}/v1` })
  return vercelClient(ai, (model) => provider.responses(model), OPENAI_MODEL)
}

async function vercelAnthropic(baseURL) {
  const [ai, { createAnthropic }] = await Promise.all([import('ai'), import('@ai-sdk/anthropic')])
  globalThis.AI_SDK_LOG_WARNINGS = false
  const provider = createAnthropic({ apiKey: API_KEY, baseURL: `${baseURL}/v1` })
  return vercelClient(ai, (model) => provider(model), ANTHROPIC_MODEL)
}

function langchainClient(createModel, defaultModel) {
  const models = new Map()
  const modelFor = (name) => {
    let model = models.get(name)
    if (!model) {
      model = createModel(name)
      models.set(name, model)
    }
    return model
  }
  return {
    async generate() {
      const message = await modelFor(defaultModel).invoke(MESSAGES)
      return message.content
    },
    async stream(model, onChunk) {
      let chunks = 0
      let firstAt = 0
      for await (const chunk of await modelFor(model).stream(MESSAGES)) {
        if (chunk.content) {
          if (chunks++ === 0) firstAt = performance.now()
          onChunk?.(chunks)
        }
      }
      return { chunks, firstAt }
    },
  }
}

async function langchainOpenAI(baseURL) {
  const { ChatOpenAI } = await import('@langchain/openai')
  return langchainClient(
    (model) =>
      new ChatOpenAI({
        model,
        apiKey: API_KEY,
        configuration: { baseURL: `${baseURL}/v1` },
        maxRetries: 0,
        streamUsage: true,
      }),
    OPENAI_MODEL,
  )
}

async function langchainAnthropic(baseURL) {
  const { ChatAnthropic } = await import('@langchain/anthropic')
  return langchainClient(
    (model) =>
      new ChatAnthropic({ model, apiKey: API_KEY, anthropicApiUrl: baseURL, maxRetries: 0, maxTokens: 1024 }),
    ANTHROPIC_MODEL,
  )
}

/**
 * Every client, in table order. `role`: `floor` (raw fetch), `sdk` (the baseline every ratio
 * divides by), `modelplex`, or `peer`.
 */
export const CLIENTS = [
  { id: 'openai:fetch', vendor: 'openai', role: 'floor', label: 'raw fetch', load: fetchOpenAI },
  { id: 'openai:sdk', vendor: 'openai', role: 'sdk', label: 'openai SDK', load: sdkOpenAI },
  { id: 'openai:modelplex', vendor: 'openai', role: 'modelplex', label: 'modelplex', load: modelplexOpenAI },
  { id: 'openai:vercel', vendor: 'openai', role: 'peer', label: 'Vercel AI SDK', load: vercelOpenAI },
  { id: 'openai:langchain', vendor: 'openai', role: 'peer', label: 'LangChain', load: langchainOpenAI },
  {
    id: 'openai-responses:fetch',
    vendor: 'openai-responses',
    role: 'floor',
    label: 'raw fetch',
    load: fetchOpenAIResponses,
  },
  {
    id: 'openai-responses:sdk',
    vendor: 'openai-responses',
    role: 'sdk',
    label: 'openai SDK (responses.create)',
    load: sdkOpenAIResponses,
  },
  {
    id: 'openai-responses:modelplex',
    vendor: 'openai-responses',
    role: 'modelplex',
    label: 'modelplex',
    load: modelplexOpenAIResponses,
  },
  {
    id: 'openai-responses:vercel',
    vendor: 'openai-responses',
    role: 'peer',
    label: 'Vercel AI SDK',
    load: vercelOpenAIResponses,
  },
  { id: 'anthropic:fetch', vendor: 'anthropic', role: 'floor', label: 'raw fetch', load: fetchAnthropic },
  { id: 'anthropic:sdk', vendor: 'anthropic', role: 'sdk', label: 'anthropic SDK', load: sdkAnthropic },
  {
    id: 'anthropic:modelplex',
    vendor: 'anthropic',
    role: 'modelplex',
    label: 'modelplex',
    load: modelplexAnthropic,
  },
  {
    id: 'anthropic:vercel',
    vendor: 'anthropic',
    role: 'peer',
    label: 'Vercel AI SDK',
    load: vercelAnthropic,
  },
  {
    id: 'anthropic:langchain',
    vendor: 'anthropic',
    role: 'peer',
    label: 'LangChain',
    load: langchainAnthropic,
  },
  // Bedrock, Google, Mistral, Cohere and Ollama: raw fetch, the vendor SDK, modelplex (vendors.mjs).
  ...VENDOR_CLIENTS,
]

/** The model that selects each stream length on the mock server. */
export function streamModel(vendor, long) {
  if (long) return 'bench-stream-20k'
  if (VENDOR_MODELS[vendor]) return VENDOR_MODELS[vendor]
  return vendor === 'anthropic' ? ANTHROPIC_MODEL : OPENAI_MODEL
}

export function findClient(id) {
  const client = CLIENTS.find((candidate) => candidate.id === id)
  if (!client) throw new Error(`unknown client ${id}`)
  return client
}
