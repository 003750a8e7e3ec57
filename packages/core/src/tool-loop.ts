// The tool loop: call the model, run the tools it asked for, call it again with their results.
// It sits above one model call (a provider's or a client's, with its retries and fallback), so a
// retried or rerouted call never runs a tool twice. Loaded lazily: plain calls never import it.
import { AbortedError, InvalidRequestError, ModelplexError } from './errors.js'
import { isZodSchema } from './json-schema.js'
import { trailingApprovals } from './loop-check.js'
import type { Telemetry } from './telemetry.js'
import { TELEMETRY_PARENT, type TelemetrySpan } from './telemetry-options.js'
import type {
  AgentRequest,
  AgentResult,
  Cost,
  ExecutableTool,
  GenerateRequest,
  GenerateResult,
  Message,
  PendingApproval,
  ResultMessage,
  ResultToolMessage,
  StepResult,
  ToolApprovalResponse,
  ToolCall,
  ToolResult,
  Usage,
} from './types.js'

type Approvals = Map<string, ToolApprovalResponse>

/** What the loop keeps across steps. */
export interface LoopState {
  /** The request a model call gets: no `execute`, no loop options. */
  base: GenerateRequest
  tools: Map<string, ExecutableTool>
  maxSteps: number
  stopWhen: AgentRequest['stopWhen']
  signal: AbortSignal | undefined
  /** What the next model call is sent. */
  messages: Message[]
  /** Every assistant and tool message the loop produced. */
  produced: Array<ResultMessage | ResultToolMessage>
  steps: StepResult[]
  /** Approvals found at the end of the request's messages (a resumed loop). */
  approvals: Approvals | undefined
  /** The loop's span and the spans of its tools, when telemetry is on. */
  telemetry?: { spans: Telemetry; agent: TelemetrySpan }
}

function invalid(message: string, field: string, provider: string): InvalidRequestError {
  return new InvalidRequestError(message, { provider, field })
}

/** Splits a loop request into the plain request each step sends and the loop's own state. */
export function startLoop(request: AgentRequest, provider: string): LoopState {
  const { maxSteps = 1, stopWhen, tools = [], messages, ...rest } = request
  if (!Number.isSafeInteger(maxSteps) || maxSteps < 1)
    throw invalid(
      `maxSteps must be a whole number of at least 1, got ${String(maxSteps)}`,
      'maxSteps',
      provider,
    )
  if (stopWhen !== undefined && typeof stopWhen !== 'function')
    throw invalid('stopWhen must be a function of the step that returns true to stop', 'stopWhen', provider)
  const byName = new Map<string, ExecutableTool>()
  const plainTools = tools.map((tool) => {
    if (tool.execute !== undefined && typeof tool.execute !== 'function')
      throw invalid(`tools[${tool.name}].execute must be a function`, 'tools', provider)
    byName.set(tool.name, tool)
    const { execute: _execute, needsApproval: _needsApproval, ...plain } = tool
    return plain
  })
  const approvals = trailingApprovals(messages)
  const sent = (approvals ? messages.slice(0, -1) : messages) as Message[]
  const base = { ...rest, messages: sent, ...(tools.length ? { tools: plainTools } : {}) } as GenerateRequest
  return {
    base,
    tools: byName,
    maxSteps,
    stopWhen,
    signal: request.signal,
    messages: sent,
    produced: [],
    steps: [],
    approvals,
  }
}

function abortedError(signal: AbortSignal, provider: string): ModelplexError {
  if (ModelplexError.isInstance(signal.reason)) return signal.reason
  return new AbortedError(`${provider}: the tool loop was aborted`, { provider, cause: signal.reason })
}

