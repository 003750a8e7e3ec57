import type { WireReply } from '@modelplex/conformance'
import {
  createClient,
  loadProvider,
  loadProviderSpec,
  MissingDependencyError,
  registerProvider,
  unregisterProvider,
} from '@modelplex/core'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import sourceSpec from './index.js'
import { kit } from './testing.js'

// How an application uses an out-of-tree provider. The test runs in this package's folder, so
// `modelplex-provider-mine` resolves from here as it would from an app's node_modules.
const reply: WireReply = {
  type: 'generate',
  text: 'Hello from mine',
  finishReason: 'stop',
  usage: { inputTokens: 10, outputTokens: 4 },
}
const server = setupServer(...kit.handlers(() => reply))
const messages = [{ role: 'user' as const, content: 'Hi' }]

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => unregisterProvider('mine'))
afterAll(() => server.close())

describe('modelplex-provider-mine', () => {
  it('is not found by id alone: it is not @modelplex/provider-mine', async () => {
    const error = await loadProvider('mine').catch((e) => e)
    expect(MissingDependencyError.isInstance(error)).toBe(true)
    expect(error.message).toContain('npm i @modelplex/provider-mine')
  })

  it('loads by module name in createClient and answers through the core API', async () => {
    const ai = createClient({ providers: { mine: { module: 'modelplex-provider-mine', ...kit.settings } } })
    const result = await ai.generate({ model: 'mine:mine-chat', messages })
    expect(result.text).toBe('Hello from mine')
    expect(result.provider).toBe('mine')
    expect(result.usage).toMatchObject({ inputTokens: 10, outputTokens: 4, totalTokens: 14 })
    // 10 × $0.2 + 4 × $0.6 per million tokens, from the package's own pricing table.
    expect(result.cost?.total).toBeCloseTo(0.0000044, 12)
  })

  it('resolves the built package, not this folder’s source', async () => {
    const spec = await loadProviderSpec('mine', { module: 'modelplex-provider-mine' })
    expect(spec.id).toBe('mine')
    expect(spec.defaultModel).toBe(sourceSpec.defaultModel)
    expect(spec).not.toBe(sourceSpec)
  })

  it('loads by id once registered with registerProvider', async () => {
    const spec = await loadProviderSpec('mine', { module: 'modelplex-provider-mine' })
    registerProvider(spec)
    const mine = await loadProvider('mine', kit.settings)
    expect((await mine.generate({ messages })).text).toBe('Hello from mine')
    const ai = createClient({ providers: { mine: kit.settings } })
    expect((await ai.generate({ model: 'mine:mine-chat', messages })).text).toBe('Hello from mine')
  })
})
