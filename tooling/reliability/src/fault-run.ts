import {
  faultInjector,
  gatewayErrorResponse,
  type HttpFault,
  randomInt,
  seededRandom,
  type WireKit,
  type WireReply,
  type WireRequestView,
} from '@modelplex/conformance'
import {
  createProvider,
  type GenerateRequest,
  type Hooks,
  ModelplexError,
  type Provider,
  type RetryOptions,
  type StreamEvent,
  type Usage,
} from '@modelplex/core'
import { setupServer } from 'msw/node'
import { expectedCost, type Vendor } from './vendors.js'

/** Faults a retry can recover from: they come before any response body. */
export const retryableFaults = [
  'rate-limit',
  'rate-limit-retry-after',
  'status-500',
  'status-502',
  'status-503',
  'status-529',
  'reset',
  'timeout',
] as const

/** Faults that end a call: a broken body, or a stream that failed after it started. */
export const terminalFaults = {
  generate: ['malformed-json', 'truncated-body'],
  stream: ['malformed-json', 'truncated-body', 'stream-cut', 'stream-error-event', 'stream-corrupt-event'],
} as const

export type FaultKind =
  | (typeof retryableFaults)[number]
  | (typeof terminalFaults)['generate'][number]
  | (typeof terminalFaults)['stream'][number]

export const faultKinds: FaultKind[] = [...retryableFaults, ...terminalFaults.stream]

/** The error classes a call that ends on each fault may surface. */
export const expectedErrors: Record<FaultKind, readonly string[]> = {
  'rate-limit': ['RateLimitError'],
  'rate-limit-retry-after': ['RateLimitError'],
  'status-500': ['ServerError'],
  'status-502': ['ServerError'],
  'status-503': ['ServerError'],
  'status-529': ['ServerError'],
  reset: ['ConnectionError'],
  timeout: ['TimeoutError'],
  'malformed-json': ['MalformedResponseError'],
  // A cut JSON body does not parse; a cut stream ends without its finish (or mid-frame).
  'truncated-body': ['MalformedResponseError', 'StreamInterruptedError'],
  'stream-cut': ['StreamInterruptedError'],
  'stream-error-event': ['ServerError'],
  // A frame that does not parse; a parser that drops it leaves a stream that ends unfinished.
  'stream-corrupt-event': ['MalformedResponseError', 'StreamInterruptedError'],
}

/** What one attempt of a call meets. */
interface Attempt {
  fault?: FaultKind
  /** For `rate-limit-retry-after`: the wait advertised. */
  retryAfterMs?: number
  /** For stream faults after the start: how many parts go out first. */
  afterParts?: number
  /** For `truncated-body`: the share of the body kept. */
  keep?: number
  /** For `stream-corrupt-event`: which frame breaks. */
  frame?: number
  errorKind?: 'server' | 'overloaded'
}

interface CallPlan {
  id: string
  vendor: Vendor
  operation: 'generate' | 'stream'
  parts: string[]
  usage: { inputTokens: number; outputTokens: number }
  attempts: Attempt[]
  timeoutMs: number
}

interface CallState {
  plan: CallPlan
  problems: string[]
  requests: number
  arrivals: number[]
  hookRequests: number
  responses: number
  errors: number
  retries: Array<{ delayMs: number; retryable: boolean; retryAfterMs: number | undefined; name: string }>
}

export interface FaultRunOptions {
  seed: number
  vendors: Vendor[]
  callsPerVendor: number
  /** Calls in flight per vendor (each lane runs its calls one after another). */
  lanesPerVendor: number
  retry: Required<RetryOptions>
  /** The per-attempt limit of calls that meet a hang. */
  hangTimeoutMs: number
  /**
   * A call still running after this long is lost. A call that meets hangs gets less: its attempts
   * times `hangTimeoutMs`, plus a second of slack per attempt for the machine being busy.
   */
  watchdogMs: number
}

