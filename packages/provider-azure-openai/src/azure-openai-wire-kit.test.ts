import type { WireRequestView } from '@modelplex/conformance'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createAzureOpenAIWireKit } from './azure-openai-wire-kit.js'

// The kit must read the wire as strictly as Azure does, or the conformance run proves nothing.
const keyKit = createAzureOpenAIWireKit()
const entraKit = createAzureOpenAIWireKit({ auth: 'entra' })
const views: WireRequestView[] = []
const server = setupServer(
  ...keyKit.handlers((view) => {
    views.push(view)
    return { type: 'generate', text: 'Hi', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1 } }
  }),
  ...createAzureOpenAIWireKit({ api: 'v1' }).handlers((view) => {
    views.push(view)
    return { type: 'models', ids: ['gpt-4o-2024-08-06'] }
  }),
)

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  views.length = 0
})
afterAll(() => server.close())

const chat = `${keyKit.baseURL}/deployments/team-chat/chat/completions?api-version=2024-10-21`
const body = JSON.stringify({ model: 'not-the-deployment', messages: [{ role: 'user', content: 'Hi' }] })

describe('Azure OpenAI wire kit', () => {
  it('reads the deployment from the path and the key from api-key only', async () => {
    const response = await fetch(chat, { method: 'POST', body, headers: { 'api-key': keyKit.apiKey } })
    const completion = (await response.json()) as any
    expect(views[0]).toMatchObject({ model: 'team-chat', apiKey: keyKit.apiKey })
    expect(completion.prompt_filter_results[0].content_filter_results.jailbreak).toEqual({
      filtered: false,
      detected: false,
    })
    expect(completion.choices[0].content_filter_results.violence).toEqual({
      filtered: false,
      severity: 'safe',
    })
    // A key sent as a bearer token is not what Azure's deployments API reads.
    await fetch(chat, { method: 'POST', body, headers: { authorization: `Bearer ${keyKit.apiKey}` } })
    expect(views[1]!.apiKey).toBeUndefined()
  })

  it('points the provider at the endpoint, with a key or with a token provider instead', async () => {
    expect(keyKit.settings).toEqual({
      apiKey: keyKit.apiKey,
      endpoint: 'https://modelplex-test.openai.azure.com',
    })
    expect(keyKit.baseURL).toBe('https://modelplex-test.openai.azure.com/openai')
    expect(entraKit.settings.apiKey).toBeUndefined()
    const provider = entraKit.settings.azureADTokenProvider as () => Promise<string>
    expect(await provider()).toBe(entraKit.apiKey)
  })

  it('on the v1 API lists models in Azure’s shape under /openai/v1/models', async () => {
    const response = await fetch('https://modelplex-test.openai.azure.com/openai/v1/models', {
      headers: { 'api-key': 'k' },
    })
    const list = (await response.json()) as any
    expect(list.data[0]).toMatchObject({ id: 'gpt-4o-2024-08-06', status: 'succeeded', object: 'model' })
    expect(list.data[0].owned_by).toBeUndefined()
  })
})
