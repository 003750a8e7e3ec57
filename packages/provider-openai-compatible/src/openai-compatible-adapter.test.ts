import { MalformedResponseError, MissingDependencyError } from '@modelplex/core'
import type { OpenAI } from 'openai'
import { describe, expect, it, vi } from 'vitest'
import { createOpenAIClient, createOpenAICompatibleAdapter } from './openai-compatible-adapter.js'

/** Stands in for another Stainless SDK's client class (groq-sdk's Groq, together-ai's Together). */
class VendorClient {
  constructor(readonly options: Record<string, unknown>) {}
}
const vendorSdk = (load: () => Promise<unknown>) => ({ package: 'vendor-sdk', load, exportName: 'Vendor' })

const context = { signal: new AbortController().signal, headers: {}, providerOptions: {}, warn: () => {} }

describe('createOpenAIClient with another SDK', () => {
  it('imports the named package and builds its export with retries off, the key, base URL and headers', async () => {
    const load = vi.fn(async () => ({ Vendor: VendorClient }))
    const client = (await createOpenAIClient(
      { apiKey: 'key-0123456789', baseURL: 'https://vendor.test', headers: { 'x-app': 'demo' } },
      { provider: 'vendor', sdk: vendorSdk(load) },
    )) as unknown as VendorClient
    expect(load).toHaveBeenCalledTimes(1)
    expect(client).toBeInstanceOf(VendorClient)
    expect(client.options).toMatchObject({
      apiKey: 'key-0123456789',
      baseURL: 'https://vendor.test',
      maxRetries: 0,
      defaultHeaders: { 'x-app': 'demo' },
    })
    expect(client.options.timeout).toBeGreaterThan(60 * 60 * 1000)
  })

  it('prefers an injected `sdk` setting (module or class) over importing', async () => {
    const load = vi.fn(async () => ({}))
    const fromModule = await createOpenAIClient(
      { apiKey: 'k', sdk: { Vendor: VendorClient } },
      { provider: 'vendor', sdk: vendorSdk(load) },
    )
    const fromClass = await createOpenAIClient(
      { apiKey: 'k', sdk: VendorClient },
      { provider: 'vendor', sdk: vendorSdk(load) },
    )
    expect(fromModule).toBeInstanceOf(VendorClient)
    expect(fromClass).toBeInstanceOf(VendorClient)
    expect(load).not.toHaveBeenCalled()
  })

  it('a missing vendor SDK throws MissingDependencyError naming that package, not openai', async () => {
    const missing = Object.assign(new Error("Cannot find package 'vendor-sdk'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    })
    const error = await createOpenAIClient(
      { apiKey: 'k' },
      {
        provider: 'vendor',
        sdk: vendorSdk(async () => {
          throw missing
        }),
      },
    ).catch((caught: unknown) => caught)
    expect(MissingDependencyError.isInstance(error)).toBe(true)
    expect((error as MissingDependencyError).packageName).toBe('vendor-sdk')
    expect((error as Error).message).toContain('npm i vendor-sdk')
  })
})

describe('listModels quirks', () => {
  it('asks modelsPath and reads the body with parseModels', async () => {
    const get = vi.fn(async () => [{ id: 'a', context_length: 8 }])
    const adapter = createOpenAICompatibleAdapter({
      provider: 'vendor',
      client: { get } as unknown as OpenAI,
      quirks: {
        modelsPath: '/openai/v1/models',
        parseModels: (body) =>
          (body as Array<{ id: string; context_length: number }>).map((model) => ({
            id: model.id,
            contextWindow: model.context_length,
          })),
      },
    })
    await expect(adapter.listModels!(context)).resolves.toEqual([{ id: 'a', contextWindow: 8 }])
    expect(get).toHaveBeenCalledWith('/openai/v1/models', expect.objectContaining({ signal: context.signal }))
  })

  it("without them asks /models and reads OpenAI's { data } list", async () => {
    const get = vi.fn(async () => [{ id: 'a' }])
    const adapter = createOpenAICompatibleAdapter({
      provider: 'vendor',
      client: { get } as unknown as OpenAI,
    })
    await expect(adapter.listModels!(context)).rejects.toBeInstanceOf(MalformedResponseError)
    expect(get).toHaveBeenCalledWith('/models', expect.anything())
  })
})
