import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { createClient } from './client.js'
import { tool } from './define-tool.js'
import { AbortedError, InvalidRequestError, ServerError } from './errors.js'
import { createProvider } from './provider.js'
import type { AdapterGenerateResult, AdapterRequest, AdapterStreamEvent } from './provider-spec.js'
import { eventsOf, fakeSpec, textResult, usage } from './test-helpers.js'
import type { AgentStreamEvent, Message } from './types.js'

const ask: Message[] = [{ role: 'user', content: 'Weather in Paris and Rome?' }]

function callsResult(calls: Array<{ id: string; name: string; input: unknown }>): AdapterGenerateResult {
  const toolCalls = calls.map((call) => ({
    toolCallId: call.id,
    toolName: call.name,
    input: call.input,
    rawInput: typeof call.input === 'string' ? call.input : JSON.stringify(call.input),
  }))
  return {
    ...textResult(''),
    content: [
      { type: 'reasoning', text: 'I should look it up', providerMetadata: { signature: 'sig-1' } },
      ...toolCalls.map((call) => ({ type: 'tool-call' as const, ...call })),
    ],
    toolCalls,
    finishReason: 'tool-calls',
    rawFinishReason: 'tool_use',
  }
}

/** An adapter that answers each call with the next scripted result and records the requests. */
function scripted(...results: AdapterGenerateResult[]) {
  const seen: AdapterRequest[] = []
  const generate = vi.fn(async (request: AdapterRequest) => {
    seen.push(structuredClone({ ...request, tools: undefined }))
    const next = results.shift()
    if (!next) throw new Error('no more scripted results')
    return next
  })
  return { seen, generate }
}

const weather = tool({
  name: 'weather',
  description: 'Current weather',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, tempC: city === 'Paris' ? 21 : 25 }),
})