/** One call that broke a property. */
export interface CallViolation {
  call: string
  vendor: string
  operation: 'generate' | 'stream'
  /** The attempts as planned, e.g. `status-502→rate-limit→ok`. */
  attempts: string
  /** The fault of the last attempt, if any. */
  lastFault: FaultKind | undefined
  /** Requests that reached the wire. */
  requests: number
  /** How the call ended: lost when it neither returned the scripted result nor threw a typed error. */
  outcome: Outcome | 'hung'
  problems: string[]
}

export interface FaultRunReport {
  calls: number
  operations: { generate: number; stream: number }
  /** Faults injected, per attempt. */
  faults: Record<FaultKind, number>
  clean: number
  recovered: number
  surfaced: number
  lost: number
  untyped: number
  hung: number
  unhandledRejections: number
  requests: number
  retries: number
  onResponse: number
  /** Calls that returned a result (right or wrong); each must fire onResponse once. */
  results: number
  errorsByClass: Record<string, number>
  perVendor: Record<
    string,
    { calls: number; clean: number; recovered: number; surfaced: number; faults: number }
  >
  /** The calls that broke a property, with what broke; must be empty. */
  violations: CallViolation[]
  durationMs: number
}

const VOCABULARY = [
  'Hello',
  ' wörld',
  ' 世界',
  ' 🌍',
  ' naïve',
  ' café',
  ' —',
  ' déjà vu',
  ' Ωmega',
  ' 👩‍💻',
  ' ok',
  '!',
  ' ∑x²',
  ' ありがとう',
]

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!
}

function planCall(vendor: Vendor, index: number, options: FaultRunOptions): CallPlan {
  const random = seededRandom(options.seed * 1_000_003 + index * 7919 + vendor.id.length * 104_729)
  const operation = random() < 0.5 ? 'generate' : 'stream'
  const parts = Array.from({ length: randomInt(random, 2, 6) }, () => pick(random, VOCABULARY))
  const usage = { inputTokens: randomInt(random, 5, 60), outputTokens: randomInt(random, 1, 40) }
  const attempts: Attempt[] = []
  const maxAttempts = options.retry.maxRetries + 1
  const retryable = randomInt(random, 0, maxAttempts)
  for (let i = 0; i < retryable; i++) {
    const fault = pick(random, retryableFaults)
    attempts.push({
      fault,
      ...(fault === 'rate-limit-retry-after' ? { retryAfterMs: randomInt(random, 0, 20) } : {}),
    })
  }
  if (retryable < maxAttempts) {
    if (random() < 0.4) {
      const fault = pick(random, terminalFaults[operation])
      attempts.push({
        fault,
        afterParts: randomInt(random, 1, parts.length),
        keep: 0.05 + random() * 0.9,
        frame: randomInt(random, 0, parts.length + 2),
        errorKind: random() < 0.5 ? 'server' : 'overloaded',
      })
    } else {
      attempts.push({})
    }
  }
  const hangs = attempts.some((attempt) => attempt.fault === 'timeout')
  return {
    id: `${vendor.id}-${index}`,
    vendor,
    operation,
    parts,
    usage,
    attempts,
    timeoutMs: hangs ? options.hangTimeoutMs : 30_000,
  }
}

/** The kit reply for one attempt (the HTTP-layer faults are answered before the kit is asked). */
function kitReply(plan: CallPlan, attempt: Attempt, model: string): WireReply {
  const success: WireReply =
    plan.operation === 'generate'
      ? { type: 'generate', text: plan.parts.join(''), finishReason: 'stop', usage: plan.usage, model }
      : {
          type: 'stream',
          parts: plan.parts.map((text) => ({ type: 'text', text })),
          finishReason: 'stop',
          usage: plan.usage,
          model,
        }
  switch (attempt.fault) {
    case 'rate-limit':
      return { type: 'error', kind: 'rate-limit' }
    case 'rate-limit-retry-after':
      return { type: 'error', kind: 'rate-limit', retryAfterMs: attempt.retryAfterMs! }
    case 'status-500':
      return { type: 'error', kind: 'server' }
    case 'reset':
      return { type: 'reset' }
    case 'timeout':
      return { type: 'hang' }
    case 'malformed-json':
      return { type: 'malformed' }
    case 'stream-cut':
      return { ...(success as Extract<WireReply, { type: 'stream' }>), cutAfter: attempt.afterParts! }
    case 'stream-error-event':
      return {
        ...(success as Extract<WireReply, { type: 'stream' }>),
        errorAfter: { parts: attempt.afterParts!, kind: attempt.errorKind! },
      }
    default:
      return success
  }
}

