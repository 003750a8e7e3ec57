import type { WireReply } from '@modelplex/conformance'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOpenAICompatibleWireKit } from './openai-compatible-wire-kit.js'

// The kit options for vendors whose error bodies, in-stream errors and usage differ from OpenAI's
// (xAI, DeepSeek, OpenRouter); the defaults are exercised by this package's conformance run.
const baseURL = 'https://vendor-shapes.modelplex.test/v1'
let reply: WireReply = { type: 'models', ids: [] }
const kit = createOpenAICompatibleWireKit({
  baseURL,
  errors: { forbidden: { status: 403, body: { code: 'permission-denied', error: 'denied' } } },
  streamError: (kind) => ({ code: 'Internal error', error: `failed: ${kind}` }),
  extendUsage: (payload, usage, model) => ({
    ...payload,
    cost_for: model,
    hits: usage.cachedInputTokens ?? 0,
  }),
})
const server = setupServer(...kit.handlers(() => reply))

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())

const chat = (body: Record<string, unknown>) =>
  fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    body: JSON.stringify({ model: 'vendor-model', messages: [], ...body }),
  })

describe('createOpenAICompatibleWireKit vendor shapes', () => {
  it("errors writes the vendor's own body; kinds it leaves out keep OpenAI's", async () => {
    reply = { type: 'error', kind: 'forbidden' }
    const forbidden = await chat({})
    expect(forbidden.status).toBe(403)
    expect(await forbidden.json()).toEqual({ code: 'permission-denied', error: 'denied' })
    reply = { type: 'error', kind: 'not-found' }
    expect(((await (await chat({})).json()) as any).error.code).toBe('model_not_found')
  })

  it('extendUsage adds vendor fields to the usage of a completion and of a stream', async () => {
    const usage = { inputTokens: 10, outputTokens: 5, cachedInputTokens: 4 }
    reply = { type: 'generate', text: 'Hi', finishReason: 'stop', usage }
    const completion = (await (await chat({})).json()) as any
    expect(completion.usage).toMatchObject({ prompt_tokens: 10, cost_for: 'vendor-model', hits: 4 })
    reply = { type: 'stream', parts: [{ type: 'text', text: 'Hi' }], finishReason: 'stop', usage }
    const sse = await (await chat({ stream: true, stream_options: { include_usage: true } })).text()
    expect(sse).toContain('"cost_for":"vendor-model","hits":4')
  })

  it('streamError writes the data frame of an error inside a stream', async () => {
    reply = {
      type: 'stream',
      parts: [{ type: 'text', text: 'Half' }],
      finishReason: 'stop',
      usage: { inputTokens: 1, outputTokens: 1 },
      errorAfter: { parts: 1, kind: 'server' },
    }
    const sse = await (await chat({ stream: true })).text()
    expect(sse).toContain('data: {"code":"Internal error","error":"failed: server"}')
    expect(sse).not.toContain('[DONE]')
  })
})
