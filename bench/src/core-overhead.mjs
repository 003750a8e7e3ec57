// What core itself costs per call, with no SDK and no network: a provider whose adapter answers at
// once. Validation, the attempt's abort scope and timer, hooks, cost and the result object.
//   node src/core-overhead.mjs [calls per round] [rounds] [--json]
import { createProvider } from '@modelplex/core'
import { median } from './stats.mjs'

const usage = { inputTokens: 10, outputTokens: 5, totalTokens: 15 }
const answer = {
  text: 'A fox.',
  content: [{ type: 'text', text: 'A fox.' }],
  toolCalls: [],
  finishReason: 'stop',
  rawFinishReason: 'stop',
  usage,
  model: 'instant',
}
const spec = {
  id: 'instant',
  name: 'Instant',
  defaultModel: 'instant',
  env: { apiKey: [] },
  requiresApiKey: false,
  capabilities: { tools: true, vision: true, stream: true, structuredOutput: 'json-schema' },
  pricing: { models: { instant: { input: 1, output: 2 } } },
  connect: async () => ({
    // Reads the signal, as every adapter hands it to its SDK.
    generate: async (_request, context) => (context.signal.aborted ? undefined : answer),
    mapError: (error) => error,
  }),
}

const json = process.argv.includes('--json')
const [calls = '200000', rounds = '7'] = process.argv.slice(2).filter((arg) => arg !== '--json')
const provider = createProvider(spec)
const request = { model: 'instant', messages: [{ role: 'user', content: 'Say something about foxes.' }] }
for (let i = 0; i < 20_000; i++) await provider.generate(request)
const samples = []
for (let round = 0; round < Number(rounds); round++) {
  const started = performance.now()
  for (let i = 0; i < Number(calls); i++) await provider.generate(request)
  samples.push(((performance.now() - started) * 1000) / Number(calls))
}
const abortScope = () => {
  const signal = new AbortController().signal
  clearTimeout(setTimeout(() => {}, 1000))
  return signal
}
for (let i = 0; i < 20_000; i++) abortScope()
const started = performance.now()
for (let i = 0; i < Number(calls); i++) abortScope()
const scopeUs = ((performance.now() - started) * 1000) / Number(calls)
if (json) {
  process.stdout.write(`${JSON.stringify({ samples, abortScopeUs: scopeUs })}\n`)
} else {
  process.stdout.write(
    `core generate with an instant adapter: ${median(samples).toFixed(2)} µs per call ` +
      `(min ${Math.min(...samples).toFixed(2)}); of which an AbortController's signal and a timer: ${scopeUs.toFixed(2)} µs\n`,
  )
}
