import {
  AbortedError,
  AuthenticationError,
  ConfigError,
  ConnectionError,
  ContextWindowExceededError,
  MissingDependencyError,
  ModelplexError,
  NotFoundError,
  RateLimitError,
  ServerError,
  StructuredOutputError,
  TimeoutError,
  UnsupportedCapabilityError,
} from '@modelplex/core'
import pc from 'picocolors'

/** Exit codes: 1 a failed call, 2 bad input, 130 interrupted (128 + SIGINT). */
export const exitCodes = { failure: 1, usage: 2, interrupted: 130 } as const

/** An error the CLI explains itself: one line that says what to do, and an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = exitCodes.usage,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'CliError'
  }
}

/** What the CLI knows about the call that failed, for a message that names the fix. */
export interface ErrorContext {
  providerId?: string
  providerName?: string
  model?: string
  /** Environment variables that hold the provider's key. */
  keyVariables?: readonly string[]
  offline?: boolean
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim()

/** Strips core's "<Provider name>: " prefix, since the CLI names the provider itself. */
function bare(error: Error, name: string | undefined): string {
  const message = oneLine(error.message)
  return name && message.startsWith(`${name}: `) ? message.slice(name.length + 2) : message
}

/** Turns any error into one line that says what went wrong and what to do about it. */
export function explain(error: unknown, context: ErrorContext = {}): { message: string; exitCode: number } {
  if (error instanceof CliError) return { message: oneLine(error.message), exitCode: error.exitCode }
  const name = context.providerName ?? context.providerId ?? 'the provider'
  const id = context.providerId ?? '<id>'
  const model = context.model ? ` "${context.model}"` : ''
  const fail = (message: string, exitCode: number = exitCodes.failure) => ({ message, exitCode })
  if (!ModelplexError.isInstance(error)) {
    return fail(error instanceof Error ? oneLine(error.message) : String(error))
  }
  const e = error as ModelplexError
  // A plain boolean check: the isInstance type guard would narrow `e` to never after the first match.
  const is = (type: { isInstance(value: unknown): boolean }): boolean => type.isInstance(e)
  const detail = bare(e, context.providerName)
  if (is(AbortedError)) return fail('Interrupted.', exitCodes.interrupted)
  if (is(ConfigError) && /no API key/i.test(e.message)) {
    const vars = context.keyVariables?.length ? context.keyVariables.join(' or ') : 'its API key variable'
    return fail(
      `${name} needs an API key: set ${vars}, or add --offline to try it with simulated replies.`,
      2,
    )
  }
  if (is(ConfigError)) return fail(`${name}: ${detail}. Check its settings and environment variables.`, 2)
  if (is(MissingDependencyError)) return fail(detail, 2)
  if (is(AuthenticationError)) {
    const vars = context.keyVariables?.length ? ` Check ${context.keyVariables.join(' / ')}.` : ''
    return fail(`${name} refused the API key (${e.status ?? 'auth'}): ${detail}.${vars}`)
  }
  if (is(NotFoundError)) {
    return fail(
      `${name} does not know the model${model} (${e.status ?? 404}). See its models: modelplex models -p ${id}`,
    )
  }
  if (is(ContextWindowExceededError)) {
    return fail(`The prompt does not fit${model}'s context window: shorten it or pick a larger model.`)
  }
  if (is(UnsupportedCapabilityError)) {
    return fail(`${detail}. Pick a provider that does: modelplex providers`, 2)
  }
  if (is(StructuredOutputError)) {
    return fail(`${detail}. Try again, simplify the schema, or pick another model.`)
  }
  if (is(RateLimitError)) return fail(`${name} rate-limited the call after its retries: wait and try again.`)
  if (is(TimeoutError)) return fail(`${detail}. Try again, or raise the limit.`)
  if (is(ConnectionError)) {
    return fail(`Could not reach ${name}: ${detail}. Check the network or the base URL, or add --offline.`)
  }
  if (is(ServerError))
    return fail(`${name} failed (${e.status ?? 'server error'}): ${detail}. Try again later.`)
  return fail(`${name}: ${detail}`)
}

/** Prints the one-line message (and the stack with --debug) on stderr. */
export function report(error: unknown, context: ErrorContext, debug: boolean): number {
  const { message, exitCode } = explain(error, context)
  process.stderr.write(`${pc.red('error')} ${message}\n`)
  if (debug && error instanceof Error) {
    process.stderr.write(`${pc.dim(error.stack ?? String(error))}\n`)
    let cause = error.cause
    for (let depth = 0; cause && depth < 5; depth++) {
      process.stderr.write(pc.dim(`caused by: ${cause instanceof Error ? cause.stack : String(cause)}\n`))
      cause = cause instanceof Error ? cause.cause : undefined
    }
  }
  return exitCode
}
