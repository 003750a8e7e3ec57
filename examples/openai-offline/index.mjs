// The offline tour: the OpenAI provider, through the public modelplex API, against the OpenAI
// wire kit (the same one the conformance suite uses) intercepting fetch in this process.
// Replies are simulated; nothing leaves the machine and no key is needed.
import { ContextWindowExceededError, loadProvider, NotFoundError } from '@modelplex/core'
import { createOpenAIWireKit } from '@modelplex/provider-openai/testing'
import { setupServer } from 'msw/node'
import { z } from 'zod'
import { openAIScenarios } from '../../scripts/lib/openai-scenarios.mjs'

const kit = createOpenAIWireKit()
const server = setupServer(...kit.handlers(openAIScenarios(kit)))
server.listen({ onUnhandledRequest: 'error' })

const dim = (text) => `\x1b[2m${text}\x1b[22m`
const spent = []
const openai = await loadProvider('openai', {
  ...kit.settings,
  hooks: {
    onRetry: ({ error, attempt, delayMs }) =>
      console.log(
        dim(`  ↻ retry ${attempt} after ${error.name} (status ${error.status}), waiting ${delayMs} ms`),
      ),
    onResponse: ({ operation, cost }) => cost && spent.push({ operation, usd: cost.total }),
  },
})
const messages = [{ role: 'user', content: 'Say hello' }]
const money = (usd) => `$${usd.toFixed(6)}`

console.log('modelplex offline tour — OpenAI provider, replies simulated by its wire kit\n')

console.log('1. generate')
const reply = await openai.generate({ model: 'gpt-4o-mini', messages })
console.log(`  ${reply.text}`)
console.log(dim(`  usage ${JSON.stringify(reply.usage)} · cost ${money(reply.cost.total)}`))

console.log('2. stream')
const stream = openai.stream({ model: 'gpt-4o-mini', messages })
process.stdout.write('  ')
for await (const event of stream) {
  if (event.type === 'text-delta') process.stdout.write(event.text)
  if (event.type === 'finish')
    console.log(
      dim(
        `\n  finish: ${event.finishReason} · ${event.usage.totalTokens} tokens · ${money(event.cost.total)}`,
      ),
    )
}

console.log('3. tool call')
const withTools = await openai.generate({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Weather in Paris?' }],
  tools: [
    {
      name: 'get_weather',
      description: 'Current weather',
      parameters: z.object({ city: z.string(), unit: z.enum(['celsius', 'fahrenheit']) }),
    },
  ],
})
for (const call of withTools.toolCalls) console.log(`  ${call.toolName}(${JSON.stringify(call.input)})`)

console.log('4. structured output (zod)')
const { object } = await openai.generateObject({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Largest city of France?' }],
  schema: z.object({ city: z.string(), country: z.string(), population: z.number().int() }),
})
console.log(`  ${JSON.stringify(object)}`)

console.log('5. embeddings')
const { embeddings, usage } = await openai.embed({
  model: 'text-embedding-3-small',
  input: ['one', 'two', 'three'],
})
console.log(`  ${embeddings.length} vectors of ${embeddings[0].length} numbers · ${usage.inputTokens} tokens`)

console.log('6. a 429 with Retry-After, retried by core')
const started = Date.now()
const retried = await openai.generate({ model: 'rate-limited-once', messages })
console.log(`  succeeded after ${Date.now() - started} ms: ${retried.text.slice(0, 40)}…`)

console.log('7. typed errors')
for (const [model, ErrorClass] of [
  ['no-such-model', NotFoundError],
  ['context-overflow', ContextWindowExceededError],
]) {
  try {
    await openai.generate({ model, messages })
  } catch (error) {
    console.log(
      `  ${model}: ${error.name} (status ${error.status}, isInstance ${ErrorClass.isInstance(error)})`,
    )
  }
}

const total = spent.reduce((sum, entry) => sum + entry.usd, 0)
console.log(
  `\ncost summary: ${spent.length} priced calls, ${money(total)} in all (simulated usage, real gpt-4o-mini prices)`,
)
server.close()