describe('the tool loop (generate)', () => {
  it('runs tools in parallel, sends their results back, and totals usage and cost', async () => {
    const { seen, generate } = scripted(
      callsResult([
        { id: 'c1', name: 'weather', input: { city: 'Paris' } },
        { id: 'c2', name: 'weather', input: { city: 'Rome' } },
      ]),
      textResult('Paris 21°C, Rome 25°C', { model: 'priced-model' }),
    )
    let running = 0
    let overlap = 0
    const slow = {
      ...weather,
      execute: async (input: { city: string }, options: { toolCallId: string }) => {
        running++
        overlap = Math.max(overlap, running)
        await new Promise((resolve) => setImmediate(resolve))
        running--
        return weather.execute!(input, options as never)
      },
    }
    const p = createProvider(fakeSpec({ generate }))
    const r = await p.generate({ model: 'priced-model', messages: ask, tools: [slow], maxSteps: 5 })
    expect(overlap).toBe(2)
    expect(r.text).toBe('Paris 21°C, Rome 25°C')
    expect(r.steps).toHaveLength(2)
    expect(r.steps![0]!.toolResults.map((t) => t.output)).toEqual([
      { city: 'Paris', tempC: 21 },
      { city: 'Rome', tempC: 25 },
    ])
    expect(r.usage).toEqual({ inputTokens: 2_000, outputTokens: 1_000, totalTokens: 3_000 })
    // $1/M in, $2/M out, twice.
    expect(r.cost?.total).toBeCloseTo(0.004, 10)
    // The second request carries the assistant turn (its signed reasoning) and the tool results.
    expect(seen[1]!.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: [
          {
            type: 'reasoning',
            text: 'I should look it up',
            providerMetadata: { fake: { signature: 'sig-1' } },
          },
          { type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: { city: 'Paris' } },
          { type: 'tool-call', toolCallId: 'c2', toolName: 'weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'c1',
            toolName: 'weather',
            output: { city: 'Paris', tempC: 21 },
          },
          { type: 'tool-result', toolCallId: 'c2', toolName: 'weather', output: { city: 'Rome', tempC: 25 } },
        ],
      },
    ])
    expect(r.messages.map((m) => m.role)).toEqual(['assistant', 'tool', 'assistant'])
  })

  it('with the default maxSteps runs the tools once and does not call the model again', async () => {
    const { generate } = scripted(callsResult([{ id: 'c1', name: 'weather', input: { city: 'Paris' } }]))
    const r = await createProvider(fakeSpec({ generate })).generate({ messages: ask, tools: [weather] })
    expect(generate).toHaveBeenCalledTimes(1)
    expect(r.finishReason).toBe('tool-calls')
    expect(r.messages.at(-1)).toEqual({
      role: 'tool',
      content: [
        { type: 'tool-result', toolCallId: 'c1', toolName: 'weather', output: { city: 'Paris', tempC: 21 } },
      ],
    })
  })

  it('turns a throw, invalid input and an unknown tool into error results the model sees', async () => {
    const { seen, generate } = scripted(
      callsResult([
        { id: 'c1', name: 'weather', input: { city: 42 } },
        { id: 'c2', name: 'explode', input: {} },
        { id: 'c3', name: 'nope', input: {} },
        { id: 'c4', name: 'weather', input: '{"city":' },
      ]),
      textResult('sorry'),
    )
    const explode = {
      name: 'explode',
      parameters: z.object({}),
      execute: () => Promise.reject(new Error('disk full')),
    }
    const r = await createProvider(fakeSpec({ generate })).generate({
      messages: ask,
      tools: [weather, explode],
      maxSteps: 2,
    })
    expect(r.text).toBe('sorry')
    const results = (seen[1]!.messages[2] as { content: Array<{ output: string; isError?: boolean }> })
      .content
    expect(results.every((result) => result.isError)).toBe(true)
    expect(results[0]!.output).toMatch(/invalid input for tool weather: city: .*string/i)
    expect(results[1]!.output).toBe('Error: disk full')
    expect(results[2]!.output).toMatch(/no tool named nope; the tools are: weather, explode/)
    expect(results[3]!.output).toMatch(/not valid JSON/)
  })

  it('stops when stopWhen says so, and leaves client-side tools to the caller', async () => {
    const { generate } = scripted(
      callsResult([{ id: 'c1', name: 'weather', input: { city: 'Paris' } }]),
      callsResult([{ id: 'c2', name: 'weather', input: { city: 'Rome' } }]),
    )
    const stopWhen = vi.fn((step: { stepNumber: number }) => step.stepNumber === 2)
    const r = await createProvider(fakeSpec({ generate })).generate({
      messages: ask,
      tools: [weather],
      maxSteps: 10,
      stopWhen,
    })
    expect(r.steps).toHaveLength(2)
    expect(stopWhen).toHaveBeenCalledTimes(2)

    const client = scripted(callsResult([{ id: 'c1', name: 'pick', input: {} }]))
    const picked = await createProvider(fakeSpec({ generate: client.generate })).generate({
      messages: ask,
      tools: [weather, { name: 'pick', parameters: z.object({}) }],
      maxSteps: 3,
    })
    expect(client.generate).toHaveBeenCalledTimes(1)
    expect(picked.toolCalls.map((call) => call.toolName)).toEqual(['pick'])
  })

  it('pauses for approval and resumes from appended approvals and denials', async () => {
    const { seen, generate } = scripted(
      callsResult([
        { id: 'c1', name: 'pay', input: { amount: 5 } },
        { id: 'c2', name: 'pay', input: { amount: 500 } },
      ]),
      textResult('paid 5, 500 refused'),
    )
    const execute = vi.fn(async ({ amount }: { amount: number }) => `paid ${amount}`)
    const pay = tool({
      name: 'pay',
      parameters: z.object({ amount: z.number() }),
      needsApproval: ({ amount }) => amount > 1,
      execute,
    })
    const p = createProvider(fakeSpec({ generate }))
    const first = await p.generate({ messages: ask, tools: [pay], maxSteps: 3 })
    expect(execute).not.toHaveBeenCalled()
    expect(first.pendingApprovals).toEqual([
      { toolCallId: 'c1', toolName: 'pay', input: { amount: 5 } },
      { toolCallId: 'c2', toolName: 'pay', input: { amount: 500 } },
    ])
    const resumed = await p.generate({
      messages: [
        ...ask,
        ...(first.messages as Message[]),
        {
          role: 'tool',
          content: [
            { type: 'tool-approval-response', toolCallId: 'c1', approved: true },
            { type: 'tool-approval-response', toolCallId: 'c2', approved: false, reason: 'too much' },
          ],
        },
      ],
      tools: [pay],
      maxSteps: 3,
    })
    expect(execute).toHaveBeenCalledTimes(1)
    expect(resumed.text).toBe('paid 5, 500 refused')
    expect(seen[1]!.messages[2]).toEqual({
      role: 'tool',
      content: [
        { type: 'tool-result', toolCallId: 'c1', toolName: 'pay', output: 'paid 5' },
        {
          type: 'tool-result',
          toolCallId: 'c2',
          toolName: 'pay',
          output: 'Error: the user denied this call of pay: too much',
          isError: true,
        },
      ],
    })
    expect(resumed.messages.map((m) => m.role)).toEqual(['tool', 'assistant'])
  })

  it('refuses an approval that answers no call of the last assistant message', async () => {
    const p = createProvider(fakeSpec())
    const error = await p
      .generate({
        messages: [
          ...ask,
          {
            role: 'assistant',
            content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: {} }],
          },
          { role: 'tool', content: [{ type: 'tool-approval-response', toolCallId: 'c9', approved: true }] },
        ],
        tools: [weather],
      })
      .catch((e: unknown) => e)
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    expect((error as Error).message).toMatch(
      /answers toolCallId "c9", which the last assistant message did not call \(it called c1\)/,
    )
  })

  it('a resumed stream emits the approved tool results, then the next step', async () => {
    const stream = streamScript([
      { type: 'text-delta', text: 'Paris: 21°C' },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'end_turn', usage },
    ])
    const guarded = { ...weather, needsApproval: true }
    const s = createProvider(fakeSpec({ stream })).stream({
      messages: [
        ...ask,
        {
          role: 'assistant',
          content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: { city: 'Paris' } }],
        },
        { role: 'tool', content: [{ type: 'tool-approval-response', toolCallId: 'c1', approved: true }] },
      ],
      tools: [guarded],
      maxSteps: 2,
    })
    const events: AgentStreamEvent[] = []
    for await (const event of s) events.push(event)
    expect(events[0]).toEqual({
      type: 'tool-result',
      toolCallId: 'c1',
      toolName: 'weather',
      input: { city: 'Paris' },
      output: { city: 'Paris', tempC: 21 },
    })
    expect((await s.result()).messages.map((m) => m.role)).toEqual(['tool', 'assistant'])
  })

  it("stops inside a running tool when the caller's signal aborts", async () => {
    const { generate } = scripted(callsResult([{ id: 'c1', name: 'hang', input: {} }]), textResult('never'))
    const controller = new AbortController()
    let toolSignal: AbortSignal | undefined
    const hang = {
      name: 'hang',
      parameters: z.object({}),
      execute: (_input: unknown, options: { signal: AbortSignal }) => {
        toolSignal = options.signal
        controller.abort()
        return new Promise(() => {})
      },
    }
    const error = await createProvider(fakeSpec({ generate }))
      .generate({ messages: ask, tools: [hang], maxSteps: 3, signal: controller.signal })
      .catch((e: unknown) => e)
    expect(AbortedError.isInstance(error)).toBe(true)
    expect(toolSignal?.aborted).toBe(true)
    expect(generate).toHaveBeenCalledTimes(1)
  })

  it('retries a failed model call without running a tool twice', async () => {
    const execute = vi.fn(async () => 'sunny')
    let calls = 0
    const generate = vi.fn(async () => {
      calls++
      if (calls === 1) return callsResult([{ id: 'c1', name: 'sky', input: {} }])
      if (calls === 2) throw new ServerError('overloaded', { provider: 'fake', status: 529 })
      return textResult('it is sunny')
    })
    const p = createProvider(fakeSpec({ generate }), { retry: { initialDelayMs: 0, maxDelayMs: 0 } })
    const r = await p.generate({
      messages: ask,
      tools: [{ name: 'sky', parameters: z.object({}), execute }],
      maxSteps: 2,
    })
    expect(r.text).toBe('it is sunny')
    expect(generate).toHaveBeenCalledTimes(3)
    expect(execute).toHaveBeenCalledTimes(1)
  })

  it('falls back per model call through createClient, keeping the tool results', async () => {
    const execute = vi.fn(async () => 'sunny')
    const failing = vi.fn(async () => {
      if (failing.mock.calls.length === 1) return callsResult([{ id: 'c1', name: 'sky', input: {} }])
      throw new ServerError('down', { provider: 'a', status: 503 })
    })
    const backup = scripted(textResult('backup says sunny'))
    const client = createClient({
      providers: {
        a: fakeSpec({ generate: failing }, { id: 'a' }),
        b: fakeSpec({ generate: backup.generate }, { id: 'b' }),
      },
      retry: { maxRetries: 0 },
      fallback: ['a:m', 'b:m'],
    })
    const r = await client.generate({
      model: 'a:m',
      messages: ask,
      tools: [{ name: 'sky', parameters: z.object({}), execute }],
      maxSteps: 2,
    })
    expect(r.text).toBe('backup says sunny')
    expect(r.steps!.map((step) => step.provider)).toEqual(['a', 'b'])
    expect(execute).toHaveBeenCalledTimes(1)
    expect(backup.seen[0]!.messages.at(-1)).toMatchObject({ role: 'tool', content: [{ output: 'sunny' }] })
  })

  it('rejects a bad maxSteps with a typed error', async () => {
    const p = createProvider(fakeSpec())
    const error = await p.generate({ messages: ask, maxSteps: 0 }).catch((e: unknown) => e)
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    expect((error as Error).message).toMatch(/maxSteps must be a whole number of at least 1/)
  })
})

