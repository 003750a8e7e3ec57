// Runs in a fresh npm project holding core, one provider (from tarballs) and what npm installed
// for its peers. Drives the provider through the public API against its wire kit on loopback.
import { loadProvider, NotFoundError } from '@modelplex/core'

const [id, settingsJson, chatModel, embeddingModel] = process.argv.slice(2)
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
