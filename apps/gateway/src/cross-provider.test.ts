import Anthropic from '@anthropic-ai/sdk'
import { demoModels, demoReasoning, type ServedKit, serveKit } from '@modelplex/conformance'
import { kit as anthropicKit } from '@modelplex/provider-anthropic/testing'
import { kit as openAIKit } from '@modelplex/provider-openai/testing'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway, type ListeningGateway } from './index.js'

let openAIUpstream: ServedKit
let anthropicUpstream: ServedKit
let server: ListeningGateway

const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    },
  },
]

beforeAll(async () => {
  openAIUpstream = await serveKit(openAIKit)
  anthropicUpstream = await serveKit(anthropicKit)
  const gateway = createGateway(
    {
      // The config names the settings; the test adds a loader, as a bundler (or the CLI) would.
      providers: { anthropic: { ...anthropicUpstream.settings } },
      models: {
        sturdy: { targets: [`openai:${demoModels.serverError}`, 'anthropic:claude-sonnet-5-5'] },
        claude: { targets: ['anthropic:claude-sonnet-5-5'] },
      },
      retry: { maxRetries: 0 },
    },
    {
      providers: {
        openai: { ...openAIUpstream.settings, load: () => import('@modelplex/provider-openai') },
        anthropic: { load: () => import('@modelplex/provider-anthropic') },
      },
    },
  )
  server = await gateway.listen()
})

afterAll(async () => {
  await server?.close()
  await openAIUpstream?.close()
  await anthropicUpstream?.close()
})

describe('across providers', () => {
  it('falls back from an OpenAI 500 to Anthropic, answering in OpenAI format', async () => {
    const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 })
    const { data, response } = await openai.chat.completions
      .create({ model: 'sturdy', messages: [{ role: 'user', content: 'Say hello' }] })
      .withResponse()
    expect(data.choices[0]?.message.content).toContain('Hello from the wire kit')
    expect(response.headers.get('x-modelplex-provider')).toBe('anthropic')
    expect(response.headers.get('x-modelplex-model')).toBe('claude-sonnet-5-5')
  })

  it('returns reasoning as reasoning_content, in the message and in stream deltas', async () => {
    const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 })
    const messages = [{ role: 'user' as const, content: 'Weather in Paris?' }]
    const answer = await openai.chat.completions.create({ model: 'claude', messages, tools })
    const message = answer.choices[0]?.message as { reasoning_content?: string }
    expect(message.reasoning_content).toBe(demoReasoning.text)
    const stream = await openai.chat.completions.create({ model: 'claude', messages, tools, stream: true })
    let reasoning = ''
    for await (const chunk of stream)
      reasoning +=
        (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? ''
    expect(reasoning).toBe(demoReasoning.text)
  })

  it('streams thinking with its signature over /v1/messages, for the Anthropic SDK', async () => {
    const anthropic = new Anthropic({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 })
    const final = await anthropic.messages
      .stream({
        model: 'claude',
        max_tokens: 2000,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
        tools: [
          { name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
        ],
      })
      .finalMessage()
    const thinking = final.content.find((block) => block.type === 'thinking')
    expect(thinking?.type === 'thinking' && thinking.thinking).toBe(demoReasoning.text)
    expect(thinking?.type === 'thinking' && thinking.signature).toBe(demoReasoning.signature)
    expect(final.content.some((block) => block.type === 'tool_use')).toBe(true)
  })
})
