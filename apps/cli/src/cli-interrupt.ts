import pc from 'picocolors'
import { exitCodes } from './cli-errors.js'
import { exitAfterFlush } from './cli-format.js'

/**
 * Ctrl-C handling: during a request it aborts that request (what arrived stays on screen) and
 * the command exits 130 once the request has unwound; with nothing in flight it exits 130 at once.
 */
export class Interrupt {
  /** True once Ctrl-C arrived during a request. */
  fired = false
  private abortCurrent: (() => void) | undefined
  private readonly onSignal = () => this.trigger()

  constructor() {
    process.on('SIGINT', this.onSignal)
  }

  /** Registers how to abort the request in flight; returns a function that clears it. */
  during(abort: () => void): () => void {
    this.abortCurrent = abort
    return () => {
      if (this.abortCurrent === abort) this.abortCurrent = undefined
    }
  }

  /** What Ctrl-C does; also wired to readline's own SIGINT in a terminal session. */
  trigger(): void {
    if (this.fired) return
    const abort = this.abortCurrent
    if (!abort) {
      process.stderr.write('\n')
      exitAfterFlush(exitCodes.interrupted)
      return
    }
    this.fired = true
    abort()
    // Should the request ignore the abort, do not leave the user waiting.
    setTimeout(() => exitAfterFlush(exitCodes.interrupted), 2000).unref()
  }

  /** Says on stderr that the request was aborted and the text above is partial. */
  notice(): void {
    process.stderr.write(
      `${pc.yellow('interrupted')}${pc.dim(': the request was aborted; the text above is what arrived.')}\n`,
    )
  }

  dispose(): void {
    process.off('SIGINT', this.onSignal)
  }
}
