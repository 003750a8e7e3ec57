// The agent scenarios: core's tool loop over each provider's real wire format. The loop lives in
// core once; these prove that every provider which claims tools carries a loop's messages
// (tool calls, tool results, error results, signed reasoning) from step to step.
import type { AgentStreamEvent, ExecutableTool, Message } from '@modelplex/core'
import { expect } from 'vitest'
import { z } from 'zod'
import type { Scenario, ScenarioContext } from './conformance-scenarios.js'
import type { WireReply, WireStreamPart, WireUsage } from './wire-kit.js'

const usage: WireUsage = { inputTokens: 10, outputTokens: 5 }
const question: Message[] = [{ role: 'user', content: 'Weather in Paris and Rome?' }]
const SIGNATURE = 'EqQBCkYIARgCIkDmFR3sig+conformance/agents/AAAA=='

const parameters = {
  type: 'object',
  properties: { city: { type: 'string' } },
  required: ['city'],
  additionalProperties: false,
}

function weather(calls: string[] = []): ExecutableTool<{ city: string }> {
  return {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters,
    execute: async ({ city }) => {
      calls.push(city)
      return { city, celsius: city === 'Paris' ? 21 : 25 }
    },
  }
}

function callReply(chatModel: string, ...calls: Array<[id: string, city: string]>): WireReply {
  return {
    type: 'generate',
    toolCalls: calls.map(([id, city]) => ({ id, name: 'get_weather', arguments: JSON.stringify({ city }) })),
    finishReason: 'tool-calls',
    usage,
    model: chatModel,
  }
}

function textReply(chatModel: string, text: string): WireReply {
  return { type: 'generate', text, finishReason: 'stop', usage, model: chatModel }
}

/** The tool message of a request, as the kit read it. */
function toolMessageOf(context: ScenarioContext, request: number) {
  const message = context.views[request]?.messages.find((entry) => entry.role === 'tool')
  expect(message, `request ${request + 1} carried no tool result`).toBeDefined()
  return message!
}