/** The HTTP-layer fault for one attempt, or undefined to let the kit answer. */
function httpFault(vendor: Vendor, attempt: Attempt, gateway502: string): HttpFault | undefined {
  switch (attempt.fault) {
    case 'status-502':
      // A proxy in front of the vendor failed: its HTML page, not the vendor's JSON.
      return { type: 'status', status: 502, body: gateway502 }
    case 'status-503':
      return { type: 'status', status: 503, ...vendor.errorBody('overloaded') }
    case 'status-529':
      return { type: 'status', status: 529, ...vendor.errorBody('overloaded') }
    case 'truncated-body':
      return { type: 'truncate', keep: attempt.keep! }
    case 'stream-corrupt-event':
      return { type: 'corrupt-frame', format: vendor.format, index: attempt.frame! }
    default:
      return undefined
  }
}

function sameUsage(
  actual: Usage | undefined,
  expected: { inputTokens: number; outputTokens: number },
): boolean {
  return (
    actual?.inputTokens === expected.inputTokens &&
    actual.outputTokens === expected.outputTokens &&
    actual.totalTokens === expected.inputTokens + expected.outputTokens
  )
}

interface Lane {
  provider: Provider
  kit: WireKit
  current: CallState | undefined
}

function laneHooks(lane: () => Lane): Hooks {
  return {
    onRequest: () => {
      if (lane().current) lane().current!.hookRequests++
    },
    onResponse: () => {
      if (lane().current) lane().current!.responses++
    },
    onError: () => {
      if (lane().current) lane().current!.errors++
    },
    onRetry: (event) => {
      lane().current?.retries.push({
        delayMs: event.delayMs,
        retryable: event.error.retryable,
        retryAfterMs: event.error.retryAfterMs,
        name: event.error.name,
      })
    },
  }
}

const sleep = (ms: number) => new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), ms).unref())

/**
 * Runs `callsPerVendor` calls per vendor through its wire kit under a seeded mix of faults, and
 * checks every call: a result or a typed error, retries only for retryable errors and within
 * Retry-After and the maximum, partial content on stream errors, no event twice, usage once.
 */
