// The processes a benchmark runs: the loopback mock server and one worker per client (worker.mjs),
// each driven over IPC one operation at a time.
import { fork } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

// No tracing, telemetry or warnings from the peers: they would measure the exporter, not the client.
export const childEnv = {
  ...process.env,
  LANGCHAIN_TRACING_V2: 'false',
  LANGSMITH_TRACING: 'false',
  LANGCHAIN_CALLBACKS_BACKGROUND: 'true',
  OPENAI_API_KEY: '',
  ANTHROPIC_API_KEY: '',
  NODE_OPTIONS: '',
}

/** Forks the mock server; resolves with it and its base URL once it listens. */
export function startServer() {
  const server = fork(join(here, 'mock-server.mjs'), [], { env: childEnv, stdio: 'inherit' })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.on('message', (message) => {
      if (message.type === 'listening') resolve({ server, baseURL: `http://127.0.0.1:${message.port}` })
    })
  })
}

/** Forks a client's worker; `call(op)` runs one operation in it with `settings`. */
export function startWorker(clientId, baseURL, settings) {
  const child = fork(join(here, 'worker.mjs'), [clientId, baseURL], {
    env: childEnv,
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  let next = 0
  const pending = new Map()
  const ready = new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${clientId}: worker exited with ${code}`)))
    child.on('message', (message) => {
      if (message.ready) return resolve()
      const settle = pending.get(message.id)
      pending.delete(message.id)
      if (message.ok) settle.resolve(message.result)
      else settle.reject(new Error(`${clientId}: ${message.error}`))
    })
  })
  const call = async (op, options = settings) => {
    await ready
    const id = next++
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject })
      child.send({ id, op, options })
    })
  }
  const stop = () =>
    new Promise((resolve) => {
      child.once('exit', resolve)
      child.disconnect()
    })
  return { ready, call, stop }
}
