import type {
  Capabilities,
  Cost,
  GenerateRequest,
  Message,
  Provider,
  ProviderSpec,
  StreamEvent,
  Usage,
} from '@modelplex/core'
import {
  AbortedError,
  AuthenticationError,
  ConnectionError,
  ContentFilterError,
  ContextWindowExceededError,
  InvalidRequestError,
  MalformedResponseError,
  type ModelplexError,
  NotFoundError,
  RateLimitError,
  ServerError,
  StreamInterruptedError,
  StructuredOutputError,
  TimeoutError,
} from '@modelplex/core'
import { baseSettingChecks, checkSettingsValidation } from '@modelplex/core/testing'
import type { HttpHandler } from 'msw'
import { expect } from 'vitest'
import { z } from 'zod'
import { agentScenarios } from './agent-scenarios.js'
import { v2Scenarios } from './v2-scenarios.js'
import type { WireKit, WireReply, WireRequestView, WireUsage } from './wire-kit.js'

/** A capability a scenario needs, as `spec.capabilities` names it. */
export type CapabilityName = keyof Capabilities

/** What a scenario gets to drive the provider and read the wire. */
export interface ScenarioContext {
  spec: ProviderSpec<any>
  kit: WireKit
  /** The provider under test, made with `createProvider(spec, kit.settings + fast retries)`. */
  provider: Provider
  chatModel: string
  embeddingModel: string
  /** Scripts the replies to this scenario's requests, in order; the last one repeats. */
  script(...replies: WireReply[]): void
  /** The requests this scenario sent, as the kit read them back. */
  readonly views: WireRequestView[]
  /** Awaits a call that must fail and returns its error (kept for the API-key scan). */
  failure(call: Promise<unknown>): Promise<ModelplexError>
  /** A provider with these settings over the kit's (same fast retries). */
  createProvider(settings: Record<string, unknown>): Provider
  /** MSW handlers for the rest of this scenario. */
  use(...handlers: HttpHandler[]): void
  /** The function the kit's handlers call: records the view, returns the scripted reply. */
  serve(view: WireRequestView): WireReply
  /** The cost core must report: the spec's pricing (with the kit's override) for this model and usage. */
  expectedCost(model: string, usage: Usage | undefined): Cost | undefined
}

export interface Scenario {
  /** Stable id, `<group>.<name>`: the key in results and in the matrix. */
  id: string
  title: string
  /** Capabilities the scenario exercises; when one is unclaimed the scenario is 'unsupported'. */
  requires: CapabilityName[]
  run(context: ScenarioContext): Promise<void>
}

/** The groups the matrix shows as columns, in order. */
export const scenarioGroups = [
  'generate',
  'stream',
  'tools',
  'structured',
  'vision',
  'embeddings',
  'models',
  'reasoning',
  'files',
  'cache',
  'metadata',
  'messages',
  'agents',
  'errors',
  'config',
] as const

/** The group whose scenarios an unclaimed capability turns into 'unsupported'. */
export const capabilityGroups: Record<CapabilityName, (typeof scenarioGroups)[number]> = {
  stream: 'stream',
  tools: 'tools',
  structuredOutput: 'structured',
  embeddings: 'embeddings',
  vision: 'vision',
  listModels: 'models',
  reasoning: 'reasoning',
  files: 'files',
  cacheControl: 'cache',
}

const usage: WireUsage = { inputTokens: 10, outputTokens: 5 }
const hello: Message[] = [{ role: 'user', content: 'Say hello.' }]

function textReply(
  model: string,
  text = 'Hello!',
  extra: Partial<Extract<WireReply, { type: 'generate' }>> = {},
) {
  return { type: 'generate', text, finishReason: 'stop', usage, model, ...extra } satisfies WireReply
}

function totalOf(wire: WireUsage): Usage {
  return {
    inputTokens: wire.inputTokens,
    outputTokens: wire.outputTokens,
    totalTokens: wire.inputTokens + wire.outputTokens,
  }
}

/** Iterates a stream to its end or its error; keeps every event delivered. */
async function drain(stream: AsyncIterable<StreamEvent>): Promise<{ events: StreamEvent[]; error: unknown }> {
  const events: StreamEvent[] = []
  try {
    for await (const event of stream) events.push(event)
    return { events, error: undefined }
  } catch (error) {
    return { events, error }
  }
}

function deltaText(events: StreamEvent[]): string {
  return events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('')
}

