import { describe, expect, it } from 'vitest'
import { createGoogle } from './index.js'

// Runs against generativelanguage.googleapis.com only when a key is set; costs a fraction of a cent.
describe.runIf(process.env.GEMINI_API_KEY || process.env.GOOGLE_API_KEY)('google (live)', () => {
  const provider = createGoogle()
  const model = 'gemini-2.5-flash-lite'
  const messages = [{ role: 'user' as const, content: 'Reply with the single word: pong' }]

  it('generates text with usage and cost', async () => {
    const result = await provider.generate({ model, messages, maxOutputTokens: 20 })
    expect(result.text.toLowerCase()).toContain('pong')
    expect(result.usage?.inputTokens).toBeGreaterThan(0)
    expect(result.cost?.total).toBeGreaterThan(0)
  }, 30_000)

  it('streams text with usage on finish', async () => {
    let text = ''
    let finished = false
    for await (const event of provider.stream({ model, messages, maxOutputTokens: 20 })) {
      if (event.type === 'text-delta') text += event.text
      if (event.type === 'finish') {
        finished = true
        expect(event.usage?.outputTokens).toBeGreaterThan(0)
      }
    }
    expect(finished).toBe(true)
    expect(text.toLowerCase()).toContain('pong')
  }, 30_000)

  it('runs a thinking tool loop on Gemini 3 with the signatures sent back from JSON', async () => {
    const tools = [
      {
        name: 'get_weather',
        description: 'Current weather for a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    ]
    const providerOptions = { google: { thinkingConfig: { includeThoughts: true } } }
    const history: any[] = [{ role: 'user', content: 'What is the weather in Paris? Use the tool.' }]
    const first = await provider.generate({
      model: 'gemini-3-flash-preview',
      messages: history,
      tools,
      providerOptions,
    })
    expect(first.toolCalls.length).toBeGreaterThan(0)
    const results = first.toolCalls.map((call) => ({
      type: 'tool-result' as const,
      toolCallId: call.toolCallId,
      toolName: call.toolName,
      output: { celsius: 21 },
    }))
    const saved = JSON.parse(
      JSON.stringify([...history, ...first.messages, { role: 'tool', content: results }]),
    )
    const second = await provider.generate({
      model: 'gemini-3-flash-preview',
      messages: saved,
      tools,
      providerOptions,
    })
    expect(second.text).toContain('21')
  }, 60_000)

  it('embeds a batch, one vector per input', async () => {
    const result = await provider.embed({ input: ['alpha', 'beta'], dimensions: 8 })
    expect(result.embeddings.map((vector) => vector.length)).toEqual([8, 8])
  }, 30_000)
})
