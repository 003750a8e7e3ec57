import Anthropic from '@anthropic-ai/sdk'
import { type ServedKit, serveKit } from '@modelplex/conformance'
import { kit } from '@modelplex/provider-openai/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway, type ListeningGateway } from './index.js'

const teamKey = 'sk-team-a-0123456789abcdef'
const limitedKey = 'sk-limited-0123456789abcdef'

let upstream: ServedKit
let server: ListeningGateway
let anthropic: Anthropic

beforeAll(async () => {
  upstream = await serveKit(kit)
  const gateway = createGateway(
    {
      models: { claude: { targets: ['openai:gpt-4o-mini'] } },
      retry: { maxRetries: 0 },
      keys: [
        { id: 'team-a', secret: teamKey },
        { id: 'limited', secret: limitedKey, limits: { rpm: 1 } },
      ],
    },
    { providers: { openai: { ...upstream.settings, load: () => import('@modelplex/provider-openai') } } },
  )
  server = await gateway.listen()
  anthropic = new Anthropic({ baseURL: server.url, apiKey: teamKey, maxRetries: 0 })
})

afterAll(async () => {
  await server?.close()
  await upstream?.close()
})

const ask = [{ role: 'user' as const, content: 'Say hello' }]
const tools: Anthropic.Tool[] = [
  {
    name: 'get_weather',
    description: 'The weather in a city',
    input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
]

describe('the @anthropic-ai/sdk against the gateway', () => {
  it('gets a message, with usage and the gateway headers', async () => {
    const { data, response } = await anthropic.messages
      .create({ model: 'claude', max_tokens: 100, system: 'Be brief', messages: ask })
      .withResponse()
    expect(data.type).toBe('message')
    expect(data.model).toBe('claude')
    expect(data.stop_reason).toBe('end_turn')
    const [block] = data.content
    expect(block?.type === 'text' && block.text).toContain('Hello from the wire kit')
    expect(data.usage.input_tokens).toBeGreaterThan(0)
    expect(data.usage.output_tokens).toBeGreaterThan(0)
    expect(response.headers.get('x-modelplex-provider')).toBe('openai')
    expect(Number(response.headers.get('x-modelplex-cost-usd'))).toBeGreaterThan(0)
  })

  it('streams: text events join to the final message, which carries the usage', async () => {
    const stream = anthropic.messages.stream({ model: 'claude', max_tokens: 100, messages: ask })
    let text = ''
    stream.on('text', (delta) => {
      text += delta
    })
    const final = await stream.finalMessage()
    const [block] = final.content
    expect(block?.type === 'text' && block.text).toBe(text)
    expect(text).toContain('Hello from the wire kit')
    expect(final.stop_reason).toBe('end_turn')
    expect(final.usage.output_tokens).toBeGreaterThan(0)
  })

  it('calls a tool in a stream, takes its result back and answers from it', async () => {
    const final = await anthropic.messages
      .stream({ model: 'claude', max_tokens: 100, messages: ask, tools })
      .finalMessage()
    expect(final.stop_reason).toBe('tool_use')
    const call = final.content.find((block) => block.type === 'tool_use')
    expect(call?.type === 'tool_use' && call.name).toBe('get_weather')
    expect(call?.type === 'tool_use' && call.input).toHaveProperty('city')
    const answer = await anthropic.messages.create({
      model: 'claude',
      max_tokens: 100,
      tools,
      messages: [
        ...ask,
        { role: 'assistant', content: final.content },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: call?.type === 'tool_use' ? call.id : '',
              content: '21 degrees',
            },
          ],
        },
      ],
    })
    const [block] = answer.content
    expect(block?.type === 'text' && block.text).toContain('21 degrees')
  })

  it("raises the SDK's AuthenticationError for a bad key and RateLimitError over a limit", async () => {
    const stranger = new Anthropic({
      baseURL: server.url,
      apiKey: 'sk-wrong-0123456789abcdef',
      maxRetries: 0,
    })
    await expect(
      stranger.messages.create({ model: 'claude', max_tokens: 10, messages: ask }),
    ).rejects.toBeInstanceOf(Anthropic.AuthenticationError)
    const limited = new Anthropic({ baseURL: server.url, apiKey: limitedKey, maxRetries: 0 })
    await limited.messages.create({ model: 'claude', max_tokens: 10, messages: ask })
    const error = await limited.messages
      .create({ model: 'claude', max_tokens: 10, messages: ask })
      .catch((caught) => caught)
    expect(error).toBeInstanceOf(Anthropic.RateLimitError)
    expect(Number(error.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(error.error.type).toBe('error')
    expect(error.error.error.type).toBe('rate_limit_error')
  })

  it("answers an unknown model with the SDK's NotFoundError in Anthropic's error shape", async () => {
    const error = await anthropic.messages
      .create({ model: 'nope', max_tokens: 10, messages: ask })
      .catch((caught) => caught)
    expect(error).toBeInstanceOf(Anthropic.NotFoundError)
    expect(error.error.error.type).toBe('not_found_error')
  })
})
