import type { WireKit, WireReply, WireRequestView, WireStreamPart, WireUsage } from './wire-kit.js'

/**
 * Model names that `demoScenarios` answers with a scripted failure or quirk; any other model
 * gets an ordinary answer. Vendor-neutral: the kit writes each in its vendor's wire format.
 */
export const demoModels = {
  /** A 429 with Retry-After on every other call (per operation), so one retry succeeds. */
  rateLimitedOnce: 'rate-limited-once',
  /** Always 404, as an unknown model. */
  notFound: 'no-such-model',
  /** Always overloaded (retryable): a fallback chain moves on once retries run out. */
  overloaded: 'overloaded-model',
  /** Always a 500. */
  serverError: 'server-error',
  /** A 400 that says the prompt does not fit the context window. */
  contextOverflow: 'context-overflow',
  /** Refused under the content policy. */
  contentFilter: 'content-filtered',
  /** A 200 whose body is not the documented shape. */
  malformed: 'malformed',
  /** A stream whose connection drops after three parts. */
  cutStream: 'cut-stream',
} as const

export interface DemoScenarioOptions {
  /** The vendor's name, used in the simulated replies. */
  name?: string
  /** Decides which models the simulated vendor knows; others get a 404 (default: all). */
  knows?: (model: string) => boolean
  /** Ids `listModels` returns (default: the kit's chat and embedding models). */
  models?: string[]
  /** Milliseconds the 429 of `rate-limited-once` asks the client to wait (default 300). */
  retryAfterMs?: number
}

type JsonSchema = Record<string, unknown>

const words = (text: string): number => text.split(/\s+/).filter(Boolean).length

/** Splits text into word-sized stream parts, spaces kept, so the deltas join to the text. */
function textParts(text: string): WireStreamPart[] {
  return (text.match(/\S+\s*|\s+/g) ?? []).map((piece) => ({ type: 'text', text: piece }))
}

/** Tokens as a rough word count: stable, proportional and cheap, so the cost shown means something. */
function usageOf(view: WireRequestView, output: string): WireUsage {
  const input = [view.system ?? '', ...view.messages.map((message) => message.text)].join(' ')
  return { inputTokens: Math.max(1, Math.ceil(words(input) * 1.3)), outputTokens: Math.max(1, words(output)) }
}

/** A deterministic unit vector for a text: the same text always embeds to the same vector. */
function vectorOf(text: string, dimensions: number): number[] {
  let seed = 2166136261
  for (const char of text) seed = Math.imul(seed ^ char.codePointAt(0)!, 16777619) >>> 0
  const raw: number[] = []
  for (let i = 0; i < dimensions; i++) {
    seed = Math.imul(seed ^ (seed >>> 15), 2246822507) >>> 0
    seed = Math.imul(seed ^ (seed >>> 13), 3266489909) >>> 0
    raw.push(((seed >>> 0) / 4294967295) * 2 - 1)
  }
  const norm = Math.hypot(...raw) || 1
  return raw.map((value) => Math.round((value / norm) * 1e6) / 1e6)
}

const stringHints: Array<[RegExp, string]> = [
  [/city|town|capital/i, 'Paris'],
  [/country|nation/i, 'France'],
  [/e-?mail/i, 'ada@example.com'],
  [/^name$|full.?name|author|person/i, 'Ada Lovelace'],
  [/lang/i, 'French'],
  [/unit/i, 'celsius'],
  [/date|day/i, '2024-07-14'],
  [/url|link|website/i, 'https://example.com'],
  [/summary|description|answer|text|reason/i, 'A simulated answer that fits the schema.'],
]

const numberHints: Array<[RegExp, number]> = [
  [/population|inhabitants/i, 2102650],
  [/age/i, 36],
  [/temp/i, 18],
  [/year/i, 1889],
  [/lat/i, 48.8566],
  [/lon|lng/i, 2.3522],
  [/count|number|quantity|total/i, 3],
  [/score|confidence|probability/i, 0.92],
]

/** Follows a local `$ref` (`#/$defs/x`, `#/definitions/x`) inside the root schema. */
function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const ref = schema.$ref
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return schema
  let target: unknown = root
  for (const key of ref.slice(2).split('/')) target = (target as Record<string, unknown> | undefined)?.[key]
  return typeof target === 'object' && target !== null ? (target as JsonSchema) : {}
}

/**
 * A plausible value for a JSON Schema: enums and consts first, then the type, with hints from
 * the property name (a `city` is Paris), so a simulated structured reply reads like a real one.
 */
