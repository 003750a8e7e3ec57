// A vitest reporter for `modelplex conformance`: one machine-readable line per event on stdout,
// which the CLI turns into live progress. Loaded by vitest from this file's built path.
import type { Reporter, TestCase, TestModule, TestRunEndReason } from 'vitest/node'

/** Prefix of every progress line, so the CLI can tell them from anything else a test prints. */
export const progressMark = '@@modelplex-conformance '

const emit = (event: Record<string, unknown>) =>
  process.stdout.write(`${progressMark}${JSON.stringify(event)}\n`)

/** Reports collected counts, each finished test, and the end of the run. */
export default class ConformanceProgressReporter implements Reporter {
  onTestModuleCollected(testModule: TestModule): void {
    let tests = 0
    for (const _ of testModule.children.allTests()) tests++
    emit({ type: 'collected', tests })
  }

  onTestCaseResult(testCase: TestCase): void {
    const result = testCase.result()
    const error = result.state === 'failed' ? result.errors?.[0]?.message : undefined
    emit({ type: 'test', state: result.state, name: testCase.name, ...(error ? { error } : {}) })
  }

  onTestRunEnd(
    _modules: ReadonlyArray<TestModule>,
    errors: ReadonlyArray<unknown>,
    reason: TestRunEndReason,
  ): void {
    emit({ type: 'end', reason, errors: errors.length })
  }
}
