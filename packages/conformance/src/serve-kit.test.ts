import {
  AuthenticationError,
  ConnectionError,
  createProvider,
  type Provider,
  StreamInterruptedError,
} from '@modelplex/core'
import { HttpResponse, http } from 'msw'
import { afterEach, describe, expect, it } from 'vitest'
import { demoModels, demoScenarios } from './demo-scenarios.js'
import { createFixtureKit } from './fixture-kit.js'
import { createFixtureSpec } from './fixture-provider.js'
import { type ServedKit, serveHandlers, serveKit } from './serve-kit.js'
import type { WireKit } from './wire-kit.js'

const kit = createFixtureKit()
const spec = createFixtureSpec()
const open: Array<{ close(): Promise<void> }> = []

async function served(
  options: Parameters<typeof serveKit>[1] = {},
): Promise<{ server: ServedKit; provider: Provider }> {
  const server = await serveKit(kit, options)
  open.push(server)
  const provider = createProvider(spec, {
    ...server.settings,
    retry: { initialDelayMs: 1, maxDelayMs: 5 },
  } as never)
  return { server, provider }
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()))
})

const messages = [{ role: 'user' as const, content: 'Say hello' }]

describe('serveKit', () => {
  it('moves the kit’s base URL onto loopback, keeping its path and the other settings', async () => {
    const { server } = await served()
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.baseURL).toBe(`${server.url}/v1`)
    expect(server.settings).toEqual({ ...kit.settings, baseURL: `${server.url}/v1` })
  })

  it('serves the demo scenarios by default, through a real HTTP round trip', async () => {
    const { provider } = await served()
    const result = await provider.generate({ model: 'fixture-chat', messages })
    expect(result.text).toContain('simulated')
    expect(result.usage?.outputTokens).toBeGreaterThan(5)
    expect(result.cost?.total).toBeGreaterThan(0)
  })

  it('keeps the kit’s auth check: a wrong key is a 401', async () => {
    const { server } = await served()
    const wrong = createProvider(spec, { ...server.settings, apiKey: 'sk-wrong-000' } as never)
    await expect(wrong.generate({ messages })).rejects.toSatisfy((error) =>
      AuthenticationError.isInstance(error),
    )
  })

  it('paces stream chunks when asked, so a stream is visibly a stream', async () => {
    const { provider } = await served({ paceMs: 25 })
    const stamps: number[] = []
    let text = ''
    for await (const event of provider.stream({ model: 'fixture-chat', messages })) {
      if (event.type === 'text-delta') {
        stamps.push(performance.now())
        text += event.text
      }
    }
    expect(text).toContain('simulated')
    expect(stamps.length).toBeGreaterThan(10)
    // Every chunk after the first waited; allow timer slack but not a burst.
    expect(stamps.at(-1)! - stamps[0]!).toBeGreaterThan((stamps.length - 1) * 25 * 0.7)
  })

  it('flushes what a cut stream sent before dropping the connection', async () => {
    const { provider } = await served()
    const stream = provider.stream({ model: demoModels.cutStream, messages, maxRetries: 0 })
    let delivered = ''
    const error = await (async () => {
      try {
        for await (const event of stream) if (event.type === 'text-delta') delivered += event.text
      } catch (caught) {
        return caught
      }
      throw new Error('the stream did not fail')
    })()
    expect(StreamInterruptedError.isInstance(error)).toBe(true)
    expect(delivered).toBe('Hello from the ')
    expect((error as StreamInterruptedError).partial?.text).toBe(delivered)
  })

  it('resets the connection when the kit answers Response.error()', async () => {
    const { provider } = await served({ serve: () => ({ type: 'reset' }) })
    await expect(provider.generate({ messages, maxRetries: 0 })).rejects.toSatisfy((error) =>
      ConnectionError.isInstance(error),
    )
  })

  it('answers an unknown path with a JSON 404 that names it', async () => {
    const { server } = await served()
    const response = await fetch(`${server.url}/nowhere`)
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({ error: { message: 'no kit handler for GET /nowhere' } })
  })

  it('stops listening on close', async () => {
    const server = await serveKit(kit)
    await server.close()
    await expect(fetch(`${server.url}/v1/models`)).rejects.toThrow()
  })

  it('rebases a URL setting that is not called baseURL, and adds baseURL only when none exists', async () => {
    const custom = (settings: Record<string, unknown>): WireKit => ({
      ...kit,
      baseURL: 'https://resource.example.test/openai',
      settings,
      handlers: (serve, base) => kit.handlers(serve, base),
    })
    const withEndpoint = await serveKit(custom({ endpoint: 'https://resource.example.test', region: 'eu' }))
    open.push(withEndpoint)
    expect(withEndpoint.settings).toEqual({ endpoint: withEndpoint.url, region: 'eu' })
    expect(withEndpoint.baseURL).toBe(`${withEndpoint.url}/openai`)
    const bare = await serveKit(custom({ apiKey: 'k' }))
    open.push(bare)
    expect(bare.settings).toEqual({ apiKey: 'k', baseURL: `${bare.url}/openai` })
  })

  it('uses the serve function it is given', async () => {
    const { provider } = await served({
      serve: demoScenarios(kit, { name: 'Custom' }),
    })
    expect((await provider.generate({ messages })).text).toContain('the Custom wire kit')
  })
})

describe('serveHandlers', () => {
  it('serves plain MSW handlers and builds them from its URL when given a function', async () => {
    const server = await serveHandlers((url) => [http.get(`${url}/ping`, () => HttpResponse.json({ url }))])
    open.push(server)
    const response = await fetch(`${server.url}/ping`)
    expect(await response.json()).toEqual({ url: server.url })
  })
})