function streamScript(...steps: AdapterStreamEvent[][]) {
  return vi.fn(async () => eventsOf(steps.shift() ?? []))
}

describe('the tool loop (stream)', () => {
  it('streams every step, emits tool-result and step-finish, and one finish with the totals', async () => {
    const stream = streamScript(
      [
        { type: 'reasoning-delta', text: 'look up' },
        { type: 'reasoning-end', providerMetadata: { signature: 'sig-s' } },
        {
          type: 'tool-call-delta',
          index: 0,
          toolCallId: 'c1',
          toolName: 'weather',
          argumentsDelta: '{"city":',
        },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '"Paris"}' },
        { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_use', usage },
      ],
      [
        { type: 'text-delta', text: 'Paris: ' },
        { type: 'text-delta', text: '21°C' },
        { type: 'finish', finishReason: 'stop', rawFinishReason: 'end_turn', usage },
      ],
    )
    const s = createProvider(fakeSpec({ stream })).stream({ messages: ask, tools: [weather], maxSteps: 3 })
    const events: AgentStreamEvent[] = []
    for await (const event of s) events.push(event)
    const types = events.map((event) => event.type)
    expect(types).toEqual([
      'reasoning-delta',
      'reasoning-end',
      'tool-call-delta',
      'tool-call-delta',
      'tool-call',
      'tool-result',
      'step-finish',
      'text-delta',
      'text-delta',
      'step-finish',
      'finish',
    ])
    expect(events[5]).toMatchObject({
      type: 'tool-result',
      toolCallId: 'c1',
      output: { city: 'Paris', tempC: 21 },
    })
    const finish = events.at(-1) as Extract<AgentStreamEvent, { type: 'finish' }>
    expect(finish.usage?.totalTokens).toBe(3_000)
    const r = await s.result()
    expect(r.text).toBe('Paris: 21°C')
    expect(r.steps).toHaveLength(2)
    expect(r.messages[0]).toMatchObject({
      role: 'assistant',
      content: [
        { type: 'reasoning', providerMetadata: { fake: { signature: 'sig-s' } } },
        { type: 'tool-call' },
      ],
    })
  })

  it('result() alone runs the loop', async () => {
    const stream = streamScript(
      [
        {
          type: 'tool-call',
          toolCall: {
            toolCallId: 'c1',
            toolName: 'weather',
            input: { city: 'Rome' },
            rawInput: '{"city":"Rome"}',
          },
        },
        { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_use', usage },
      ],
      [
        { type: 'text-delta', text: 'Rome: 25°C' },
        { type: 'finish', finishReason: 'stop', rawFinishReason: 'end_turn', usage },
      ],
    )
    const r = await createProvider(fakeSpec({ stream }))
      .stream({ messages: ask, tools: [weather], maxSteps: 2 })
      .result()
    expect(r.text).toBe('Rome: 25°C')
    expect(r.steps![0]!.toolResults[0]!.output).toEqual({ city: 'Rome', tempC: 25 })
  })

  it('stops between steps when aborted', async () => {
    const controller = new AbortController()
    const stream = streamScript([
      { type: 'tool-call', toolCall: { toolCallId: 'c1', toolName: 'stop', input: {}, rawInput: '{}' } },
      { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_use', usage },
    ])
    const stopper = {
      name: 'stop',
      parameters: z.object({}),
      execute: async () => {
        controller.abort()
        return 'ok'
      },
    }
    const error = await createProvider(fakeSpec({ stream }))
      .stream({ messages: ask, tools: [stopper], maxSteps: 3, signal: controller.signal })
      .result()
      .catch((e: unknown) => e)
    expect(AbortedError.isInstance(error)).toBe(true)
    expect(stream).toHaveBeenCalledTimes(1)
  })
})
