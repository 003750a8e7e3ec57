import type { ModelplexError } from './errors.js'
import type { Cost, Usage } from './types.js'

export type Operation = 'generate' | 'stream' | 'embed' | 'listModels'

interface HookBase {
  provider: string
  model: string | undefined
  operation: Operation
}

export interface Hooks {
  /** Before each attempt is sent. */
  onRequest?(event: HookBase & { attempt: number }): void
  /** After a call succeeds (for a stream: after its finish event). */
  onResponse?(
    event: HookBase & {
      usage: Usage | undefined
      cost: Cost | undefined
      latencyMs: number
      attempts: number
    },
  ): void
  /** When a call fails for good, after its retries. */
  onError?(event: HookBase & { error: ModelplexError; latencyMs: number; attempts: number }): void
  /** Before sleeping for a retry. */
  onRetry?(event: HookBase & { error: ModelplexError; attempt: number; delayMs: number }): void
}

type HookName = keyof Hooks

/**
 * Calls every hook list's `name` member. A hook that throws is reported on stderr and does not
 * break the call: observers must never change what the caller gets.
 */
export function callHooks<N extends HookName>(
  hooks: ReadonlyArray<Hooks | undefined>,
  name: N,
  event: Parameters<NonNullable<Hooks[N]>>[0],
): void {
  for (const hook of hooks) {
    const fn = hook?.[name] as ((e: typeof event) => void) | undefined
    if (!fn) continue
    try {
      fn(event)
    } catch (error) {
      console.error(`modelplex: the ${name} hook threw; ignored:`, error)
    }
  }
}
