import type { WireReply } from '@modelplex/conformance'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOpenAICompatibleWireKit } from './openai-compatible-wire-kit.js'

const baseURL = 'https://kit.modelplex.test/v1'
let reply: WireReply = { type: 'models', ids: ['m'] }
const kit = createOpenAICompatibleWireKit({
  baseURL,
  retryAfter: 'seconds',
  modelsBody: (ids) => ids.map((id) => ({ id, context_length: 4096 })),
})
const server = setupServer(...kit.handlers(() => reply))

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())

describe('createOpenAICompatibleWireKit options', () => {
  it("modelsBody writes the vendor's model list instead of OpenAI's", async () => {
    reply = { type: 'models', ids: ['alpha', 'beta'] }
    const body = await (await fetch(`${baseURL}/models`)).json()
    expect(body).toEqual([
      { id: 'alpha', context_length: 4096 },
      { id: 'beta', context_length: 4096 },
    ])
  })

  it("retryAfter 'seconds' advertises Retry-After only, rounded up", async () => {
    reply = { type: 'error', kind: 'rate-limit', retryAfterMs: 1500 }
    const response = await fetch(`${baseURL}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm' }),
    })
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('2')
    expect(response.headers.has('retry-after-ms')).toBe(false)
  })
})
