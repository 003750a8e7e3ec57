import { type ChildProcess, spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The built binary, as a user runs it. */
export const bin = join(dirname(fileURLToPath(import.meta.url)), '../dist/bin.js')

export interface Run {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** stdout as it arrived, one entry per data event. */
  chunks: string[]
}

/** An environment with no provider configured: no keys, and Ollama looked for on a closed port. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (/API_KEY|^AWS_|^CO_|_BASE_URL$|^MODELPLEX_|^OLLAMA_/.test(name)) continue
    env[name] = value
  }
  return { ...env, NO_COLOR: '1', OLLAMA_HOST: '127.0.0.1:9', MODELPLEX_OFFLINE_PACE_MS: '0', ...extra }
}

export interface RunOptions {
  env?: Record<string, string>
  input?: string
  cwd?: string
  /** Called on every stdout chunk, with the child (e.g. to send it a signal). */
  onStdout?: (chunk: string, child: ChildProcess) => void
}

/** Runs `modelplex <args>` in a child process and collects what it prints. */
export function modelplex(args: string[], options: RunOptions = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: cleanEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const run: Run = { code: null, signal: null, stdout: '', stderr: '', chunks: [] }
    child.stdout.setEncoding('utf8')
    child.stderr.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      run.stdout += chunk
      run.chunks.push(chunk)
      options.onStdout?.(chunk, child)
    })
    child.stderr.on('data', (chunk: string) => {
      run.stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ ...run, code, signal }))
    if (options.input !== undefined) child.stdin.end(options.input)
    else child.stdin.end()
  })
}

/** The non-empty lines of a stream. */
export const lines = (text: string): string[] => text.split('\n').filter((line) => line.trim() !== '')