function expectError(error: unknown, type: { isInstance(value: unknown): boolean; name: string }): void {
  const actual = error as Error
  expect(type.isInstance(error), `expected ${type.name}, got ${actual?.name}: ${actual?.message}`).toBe(true)
}

const weatherTool = {
  name: 'get_weather',
  description: 'Get the current weather in a city',
  parameters: z.object({
    city: z.string().describe('City name'),
    unit: z.enum(['celsius', 'fahrenheit']).optional(),
  }),
}

const timeTool = {
  name: 'get_time',
  description: 'Get the current time in a time zone',
  parameters: z.object({ timeZone: z.string() }),
}

const cityInfo = z.object({ city: z.string(), population: z.number() })

/** A small PNG (1×1, transparent), base64. */
const pixelPng =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='

/** Error scenarios: a scripted vendor error that must surface as one core error class. */
function errorScenario(
  id: string,
  title: string,
  kind: Extract<WireReply, { type: 'error' }>['kind'],
  type: { isInstance(value: unknown): boolean; name: string },
  check?: (error: ModelplexError, context: ScenarioContext) => void,
): Scenario {
  return {
    id,
    title,
    requires: [],
    async run(context) {
      context.script({ type: 'error', kind })
      const error = await context.failure(
        context.provider.generate({ model: context.chatModel, messages: hello }),
      )
      expectError(error, type)
      expect(error.provider).toBe(context.spec.id)
      check?.(error, context)
    },
  }
}

