// The built-in middlewares: extractReasoning, cache (with an in-memory LRU store) and logging.
// defaultSettings sits in middleware.ts beside wrapProvider.
import { isZodSchema } from './json-schema.js'
import { MappedStream, type Middleware } from './middleware.js'
import { redact } from './redact.js'
import { resultMessages } from './result-content.js'
import type {
  ContentPart,
  EmbedRequest,
  GenerateRequest,
  GenerateResult,
  ModelStream,
  ResultMessage,
  StreamEvent,
} from './types.js'

// ---------------------------------------------------------------- extractReasoning

type Part = ContentPart | ResultMessage['content'][number]

/** Moves `<tag>…</tag>` out of text parts into reasoning parts, in place of where they stood. */
function splitParts<P extends Part>(parts: readonly P[], open: string, close: string, provider: string): P[] {
  const out: P[] = []
  for (const part of parts) {
    if (part.type !== 'text' || !part.text.includes(open)) {
      out.push(part)
      continue
    }
    let rest = part.text
    let text = ''
    const thoughts: string[] = []
    for (;;) {
      const start = rest.indexOf(open)
      if (start < 0) break
      const end = rest.indexOf(close, start + open.length)
      text += rest.slice(0, start)
      thoughts.push(rest.slice(start + open.length, end < 0 ? undefined : end))
      rest = end < 0 ? '' : rest.slice(end + close.length)
    }
    text = (text + rest).replace(/^\s+/, '')
    // Marked as the provider's own, so core sends it back to this provider in the next turn.
    out.push({ type: 'reasoning', text: thoughts.join('\n'), providerMetadata: { [provider]: {} } } as P)
    if (text) out.push({ ...part, text })
  }
  return out
}

function joinText(parts: readonly Part[], type: 'text' | 'reasoning'): string {
  let text = ''
  for (const part of parts) if (part.type === type) text += part.text
  return text
}

/** The longest end of `text` that could begin `tag` (held back until the next delta decides). */
function partialTagAt(text: string, tag: string): number {
  for (let length = Math.min(tag.length - 1, text.length); length > 0; length--)
    if (tag.startsWith(text.slice(text.length - length))) return text.length - length
  return text.length
}

/**
 * For models that write their reasoning inline (`<think>…</think>`: DeepSeek-R1 or Qwen on vLLM,
 * Ollama, Together): the tagged text becomes reasoning parts and `reasoning-delta` events.
 */
export function extractReasoning(options: { tag: string; startWithReasoning?: boolean }): Middleware {
  const open = `<${options.tag}>`
  const close = `</${options.tag}>`
  const mapResult = (result: GenerateResult, provider: string): GenerateResult => {
    if (!result.text.includes(open) && !options.startWithReasoning) return result
    const source =
      options.startWithReasoning && !result.text.includes(open) ? prefixed(result.content) : result.content
    const content = splitParts(source, open, close, provider)
    const reasoning = [result.reasoning, joinText(content, 'reasoning')].filter(Boolean).join('\n')
    return {
      ...result,
      text: joinText(content, 'text'),
      ...(reasoning ? { reasoning } : {}),
      content,
      messages: resultMessages(content),
    }
  }
  const prefixed = (content: ContentPart[]): ContentPart[] => {
    const index = content.findIndex((part) => part.type === 'text')
    if (index < 0) return content
    const copy = [...content]
    const part = copy[index] as Extract<ContentPart, { type: 'text' }>
    copy[index] = { ...part, text: open + part.text }
    return copy
  }
  return {
    async wrapGenerate({ request, next, provider }) {
      return mapResult(await next(request), provider.id)
    },
    wrapStream({ request, next, provider }) {
      let inside = options.startWithReasoning === true
      let held = ''
      let trimStart = false
      const emit = (text: string, out: StreamEvent[]) => {
        if (text === '') return
        if (inside) out.push({ type: 'reasoning-delta', text })
        else {
          const shown = trimStart ? text.replace(/^\s+/, '') : text
          if (shown === '') return
          trimStart = false
          out.push({ type: 'text-delta', text: shown })
        }
      }
      const mapEvent = (event: StreamEvent): StreamEvent[] => {
        const out: StreamEvent[] = []
        if (event.type === 'finish') {
          emit(held, out)
          held = ''
          out.push({
            ...event,
            messages: event.messages.map((message) => ({
              ...message,
              content: splitParts(
                options.startWithReasoning ? prefixedMessage(message.content) : message.content,
                open,
                close,
                provider.id,
              ),
            })),
          })
          return out
        }
        if (event.type !== 'text-delta') return [event]
        held += event.text
        for (;;) {
          const tag = inside ? close : open
          const at = held.indexOf(tag)
          if (at < 0) {
            const keep = partialTagAt(held, tag)
            emit(held.slice(0, keep), out)
            held = held.slice(keep)
            return out
          }
          emit(held.slice(0, at), out)
          if (inside) {
            out.push({ type: 'reasoning-end' })
            trimStart = true
          }
          inside = !inside
          held = held.slice(at + tag.length)
        }
      }
      const prefixedMessage = (content: ResultMessage['content']): ResultMessage['content'] => {
        const index = content.findIndex((part) => part.type === 'text')
        if (index < 0 || (content[index] as { text: string }).text.includes(open)) return content
        const copy = [...content]
        const part = copy[index] as { type: 'text'; text: string }
        copy[index] = { ...part, text: open + part.text }
        return copy
      }
      return new MappedStream(next(request), mapEvent, (result) => mapResult(result, provider.id))
    },
  }
}