export async function runFaults(options: FaultRunOptions): Promise<FaultRunReport> {
  const started = performance.now()
  const report: FaultRunReport = {
    calls: 0,
    operations: { generate: 0, stream: 0 },
    faults: Object.fromEntries(faultKinds.map((kind) => [kind, 0])) as Record<FaultKind, number>,
    clean: 0,
    recovered: 0,
    surfaced: 0,
    lost: 0,
    untyped: 0,
    hung: 0,
    unhandledRejections: 0,
    requests: 0,
    retries: 0,
    onResponse: 0,
    results: 0,
    errorsByClass: {},
    perVendor: {},
    violations: [],
    durationMs: 0,
  }
  const states = new Map<string, CallState>()
  const violation = (state: CallState, message: string) => state.problems.push(message)
  const settle = (state: CallState, outcome: Outcome | 'hung') => {
    if (state.problems.length === 0) return
    report.violations.push({
      call: state.plan.id,
      vendor: state.plan.vendor.id,
      operation: state.plan.operation,
      attempts: describePlan(state.plan),
      lastFault: state.plan.attempts[state.plan.attempts.length - 1]!.fault,
      requests: state.requests,
      outcome,
      problems: state.problems,
    })
  }

  const onUnhandled = () => {
    report.unhandledRejections++
  }
  process.on('unhandledRejection', onUnhandled)

  const kits = new Map(options.vendors.map((vendor) => [vendor.id, vendor.kit()]))
  const stateOf = (headers: Headers | Record<string, string>) => {
    const id = headers instanceof Headers ? headers.get('x-fault-call') : headers['x-fault-call']
    return id ? states.get(id) : undefined
  }
  const serve = (view: WireRequestView): WireReply => {
    const state = stateOf(view.headers)
    const kit = kits.get(state?.plan.vendor.id ?? '')
    if (!state || !kit)
      return {
        type: 'generate',
        text: 'warm',
        finishReason: 'stop',
        usage: { inputTokens: 1, outputTokens: 1 },
      }
    const attempt = state.plan.attempts[Math.min(state.requests, state.plan.attempts.length) - 1]!
    return kitReply(state.plan, attempt, kit.models.chat)
  }
  const gateway502 = await gatewayErrorResponse(502).text()
  const kitHandlers = options.vendors.flatMap((vendor) => kits.get(vendor.id)!.handlers(serve))
  const server = setupServer(
    faultInjector({
      handlers: kitHandlers,
      decide(request) {
        const state = stateOf(request.headers)
        if (!state) return undefined
        state.requests++
        state.arrivals.push(performance.now())
        if (state.requests > state.plan.attempts.length) {
          violation(
            state,
            `request ${state.requests} but only ${state.plan.attempts.length} attempts planned`,
          )
        }
        const attempt = state.plan.attempts[Math.min(state.requests, state.plan.attempts.length) - 1]!
        if (attempt.fault) report.faults[attempt.fault]++
        return httpFault(state.plan.vendor, attempt, gateway502)
      },
    }),
    ...kitHandlers,
  )
  server.listen({ onUnhandledRequest: 'error' })

  try {
    await Promise.all(
      options.vendors.map(async (vendor) => {
        const kit = kits.get(vendor.id)!
        const tally = { calls: 0, clean: 0, recovered: 0, surfaced: 0, faults: 0, durationMs: 0 }
        report.perVendor[vendor.id] = tally
        const plans = Array.from({ length: options.callsPerVendor }, (_, index) =>
          planCall(vendor, index, options),
        )
        let next = 0
        await Promise.all(
          Array.from({ length: options.lanesPerVendor }, async () => {
            const lane: Lane = { provider: undefined as never, kit, current: undefined }
            lane.provider = createProvider(vendor.spec, {
              ...kit.settings,
              retry: options.retry,
              hooks: laneHooks(() => lane),
            } as never)
            // Connects the SDK outside the measured calls, so no first call pays the import under a short timeout.
            await lane.provider.generate({
              model: kit.models.chat,
              messages: [{ role: 'user', content: 'warm up' }],
            })
            while (next < plans.length) {
              const plan = plans[next++]!
              const state: CallState = {
                plan,
                problems: [],
                requests: 0,
                arrivals: [],
                hookRequests: 0,
                responses: 0,
                errors: 0,
                retries: [],
              }
              states.set(plan.id, state)
              lane.current = state
              const hangs = plan.attempts.some((attempt) => attempt.fault === 'timeout')
              const limit = hangs
                ? Math.min(options.watchdogMs, plan.attempts.length * (options.hangTimeoutMs + 1_000))
                : options.watchdogMs
              const outcome = await Promise.race([
                runCall(lane, state, options, report, violation),
                sleep(limit),
              ])
              report.calls++
              report.operations[plan.operation]++
              tally.calls++
              tally.faults += plan.attempts.filter((attempt) => attempt.fault).length
              if (outcome === 'hung') {
                report.hung++
                report.lost++
                violation(state, `still running after ${limit} ms`)
                settle(state, 'hung')
                // The lane's provider is stuck in this call; its hooks would blur the next one.
                return
              }
              lane.current = undefined
              states.delete(plan.id)
              settle(state, outcome)
              report.requests += state.requests
              report.retries += state.retries.length
              report.onResponse += state.responses
              if (outcome === 'success' || outcome === 'wrong') report.results++
              if (outcome === 'success') {
                if (plan.attempts.some((attempt) => attempt.fault)) {
                  report.recovered++
                  tally.recovered++
                } else {
                  report.clean++
                  tally.clean++
                }
              } else if (outcome === 'typed') {
                report.surfaced++
                tally.surfaced++
              } else {
                report.lost++
              }
            }
          }),
        )
        tally.durationMs = performance.now() - started
      }),
    )
  } finally {
    server.close()
    // Late rejections surface on the next ticks.
    await new Promise((resolve) => setTimeout(resolve, 50))
    process.off('unhandledRejection', onUnhandled)
  }
  report.durationMs = performance.now() - started
  return report
}