/** Every scenario of DESIGN.md's "Conformance" section, in the order the suite runs them. */
const firstScenarios: Scenario[] = [
  {
    id: 'generate.text',
    title: 'generate returns the text, the model and the provider',
    requires: [],
    async run({ provider, chatModel, spec, script, views }) {
      script(textReply(chatModel, 'Hello! How can I help?'))
      const result = await provider.generate({ model: chatModel, messages: hello })
      expect(result.text).toBe('Hello! How can I help?')
      expect(result.finishReason).toBe('stop')
      expect(result.toolCalls).toEqual([])
      expect(result.provider).toBe(spec.id)
      expect(result.model).toBe(chatModel)
      expect(views).toHaveLength(1)
      expect(views[0]!.operation).toBe('generate')
      expect(views[0]!.model).toBe(chatModel)
      expect(views[0]!.messages).toEqual([expect.objectContaining({ role: 'user', text: 'Say hello.' })])
    },
  },
  {
    id: 'generate.system',
    title: 'the system prompt reaches the wire',
    requires: [],
    async run({ provider, chatModel, script, views }) {
      script(textReply(chatModel))
      await provider.generate({
        model: chatModel,
        messages: [
          { role: 'system', content: 'You are a pirate.' },
          { role: 'user', content: 'Hi' },
        ],
      })
      expect(views[0]!.system).toBe('You are a pirate.')
      expect(views[0]!.messages.map((message) => message.role)).toEqual(['user'])
    },
  },
  {
    id: 'generate.multi-turn',
    title: 'a multi-turn conversation keeps its order and roles',
    requires: [],
    async run({ provider, chatModel, script, views }) {
      script(textReply(chatModel, 'Fine, thanks.'))
      const result = await provider.generate({
        model: chatModel,
        messages: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello! How can I help?' },
          { role: 'user', content: 'How are you?' },
        ],
      })
      expect(result.text).toBe('Fine, thanks.')
      expect(views[0]!.messages.map(({ role, text }) => ({ role, text }))).toEqual([
        { role: 'user', text: 'Hi' },
        { role: 'assistant', text: 'Hello! How can I help?' },
        { role: 'user', text: 'How are you?' },
      ])
    },
  },
  {
    id: 'generate.settings',
    title:
      'temperature, maxOutputTokens and stopSequences reach the wire (a setting the vendor lacks: a warning naming it, nothing sent)',
    requires: [],
    async run({ kit, provider, chatModel, script, views }) {
      script(textReply(chatModel))
      const settings = { temperature: 0.3, maxOutputTokens: 64, stopSequences: ['END', 'STOP'] }
      const result = await provider.generate({ model: chatModel, messages: hello, ...settings })
      const lacking = new Set(kit.unsupportedSettings ?? [])
      for (const [setting, value] of Object.entries(settings) as Array<[keyof typeof settings, unknown]>) {
        if (lacking.has(setting)) {
          expect(views[0]![setting], `${setting} is not the vendor's: nothing is sent`).toBeUndefined()
          expect(
            result.warnings.some((warning) => warning.setting === setting),
            `a warning names ${setting}`,
          ).toBe(true)
        } else {
          expect(views[0]![setting]).toEqual(value)
        }
      }
    },
  },
  ...(['stop', 'length', 'content-filter'] as const).map(
    (reason): Scenario => ({
      id: `generate.finish-${reason}`,
      title: `finish reason "${reason}" is mapped`,
      requires: [],
      async run({ provider, chatModel, script }) {
        script(
          textReply(chatModel, reason === 'content-filter' ? '' : 'Partial answer', { finishReason: reason }),
        )
        const result = await provider.generate({ model: chatModel, messages: hello })
        expect(result.finishReason).toBe(reason)
      },
    }),
  ),
  {
    id: 'generate.finish-tool-calls',
    title: 'finish reason "tool-calls" is mapped',
    requires: ['tools'],
    async run({ provider, chatModel, script }) {
      script({
        type: 'generate',
        toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
        finishReason: 'tool-calls',
        usage,
        model: chatModel,
      })
      const result = await provider.generate({ model: chatModel, messages: hello, tools: [weatherTool] })
      expect(result.finishReason).toBe('tool-calls')
      expect(result.toolCalls).toHaveLength(1)
    },
  },
  {
    id: 'generate.usage',
    title: 'usage is normalized: input, output and total tokens',
    requires: [],
    async run({ provider, chatModel, script }) {
      script(textReply(chatModel, 'Hello!', { usage: { inputTokens: 12, outputTokens: 7 } }))
      const result = await provider.generate({ model: chatModel, messages: hello })
      expect(result.usage).toMatchObject({ inputTokens: 12, outputTokens: 7, totalTokens: 19 })
    },
  },
  {
    id: 'generate.usage-cached',
    title: 'cached input tokens are reported',
    requires: [],
    async run({ provider, chatModel, script }) {
      script(
        textReply(chatModel, 'Hello!', {
          usage: { inputTokens: 2048, outputTokens: 10, cachedInputTokens: 1024 },
        }),
      )
      const result = await provider.generate({ model: chatModel, messages: hello })
      expect(result.usage).toMatchObject({ inputTokens: 2048, outputTokens: 10, cachedInputTokens: 1024 })
    },
  },
  {
    id: 'generate.cost',
    title: "cost comes from the provider's pricing table",
    requires: [],
    async run({ provider, chatModel, script, expectedCost }) {
      const wire = { inputTokens: 1000, outputTokens: 500 }
      script(textReply(chatModel, 'Hello!', { usage: wire }))
      const result = await provider.generate({ model: chatModel, messages: hello })
      const expected = expectedCost(chatModel, totalOf(wire))
      expect(result.cost).toEqual(expected)
    },
  },
  {
    id: 'stream.text',
    title: 'stream deltas join to the text; one finish, last, with usage and cost',
    requires: ['stream'],
    async run({ provider, chatModel, script, views, expectedCost }) {
      const wire = { inputTokens: 11, outputTokens: 4 }
      const slices = ['Hel', 'lo, ', 'wor', 'ld!']
      script({
        type: 'stream',
        parts: slices.map((text) => ({ type: 'text', text })),
        finishReason: 'stop',
        usage: wire,
        model: chatModel,
      })
      const stream = provider.stream({ model: chatModel, messages: hello })
      const { events, error } = await drain(stream)
      expect(error).toBeUndefined()
      expect(deltaText(events)).toBe('Hello, world!')
      const finishes = events.filter((event) => event.type === 'finish')
      expect(finishes).toHaveLength(1)
      const finish = events[events.length - 1]
      expect(finish?.type).toBe('finish')
      if (finish?.type !== 'finish') return
      expect(finish.finishReason).toBe('stop')
      expect(finish.usage).toMatchObject(totalOf(wire))
      expect(finish.cost).toEqual(expectedCost(chatModel, totalOf(wire)))
      const result = await stream.result()
      expect(result.text).toBe('Hello, world!')
      expect(result.usage).toMatchObject(totalOf(wire))
      expect(views).toHaveLength(1)
      expect(views[0]!.operation).toBe('stream')
    },
  },
  {
    id: 'stream.tool-calls',
    title: 'streamed tool calls are assembled from split argument deltas',
    requires: ['stream', 'tools'],
    async run({ provider, chatModel, script }) {
      script({
        type: 'stream',
        parts: [
          { type: 'tool-call', index: 0, id: 'call_weather', name: 'get_weather', argumentsDelta: '' },
          { type: 'tool-call', index: 0, argumentsDelta: '{"ci' },
          { type: 'tool-call', index: 0, argumentsDelta: 'ty":"Par' },
          { type: 'tool-call', index: 0, argumentsDelta: 'is"}' },
          { type: 'tool-call', index: 1, id: 'call_time', name: 'get_time', argumentsDelta: '{"time' },
          { type: 'tool-call', index: 1, argumentsDelta: 'Zone":"Europe/' },
          { type: 'tool-call', index: 1, argumentsDelta: 'Paris"}' },
        ],
        finishReason: 'tool-calls',
        usage,
        model: chatModel,
      })
      const stream = provider.stream({ model: chatModel, messages: hello, tools: [weatherTool, timeTool] })
      const { events, error } = await drain(stream)
      expect(error).toBeUndefined()
      const calls = events.flatMap((event) => (event.type === 'tool-call' ? [event.toolCall] : []))
      const expected = [
        { toolCallId: 'call_weather', toolName: 'get_weather', input: { city: 'Paris' } },
        { toolCallId: 'call_time', toolName: 'get_time', input: { timeZone: 'Europe/Paris' } },
      ]
      expect(calls).toMatchObject(expected)
      const result = await stream.result()
      expect(result.toolCalls).toMatchObject(expected)
      expect(result.finishReason).toBe('tool-calls')
    },
  },
  {
    id: 'stream.utf8',
    title: 'multi-byte UTF-8 split across chunks joins correctly',
    requires: ['stream'],
    async run({ provider, chatModel, script }) {
      const slices = ['héllo ', 'wörld ', '你好 ', '🎉']
      script({
        type: 'stream',
        parts: slices.map((text) => ({ type: 'text', text })),
        finishReason: 'stop',
        usage,
        model: chatModel,
        chunkBytes: 3,
      })
      const stream = provider.stream({ model: chatModel, messages: hello })
      const { events, error } = await drain(stream)
      expect(error).toBeUndefined()
      expect(deltaText(events)).toBe('héllo wörld 你好 🎉')
      expect((await stream.result()).text).toBe('héllo wörld 你好 🎉')
    },
  },
  {
    id: 'tools.zod-schema',
    title: 'a tool with a zod schema reaches the wire as JSON Schema; the call is parsed',
    requires: ['tools'],
    async run({ provider, chatModel, script, views }) {
      script({
        type: 'generate',
        toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' }],
        finishReason: 'tool-calls',
        usage,
        model: chatModel,
      })
      const result = await provider.generate({
        model: chatModel,
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
        tools: [weatherTool],
      })
      const tool = views[0]!.tools?.[0]
      expect(tool?.name).toBe('get_weather')
      expect(tool?.description).toBe(weatherTool.description)
      expect(tool?.parameters).toMatchObject({
        type: 'object',
        properties: { city: { type: 'string' }, unit: { enum: ['celsius', 'fahrenheit'] } },
        required: ['city'],
      })
      expect(result.toolCalls).toEqual([
        {
          toolCallId: 'call_1',
          toolName: 'get_weather',
          input: { city: 'Paris', unit: 'celsius' },
          rawInput: '{"city":"Paris","unit":"celsius"}',
        },
      ])
    },
  },
  {
    id: 'tools.choice-unknown',
    title: 'a toolChoice naming a tool that is not in tools → InvalidRequestError, nothing sent',
    requires: ['tools'],
    async run({ provider, chatModel, script, views, failure }) {
      script(textReply(chatModel, 'must not be reached'))
      const error = await failure(
        provider.generate({
          model: chatModel,
          messages: hello,
          tools: [weatherTool],
          toolChoice: { type: 'tool', toolName: 'get_time' },
        }),
      )
      expectError(error, InvalidRequestError)
      expect((error as InvalidRequestError).field).toBe('toolChoice')
      expect(views).toHaveLength(0)
    },
  },
  {
    id: 'tools.result-round-trip',
    title: 'an assistant tool call and its tool result reach the wire',
    requires: ['tools'],
    async run({ provider, chatModel, script, views }) {
      script(textReply(chatModel, 'It is 21 °C in Paris.'))
      const result = await provider.generate({
        model: chatModel,
        tools: [weatherTool],
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          {
            role: 'assistant',
            content: [
              { type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Paris' } },
            ],
          },
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: 'call_1', toolName: 'get_weather', output: { celsius: 21 } },
            ],
          },
        ],
      })
      expect(result.text).toBe('It is 21 °C in Paris.')
      const messages = views[0]!.messages
      expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool'])
      expect(messages[1]!.toolCallIds).toEqual(['call_1'])
      expect(messages[2]!.toolCallIds).toEqual(['call_1'])
      expect(messages[2]!.text).toContain('21')
    },
  },
  {
    id: 'structured.valid',
    title: 'generateObject returns the object, sent in the declared structured-output mode',
    requires: ['structuredOutput'],
    async run({ provider, chatModel, spec, script, views }) {
      const json = '{"city":"Paris","population":2100000}'
      const mode = spec.capabilities.structuredOutput
      script(
        mode === 'tool'
          ? {
              type: 'generate',
              toolCalls: [{ id: 'call_1', name: 'city_info', arguments: json }],
              finishReason: 'tool-calls',
              usage,
              model: chatModel,
            }
          : textReply(chatModel, json),
      )
      const result = await provider.generateObject({
        model: chatModel,
        messages: [{ role: 'user', content: 'Facts about Paris' }],
        schema: cityInfo,
        schemaName: 'city_info',
      })
      expect(result.object).toEqual({ city: 'Paris', population: 2100000 })
      const view = views[0]!
      if (mode === 'json-schema') {
        expect(view.responseSchema).toMatchObject({
          properties: { city: { type: 'string' }, population: {} },
        })
      } else if (mode === 'json-mode') {
        expect(view.jsonOutput).toBe(true)
      } else {
        expect(view.tools?.map((tool) => tool.name)).toContain('city_info')
      }
    },
  },
  {
    id: 'structured.invalid',
    title: 'a reply that does not match the schema throws StructuredOutputError with text and issues',
    requires: ['structuredOutput'],
    async run({ provider, chatModel, spec, script, failure }) {
      const json = '{"city":42}'
      script(
        spec.capabilities.structuredOutput === 'tool'
          ? {
              type: 'generate',
              toolCalls: [{ id: 'call_1', name: 'city_info', arguments: json }],
              finishReason: 'tool-calls',
              usage,
              model: chatModel,
            }
          : textReply(chatModel, json),
      )
      const error = await failure(
        provider.generateObject({
          model: chatModel,
          messages: hello,
          schema: cityInfo,
          schemaName: 'city_info',
        }),
      )
      expectError(error, StructuredOutputError)
      const structured = error as StructuredOutputError
      expect(structured.text).toBe(json)
      expect(structured.issues.map((issue) => issue.path[0]).sort()).toEqual(['city', 'population'])
    },
  },
  {
    id: 'vision.url',
    title: 'an image part given as an https URL reaches the wire',
    requires: ['vision'],
    async run({ provider, chatModel, script, views }) {
      script(textReply(chatModel, 'A cat.'))
      await provider.generate({
        model: chatModel,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in this image?' },
              { type: 'image', image: 'https://example.com/cat.png' },
            ],
          },
        ],
      })
      expect(views[0]!.messages[0]).toMatchObject({ role: 'user', images: 1 })
      expect(views[0]!.messages[0]!.text).toContain('What is in this image?')
    },
  },
  {
    id: 'vision.base64',
    title: 'an image part given as base64 with a media type reaches the wire',
    requires: ['vision'],
    async run({ provider, chatModel, script, views }) {
      script(textReply(chatModel, 'A pixel.'))
      await provider.generate({
        model: chatModel,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', image: pixelPng, mediaType: 'image/png' },
              { type: 'image', image: 'https://example.com/dog.jpg' },
              { type: 'text', text: 'Compare them.' },
            ],
          },
        ],
      })
      expect(views[0]!.messages[0]).toMatchObject({ role: 'user', images: 2 })
      expect(JSON.stringify(views[0]!.body)).toContain(pixelPng)
    },
  },
  {
    id: 'embeddings.batch',
    title: 'a batch of inputs returns one vector per input, in order, with usage',
    requires: ['embeddings'],
    async run({ provider, embeddingModel, script, views }) {
      const vectors = [
        [0.1, 0.2, 0.3],
        [0.4, 0.5, 0.6],
        [0.7, 0.8, 0.9],
      ]
      script({ type: 'embed', vectors, usage: { inputTokens: 6 }, model: embeddingModel })
      const result = await provider.embed({ model: embeddingModel, input: ['alpha', 'beta', 'gamma'] })
      expect(result.embeddings).toEqual(vectors)
      expect(result.usage).toEqual({ inputTokens: 6 })
      expect(views[0]!.operation).toBe('embed')
      expect(views[0]!.model).toBe(embeddingModel)
      expect(views[0]!.embedInput).toEqual(['alpha', 'beta', 'gamma'])
    },
  },
  {
    id: 'embeddings.dimensions',
    title: 'the dimensions setting reaches the wire',
    requires: ['embeddings'],
    async run({ provider, embeddingModel, script, views }) {
      script({ type: 'embed', vectors: [[0.6, 0.8]], usage: { inputTokens: 2 }, model: embeddingModel })
      const result = await provider.embed({ model: embeddingModel, input: 'hello', dimensions: 2 })
      expect(result.embeddings).toEqual([[0.6, 0.8]])
      expect(views[0]!.dimensions).toBe(2)
      expect(views[0]!.embedInput).toEqual(['hello'])
    },
  },
  {
    id: 'models.list',
    title: 'listModels returns the ids',
    requires: ['listModels'],
    async run({ provider, script, views }) {
      script({ type: 'models', ids: ['model-alpha', 'model-beta', 'model-gamma'] })
      const models = await provider.listModels()
      expect(models.map((model) => model.id)).toEqual(['model-alpha', 'model-beta', 'model-gamma'])
      expect(views[0]!.operation).toBe('listModels')
    },
  },
  errorScenario(
    'errors.bad-request',
    '400 → InvalidRequestError, not retried',
    'bad-request',
    InvalidRequestError,
    (e, c) => {
      expect(ContextWindowExceededError.isInstance(e) || ContentFilterError.isInstance(e)).toBe(false)
      expect(e.retryable).toBe(false)
      expect(c.views).toHaveLength(1)
    },
  ),
  errorScenario(
    'errors.unauthorized',
    'a rejected key (401; 403 where the vendor never sends 401) → AuthenticationError',
    'unauthorized',
    AuthenticationError,
    (e) => {
      // Bedrock answers a bad key with 403 UnrecognizedClientException: the class is the contract.
      expect([401, 403]).toContain(e.status)
    },
  ),
  errorScenario('errors.forbidden', '403 → AuthenticationError', 'forbidden', AuthenticationError, (e) => {
    expect(e.status).toBe(403)
  }),
  errorScenario('errors.not-found', '404 → NotFoundError', 'not-found', NotFoundError, (e) => {
    expect(e.status).toBe(404)
  }),
  errorScenario(
    'errors.context-window',
    'context length exceeded → ContextWindowExceededError',
    'context-window',
    ContextWindowExceededError,
  ),
  errorScenario(
    'errors.content-filter',
    'content policy refusal → ContentFilterError',
    'content-filter',
    ContentFilterError,
  ),
  {
    id: 'errors.rate-limit-retry-after',
    title: '429 with a retry-after is retried after the advertised delay, then succeeds',
    requires: [],
    async run({ provider, chatModel, script, views }) {
      const advertisedMs = 30
      script(
        { type: 'error', kind: 'rate-limit', retryAfterMs: advertisedMs },
        textReply(chatModel, 'After the wait.'),
      )
      const started = performance.now()
      const result = await provider.generate({ model: chatModel, messages: hello })
      const elapsed = performance.now() - started
      expect(result.text).toBe('After the wait.')
      expect(views).toHaveLength(2)
      // 1 ms of slack for timer rounding; the fast test backoff (≤ 5 ms) cannot reach 29 ms.
      expect(elapsed).toBeGreaterThanOrEqual(advertisedMs - 1)
    },
  },
  {
    id: 'errors.server-retry',
    title: '5xx and overloaded are retried, then succeed',
    requires: [],
    async run({ provider, chatModel, script, views }) {
      script(
        { type: 'error', kind: 'server' },
        { type: 'error', kind: 'overloaded' },
        textReply(chatModel, 'Recovered.'),
      )
      const result = await provider.generate({ model: chatModel, messages: hello, maxRetries: 2 })
      expect(result.text).toBe('Recovered.')
      expect(views).toHaveLength(3)
    },
  },
  {
    id: 'errors.retries-exhausted',
    title: 'retries exhausted → RateLimitError after maxRetries + 1 requests',
    requires: [],
    async run({ provider, chatModel, script, views, failure }) {
      script({ type: 'error', kind: 'rate-limit' })
      const error = await failure(provider.generate({ model: chatModel, messages: hello, maxRetries: 2 }))
      expectError(error, RateLimitError)
      expect(error.status).toBe(429)
      expect(views).toHaveLength(3)
    },
  },
  {
    id: 'errors.malformed',
    title: 'a body that is not the documented shape → MalformedResponseError',
    requires: [],
    async run({ provider, chatModel, script, failure }) {
      script({ type: 'malformed' })
      const error = await failure(provider.generate({ model: chatModel, messages: hello, maxRetries: 0 }))
      expectError(error, MalformedResponseError)
    },
  },
  {
    id: 'errors.connection-reset',
    title: 'a reset connection is retried, then → ConnectionError',
    requires: [],
    async run({ provider, chatModel, script, views, failure }) {
      script({ type: 'reset' })
      const error = await failure(provider.generate({ model: chatModel, messages: hello, maxRetries: 1 }))
      expectError(error, ConnectionError)
      expect(views).toHaveLength(2)
    },
  },
  {
    id: 'errors.stream-cut',
    title: 'a stream cut mid-way → StreamInterruptedError keeping the partial text',
    requires: ['stream'],
    async run({ provider, chatModel, script, failure }) {
      script({
        type: 'stream',
        parts: ['Hello', ', wor', 'ld!'].map((text) => ({ type: 'text', text })),
        finishReason: 'stop',
        usage,
        model: chatModel,
        cutAfter: 2,
      })
      const stream = provider.stream({ model: chatModel, messages: hello })
      const { events, error } = await drain(stream)
      const caught = await failure(Promise.reject(error))
      expectError(caught, StreamInterruptedError)
      expect(deltaText(events)).toBe('Hello, wor')
      expect(caught.partial?.text).toBe('Hello, wor')
      expect(events.some((event) => event.type === 'finish')).toBe(false)
      await expect(stream.result()).rejects.toBe(caught)
    },
  },
  {
    id: 'errors.stream-error-event',
    title: "the vendor's error event inside a stream → ServerError with the partial text",
    requires: ['stream'],
    async run({ provider, chatModel, script, failure }) {
      script({
        type: 'stream',
        parts: ['Working', ' on it'].map((text) => ({ type: 'text', text })),
        finishReason: 'stop',
        usage,
        model: chatModel,
        errorAfter: { parts: 1, kind: 'server' },
      })
      const { events, error } = await drain(provider.stream({ model: chatModel, messages: hello }))
      const caught = await failure(Promise.reject(error))
      expectError(caught, ServerError)
      expect(deltaText(events)).toBe('Working')
      expect(caught.partial?.text).toBe('Working')
    },
  },
  {
    id: 'errors.timeout',
    title: 'no answer within timeoutMs → TimeoutError',
    requires: [],
    async run({ provider, chatModel, script, views, failure }) {
      script({ type: 'hang' })
      const started = performance.now()
      const error = await failure(
        provider.generate({ model: chatModel, messages: hello, timeoutMs: 150, maxRetries: 0 }),
      )
      expectError(error, TimeoutError)
      expect(performance.now() - started).toBeGreaterThanOrEqual(149)
      expect(views).toHaveLength(1)
    },
  },
  {
    id: 'errors.abort',
    title: "the caller's AbortSignal → AbortedError, not retried",
    requires: [],
    async run({ provider, chatModel, script, views, failure }) {
      script({ type: 'hang' })
      const controller = new AbortController()
      const timer = setTimeout(() => controller.abort(), 50)
      try {
        const error = await failure(
          provider.generate({ model: chatModel, messages: hello, signal: controller.signal }),
        )
        expectError(error, AbortedError)
        expect(views).toHaveLength(1)
      } finally {
        clearTimeout(timer)
      }
    },
  },
  {
    id: 'errors.no-retry-on-401',
    title: 'a 401 is not retried',
    requires: [],
    async run({ provider, chatModel, script, views, failure }) {
      script({ type: 'error', kind: 'unauthorized' }, textReply(chatModel, 'must not be reached'))
      const error = await failure(provider.generate({ model: chatModel, messages: hello, maxRetries: 2 }))
      expectError(error, AuthenticationError)
      expect(error.retryable).toBe(false)
      expect(views).toHaveLength(1)
    },
  },
  {
    id: 'config.api-key-header',
    title: "the API key is sent in the vendor's auth header",
    requires: [],
    async run({ provider, chatModel, kit, script, views }) {
      script(textReply(chatModel))
      await provider.generate({ model: chatModel, messages: hello })
      expect(views[0]!.apiKey).toBe(kit.apiKey)
    },
  },
  {
    id: 'config.base-url-override',
    title: 'a baseURL override is honoured',
    requires: [],
    async run({ kit, chatModel, script, views, use, serve, createProvider }) {
      const override = overrideBaseURL(kit.baseURL)
      use(...kit.handlers(serve, override))
      script(textReply(chatModel, 'From the override.'))
      const provider = createProvider({ baseURL: override })
      const result = await provider.generate({ model: chatModel, messages: hello })
      expect(result.text).toBe('From the override.')
      expect(views).toHaveLength(1)
      expect(views[0]!.url.startsWith(override)).toBe(true)
      expect(views[0]!.apiKey).toBe(kit.apiKey)
    },
  },
  {
    id: 'config.settings-fast-path',
    title:
      'settings the zod-free check passes on the first call are exactly what the settings schema returns',
    requires: [],
    async run({ spec, kit }) {
      const { retry: _r, timeoutMs: _t, hooks: _h, pricing: _p, ...given } = kit.settings
      const keys = [...Object.keys(baseSettingChecks), ...Object.keys(spec.settingChecks ?? {})]
      // Unchecked keys (e.g. a pair a refine ties together) always go to zod; vary the rest.
      const checked = Object.fromEntries(Object.entries(given).filter(([key]) => keys.includes(key)))
      let passed = 0
      for (const key of keys) {
        for (const value of [given[key], ...SETTING_VALUES]) {
          const settings: Record<string, unknown> = { ...checked, [key]: value }
          if (value === undefined) delete settings[key]
          const { fast, parsed } = await checkSettingsValidation(spec, settings)
          if (!fast) continue
          passed++
          const shown = `${key}: ${String(value)}`
          expect(parsed.success, `the fast path passes ${shown}, the settings schema rejects it`).toBe(true)
          expect(parsed.data, `the settings schema changes ${shown}`).toEqual(settings)
        }
      }
      // The kit's settings are the common case: made of checked keys, they must take the fast path.
      if (Object.keys(given).every((key) => keys.includes(key))) {
        expect((await checkSettingsValidation(spec, given)).fast).toBe(true)
      }
      expect(passed).toBeGreaterThan(0)
    },
  },
]