// ---------------------------------------------------------------- cache

/** What the cache keeps per request: the result, and for a stream the events to replay. */
export type CacheEntry =
  | { type: 'generate'; result: GenerateResult }
  | { type: 'stream'; events: StreamEvent[]; result: GenerateResult }

/** Where `cache` keeps entries: the in-memory LRU below, or Redis, a file… */
export interface CacheStore {
  get(key: string): CacheEntry | undefined | Promise<CacheEntry | undefined>
  set(key: string, entry: CacheEntry): void | Promise<void>
}

/** An in-memory LRU store: the least recently read entry goes first once `maxEntries` is reached. */
export function memoryStore(options: { maxEntries?: number } = {}): CacheStore & { readonly size: number } {
  const maxEntries = options.maxEntries ?? 1_000
  const entries = new Map<string, CacheEntry>()
  return {
    get(key) {
      const entry = entries.get(key)
      if (entry) {
        // A Map keeps insertion order: moving the entry to the end marks it the most recent.
        entries.delete(key)
        entries.set(key, entry)
      }
      return entry
    },
    set(key, entry) {
      entries.delete(key)
      entries.set(key, entry)
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!)
    },
    get size() {
      return entries.size
    },
  }
}

/** Options that do not change the answer: a request differing only in these is the same request. */
const IGNORED = new Set(['signal', 'timeoutMs', 'maxRetries', 'headers', 'includeRaw'])

