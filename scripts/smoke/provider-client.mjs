// Runs in a fresh npm project holding core, one provider (from tarballs) and what npm installed
// for its peers. Drives the provider through the public API against its wire kit on loopback.
import { loadProvider, NotFoundError } from '@modelplex/core'

const [id, settingsJson, chatModel, embeddingModel, v2Json = '{}'] = process.argv.slice(2)
/** The kit's interface-v2 facts (what of its reasoning the vendor takes back). */
const v2 = JSON.parse(v2Json)
const provider = await loadProvider(id, JSON.parse(settingsJson))
const messages = [{ role: 'user', content: 'Say hello' }]
const results = []
const check = async (name, fn) => {
  try {
    results.push(`ok ${name}: ${await fn()}`)
  } catch (error) {
    results.push(`FAIL ${name}: ${error?.name}: ${error?.message}`)
  }
}
await check('generate', async () => {
  const r = await provider.generate({ model: chatModel, messages })
  if (!r.text) throw new Error('empty text')
  return `${r.text.length} chars, ${r.usage?.totalTokens} tokens, cost ${r.cost ? `$${r.cost.total}` : 'unpriced'}`
})
await check('stream', async () => {
  let text = ''
  let finish
  for await (const e of provider.stream({ model: chatModel, messages })) {
    if (e.type === 'text-delta') text += e.text
    if (e.type === 'finish') finish = e
  }
  if (!text || !finish) throw new Error(`text ${text.length} chars, finish ${Boolean(finish)}`)
  return `${text.length} chars, finish ${finish.finishReason}`
})
if (embeddingModel) {
  await check('embed', async () => {
    const r = await provider.embed({ model: embeddingModel, input: ['one', 'two'] })
    if (r.embeddings.length !== 2) throw new Error(`${r.embeddings.length} vectors`)
    return `${r.embeddings.length} vectors`
  })
}
// Interface v2 from the tarballs: r.messages round-trips a tool loop, reasoning included.
if (provider.capabilities.tools) {
  await check('tool loop with r.messages', async () => {
    const tools = [
      { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
    ]
    const history = [{ role: 'user', content: 'Weather in Paris?' }]
    const first = await provider.generate({ model: chatModel, messages: history, tools })
    const call = first.toolCalls[0]
    if (!call) throw new Error(`no tool call (finish ${first.finishReason})`)
    const reasoning = first.content.filter((part) => part.type === 'reasoning')
    if (v2.reasoningReturn && reasoning.length === 0)
      throw new Error('a reasoning provider returned no reasoning')
    history.push(...first.messages, {
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: call.toolCallId,
          toolName: call.toolName,
          output: { celsius: 21 },
        },
      ],
    })
    const second = await provider.generate({ model: chatModel, messages: history, tools })
    if (!second.text.includes('The tool answered')) throw new Error(`unexpected answer: ${second.text}`)
    if (v2.reasoningReturn && !second.text.includes(`Reasoning sent back: ${v2.reasoningReturn}.`)) {
      throw new Error(`expected reasoning sent back as ${v2.reasoningReturn}: ${second.text}`)
    }
    return v2.reasoningReturn ? `reasoning sent back ${v2.reasoningReturn}` : 'ok'
  })
}
// Agents from the tarballs: core's tool loop runs the tool and calls the model again (issue 17).
if (provider.capabilities.tools) {
  await check('core tool loop (maxSteps)', async () => {
    const ran = []
    const tools = [
      {
        name: 'get_weather',
        parameters: { type: 'object', properties: { city: { type: 'string' } } },
        execute: async (input) => {
          ran.push(input)
          return { celsius: 21 }
        },
      },
    ]
    const r = await provider.generate({
      model: chatModel,
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools,
      maxSteps: 3,
    })
    if (ran.length !== 1) throw new Error(`the tool ran ${ran.length} times`)
    if (r.steps.length !== 2) throw new Error(`${r.steps.length} steps`)
    if (!r.text.includes('The tool answered')) throw new Error(`unexpected answer: ${r.text}`)
    const roles = r.messages.map((message) => message.role).join(',')
    if (roles !== 'assistant,tool,assistant') throw new Error(`messages ${roles}`)
    const sum = r.steps.reduce((total, step) => total + (step.usage?.outputTokens ?? 0), 0)
    if (r.usage && r.usage.outputTokens !== sum) throw new Error(`usage ${r.usage.outputTokens} ≠ ${sum}`)
    return `${r.steps.length} steps, tool ran once, messages ${roles}`
  })
}
if (provider.capabilities.files?.includes('application/pdf')) {
  await check('pdf file part', async () => {
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64')
    const r = await provider.generate({
      model: chatModel,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Read this' },
            { type: 'file', data: pdf, mediaType: 'application/pdf', filename: 'a.pdf' },
          ],
        },
      ],
    })
    if (!r.text.includes('application/pdf')) throw new Error(`the file did not reach the wire: ${r.text}`)
    return 'reached the wire'
  })
}
await check('404 → NotFoundError', async () => {
  try {
    await provider.generate({ model: 'no-such-model', messages, maxRetries: 0 })
  } catch (error) {
    if (NotFoundError.isInstance(error)) return `status ${error.status}`
    throw error
  }
  throw new Error('the call succeeded')
})
const failed = results.filter((line) => line.startsWith('FAIL')).length
console.log(`${id}: ${results.join(' · ')}`)
process.exit(failed ? 1 : 0)