export const agentScenarios: Scenario[] = [
  {
    id: 'agents.loop',
    title: 'a tool loop of two steps: the second request carries the tool result; usage is the total',
    requires: ['tools'],
    async run(context) {
      const { provider, chatModel, script } = context
      script(callReply(chatModel, ['call_a1', 'Paris']), textReply(chatModel, 'It is 21 °C in Paris.'))
      const calls: string[] = []
      const r = await provider.generate({
        model: chatModel,
        messages: question,
        tools: [weather(calls)],
        maxSteps: 3,
      })
      expect(r.text).toBe('It is 21 °C in Paris.')
      expect(calls).toEqual(['Paris'])
      expect(r.steps).toHaveLength(2)
      expect(r.usage).toMatchObject({ inputTokens: 20, outputTokens: 10 })
      expect(r.messages.map((message) => message.role)).toEqual(['assistant', 'tool', 'assistant'])
      const sent = toolMessageOf(context, 1)
      expect(sent.toolCallIds).toEqual(['call_a1'])
      expect(sent.text).toContain('21')
    },
  },
  {
    id: 'agents.parallel',
    title: 'two tool calls in one step both run, and both results go back in the next request',
    requires: ['tools'],
    async run(context) {
      const { provider, chatModel, script } = context
      script(
        callReply(chatModel, ['call_p1', 'Paris'], ['call_p2', 'Rome']),
        textReply(chatModel, 'Paris 21 °C, Rome 25 °C.'),
      )
      const calls: string[] = []
      const r = await provider.generate({
        model: chatModel,
        messages: question,
        tools: [weather(calls)],
        maxSteps: 2,
      })
      expect(r.text).toBe('Paris 21 °C, Rome 25 °C.')
      expect(calls.sort()).toEqual(['Paris', 'Rome'])
      const ids = context.views[1]!.messages.filter((m) => m.role === 'tool').flatMap(
        (m) => m.toolCallIds ?? [],
      )
      expect(ids).toEqual(['call_p1', 'call_p2'])
    },
  },
  {
    id: 'agents.tool-error',
    title: 'a tool that throws becomes an error result the model reads; the loop goes on',
    requires: ['tools'],
    async run(context) {
      const { provider, chatModel, script } = context
      script(callReply(chatModel, ['call_e1', 'Paris']), textReply(chatModel, 'The weather service is down.'))
      const failing: ExecutableTool = {
        ...weather(),
        execute: () => {
          throw new Error('weather service unavailable')
        },
      }
      const r = await provider.generate({
        model: chatModel,
        messages: question,
        tools: [failing],
        maxSteps: 2,
      })
      expect(r.text).toBe('The weather service is down.')
      expect(r.steps![0]!.toolResults).toMatchObject([{ toolCallId: 'call_e1', isError: true }])
      expect(toolMessageOf(context, 1).text).toContain('weather service unavailable')
    },
  },
  {
    id: 'agents.approval',
    title: 'a tool that needs approval pauses the loop; appended approvals resume it',
    requires: ['tools'],
    async run(context) {
      const { provider, chatModel, script } = context
      script(callReply(chatModel, ['call_x1', 'Paris']), textReply(chatModel, 'It is 21 °C in Paris.'))
      const calls: string[] = []
      const tools = [{ ...weather(calls), needsApproval: true }]
      const paused = await provider.generate({ model: chatModel, messages: question, tools, maxSteps: 3 })
      expect(calls).toEqual([])
      expect(paused.pendingApprovals).toEqual([
        { toolCallId: 'call_x1', toolName: 'get_weather', input: { city: 'Paris' } },
      ])
      expect(context.views).toHaveLength(1)
      const resumed = await provider.generate({
        model: chatModel,
        messages: [
          ...question,
          ...(paused.messages as Message[]),
          {
            role: 'tool',
            content: [{ type: 'tool-approval-response', toolCallId: 'call_x1', approved: true }],
          },
        ],
        tools,
        maxSteps: 3,
      })
      expect(calls).toEqual(['Paris'])
      expect(resumed.text).toBe('It is 21 °C in Paris.')
      expect(toolMessageOf(context, 1).toolCallIds).toEqual(['call_x1'])
    },
  },
  {
    id: 'agents.stream',
    title: 'the streamed loop: tool-call deltas, tool-result and step-finish events, one finish with totals',
    requires: ['tools', 'stream'],
    async run(context) {
      const { provider, chatModel, script } = context
      script(
        {
          type: 'stream',
          parts: [
            { type: 'tool-call', index: 0, id: 'call_s1', name: 'get_weather', argumentsDelta: '{"city":' },
            { type: 'tool-call', index: 0, argumentsDelta: '"Paris"}' },
          ],
          finishReason: 'tool-calls',
          usage,
          model: chatModel,
        },
        {
          type: 'stream',
          parts: [
            { type: 'text', text: 'It is ' },
            { type: 'text', text: '21 °C.' },
          ],
          finishReason: 'stop',
          usage,
          model: chatModel,
        },
      )
      const s = provider.stream({ model: chatModel, messages: question, tools: [weather()], maxSteps: 2 })
      const events: AgentStreamEvent[] = []
      for await (const event of s) events.push(event)
      const kinds = events.map((event) => event.type).filter((type) => type !== 'tool-call-delta')
      expect(kinds.filter((type) => type !== 'text-delta')).toEqual([
        'tool-call',
        'tool-result',
        'step-finish',
        'step-finish',
        'finish',
      ])
      expect(events.find((event) => event.type === 'tool-result')).toMatchObject({
        toolCallId: 'call_s1',
        output: { city: 'Paris', celsius: 21 },
      })
      const r = await s.result()
      expect(r.text).toBe('It is 21 °C.')
      expect(r.usage).toMatchObject({ inputTokens: 20, outputTokens: 10 })
      expect(toolMessageOf(context, 1).toolCallIds).toEqual(['call_s1'])
    },
  },
  {
    id: 'agents.reasoning',
    title: "a reasoning model's loop sends each step's reasoning back as its vendor's rule says",
    requires: ['tools', 'reasoning'],
    async run(context) {
      const { spec, kit, provider, chatModel, script } = context
      const thought = 'The user wants the weather; call get_weather.'
      script(
        {
          type: 'generate',
          reasoning: [{ text: thought, signature: SIGNATURE }],
          toolCalls: [{ id: 'call_r1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
          finishReason: 'tool-calls',
          usage,
          model: chatModel,
        },
        textReply(chatModel, 'It is 21 °C in Paris.'),
      )
      const options = kit.v2?.reasoningOptions
      const r = await provider.generate({
        model: chatModel,
        messages: question,
        tools: [weather()],
        maxSteps: 2,
        ...(options ? { providerOptions: { [spec.id]: options } } : {}),
      })
      expect(r.text).toBe('It is 21 °C in Paris.')
      const assistant = context.views[1]!.messages.find((message) => message.role === 'assistant')
      const rule = kit.v2?.reasoningReturn ?? 'signed'
      const sent = assistant?.reasoning ?? []
      if (rule === 'signed') expect(sent).toMatchObject([{ text: thought, signature: SIGNATURE }])
      else if (rule === 'text') expect(sent.map((part) => part.text).join('')).toBe(thought)
      else expect(sent).toEqual([])
    },
  },
  {
    id: 'structured.stream',
    title:
      "streamObject: deeper partial objects in the provider's structured-output mode, the final one validated",
    requires: ['structuredOutput', 'stream'],
    async run(context) {
      const { spec, provider, chatModel, script } = context
      const json = '{"city":"Paris","celsius":21,"tags":["sunny","warm"]}'
      const pieces = json.match(/.{1,4}/g)!
      const parts: WireStreamPart[] =
        spec.capabilities.structuredOutput === 'tool'
          ? pieces.map((piece, index) => ({
              type: 'tool-call',
              index: 0,
              ...(index === 0 ? { id: 'call_o1', name: 'response' } : {}),
              argumentsDelta: piece,
            }))
          : pieces.map((piece) => ({ type: 'text', text: piece }))
      const finishReason = spec.capabilities.structuredOutput === 'tool' ? 'tool-calls' : 'stop'
      script({ type: 'stream', parts, finishReason, usage, model: chatModel })
      const schema = z.object({ city: z.string(), celsius: z.number(), tags: z.array(z.string()) })
      const s = provider.streamObject({ model: chatModel, messages: question, schema })
      const partials: unknown[] = []
      for await (const partial of s) partials.push(JSON.stringify(partial))
      expect(partials.length).toBeGreaterThan(3)
      expect(partials).toContain('{"city":"Paris"}')
      expect(partials.at(-1)).toBe(json)
      const r = await s.result()
      expect(r.object).toEqual({ city: 'Paris', celsius: 21, tags: ['sunny', 'warm'] })
      expect(r.usage).toMatchObject({ inputTokens: 10, outputTokens: 5 })
      expect(context.views[0]!.jsonOutput || context.views[0]!.tools?.[0]?.name === 'response').toBe(true)
    },
  },
]