export function sampleFromSchema(schema: unknown, key = '', root?: JsonSchema, depth = 0): unknown {
  if (typeof schema !== 'object' || schema === null || depth > 8) return null
  const top = root ?? (schema as JsonSchema)
  const node = resolveRef(schema as JsonSchema, top)
  if ('const' in node) return node.const
  if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[0]
  if (node.default !== undefined) return node.default
  for (const union of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = node[union]
    if (!Array.isArray(options)) continue
    const pick = options.find((option) => (option as JsonSchema)?.type !== 'null') ?? options[0]
    return sampleFromSchema(pick, key, top, depth + 1)
  }
  const declared = Array.isArray(node.type) ? node.type.find((type) => type !== 'null') : node.type
  const type = declared ?? (node.properties ? 'object' : node.items ? 'array' : 'string')
  switch (type) {
    case 'object': {
      const properties = (node.properties ?? {}) as Record<string, unknown>
      const object: Record<string, unknown> = {}
      for (const [name, property] of Object.entries(properties)) {
        object[name] = sampleFromSchema(property, name, top, depth + 1)
      }
      return object
    }
    case 'array': {
      const count = Math.max(typeof node.minItems === 'number' ? node.minItems : 0, 2)
      const limited = typeof node.maxItems === 'number' ? Math.min(count, node.maxItems) : count
      return Array.from({ length: limited }, () => sampleFromSchema(node.items ?? {}, key, top, depth + 1))
    }
    case 'integer':
    case 'number': {
      let value = numberHints.find(([pattern]) => pattern.test(key))?.[1] ?? 42
      if (type === 'integer') value = Math.round(value)
      if (typeof node.minimum === 'number' && value < node.minimum) value = node.minimum
      if (typeof node.maximum === 'number' && value > node.maximum) value = node.maximum
      return value
    }
    case 'boolean':
      return true
    case 'null':
      return null
    default: {
      if (node.format === 'email') return 'ada@example.com'
      if (node.format === 'date') return '2024-07-14'
      if (node.format === 'date-time') return '2024-07-14T10:00:00Z'
      if (node.format === 'uri' || node.format === 'url') return 'https://example.com'
      const hinted = stringHints.find(([pattern]) => pattern.test(key))?.[1] ?? `example ${key || 'text'}`
      const max = typeof node.maxLength === 'number' ? node.maxLength : undefined
      return max !== undefined ? hinted.slice(0, max) : hinted
    }
  }
}

/** The JSON Schema a JSON-mode request carries in its system prompt (core's instruction), if any. */
function schemaFromInstruction(system: string | undefined): JsonSchema | undefined {
  const marker = system?.indexOf('JSON Schema:\n') ?? -1
  if (!system || marker < 0) return undefined
  const line = system.slice(marker + 'JSON Schema:\n'.length).split('\n')[0]!
  try {
    return JSON.parse(line) as JsonSchema
  } catch {
    return undefined
  }
}

/** The reasoning the demo writes before a tool call: the round trip sends it (or its signature) back. */
export const demoReasoning = {
  text: 'The user asked for it; call the tool.',
  signature: 'demo-signature-EqQBCkYIARgC',
}

/** What the last assistant turn sent back of the demo's reasoning: `signed`, `text` or `none`. */
function reasoningReport(view: WireRequestView): string {
  const assistant = [...view.messages].reverse().find((message) => message.role === 'assistant')
  const sent = assistant?.reasoning ?? []
  const how = sent.some((part) => part.signature === demoReasoning.signature)
    ? 'signed'
    : sent.some((part) => part.text === demoReasoning.text)
      ? 'text'
      : 'none'
  return `Reasoning sent back: ${how}.`
}

/** The files a user message carried, as the reply mentions them. */
function filesReport(message: WireRequestView['messages'][number] | undefined): string {
  const files = message?.files ?? []
  if (files.length === 0) return ''
  return ` Read ${files.length} file(s): ${files.map((file) => file.mediaType).join(', ')}.`
}

/**
 * A scripted, vendor-neutral `serve(view)` for `kit.handlers(serve)`: plausible answers for
 * generate, stream, tools (a call, then an answer to its result), structured output (sampled
 * from the schema), embeddings and model lists, plus the failures named in `demoModels`. It is
 * what the CLI's offline mode and tour talk to; every reply says that it is simulated.
 */
