import { demoModels, type ServedKit, serveKit } from '@modelplex/conformance'
import { kit } from '@modelplex/provider-openai/testing'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway, type ListeningGateway } from './index.js'

const teamKey = 'sk-team-a-0123456789abcdef'
const otherKey = 'sk-team-b-0123456789abcdef'

let upstream: ServedKit
let server: ListeningGateway
let openai: OpenAI

beforeAll(async () => {
  upstream = await serveKit(kit)
  const gateway = createGateway(
    {
      models: {
        fast: { targets: ['openai:gpt-4o-mini'] },
        sturdy: { targets: [`openai:${demoModels.serverError}`, 'openai:gpt-4o'] },
        lost: { targets: [`openai:${demoModels.notFound}`] },
        embed: { targets: ['openai:text-embedding-3-small'] },
      },
      allowProviderModels: true,
      retry: { maxRetries: 0 },
      keys: [
        { id: 'team-a', secret: teamKey },
        { id: 'team-b', secret: otherKey, models: ['embed'] },
      ],
    },
    {
      // Loaded from source, as a bundler would: the thunk form of a provider entry.
      providers: { openai: { ...upstream.settings, load: () => import('@modelplex/provider-openai') } },
    },
  )
  server = await gateway.listen()
  openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: teamKey, maxRetries: 0 })
})

afterAll(async () => {
  await server?.close()
  await upstream?.close()
})

const ask = [{ role: 'user' as const, content: 'Say hello' }]