function describePlan(plan: CallPlan): string {
  return plan.attempts.map((attempt) => attempt.fault ?? 'ok').join('→')
}

/** `wrong`: a result that is not the scripted one (content, usage or cost lost or altered). */
export type Outcome = 'success' | 'typed' | 'untyped' | 'wrong'

async function runCall(
  lane: Lane,
  state: CallState,
  options: FaultRunOptions,
  report: FaultRunReport,
  violation: (state: CallState, message: string) => void,
): Promise<Outcome> {
  const { plan } = state
  const model = lane.kit.models.chat
  const request: GenerateRequest = {
    model,
    messages: [{ role: 'user', content: 'Say hello.' }],
    headers: { 'x-fault-call': plan.id },
    timeoutMs: plan.timeoutMs,
  }
  const expectedText = plan.parts.join('')
  const last = plan.attempts[plan.attempts.length - 1]!
  const cost = (usage: Usage | undefined) => expectedCost(plan.vendor, lane.kit, model, usage)
  let delivered = ''
  let finishes = 0
  try {
    if (plan.operation === 'generate') {
      const result = await lane.provider.generate(request)
      if (result.text !== expectedText)
        violation(state, `text ${JSON.stringify(result.text)} ≠ ${JSON.stringify(expectedText)}`)
      if (!sameUsage(result.usage, plan.usage))
        violation(state, `usage ${JSON.stringify(result.usage)} ≠ scripted`)
      if (JSON.stringify(result.cost) !== JSON.stringify(cost(result.usage)))
        violation(state, 'cost not computed once from usage')
    } else {
      const stream = lane.provider.stream(request)
      let finish: Extract<StreamEvent, { type: 'finish' }> | undefined
      for await (const event of stream) {
        if (event.type === 'text-delta') delivered += event.text
        if (event.type === 'finish') {
          finishes++
          finish = event
        }
      }
      const result = await stream.result()
      if (delivered !== expectedText)
        violation(state, `delivered ${JSON.stringify(delivered)} ≠ ${JSON.stringify(expectedText)}`)
      if (result.text !== expectedText) violation(state, 'result text differs from the deltas')
      if (finishes !== 1) violation(state, `${finishes} finish events`)
      if (!sameUsage(finish?.usage, plan.usage) || !sameUsage(result.usage, plan.usage))
        violation(state, 'usage ≠ scripted')
      if (JSON.stringify(finish?.cost) !== JSON.stringify(cost(plan.usage && result.usage)))
        violation(state, 'cost not computed once')
    }
    // A call may succeed on a body fault the parser can live with (a cut after the finish event).
    const lenient = last.fault === 'truncated-body' || last.fault === 'stream-corrupt-event'
    if (last.fault && !lenient) violation(state, `succeeded although its last attempt was ${last.fault}`)
    checkAttempts(state, options, violation, true)
    if (state.responses !== 1) violation(state, `onResponse called ${state.responses} times`)
    if (state.errors !== 0) violation(state, 'onError called on a success')
    return state.problems.length === 0 ? 'success' : 'wrong'
  } catch (error) {
    if (!ModelplexError.isInstance(error)) {
      report.untyped++
      violation(state, `untyped throw: ${String(error)}`)
      return 'untyped'
    }
    report.errorsByClass[error.name] = (report.errorsByClass[error.name] ?? 0) + 1
    const expected = last.fault ? expectedErrors[last.fault] : []
    if (!expected.includes(error.name)) {
      violation(
        state,
        `${error.name} (${error.message.slice(0, 160)}) where ${expected.join(' or ') || 'a result'} was expected`,
      )
    }
    checkAttempts(state, options, violation, false)
    if (state.errors !== 1) violation(state, `onError called ${state.errors} times`)
    if (state.responses !== 0) violation(state, 'onResponse called on a failure')
    if (plan.operation === 'stream') {
      if (!error.partial) violation(state, 'no partial on a stream error')
      else if (error.partial.text !== delivered)
        violation(
          state,
          `partial ${JSON.stringify(error.partial.text)} ≠ delivered ${JSON.stringify(delivered)}`,
        )
      if (!expectedText.startsWith(delivered))
        violation(state, `delivered ${JSON.stringify(delivered)} is not a prefix of the script`)
      if (last.fault === 'stream-cut' || last.fault === 'stream-error-event') {
        const sent = plan.parts.slice(0, last.afterParts).join('')
        if (delivered !== sent)
          violation(
            state,
            `delivered ${JSON.stringify(delivered)} ≠ the ${last.afterParts} parts sent ${JSON.stringify(sent)}`,
          )
      }
      if (finishes !== 0) violation(state, 'a finish event before the error')
    }
    // A typed error of an unexpected class is still typed: the violation says what was wrong with it.
    return 'typed'
  }
}

