import { AsyncLocalStorage } from 'node:async_hooks'
import { randomBytes, randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import {
  AuthenticationError,
  type Client,
  createClient,
  findPrice,
  type GenerateRequest,
  type GenerateResult,
  loadProviderSpec,
  NotFoundError,
  type PricingTable,
  type ProviderEntry,
  RateLimitError,
  type StreamEvent,
  type Usage,
} from '@modelplex/core'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { z } from 'zod'
import {
  anthropicMessage,
  anthropicMessageStream,
  type MessagesRequest,
  messagesRequestSchema,
  toMessagesGenerateRequest,
} from './anthropic-messages.js'
import {
  type GatewayConfig,
  type GatewayConfigInput,
  gatewayKeyRequestSchema,
  parseGatewayConfig,
  type StoredKey,
  sha256,
  storedKeys,
} from './gateway-config.js'
import {
  anthropicErrorResponse,
  badRequest,
  GATEWAY,
  openAIErrorResponse,
  toWireError,
} from './gateway-errors.js'
import { createMetrics } from './gateway-metrics.js'
import {
  type Actual,
  createMemoryStore,
  type Estimate,
  type GatewayStore,
  type KeyChange,
} from './memory-store.js'
import { createRedisStore } from './redis-store.js'

/** A store whose connection is made in the background; calls wait for it (a failed one fails closed). */
function lazyStore(
  pending: Promise<GatewayStore & { close(): Promise<void> }>,
): GatewayStore & { close(): Promise<void> } {
  pending.catch(() => undefined)
  return {
    admit: async (...args) => (await pending).admit(...args),
    settle: async (...args) => (await pending).settle(...args),
    record: async (...args) => (await pending).record(...args),
    usage: async (...args) => (await pending).usage(...args),
    ready: async () => (await pending).ready(),
    putKey: async (key) => (await pending).putKey?.(key),
    deleteKey: async (id) => (await pending).deleteKey?.(id),
    loadKeys: async () => (await pending).loadKeys?.() ?? [],
    onKeyChange: (listener) => {
      pending.then((store) => store.onKeyChange?.(listener)).catch(() => undefined)
    },
    close: async () => (await pending.catch(() => undefined))?.close(),
  }
}

import {
  type ChatRequest,
  chatCompletion,
  chatRequestSchema,
  openAIChatStream,
  toGenerateRequest,
} from './openai-chat.js'
import { embeddingsRequestSchema, embeddingsResponse } from './openai-embeddings.js'
import type { StreamEncoder } from './stream-encoder.js'

export interface GatewayOptions {
  /** Provider entries over the config's settings, e.g. `{ openai: { ...settings, load: () => import('…') } }`. */
  providers?: Record<string, ProviderEntry>
  /** Where `${VAR}` is read (default `process.env`). */
  env?: Record<string, string | undefined>
  /** The store of limits, budgets and the ledger (default: the embedded in-process one). */
  store?: GatewayStore
  /** The clock, in milliseconds (default `Date.now`). */
  now?: () => number
  /** Prefix of the Redis keys (default `mpx:`), so gateways can share one Redis apart. */
  redisPrefix?: string
}

export interface ListeningGateway {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string
  port: number
  close(): Promise<void>
}

export interface Gateway {
  /** A fetch-style handler: Web-standard Request in, Response out. */
  fetch(request: Request): Promise<Response>
  /** Serves the handler over HTTP (default 127.0.0.1 on a free port). */
  listen(options?: { port?: number; hostname?: string }): Promise<ListeningGateway>
  readonly config: GatewayConfig
  /** Closes the store's connections (Redis). */
  close(): Promise<void>
}

/** What one request carries through admission, the upstream call and metering. */
interface RequestScope {
  started: number
  upstreamMs: number
  /** The `provider:model` that served the call, reported by core's router. */
  served?: string
}

/** A caller the gateway has authenticated: a virtual key, or the master key (no limits). */
type Caller = { kind: 'key'; key: StoredKey } | { kind: 'master' } | { kind: 'open' }

const scopes = new AsyncLocalStorage<RequestScope>()
/** The rate-limit headers of a refusal, by the error that carries it. */
const refusalHeaders = new WeakMap<object, Record<string, string>>()

/** A generate request as a wire format hands it to the gateway. */
interface ParsedGenerate {
  /** What the client sent as `model`: an alias or `provider:model`. */
  model: string
  core: GenerateRequest
  stream: boolean
  /** An upper bound of the prompt's tokens, for admission. */
  inputTokens: number
  warnings: Record<string, string>
  includeUsage?: boolean
}

/** One wire format of generate calls (OpenAI chat, Anthropic messages): parsing in, JSON and SSE out. */
interface GenerateFormat<Body = any> {
  endpoint: string
  what: string
  schema: z.ZodType<Body>
  parse(body: Body): ParsedGenerate
  error(error: unknown, headers?: Record<string, string>): Response
  json(result: GenerateResult, model: string, created: number): unknown
  encoder(parsed: ParsedGenerate, created: number): StreamEncoder
}

const newId = (prefix: string) => `${prefix}${randomUUID().replaceAll('-', '')}`

/** The text a message list holds, in UTF-8 bytes: an upper bound of its tokens for BPE tokenizers. */
function inputBound(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value)
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + inputBound(item), 0)
  if (value && typeof value === 'object') {
    let sum = 0
    for (const [key, item] of Object.entries(value))
      if (key !== 'role' && key !== 'type') sum += inputBound(item)
    return sum
  }
  return 0
}