/** Throws when the caller aborted: checked between steps. */
export function checkAborted(state: LoopState, provider: string): void {
  if (state.signal?.aborted) throw abortedError(state.signal, provider)
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The input the tool's schema accepts, or the reason it does not. */
function validateInput(tool: ExecutableTool, call: ToolCall): { input: unknown } | { error: string } {
  if (typeof call.input === 'string' && call.rawInput === call.input)
    return { error: `the arguments of ${call.toolName} are not valid JSON: ${call.rawInput.slice(0, 200)}` }
  if (!isZodSchema(tool.parameters)) return { input: call.input }
  const checked = (tool.parameters as { safeParse(value: unknown): any }).safeParse(call.input)
  if (checked.success) return { input: checked.data }
  const issues = (checked.error.issues as Array<{ path: PropertyKey[]; message: string }>)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ')
  return { error: `invalid input for tool ${call.toolName}: ${issues}` }
}

/** Rejects when the signal aborts, so a tool that ignores its signal still stops the loop. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined, provider: string): Promise<T> {
  if (!signal) return promise
  if (signal.aborted) return Promise.reject(abortedError(signal, provider))
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError(signal, provider))
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

const neverAborted = new AbortController().signal

async function runTool(
  state: LoopState,
  call: ToolCall,
  tool: ExecutableTool,
  input: unknown,
  sent: Message[],
  provider: string,
): Promise<ToolResult> {
  if (state.telemetry) {
    const { spans, agent } = state.telemetry
    const untraced = { ...state, telemetry: undefined }
    return spans.tool(agent, call, () => runTool(untraced, call, tool, input, sent, provider))
  }
  const signal = state.signal ?? neverAborted
  try {
    const output = await raceAbort(
      Promise.resolve().then(() =>
        tool.execute!(input, { toolCallId: call.toolCallId, signal, messages: sent }),
      ),
      state.signal,
      provider,
    )
    return { toolCallId: call.toolCallId, toolName: call.toolName, input, output: output ?? null }
  } catch (error) {
    // The caller's abort ends the loop; anything else the tool threw is the model's to read.
    if (state.signal?.aborted) throw abortedError(state.signal, provider)
    return {
      toolCallId: call.toolCallId,
      toolName: call.toolName,
      input,
      output: `Error: ${describe(error)}`,
      isError: true,
    }
  }
}

function errorResult(call: ToolCall, message: string): ToolResult {
  return {
    toolCallId: call.toolCallId,
    toolName: call.toolName,
    input: call.input,
    output: message,
    isError: true,
  }
}

/** What the loop does after a step's tool calls were handled. */
export interface ToolOutcome {
  results: ToolResult[]
  pending: PendingApproval[]
  /** A called tool has no `execute`: the caller runs it, the loop ends. */
  clientTools: boolean
}

/**
 * Runs the step's tool calls in parallel: invalid input, a throw, an unknown tool or a denial
 * becomes an error result; a call that needs approval (and has none) is left pending.
 */
export async function runTools(
  state: LoopState,
  calls: readonly ToolCall[],
  sent: Message[],
  provider: string,
  approvals: Approvals | undefined,
): Promise<ToolOutcome> {
  const pending: PendingApproval[] = []
  let clientTools = false
  // First decide every call (an approval check may be async), then run: nothing runs while a call waits.
  const plans = await Promise.all(
    calls.map(async (call): Promise<ToolResult | { run: ExecutableTool; input: unknown } | undefined> => {
      const tool = state.tools.get(call.toolName)
      if (!tool) {
        const names = [...state.tools.keys()].join(', ') || 'none'
        return errorResult(call, `Error: there is no tool named ${call.toolName}; the tools are: ${names}`)
      }
      if (!tool.execute) {
        clientTools = true
        return undefined
      }
      const checked = validateInput(tool, call)
      if ('error' in checked) return errorResult(call, `Error: ${checked.error}`)
      const answer = approvals?.get(call.toolCallId)
      if (answer) {
        if (!answer.approved)
          return errorResult(
            call,
            `Error: the user denied this call of ${call.toolName}${answer.reason ? `: ${answer.reason}` : ''}`,
          )
      } else if (
        tool.needsApproval === true ||
        (typeof tool.needsApproval === 'function' && (await tool.needsApproval(checked.input)))
      ) {
        pending.push({ toolCallId: call.toolCallId, toolName: call.toolName, input: call.input })
        return undefined
      }
      return { run: tool, input: checked.input }
    }),
  )
  if (pending.length) return { results: [], pending, clientTools }
  const work = await Promise.all(
    plans.map((plan, index) =>
      plan && 'run' in plan ? runTool(state, calls[index]!, plan.run, plan.input, sent, provider) : plan,
    ),
  )
  checkAborted(state, provider)
  const results = work.filter((result): result is ToolResult => result !== undefined)
  return { results, pending, clientTools }
}

/** The tool message that carries a step's results back to the model. */
export function toolMessage(results: ToolResult[]): ResultToolMessage {
  return {
    role: 'tool',
    content: results.map(({ toolCallId, toolName, output, isError }) =>
      isError
        ? { type: 'tool-result', toolCallId, toolName, output, isError: true }
        : { type: 'tool-result', toolCallId, toolName, output },
    ),
  }
}

/** The tool calls of the last assistant message, for a loop resumed from approvals. */
export function pendingCalls(messages: Message[]): ToolCall[] {
  const last = messages[messages.length - 1]
  if (last?.role !== 'assistant' || typeof last.content === 'string') return []
  const calls: ToolCall[] = []
  for (const part of last.content)
    if (part.type === 'tool-call')
      calls.push({
        toolCallId: part.toolCallId,
        toolName: part.toolName,
        input: part.input,
        rawInput: JSON.stringify(part.input ?? {}),
      })
  return calls
}

/** Adds a step's tool results to the conversation; true when the loop goes on. */
export function recordResults(state: LoopState, outcome: ToolOutcome): boolean {
  if (outcome.results.length) {
    const message = toolMessage(outcome.results)
    state.produced.push(message)
    state.messages = [...state.messages, message as Message]
  }
  return outcome.pending.length === 0 && !outcome.clientTools && outcome.results.length > 0
}

function addUsage(total: Usage | undefined, usage: Usage | undefined): Usage | undefined {
  if (!usage) return total
  if (!total) return { ...usage }
  const sum: Usage = {
    inputTokens: total.inputTokens + usage.inputTokens,
    outputTokens: total.outputTokens + usage.outputTokens,
    totalTokens: total.totalTokens + usage.totalTokens,
  }
  for (const key of [
    'cachedInputTokens',
    'cacheWriteInputTokens',
    'cacheWrite1hInputTokens',
    'reasoningTokens',
  ] as const)
    if (total[key] !== undefined || usage[key] !== undefined) sum[key] = (total[key] ?? 0) + (usage[key] ?? 0)
  return sum
}

/** Summed costs; absent when any step was unpriced (a partial total would read as the whole). */
function addCosts(steps: readonly GenerateResult[]): Cost | undefined {
  if (steps.length === 0 || steps.some((step) => step.cost === undefined)) return undefined
  const cost: Cost = { input: 0, output: 0, total: 0, currency: 'USD' }
  for (const step of steps) {
    cost.input += step.cost!.input
    cost.output += step.cost!.output
    cost.total += step.cost!.total
  }
  return cost
}

export function totalUsage(steps: readonly GenerateResult[]): Usage | undefined {
  let usage: Usage | undefined
  for (const step of steps) usage = addUsage(usage, step.usage)
  return usage
}

/** Records a model call as a step: its assistant message joins the conversation. */
export function recordStep(state: LoopState, result: GenerateResult, sent: Message[]): StepResult {
  const step: StepResult = { ...result, stepNumber: state.steps.length + 1, toolResults: [] }
  state.steps.push(step)
  state.produced.push(...(result.messages as ResultMessage[]))
  state.messages = [...sent, ...(result.messages as Message[])]
  return step
}

/** The loop's result: the last step's answer with the totals, every message and every step. */
export function loopResult(state: LoopState, pending: PendingApproval[]): AgentResult {
  const last = state.steps[state.steps.length - 1]
  const warnings = state.steps.flatMap((step) => step.warnings)
  const { stepNumber: _n, toolResults: _r, ...answer } = (last ?? {}) as StepResult
  return {
    ...(answer as Omit<GenerateResult, 'messages'>),
    usage: totalUsage(state.steps),
    cost: addCosts(state.steps),
    warnings,
    messages: state.produced,
    steps: state.steps,
    ...(pending.length ? { pendingApprovals: pending } : {}),
  }
}

/** Handles the approvals a resumed request ends with; true when the model is called next. */
export async function resume(
  state: LoopState,
  provider: string,
): Promise<{ pending: PendingApproval[]; results: ToolResult[] }> {
  if (!state.approvals) return { pending: [], results: [] }
  const calls = pendingCalls(state.messages)
  if (calls.length === 0)
    throw invalid(
      'tool-approval-response parts must follow the assistant message whose tool calls they answer',
      'messages',
      provider,
    )
  for (const toolCallId of state.approvals.keys())
    if (!calls.some((call) => call.toolCallId === toolCallId))
      throw invalid(
        `a tool-approval-response answers toolCallId "${toolCallId}", which the last assistant message did not call (it called ${calls.map((call) => call.toolCallId).join(', ')})`,
        'messages',
        provider,
      )
  const outcome = await runTools(state, calls, state.messages.slice(0, -1), provider, state.approvals)
  recordResults(state, outcome)
  return { pending: outcome.pending, results: outcome.results }
}

/** Runs the loop over one model call per step (a provider's generate, or a client's routed one). */
export async function runToolLoop(
  request: AgentRequest,
  generate: (request: GenerateRequest) => Promise<GenerateResult>,
  provider: string,
  telemetry?: Telemetry,
): Promise<AgentResult> {
  const state = startLoop(request, provider)
  if (!telemetry) return loop(state, generate, provider)
  const agent = await telemetry.agent(request)
  state.telemetry = { spans: telemetry, agent }
  ;(state.base as { [TELEMETRY_PARENT]?: TelemetrySpan })[TELEMETRY_PARENT] = agent
  try {
    const result = await loop(state, generate, provider)
    telemetry.recordResult(agent, result as unknown as GenerateResult)
    agent.setAttribute('modelplex.steps', result.steps.length)
    return result
  } catch (error) {
    telemetry.recordError(agent, error)
    throw error
  } finally {
    agent.end()
  }
}

async function loop(
  state: LoopState,
  generate: (request: GenerateRequest) => Promise<GenerateResult>,
  provider: string,
): Promise<AgentResult> {
  const { pending: waiting } = await resume(state, provider)
  if (waiting.length) return pausedBeforeCalling(state, waiting)
  for (;;) {
    checkAborted(state, provider)
    const sent = state.messages
    const result = await generate({ ...state.base, messages: sent })
    const step = recordStep(state, result, sent)
    if (result.toolCalls.length === 0) return loopResult(state, [])
    const outcome = await runTools(state, result.toolCalls, sent, provider, undefined)
    step.toolResults = outcome.results
    const goOn = recordResults(state, outcome)
    if (!goOn || state.steps.length >= state.maxSteps) return loopResult(state, outcome.pending)
    if (state.stopWhen && (await state.stopWhen(step))) return loopResult(state, [])
  }
}

/** A resumed loop whose calls still wait for approval: no model call was made. */
export function pausedBeforeCalling(state: LoopState, pending: PendingApproval[]): AgentResult {
  return {
    text: '',
    content: [],
    toolCalls: [],
    finishReason: 'tool-calls',
    rawFinishReason: undefined,
    usage: undefined,
    cost: undefined,
    model: state.base.model ?? '',
    provider: '',
    id: undefined,
    warnings: [],
    raw: undefined,
    messages: state.produced,
    steps: [],
    pendingApprovals: pending,
  }
}