/** Requests match the plan; every retry followed a retryable error, waited its Retry-After or backoff, and no more. */
function checkAttempts(
  state: CallState,
  options: FaultRunOptions,
  violation: (state: CallState, message: string) => void,
  succeeded: boolean,
): void {
  const { plan } = state
  const retry = options.retry
  if (state.requests !== plan.attempts.length) {
    violation(state, `${state.requests} requests for ${plan.attempts.length} planned attempts`)
  }
  if (state.requests > retry.maxRetries + 1)
    violation(state, `${state.requests} requests exceed maxRetries ${retry.maxRetries}`)
  if (state.hookRequests !== state.requests) {
    violation(
      state,
      `${state.hookRequests} attempts by core but ${state.requests} requests on the wire (SDK retries?)`,
    )
  }
  if (state.retries.length !== state.requests - 1) {
    violation(state, `${state.retries.length} retries for ${state.requests} requests`)
  }
  for (const [index, event] of state.retries.entries()) {
    const attempt = plan.attempts[index]!
    if (!event.retryable) violation(state, `retried a non-retryable ${event.name}`)
    if (!attempt.fault || !(retryableFaults as readonly string[]).includes(attempt.fault)) {
      violation(state, `retried after ${attempt.fault ?? 'a success'}`)
    }
    if (attempt.fault === 'rate-limit-retry-after') {
      const floor = Math.min(attempt.retryAfterMs!, retry.maxRetryAfterMs)
      if (event.delayMs < floor || event.delayMs > retry.maxRetryAfterMs) {
        violation(
          state,
          `waited ${event.delayMs} ms for a Retry-After of ${attempt.retryAfterMs} ms (cap ${retry.maxRetryAfterMs})`,
        )
      }
    } else {
      const ceiling = Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** index)
      if (event.retryAfterMs !== undefined)
        violation(state, `a Retry-After of ${event.retryAfterMs} ms nobody sent`)
      else if (event.delayMs < 0 || event.delayMs >= Math.max(1, ceiling)) {
        violation(state, `backoff ${event.delayMs} ms outside [0, ${ceiling}) for retry ${index + 1}`)
      }
    }
    const gap = state.arrivals[index + 1]! - state.arrivals[index]!
    if (gap < event.delayMs - 1)
      violation(state, `retried after ${gap.toFixed(1)} ms, before its ${event.delayMs} ms wait`)
  }
  const maxed = plan.attempts.length === retry.maxRetries + 1
  if (!succeeded && maxed && plan.attempts.every((attempt) => attempt.fault)) {
    // Retries exhausted: the call gave up after exactly maxRetries retries.
    if (state.retries.length !== retry.maxRetries) violation(state, 'gave up before maxRetries')
  }
}