const providerOf = (target: string) => target.slice(0, target.indexOf(':'))
const modelOf = (target: string) => target.slice(target.indexOf(':') + 1)

/**
 * Builds the gateway: an OpenAI-compatible (and Anthropic-compatible) HTTP API over core's
 * createClient, with virtual keys, limits and budgets checked by one admission step and every
 * request metered on the way out.
 */
export function createGateway(
  input: GatewayConfigInput | GatewayConfig,
  options: GatewayOptions = {},
): Gateway {
  const config = parseGatewayConfig(input, options.env ?? process.env)
  const now = options.now ?? Date.now
  const store: GatewayStore & { close?(): Promise<void> } =
    options.store ??
    (config.state?.redis
      ? lazyStore(
          createRedisStore({
            url: config.state.redis,
            ...(config.state.leaseMs ? { leaseMs: config.state.leaseMs } : {}),
            ...(options.redisPrefix ? { prefix: options.redisPrefix } : {}),
          }),
        )
      : createMemoryStore())
  const metrics = createMetrics()
  const keys = new Map<string, StoredKey>()
  const keysById = new Map<string, StoredKey>()
  const addKey = (key: StoredKey) => {
    keys.set(key.secretSha256, key)
    keysById.set(key.id, key)
  }
  const removeKey = (id: string) => {
    const key = keysById.get(id)
    if (!key) return
    keysById.delete(id)
    keys.delete(key.secretSha256)
  }
  for (const key of storedKeys(config)) addKey(key)
  // Keys made through the admin API live in a shared store and reach every instance: by pub/sub
  // as they change, and by a reload each second in case a message was lost.
  const sharedIds = new Set<string>()
  const applyChange = (change: KeyChange) => {
    if (change.type === 'put') {
      sharedSeen = true
      sharedIds.add(change.key.id)
      addKey(change.key)
    } else {
      sharedIds.delete(change.id)
      removeKey(change.id)
    }
  }
  store.onKeyChange?.(applyChange)
  const reloadKeys = async () => {
    const loaded = await store.loadKeys?.()
    if (!loaded) return
    const present = new Set(loaded.map((key) => key.id))
    for (const id of [...sharedIds]) if (!present.has(id)) applyChange({ type: 'delete', id })
    for (const key of loaded) applyChange({ type: 'put', key })
  }
  const sharedKeys: Promise<void> = reloadKeys().catch(() => undefined)
  const reloadTimer = store.loadKeys
    ? setInterval(() => void reloadKeys().catch(() => undefined), 1000)
    : undefined
  reloadTimer?.unref?.()
  let keysLoaded = false
  void sharedKeys.then(() => {
    keysLoaded = true
  })
  const masterSha = config.masterKey ? sha256(config.masterKey) : undefined
  // Once a shared key was seen, auth stays on: revoking the last key must not open the gateway.
  let sharedSeen = false
  const authRequired = () => keys.size > 0 || masterSha !== undefined || sharedSeen

  // Per provider, the options' entry goes over the config's settings (e.g. adds a `load` thunk).
  const providers: Record<string, ProviderEntry> = {}
  for (const id of new Set([...Object.keys(config.providers), ...Object.keys(options.providers ?? {})])) {
    const extra = options.providers?.[id]
    const settings = config.providers[id]
    providers[id] = (
      settings && extra && typeof extra === 'object' ? { ...settings, ...extra } : (extra ?? settings)
    ) as ProviderEntry
  }
  const client: Client = createClient({
    providers,
    ...(config.retry ? { retry: config.retry } : {}),
    ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
    hooks: {
      onRoute(event) {
        const scope = scopes.getStore()
        if (scope) scope.served = event.served
      },
    },
  })

  const pricing = new Map<string, Promise<PricingTable | undefined>>()
  const pricingOf = (providerId: string): Promise<PricingTable | undefined> => {
    let table = pricing.get(providerId)
    if (!table) {
      const entry = providers[providerId] as { load?: () => Promise<unknown> } | undefined
      table = (async () => {
        try {
          const module: any = entry?.load ? await entry.load() : await loadProviderSpec(providerId)
          const spec = module?.pricing ? module : (module?.default ?? module?.default?.default)
          return spec?.pricing as PricingTable | undefined
        } catch {
          return undefined
        }
      })()
      pricing.set(providerId, table)
    }
    return table
  }

  /** The targets a requested model stands for: an alias's list, or a served `provider:model`. */
  function resolve(model: string): string[] {
    const alias = config.models[model]
    if (alias) return alias.targets
    const colon = model.indexOf(':')
    if (config.allowProviderModels && colon > 0 && providers[model.slice(0, colon)]) return [model]
    throw new NotFoundError(
      `The model "${model}" does not exist on this gateway; use one of: ${Object.keys(config.models).join(', ') || '(none configured)'}${config.allowProviderModels ? ', or "provider:model" with a configured provider' : ''}`,
      { provider: GATEWAY, status: 404, code: 'model_not_found' },
    )
  }

  async function authenticate(request: Request): Promise<Caller> {
    if (!keysLoaded) await sharedKeys
    if (!authRequired()) return { kind: 'open' }
    const header = request.headers.get('authorization')
    const secret = header?.toLowerCase().startsWith('bearer ')
      ? header.slice(7).trim()
      : (request.headers.get('x-api-key') ?? undefined)
    if (!secret)
      throw new AuthenticationError(
        'No API key: send "Authorization: Bearer <key>" (or "x-api-key: <key>") with a key of this gateway',
        { provider: GATEWAY, status: 401, code: 'missing_api_key' },
      )
    const hash = sha256(secret)
    if (hash === masterSha) return { kind: 'master' }
    const key = keys.get(hash)
    if (!key)
      throw new AuthenticationError('Invalid API key: it is not a key of this gateway, or it was revoked', {
        provider: GATEWAY,
        status: 401,
        code: 'invalid_api_key',
      })
    return { kind: 'key', key }
  }

  function allow(caller: Caller, model: string): void {
    if (caller.kind !== 'key' || !caller.key.models) return
    if (!caller.key.models.includes(model))
      throw badRequest(
        `Key "${caller.key.id}" may not call the model "${model}"; it may call: ${caller.key.models.join(', ')}`,
        403,
        'model_not_allowed',
      )
  }

  /** The most a request can cost over its targets, in nano-dollars (1e-9 USD); undefined when a target is unpriced. */
  async function worstCost(
    targets: string[],
    inputTokens: number,
    outputTokens: number,
  ): Promise<number | undefined> {
    let worst = 0
    for (const target of targets) {
      const table = await pricingOf(providerOf(target))
      if (table?.free) continue
      const price = table ? findPrice(table, modelOf(target)) : undefined
      if (!price) return undefined
      worst = Math.max(worst, Math.ceil((price.input * inputTokens + price.output * outputTokens) * 1000))
    }
    return worst
  }

  interface Admitted {
    headers: Record<string, string>
    settle(actual: Actual): Promise<void>
  }

  /** Checks and reserves every limit of the caller's key at once; throws a 429 when one fails. */
  async function admit(
    caller: Caller,
    targets: string[],
    inputTokens: number,
    outputTokens: number,
  ): Promise<Admitted> {
    // A key with no limit and no budget has nothing to reserve: it never waits on the store.
    if (caller.kind !== 'key' || (!caller.key.limits && !caller.key.budget))
      return { headers: {}, settle: async () => {} }
    const { key } = caller
    let nanoUsd = 0
    if (key.budget) {
      const worst = await worstCost(targets, inputTokens, outputTokens)
      if (worst === undefined)
        throw badRequest(
          `Key "${key.id}" has a budget, and a target of this model has no price, so its cost cannot be kept within it; give the key a model with priced targets`,
          403,
          'model_unpriced',
        )
      nanoUsd = worst
    }
    const estimate: Estimate = { tokens: inputTokens + outputTokens, nanoUsd }
    const admission = await store.admit(key, estimate, now())
    if (!admission.ok) {
      const refusal = new RateLimitError(admission.message, {
        provider: GATEWAY,
        status: 429,
        code: admission.limit === 'budget' ? 'budget_exceeded' : 'rate_limit_exceeded',
        ...(admission.retryAfterMs !== undefined ? { retryAfterMs: admission.retryAfterMs } : {}),
      })
      if (admission.limit === 'rpm') refusalHeaders.set(refusal, { 'x-ratelimit-remaining-requests': '0' })
      if (admission.limit === 'tpm') refusalHeaders.set(refusal, { 'x-ratelimit-remaining-tokens': '0' })
      throw refusal
    }
    const headers: Record<string, string> = {}
    if (admission.remainingRequests !== undefined)
      headers['x-ratelimit-remaining-requests'] = String(admission.remainingRequests)
    if (admission.remainingTokens !== undefined)
      headers['x-ratelimit-remaining-tokens'] = String(admission.remainingTokens)
    let settled = false
    return {
      headers,
      settle: async (actual) => {
        if (settled) return
        settled = true
        await store.settle(admission.reservation, actual, now())
      },
    }
  }

  const actualOf = (
    usage: Usage | undefined,
    costUsd: number | undefined,
    fallbackTokens: number,
  ): Actual => ({
    tokens: usage ? usage.inputTokens + usage.outputTokens : fallbackTokens,
    nanoUsd: costUsd === undefined ? 0 : Math.round(costUsd * 1e9),
  })

  function meter(
    endpoint: string,
    caller: Caller,
    model: string,
    provider: string,
    status: number,
    usage: Usage | { inputTokens: number; outputTokens?: number } | undefined,
    costUsd: number | undefined,
    scope: RequestScope,
  ): void {
    metrics.requests.inc({ endpoint, model, provider, status: String(status) })
    const input = usage?.inputTokens ?? 0
    const output = usage?.outputTokens ?? 0
    if (input) metrics.tokens.inc({ model, provider, direction: 'input' }, input)
    if (output) metrics.tokens.inc({ model, provider, direction: 'output' }, output)
    if (costUsd) metrics.cost.inc({ model, provider }, costUsd)
    const total = performance.now() - scope.started
    metrics.latency.observe({ endpoint }, total / 1000)
    metrics.overhead.observe({ endpoint }, Math.max(0, total - scope.upstreamMs) / 1000)
    if (caller.kind === 'key')
      void store.record({
        keyId: caller.key.id,
        model,
        provider,
        day: new Date(now()).toISOString().slice(0, 10),
        inputTokens: input,
        outputTokens: output,
        nanoUsd: costUsd === undefined ? 0 : Math.round(costUsd * 1e9),
        status,
      })
  }

  const overheadHeader = (scope: RequestScope) =>
    Math.max(0, performance.now() - scope.started - scope.upstreamMs).toFixed(3)

  const servedProvider = (scope: RequestScope) => (scope.served ? providerOf(scope.served) : GATEWAY)

  function failure(
    endpoint: string,
    error: unknown,
    scope: RequestScope,
    extra: Record<string, string> = {},
    render: (error: unknown, headers: Record<string, string>) => Response = openAIErrorResponse,
  ): Response {
    const wire = toWireError(error)
    metrics.errors.inc({ endpoint, type: wire.code ?? wire.type })
    return render(error, {
      ...(typeof error === 'object' && error ? refusalHeaders.get(error) : undefined),
      'x-modelplex-provider': scope.served ? providerOf(scope.served) : GATEWAY,
      'x-modelplex-model': scope.served ? modelOf(scope.served) : '',
      // A failed call is not billed by the gateway (the upstream may bill a partial answer).
      'x-modelplex-cost-usd': '0',
      'x-modelplex-overhead-ms': overheadHeader(scope),
      ...extra,
    })
  }

  async function readJson<T extends z.ZodType>(
    request: Request,
    schema: T,
    what: string,
  ): Promise<z.infer<T>> {
    let body: unknown
    try {
      body = JSON.parse(await request.text())
    } catch {
      throw badRequest(
        `The request body is not valid JSON; send a JSON ${what} body with content-type application/json`,
      )
    }
    const parsed = schema.safeParse(body)
    if (!parsed.success) {
      const lines = parsed.error.issues.map((issue) => {
        const where = issue.path.length ? issue.path.map(String).join('.') : 'body'
        return issue.code === 'unrecognized_keys'
          ? `${where}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; remove them`
          : `${where}: ${issue.message}`
      })
      throw badRequest(`Invalid ${what} request: ${lines.join('; ')}`)
    }
    return parsed.data
  }

  const app = new Hono()
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: config.maxBodyBytes,
      onError: () =>
        openAIErrorResponse(
          badRequest(
            `The request body is larger than this gateway's limit of ${config.maxBodyBytes} bytes; send less, or raise maxBodyBytes in the gateway config`,
            413,
          ),
        ),
    }),
  )

  /** Runs one generate call in a wire format: the same admission, upstream call and metering for every format. */
  async function serveGenerate(
    request: Request,
    scope: RequestScope,
    format: GenerateFormat,
  ): Promise<Response> {
    const { endpoint } = format
    let caller: Caller
    let parsed: ParsedGenerate
    let targets: string[]
    let admitted: Admitted
    let outputTokens: number
    try {
      caller = await authenticate(request)
      parsed = format.parse(await readJson(request, format.schema, format.what))
      targets = resolve(parsed.model)
      allow(caller, parsed.model)
      outputTokens = parsed.core.maxOutputTokens ?? config.defaultMaxOutputTokens
      admitted = await admit(caller, targets, parsed.inputTokens, outputTokens)
    } catch (error) {
      return failure(endpoint, error, scope, {}, format.error)
    }
    const { model, core, inputTokens } = parsed
    const call = { ...core, model: targets[0] as string, fallback: targets.slice(1), signal: request.signal }
    const created = Math.floor(now() / 1000)
    /** The upstream failed before answering: release the reservation, meter it, answer in the caller's shape. */
    const upstreamFailed = async (error: unknown, upstreamStart: number): Promise<Response> => {
      scope.upstreamMs += performance.now() - upstreamStart
      await admitted.settle({ tokens: 0, nanoUsd: 0 })
      meter(
        endpoint,
        caller,
        model,
        servedProvider(scope),
        toWireError(error).status,
        undefined,
        undefined,
        scope,
      )
      return failure(endpoint, error, scope, admitted.headers, format.error)
    }

    if (!parsed.stream) {
      let result: GenerateResult
      const upstreamStart = performance.now()
      try {
        result = await client.generate(call)
      } catch (error) {
        return upstreamFailed(error, upstreamStart)
      }
      scope.upstreamMs += performance.now() - upstreamStart
      const costUsd = result.cost?.total
      await admitted.settle(actualOf(result.usage, costUsd, inputTokens + outputTokens))
      meter(endpoint, caller, model, result.provider, 200, result.usage, costUsd, scope)
      return Response.json(format.json(result, model, created), {
        headers: {
          ...admitted.headers,
          ...parsed.warnings,
          'x-modelplex-provider': result.provider,
          'x-modelplex-model': result.model,
          'x-modelplex-cost-usd': costUsd === undefined ? 'unpriced' : String(costUsd),
          'x-modelplex-overhead-ms': overheadHeader(scope),
        },
      })
    }

    const stream = client.stream(call)
    const iterator = stream[Symbol.asyncIterator]()
    let first: IteratorResult<StreamEvent>
    const upstreamStart = performance.now()
    try {
      first = await iterator.next()
    } catch (error) {
      return upstreamFailed(error, upstreamStart)
    }
    scope.upstreamMs += performance.now() - upstreamStart
    const served = scope.served ?? (targets[0] as string)
    const encoder = format.encoder(parsed, created)
    const text = new TextEncoder()
    let outputChars = 0
    let done = false
    let pending: IteratorResult<StreamEvent> | undefined = first
    const headers = {
      ...admitted.headers,
      ...parsed.warnings,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-modelplex-provider': providerOf(served),
      'x-modelplex-model': modelOf(served),
      // The cost of a stream is known at its end: it travels in the last SSE comment.
      'x-modelplex-cost-usd': 'in-stream',
      'x-modelplex-overhead-ms': overheadHeader(scope),
    }

    /** What a stream used when it ended early: the input bound and the text sent so far. */
    const partialActual = (): Actual => ({ tokens: inputTokens + Math.ceil(outputChars / 4), nanoUsd: 0 })
    const finishWith = async (actual: Actual, status: number, usage?: Usage, costUsd?: number) => {
      if (done) return
      done = true
      await admitted.settle(actual)
      meter(endpoint, caller, model, providerOf(served), status, usage, costUsd, scope)
    }
    const translate = (event: StreamEvent): string[] => {
      if (event.type === 'text-delta' || event.type === 'reasoning-delta') outputChars += event.text.length
      if (event.type === 'tool-call-delta') outputChars += event.argumentsDelta.length
      const frames = encoder.event(event)
      if (event.type === 'finish') {
        const costUsd = event.cost?.total
        frames.push(`: x-modelplex-cost-usd=${costUsd === undefined ? 'unpriced' : costUsd}\n\n`)
        void finishWith(actualOf(event.usage, costUsd, inputTokens + outputTokens), 200, event.usage, costUsd)
      }
      return frames
    }

    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const frame of encoder.open()) controller.enqueue(text.encode(frame))
      },
      async pull(controller) {
        try {
          // Read on until an event yields a frame: a pull that enqueues nothing is not called again.
          for (;;) {
            const result = pending ?? (await iterator.next())
            pending = undefined
            if (result.done) {
              for (const frame of encoder.close()) controller.enqueue(text.encode(frame))
              controller.close()
              await finishWith(partialActual(), 200)
              return
            }
            const frames = translate(result.value)
            for (const frame of frames) controller.enqueue(text.encode(frame))
            if (frames.length > 0) return
          }
        } catch (error) {
          const wire = toWireError(error)
          metrics.errors.inc({ endpoint, type: wire.code ?? wire.type })
          for (const frame of encoder.fail(wire)) controller.enqueue(text.encode(frame))
          controller.close()
          await finishWith(partialActual(), wire.status)
        }
      },
      async cancel() {
        // The client went away: stop the upstream request and settle what was used so far.
        stream.abort()
        await finishWith(partialActual(), 499)
      },
    })
    return new Response(body, { status: 200, headers })
  }

  const openAIChat: GenerateFormat<ChatRequest> = {
    endpoint: 'chat',
    what: 'chat completions',
    schema: chatRequestSchema,
    parse: (body) => ({
      model: body.model,
      core: toGenerateRequest(body),
      stream: body.stream === true,
      inputTokens: inputBound(body.messages) + inputBound(body.tools ?? []),
      warnings: body.reasoning_effort
        ? { 'x-modelplex-warnings': 'reasoning_effort is not forwarded by this gateway yet' }
        : ({} as Record<string, string>),
      includeUsage: body.stream_options?.include_usage === true,
    }),
    error: openAIErrorResponse,
    json: (result, model, created) => chatCompletion(result, newId('chatcmpl-'), model, created),
    encoder: (parsed, created) =>
      openAIChatStream(newId('chatcmpl-'), parsed.model, created, parsed.includeUsage === true),
  }
  const anthropicMessages: GenerateFormat<MessagesRequest> = {
    endpoint: 'messages',
    what: 'messages',
    schema: messagesRequestSchema,
    parse: (body) => ({
      model: body.model,
      core: toMessagesGenerateRequest(body),
      stream: body.stream === true,
      inputTokens: inputBound(body.messages) + inputBound(body.system ?? '') + inputBound(body.tools ?? []),
      warnings: {},
    }),
    error: anthropicErrorResponse,
    json: (result, model) => anthropicMessage(result, newId('msg_'), model),
    encoder: (parsed) => anthropicMessageStream(newId('msg_'), parsed.model),
  }

  app.post('/v1/chat/completions', (c) => {
    const scope: RequestScope = { started: performance.now(), upstreamMs: 0 }
    return scopes.run(scope, () => serveGenerate(c.req.raw, scope, openAIChat))
  })
  app.post('/v1/messages', (c) => {
    const scope: RequestScope = { started: performance.now(), upstreamMs: 0 }
    return scopes.run(scope, () => serveGenerate(c.req.raw, scope, anthropicMessages))
  })

  app.post('/v1/embeddings', (c) => {
    const scope: RequestScope = { started: performance.now(), upstreamMs: 0 }
    return scopes.run(scope, () => embeddings(c.req.raw, scope))
  })

  async function embeddings(request: Request, scope: RequestScope): Promise<Response> {
    const endpoint = 'embeddings'
    let caller: Caller
    let admitted: Admitted
    let body: z.infer<typeof embeddingsRequestSchema>
    let targets: string[]
    try {
      caller = await authenticate(request)
      body = await readJson(request, embeddingsRequestSchema, 'embeddings')
      targets = resolve(body.model)
      allow(caller, body.model)
      admitted = await admit(caller, targets, inputBound(body.input), 0)
    } catch (error) {
      return failure(endpoint, error, scope)
    }
    const upstreamStart = performance.now()
    try {
      const result = await client.embed({
        model: targets[0] as string,
        fallback: targets.slice(1),
        input: body.input,
        ...(body.dimensions ? { dimensions: body.dimensions } : {}),
        signal: request.signal,
      })
      scope.upstreamMs += performance.now() - upstreamStart
      const costUsd = result.cost?.total
      await admitted.settle(
        actualOf(
          result.usage
            ? {
                inputTokens: result.usage.inputTokens,
                outputTokens: 0,
                totalTokens: result.usage.inputTokens,
              }
            : undefined,
          costUsd,
          inputBound(body.input),
        ),
      )
      meter(endpoint, caller, body.model, result.provider, 200, result.usage, costUsd, scope)
      return Response.json(embeddingsResponse(result, body.model, body.encoding_format ?? 'float'), {
        headers: {
          ...admitted.headers,
          'x-modelplex-provider': result.provider,
          'x-modelplex-model': result.model,
          'x-modelplex-cost-usd': costUsd === undefined ? 'unpriced' : String(costUsd),
          'x-modelplex-overhead-ms': overheadHeader(scope),
        },
      })
    } catch (error) {
      scope.upstreamMs += performance.now() - upstreamStart
      await admitted.settle({ tokens: 0, nanoUsd: 0 })
      return failure(endpoint, error, scope, admitted.headers)
    }
  }

  const modelObject = (id: string) => ({ id, object: 'model', created: 0, owned_by: 'modelplex' })
  const visibleModels = (caller: Caller) =>
    Object.keys(config.models).filter(
      (name) => caller.kind !== 'key' || !caller.key.models || caller.key.models.includes(name),
    )
  const plainHeaders = (scope: RequestScope) => ({
    'x-modelplex-provider': GATEWAY,
    'x-modelplex-model': '',
    'x-modelplex-cost-usd': '0',
    'x-modelplex-overhead-ms': overheadHeader(scope),
  })

  app.get('/v1/models', async (c) => {
    const scope: RequestScope = { started: performance.now(), upstreamMs: 0 }
    try {
      const caller = await authenticate(c.req.raw)
      return Response.json(
        { object: 'list', data: visibleModels(caller).map(modelObject) },
        { headers: plainHeaders(scope) },
      )
    } catch (error) {
      return failure('models', error, scope)
    }
  })

  app.get('/v1/models/:id{.+}', async (c) => {
    const scope: RequestScope = { started: performance.now(), upstreamMs: 0 }
    try {
      const caller = await authenticate(c.req.raw)
      const id = decodeURIComponent(c.req.param('id'))
      resolve(id)
      allow(caller, id)
      return Response.json(modelObject(id), { headers: plainHeaders(scope) })
    } catch (error) {
      return failure('models', error, scope)
    }
  })

  app.get('/health/live', () => Response.json({ status: 'ok' }))
  app.get('/health/ready', async () => {
    const ready = await store.ready().catch(() => false)
    return Response.json(
      { status: ready ? 'ok' : 'unavailable', store: ready },
      { status: ready ? 200 : 503 },
    )
  })
  app.get('/metrics', async () => {
    return new Response(await metrics.registry.metrics(), {
      headers: { 'content-type': metrics.registry.contentType },
    })
  })

  // The admin API: behind the master key; a secret is shown once, at creation, and never again.
  const adminAuth = async (request: Request): Promise<void> => {
    const caller = masterSha ? await authenticate(request) : undefined
    if (caller?.kind !== 'master')
      throw new AuthenticationError(
        masterSha
          ? 'The admin API needs the master key: send "Authorization: Bearer <masterKey>"'
          : 'The admin API is off: set masterKey in the gateway config',
        { provider: GATEWAY, status: 401, code: 'admin_only' },
      )
  }
  const publicKey = (key: StoredKey) => ({
    id: key.id,
    models: key.models ?? null,
    budget: key.budget ?? null,
    limits: key.limits ?? null,
  })

  app.post('/admin/keys', async (c) => {
    const scope: RequestScope = { started: performance.now(), upstreamMs: 0 }
    try {
      await adminAuth(c.req.raw)
      const body = await readJson(c.req.raw, gatewayKeyRequestSchema, 'key')
      if (keysById.has(body.id))
        throw badRequest(`A key with the id "${body.id}" exists; pick another id or delete it first`, 409)
      const secret = `mpx-${randomBytes(24).toString('base64url')}`
      const key: StoredKey = { ...body, secretSha256: sha256(secret) }
      addKey(key)
      if (store.putKey) sharedIds.add(key.id)
      await store.putKey?.(key)
      return Response.json({ ...publicKey(key), secret }, { status: 201 })
    } catch (error) {
      return failure('admin', error, scope)
    }
  })
  app.get('/admin/keys', async (c) => {
    const scope: RequestScope = { started: performance.now(), upstreamMs: 0 }
    try {
      await adminAuth(c.req.raw)
      return Response.json({ data: [...keysById.values()].map(publicKey) })
    } catch (error) {
      return failure('admin', error, scope)
    }
  })
  app.delete('/admin/keys/:id', async (c) => {
    const scope: RequestScope = { started: performance.now(), upstreamMs: 0 }
    try {
      await adminAuth(c.req.raw)
      const key = keysById.get(c.req.param('id'))
      if (!key)
        throw new NotFoundError(`No key has the id "${c.req.param('id')}"; list them with GET /admin/keys`, {
          provider: GATEWAY,
          status: 404,
          code: 'key_not_found',
        })
      removeKey(key.id)
      await store.deleteKey?.(key.id)
      return Response.json({ id: key.id, deleted: true })
    } catch (error) {
      return failure('admin', error, scope)
    }
  })
  app.get('/admin/usage', async (c) => {
    const scope: RequestScope = { started: performance.now(), upstreamMs: 0 }
    try {
      await adminAuth(c.req.raw)
      const keyId = c.req.query('key')
      const from = c.req.query('from')
      const to = c.req.query('to')
      const rows = await store.usage({
        ...(keyId ? { keyId } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
      })
      const groups = new Map<
        string,
        {
          key: string
          model: string
          day: string
          requests: number
          inputTokens: number
          outputTokens: number
          costNanoUsd: number
        }
      >()
      for (const row of rows) {
        const name = `${row.keyId}\u0000${row.model}\u0000${row.day}`
        const group = groups.get(name) ?? {
          key: row.keyId,
          model: row.model,
          day: row.day,
          requests: 0,
          inputTokens: 0,
          outputTokens: 0,
          costNanoUsd: 0,
        }
        group.requests++
        group.inputTokens += row.inputTokens
        group.outputTokens += row.outputTokens
        group.costNanoUsd += row.nanoUsd
        groups.set(name, group)
      }
      return Response.json({
        data: [...groups.values()].map((group) => ({ ...group, costUsd: group.costNanoUsd / 1e9 })),
      })
    } catch (error) {
      return failure('admin', error, scope)
    }
  })

  app.notFound((c) =>
    openAIErrorResponse(
      new NotFoundError(
        `No route ${c.req.method} ${new URL(c.req.url).pathname} on this gateway; see docs/gateway.md for the endpoints`,
        {
          provider: GATEWAY,
          status: 404,
          code: 'unknown_route',
        },
      ),
    ),
  )
  app.onError((error) => openAIErrorResponse(error))

  const fetch = (request: Request) => Promise.resolve(app.fetch(request))
  return {
    config,
    fetch,
    close: async () => {
      if (reloadTimer) clearInterval(reloadTimer)
      await store.close?.()
    },
    listen(listenOptions = {}) {
      return new Promise<ListeningGateway>((resolve, reject) => {
        const server = serve(
          {
            fetch: app.fetch,
            port: listenOptions.port ?? 0,
            hostname: listenOptions.hostname ?? '127.0.0.1',
          },
          (info: AddressInfo) => {
            const host = listenOptions.hostname ?? '127.0.0.1'
            resolve({
              url: `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`,
              port: info.port,
              close: () =>
                new Promise<void>((done) => {
                  ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
                  server.close(() => done())
                }),
            })
          },
        )
        server.once('error', reject)
      })
    },
  }
}