describe('the openai SDK against the gateway', () => {
  it('gets a chat completion with the headers the gateway promises', async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: 'fast', messages: ask, max_tokens: 50 })
      .withResponse()
    expect(data.object).toBe('chat.completion')
    expect(data.model).toBe('fast')
    expect(data.choices[0]?.message.content).toContain('Hello from the wire kit')
    expect(data.choices[0]?.finish_reason).toBe('stop')
    expect(data.usage?.prompt_tokens).toBeGreaterThan(0)
    expect(data.usage?.total_tokens).toBe(
      (data.usage?.prompt_tokens ?? 0) + (data.usage?.completion_tokens ?? 0),
    )
    expect(response.headers.get('x-modelplex-provider')).toBe('openai')
    expect(response.headers.get('x-modelplex-model')).toBe('gpt-4o-mini')
    expect(Number(response.headers.get('x-modelplex-cost-usd'))).toBeGreaterThan(0)
    expect(Number(response.headers.get('x-modelplex-overhead-ms'))).toBeGreaterThanOrEqual(0)
  })

  it('streams with include_usage: deltas join to the text, usage comes last with no choices', async () => {
    const stream = await openai.chat.completions.create({
      model: 'fast',
      messages: ask,
      stream: true,
      stream_options: { include_usage: true },
    })
    let text = ''
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = []
    for await (const chunk of stream) {
      chunks.push(chunk)
      text += chunk.choices[0]?.delta.content ?? ''
    }
    expect(text).toContain('Hello from the wire kit')
    const last = chunks.at(-1)
    expect(last?.choices).toEqual([])
    expect(last?.usage?.completion_tokens).toBeGreaterThan(0)
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop')
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true)
  })

  it('streams a tool call that the SDK assembles from its deltas', async () => {
    const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
    ]
    const runner = openai.chat.completions.stream({ model: 'fast', messages: ask, tools })
    const final = await runner.finalChatCompletion()
    const call = final.choices[0]?.message.tool_calls?.[0]
    expect(final.choices[0]?.finish_reason).toBe('tool_calls')
    expect(call?.type === 'function' && call.function.name).toBe('get_weather')
    expect(JSON.parse(call?.type === 'function' ? call.function.arguments : '{}')).toHaveProperty('city')

    // The tool's result goes back and the model answers from it.
    const answer = await openai.chat.completions.create({
      model: 'fast',
      tools,
      messages: [
        ...ask,
        final.choices[0]?.message as OpenAI.Chat.Completions.ChatCompletionMessageParam,
        { role: 'tool', tool_call_id: call?.id ?? '', content: '21 degrees' },
      ],
    })
    expect(answer.choices[0]?.message.content).toContain('21 degrees')
  })

  it('answers json_schema with JSON that fits the schema', async () => {
    const result = await openai.chat.completions.create({
      model: 'fast',
      messages: ask,
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'city',
          schema: {
            type: 'object',
            properties: { city: { type: 'string' }, population: { type: 'integer' } },
            required: ['city', 'population'],
          },
        },
      },
    })
    const parsed = JSON.parse(result.choices[0]?.message.content ?? '')
    expect(typeof parsed.city).toBe('string')
    expect(Number.isInteger(parsed.population)).toBe(true)
  })

  it('passes an image part through to the upstream', async () => {
    const result = await openai.chat.completions.create({
      model: 'fast',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this image?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
      ],
    })
    expect(result.choices[0]?.message.content).toContain('What is in this image?')
  })

  it('embeds as floats and as base64 (the SDK default), with the same vectors', async () => {
    const floats = await openai.embeddings.create({
      model: 'embed',
      input: ['a', 'b'],
      encoding_format: 'float',
    })
    const decoded = await openai.embeddings.create({ model: 'embed', input: ['a', 'b'] })
    expect(floats.data).toHaveLength(2)
    expect(floats.data[0]?.embedding.length).toBeGreaterThan(0)
    expect(decoded.data[1]?.embedding).toHaveLength(floats.data[1]?.embedding.length ?? -1)
    decoded.data[1]?.embedding.forEach((value, index) => {
      expect(value).toBeCloseTo(floats.data[1]?.embedding[index] ?? Number.NaN, 5)
    })
    expect(floats.usage.prompt_tokens).toBeGreaterThan(0)
  })

  it('lists models and retrieves one; an unknown one is the SDK NotFoundError', async () => {
    const page = await openai.models.list()
    expect(page.data.map((model) => model.id).sort()).toEqual(['embed', 'fast', 'lost', 'sturdy'])
    expect((await openai.models.retrieve('fast')).id).toBe('fast')
    await expect(openai.models.retrieve('nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError)
  })

  it('serves a provider:model id that no alias names', async () => {
    const result = await openai.chat.completions.create({ model: 'openai:gpt-4o-mini', messages: ask })
    expect(result.model).toBe('openai:gpt-4o-mini')
  })

  it('falls back when the first target answers 500, and says which one served', async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: 'sturdy', messages: ask })
      .withResponse()
    expect(data.choices[0]?.message.content).toContain('Hello from the wire kit')
    expect(response.headers.get('x-modelplex-model')).toBe('gpt-4o')
  })

  it('says which target served a stream after a fallback', async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: 'sturdy', messages: ask, stream: true })
      .withResponse()
    for await (const _ of data) {
      // drain
    }
    expect(response.headers.get('x-modelplex-model')).toBe('gpt-4o')
  })

  it('turns an upstream 404 into the SDK NotFoundError, never a 200', async () => {
    await expect(openai.chat.completions.create({ model: 'lost', messages: ask })).rejects.toBeInstanceOf(
      OpenAI.NotFoundError,
    )
    await expect(
      openai.chat.completions.create({ model: 'lost', messages: ask, stream: true }),
    ).rejects.toBeInstanceOf(OpenAI.NotFoundError)
  })

  it('turns an upstream 500 with no target left into a 502', async () => {
    const error = await openai.chat.completions
      .create({ model: `openai:${demoModels.serverError}`, messages: ask })
      .catch((caught) => caught)
    expect(error).toBeInstanceOf(OpenAI.InternalServerError)
    expect(error.status).toBe(502)
  })

  it('refuses a bad key with the SDK AuthenticationError, and says nothing of the key', async () => {
    const stranger = new OpenAI({
      baseURL: `${server.url}/v1`,
      apiKey: 'sk-wrong-key-value-123456',
      maxRetries: 0,
    })
    const error = await stranger.chat.completions
      .create({ model: 'fast', messages: ask })
      .catch((caught) => caught)
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError)
    expect(JSON.stringify(error.error)).not.toContain('sk-wrong-key-value-123456')
  })

  it('refuses a model the key may not call with a 403', async () => {
    const teamB = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: otherKey, maxRetries: 0 })
    const error = await teamB.chat.completions
      .create({ model: 'fast', messages: ask })
      .catch((caught) => caught)
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError)
    expect(error.message).toContain('may call: embed')
    expect((await teamB.models.list()).data.map((model) => model.id)).toEqual(['embed'])
  })
})