/** Every scenario: the first interface's, then interface v2's (reasoning, files, cache, metadata, messages). */
export const scenarios: Scenario[] = [...firstScenarios, ...v2Scenarios, ...agentScenarios]

/** Setting values of every kind, valid for some keys and not for others. */
const SETTING_VALUES: unknown[] = [
  undefined,
  null,
  '',
  ' ',
  'x',
  'https://api.example.com/v1',
  ' https://api.example.com/v1 ',
  'not a url',
  '2023-06-01',
  'v1',
  'max_tokens',
  'max_completion_tokens',
  0,
  1,
  -1,
  1.5,
  4096,
  true,
  false,
  [],
  {},
  { 'x-extra': 'yes' },
  { 'x-extra': 1 },
  () => 'token',
  new URL('https://api.example.com'),
]

/** The kit's base URL on another host, same path: `http://override.modelplex.test/v1`. */
export function overrideBaseURL(baseURL: string): string {
  const url = new URL(baseURL)
  url.protocol = 'http:'
  url.host = 'override.modelplex.test'
  return url.toString().replace(/\/$/, '')
}

/** The scan that closes the suite: the key in no error's message, JSON, inspection or string. */
export const apiKeyRedactedScenario = {
  id: 'config.api-key-redacted',
  title: 'the API key appears in no error thrown by the suite (message, JSON, inspect, String)',
} as const

/**
 * For an unclaimed capability: the call must throw UnsupportedCapabilityError and send nothing.
 * Reasoning and cache control have no request a provider could refuse (a provider without them
 * returns no reasoning, and takes no breakpoints); files are checked by `files.unsupported`.
 */
export const unsupportedChecks: Partial<
  Record<CapabilityName, (context: ScenarioContext) => Promise<unknown>>
> = {
  stream: ({ provider, chatModel }) => provider.stream({ model: chatModel, messages: hello }).result(),
  tools: ({ provider, chatModel }) =>
    provider.generate({ model: chatModel, messages: hello, tools: [weatherTool] }),
  structuredOutput: ({ provider, chatModel }) =>
    provider.generateObject({ model: chatModel, messages: hello, schema: cityInfo }),
  embeddings: ({ provider, embeddingModel }) => provider.embed({ model: embeddingModel, input: ['a', 'b'] }),
  vision: ({ provider, chatModel }) =>
    provider.generate({
      model: chatModel,
      messages: [{ role: 'user', content: [{ type: 'image', image: 'https://example.com/cat.png' }] }],
    } satisfies GenerateRequest),
  listModels: ({ provider }) => provider.listModels(),
}

export { expectError }