/** A stable key for exact matches; a zod schema counts by identity (its JSON form needs zod loaded). */
export function cacheKey(provider: string, request: GenerateRequest): string {
  return `${provider}:${JSON.stringify(request, function (this: unknown, key, value) {
    if (this === request && IGNORED.has(key)) return undefined
    if (isZodSchema(value)) return `zod#${schemaId(value)}`
    if (typeof value === 'function') return undefined
    if (value instanceof Uint8Array) return `bytes:${Buffer.from(value).toString('base64')}`
    return value
  })}`
}

const schemaIds = new WeakMap<object, number>()
let nextSchemaId = 0
function schemaId(schema: object): number {
  let id = schemaIds.get(schema)
  if (id === undefined) {
    id = ++nextSchemaId
    schemaIds.set(schema, id)
  }
  return id
}

/** Replays cached events as a stream, with the cached result. */
function replay(entry: Extract<CacheEntry, { type: 'stream' }>): ModelStream {
  let index = 0
  return {
    [Symbol.asyncIterator]() {
      return {
        next: async () =>
          index < entry.events.length
            ? { value: entry.events[index++]!, done: false }
            : { value: undefined, done: true as const },
      }
    },
    result: async () => entry.result,
    abort() {},
  }
}

/**
 * An exact-match response cache: the same request (provider, model, messages, settings, tools)
 * is answered from `store`; a cached stream replays its events as a stream.
 */
export function cache(
  options: { store?: CacheStore; key?: (provider: string, request: GenerateRequest) => string } = {},
): Middleware {
  const store = options.store ?? memoryStore()
  const keyOf = options.key ?? cacheKey
  return {
    async wrapGenerate({ request, next, provider }) {
      const key = `generate:${keyOf(provider.id, request)}`
      const hit = await store.get(key)
      if (hit?.type === 'generate') return hit.result
      const result = await next(request)
      if (result.finishReason !== 'error') await store.set(key, { type: 'generate', result })
      return result
    },
    wrapStream({ request, next, provider }) {
      const key = `stream:${keyOf(provider.id, request)}`
      let live: ModelStream | undefined
      const open = async (): Promise<ModelStream> => {
        const hit = await store.get(key)
        if (hit?.type === 'stream') return replay(hit)
        const events: StreamEvent[] = []
        const inner = next(request)
        const keep = (result: GenerateResult) => {
          if (result.finishReason !== 'error') void store.set(key, { type: 'stream', events, result })
        }
        live = new MappedStream(
          inner,
          (event) => {
            events.push(event)
            if (event.type === 'finish') inner.result().then(keep, () => {})
            return [event]
          },
          (result) => result,
        )
        return live
      }
      return deferred(open, () => live)
    },
  }
}

/** A stream opened asynchronously (the cache is read first), usable at once. */
function deferred(open: () => Promise<ModelStream>, current: () => ModelStream | undefined): ModelStream {
  let opened: Promise<ModelStream> | undefined
  const get = () => (opened ??= open())
  let iterator: AsyncIterator<StreamEvent> | undefined
  let resultPromise: Promise<GenerateResult> | undefined
  let iterated = false
  const stream: ModelStream = {
    [Symbol.asyncIterator]() {
      iterated = true
      return {
        async next() {
          iterator ??= (await get())[Symbol.asyncIterator]()
          return iterator.next()
        },
        async return() {
          await iterator?.return?.()
          return { value: undefined, done: true as const }
        },
      }
    },
    result() {
      resultPromise ??= (async () => {
        const inner = await get()
        // Read through the same stream the caller iterates, so the cache sees the events.
        if (!iterated) for await (const _event of inner) void _event
        return inner.result()
      })()
      return resultPromise
    },
    abort(reason) {
      current()?.abort(reason)
    },
  }
  return stream
}

// ---------------------------------------------------------------- logging

/** What `logging` writes per call. Content (messages, text) only with `content: true`, redacted. */
export interface LogEntry {
  operation: 'generate' | 'stream' | 'embed'
  provider: string
  model: string | undefined
  latencyMs: number
  finishReason?: string
  usage?: GenerateResult['usage']
  cost?: GenerateResult['cost']
  error?: { name: string; message: string }
  messages?: unknown
  text?: string
}

/** Key shapes vendors issue (OpenAI, Anthropic, Groq, xAI, Google, AWS, bearer tokens). */
const KEY_PATTERN =
  /\b(?:sk-[\w-]{16,}|gsk_\w{16,}|xai-\w{16,}|AIza[\w-]{30,}|AKIA[A-Z0-9]{16}|Bearer\s+[\w.~+/-]{16,}=*)/g

/** Logs each call's operation, model, latency, usage, cost and outcome; never a key or header. */
export function logging(
  options: { log?: (entry: LogEntry) => void; content?: boolean; secrets?: string[] } = {},
): Middleware {
  const log = options.log ?? ((entry: LogEntry) => console.info('modelplex', JSON.stringify(entry)))
  const secrets = options.secrets ?? []
  const clean = (text: string) => redact(text, secrets).replace(KEY_PATTERN, '[redacted]')
  const contentOf = (request: { messages?: unknown }, text?: string) =>
    options.content
      ? {
          messages: JSON.parse(clean(JSON.stringify(request.messages ?? null))),
          ...(text !== undefined ? { text: clean(text) } : {}),
        }
      : {}
  const failed = (error: unknown) => ({
    name: error instanceof Error ? error.name : 'Error',
    message: clean(error instanceof Error ? error.message : String(error)),
  })
  const summary = (result: GenerateResult) => ({
    model: result.model,
    finishReason: result.finishReason,
    usage: result.usage,
    cost: result.cost,
  })
  return {
    async wrapGenerate({ request, next, provider }) {
      const started = performance.now()
      const base = { operation: 'generate' as const, provider: provider.id }
      try {
        const result = await next(request)
        log({
          ...base,
          ...summary(result),
          latencyMs: performance.now() - started,
          ...contentOf(request, result.text),
        })
        return result
      } catch (error) {
        log({
          ...base,
          model: request.model,
          latencyMs: performance.now() - started,
          error: failed(error),
          ...contentOf(request),
        })
        throw error
      }
    },
    wrapStream({ request, next, provider }) {
      const started = performance.now()
      const base = { operation: 'stream' as const, provider: provider.id }
      let logged = false
      const done = (result: GenerateResult) => {
        if (logged) return result
        logged = true
        log({
          ...base,
          ...summary(result),
          latencyMs: performance.now() - started,
          ...contentOf(request, result.text),
        })
        return result
      }
      const inner = next(request)
      return new MappedStream(
        inner,
        (event) => {
          if (event.type === 'finish') inner.result().then(done, () => {})
          return [event]
        },
        done,
        (error) => {
          if (logged) return
          logged = true
          log({
            ...base,
            model: request.model,
            latencyMs: performance.now() - started,
            error: failed(error),
            ...contentOf(request),
          })
        },
      )
    },
    async wrapEmbed({ request, next, provider }) {
      const started = performance.now()
      const base = { operation: 'embed' as const, provider: provider.id }
      try {
        const result = await next(request as EmbedRequest)
        log({ ...base, model: result.model, latencyMs: performance.now() - started, cost: result.cost })
        return result
      } catch (error) {
        log({ ...base, model: request.model, latencyMs: performance.now() - started, error: failed(error) })
        throw error
      }
    },
  }
}
