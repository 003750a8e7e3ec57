/** One attempt's abort scope: the caller's signal plus the attempt's timeout. */
export interface AttemptScope {
  signal: AbortSignal
  timedOut: boolean
  timeoutMs: number
  dispose(): void
  /**
   * Settles with `work`, or rejects as soon as the scope aborts: a timeout or an abort holds even
   * when an adapter (or its SDK) ignores the signal it was given.
   */
  race<T>(work: Promise<T>): Promise<T>
}

/** Opens an attempt's scope; the race needs no abort listener of its own (see docs/performance.md). */
export function openScope(callerSignal: AbortSignal | undefined, timeoutMs: number): AttemptScope {
  const controller = new AbortController()
  const signal = controller.signal
  // The pending `race`, rejected right after the signal's own listeners (the SDK's) have run.
  let rejectRace: ((reason: unknown) => void) | undefined
  const abort = (reason: unknown) => {
    controller.abort(reason)
    rejectRace?.(signal.reason)
  }
  const onAbort = () => abort(callerSignal?.reason)
  if (callerSignal?.aborted) controller.abort(callerSignal.reason)
  else callerSignal?.addEventListener('abort', onAbort, { once: true })
  const timer = setTimeout(() => {
    scope.timedOut = true
    abort(new Error(`timed out after ${timeoutMs} ms`))
  }, timeoutMs)
  const scope: AttemptScope = {
    signal,
    timedOut: false,
    timeoutMs,
    dispose() {
      clearTimeout(timer)
      callerSignal?.removeEventListener('abort', onAbort)
    },
    race(work) {
      if (signal.aborted) return Promise.reject(signal.reason)
      return new Promise((resolve, reject) => {
        rejectRace = reject
        work.then(resolve, reject)
      })
    },
  }
  return scope
}
