// Runs inside a fresh npm or pnpm project that installed the packed tarballs. Talks to the
// OpenAI wire kit served on loopback (argv[2]) through the public API only.
import {
  AuthenticationError,
  ContextWindowExceededError,
  loadProvider,
  MalformedResponseError,
  MissingDependencyError,
  NotFoundError,
  StreamInterruptedError,
} from '@modelplex/core'
import { z } from 'zod'

const [baseURL, apiKey] = process.argv.slice(2)
let passed = 0
let failed = 0
async function check(name, fn) {
  try {
    const detail = await fn()
    passed++
    console.log(`ok   ${name}${detail ? ` — ${detail}` : ''}`)
  } catch (error) {
    failed++
    console.log(`FAIL ${name} — ${error?.stack ?? error}`)
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message)
}
async function rejects(promise, ErrorClass) {
  try {
    await promise
  } catch (error) {
    assert(ErrorClass.isInstance(error), `expected ${ErrorClass.name}, got ${error?.name}: ${error?.message}`)
    assert(!String(error.message).includes(apiKey), 'the key leaked into the message')
    return error
  }
  throw new Error(`expected ${ErrorClass.name}, the call succeeded`)
}

const openai = await loadProvider('openai', { apiKey, baseURL })
const messages = [{ role: 'user', content: 'Say hello' }]

await check('text', async () => {
  const r = await openai.generate({ model: 'gpt-4o-mini', messages })
  assert(r.text.startsWith('Hello'), `text: ${r.text}`)
  assert(r.usage?.totalTokens === 21, `usage: ${JSON.stringify(r.usage)}`)
  assert(r.cost && r.cost.total > 0 && r.cost.currency === 'USD', `cost: ${JSON.stringify(r.cost)}`)
  return `"${r.text.slice(0, 30)}…", ${r.usage.totalTokens} tokens, $${r.cost.total}`
})
await check('stream with usage and cost on finish', async () => {
  const s = openai.stream({ model: 'gpt-4o-mini', messages })
  let text = ''
  let finish
  for await (const e of s) {
    if (e.type === 'text-delta') text += e.text
    if (e.type === 'finish') finish = e
  }
  assert(finish?.usage?.outputTokens === 9, `finish usage: ${JSON.stringify(finish?.usage)}`)
  assert(finish.cost?.total > 0, 'finish cost')
  assert((await s.result()).text === text, 'result() text')
  return `${text.length} chars, usage ${finish.usage.totalTokens}, $${finish.cost.total}`
})
await check('tool calls', async () => {
  const r = await openai.generate({
    model: 'gpt-4o-mini',
    messages,
    tools: [{ name: 'get_weather', description: 'Weather', parameters: z.object({ city: z.string() }) }],
  })
  assert(r.finishReason === 'tool-calls', r.finishReason)
  assert(
    r.toolCalls[0]?.toolName === 'get_weather' && r.toolCalls[0].input.city === 'Paris',
    JSON.stringify(r.toolCalls),
  )
  return `${r.toolCalls[0].toolName}(${r.toolCalls[0].rawInput})`
})
await check('zod-validated object', async () => {
  const { object } = await openai.generateObject({
    model: 'gpt-4o-mini',
    messages,
    schema: z.object({ city: z.string(), population: z.number().int() }),
  })
  assert(object.city === 'Paris' && object.population === 2102650, JSON.stringify(object))
  return JSON.stringify(object)
})
await check('embeddings', async () => {
  const r = await openai.embed({ model: 'text-embedding-3-small', input: ['a', 'bb', 'ccc'] })
  assert(r.embeddings.length === 3 && r.embeddings[2][0] === 0.3, JSON.stringify(r.embeddings))
  return `${r.embeddings.length} vectors`
})
await check('401 → AuthenticationError', async () => {
  const bad = await loadProvider('openai', { apiKey: 'sk-wrong-key-000000', baseURL })
  const e = await rejects(bad.generate({ model: 'gpt-4o-mini', messages }), AuthenticationError)
  return `status ${e.status}`
})
await check('404 → NotFoundError', async () => {
  const e = await rejects(openai.generate({ model: 'no-such-model', messages }), NotFoundError)
  return `status ${e.status}`
})
await check('429 retried after the advertised delay', async () => {
  const started = Date.now()
  const r = await openai.generate({ model: 'rate-limited-once', messages })
  const waited = Date.now() - started
  assert(r.text.startsWith('Hello'), r.text)
  assert(waited >= 290, `waited only ${waited} ms`)
  return `succeeded after ${waited} ms (Retry-After 300 ms)`
})
await check('context-length 400 → ContextWindowExceededError', async () => {
  const e = await rejects(
    openai.generate({ model: 'context-overflow', messages }),
    ContextWindowExceededError,
  )
  return `status ${e.status}, code ${e.code}`
})
await check('malformed body → MalformedResponseError', async () => {
  await rejects(openai.generate({ model: 'malformed', messages }), MalformedResponseError)
})
await check('stream cut mid-way → StreamInterruptedError with partial text', async () => {
  const s = openai.stream({ model: 'cut-stream', messages, maxRetries: 0 })
  let delivered = ''
  const e = await rejects(
    (async () => {
      for await (const event of s) if (event.type === 'text-delta') delivered += event.text
    })(),
    StreamInterruptedError,
  )
  assert(
    e.partial?.text === delivered && delivered === 'The stream is ',
    `partial: ${JSON.stringify(e.partial)}`,
  )
  return `partial "${e.partial.text}"`
})
await check("loadProvider('anthropic') → MissingDependencyError", async () => {
  const e = await rejects(loadProvider('anthropic'), MissingDependencyError)
  assert(e.message.includes('npm i @modelplex/provider-anthropic'), e.message)
  return e.message
})

console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