export function demoScenarios(
  kit: WireKit,
  options: DemoScenarioOptions = {},
): (view: WireRequestView) => WireReply {
  const label = options.name ? `the ${options.name} wire kit` : 'the wire kit'
  const retryAfterMs = options.retryAfterMs ?? 300
  const seen = new Map<string, number>()
  const count = (key: string): number => {
    const next = (seen.get(key) ?? 0) + 1
    seen.set(key, next)
    return next
  }
  const special = new Set<string>(Object.values(demoModels))

  return (view) => {
    if (view.apiKey !== kit.apiKey) return { type: 'error', kind: 'unauthorized' }
    const model = view.model ?? ''
    switch (model) {
      case demoModels.notFound:
        return { type: 'error', kind: 'not-found' }
      case demoModels.overloaded:
        return { type: 'error', kind: 'overloaded' }
      case demoModels.serverError:
        return { type: 'error', kind: 'server' }
      case demoModels.contextOverflow:
        return { type: 'error', kind: 'context-window' }
      case demoModels.contentFilter:
        return { type: 'error', kind: 'content-filter' }
      case demoModels.malformed:
        return { type: 'malformed' }
      case demoModels.rateLimitedOnce:
        if (count(`429:${view.operation}`) % 2 === 1)
          return { type: 'error', kind: 'rate-limit', retryAfterMs }
        break
    }
    if (view.operation === 'listModels') {
      const ids = options.models ?? [kit.models.chat, ...(kit.models.embedding ? [kit.models.embedding] : [])]
      return { type: 'models', ids }
    }
    if (model && !special.has(model) && options.knows && !options.knows(model)) {
      return { type: 'error', kind: 'not-found' }
    }
    if (view.operation === 'embed') {
      const input = view.embedInput ?? []
      return {
        type: 'embed',
        vectors: input.map((text) => vectorOf(text, view.dimensions ?? 8)),
        usage: { inputTokens: Math.max(1, Math.ceil(words(input.join(' ')) * 1.3)) },
      }
    }

    const stream = view.operation === 'stream'
    const last = view.messages[view.messages.length - 1]
    const schema = view.responseSchema ?? (view.jsonOutput ? schemaFromInstruction(view.system) : undefined)

    // A tool call, unless the conversation already carries the tool's result.
    const tool = view.tools?.[0]
    // A reasoning vendor thinks before it calls the tool, and signs what it thought.
    const reasons = kit.v2?.reasoningReturn !== undefined
    if (tool && last?.role !== 'tool') {
      const args = JSON.stringify(sampleFromSchema(tool.parameters))
      const id = `call_demo_${count('tool-call')}`
      const usage = usageOf(view, args)
      if (!stream) {
        return {
          type: 'generate',
          ...(reasons
            ? { reasoning: [{ text: demoReasoning.text, signature: demoReasoning.signature }] }
            : {}),
          toolCalls: [{ id, name: tool.name, arguments: args }],
          finishReason: 'tool-calls',
          usage,
        }
      }
      const half = Math.ceil(args.length / 2)
      return {
        type: 'stream',
        parts: [
          ...(reasons
            ? ([
                { type: 'reasoning', text: demoReasoning.text },
                { type: 'reasoning-end', signature: demoReasoning.signature },
              ] as const)
            : []),
          { type: 'tool-call', index: 0, id, name: tool.name, argumentsDelta: args.slice(0, half) },
          { type: 'tool-call', index: 0, argumentsDelta: args.slice(half) },
        ],
        finishReason: 'tool-calls',
        usage,
      }
    }

    let text: string
    if (schema || view.jsonOutput) {
      text = JSON.stringify(schema ? sampleFromSchema(schema) : { answer: 'A simulated JSON answer.' })
    } else if (last?.role === 'tool') {
      text = `The tool answered ${last.text}.${reasons ? ` ${reasoningReport(view)}` : ''} (Simulated by ${label}: no key, no network.)`
    } else {
      const turn = view.messages.filter((message) => message.role === 'user').length
      const said = (last?.text ?? '').replace(/\s+/g, ' ').trim()
      const quoted = said.length > 60 ? `${said.slice(0, 57)}…` : said
      text =
        `Hello from ${label}! This reply is simulated — no key, no network. ` +
        `You said "${quoted}"` +
        (turn > 1 ? `, turn ${turn} of this conversation.` : '.') +
        (view.system ? ` System prompt: "${view.system.split('\n')[0]!.slice(0, 40)}".` : '') +
        filesReport(last)
    }

    // maxOutputTokens is honoured in words, with finish reason "length", as a vendor would cut.
    let finishReason: 'stop' | 'length' = 'stop'
    if (view.maxOutputTokens !== undefined && !schema && words(text) > view.maxOutputTokens) {
      text = (text.match(/\S+\s*/g) ?? []).slice(0, Math.max(1, view.maxOutputTokens)).join('').trimEnd()
      finishReason = 'length'
    }
    const usage = usageOf(view, text)
    if (!stream) return { type: 'generate', text, finishReason, usage }
    if (model === demoModels.cutStream)
      return { type: 'stream', parts: textParts(text), finishReason, usage, cutAfter: 3 }
    return { type: 'stream', parts: textParts(text), finishReason, usage }
  }
}
