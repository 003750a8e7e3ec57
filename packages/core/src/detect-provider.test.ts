import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  type DetectOptions,
  detectionOrder,
  detectionVariables,
  detectProvider,
  detectProviderIds,
} from './detect-provider.js'
import { MissingDependencyError } from './errors.js'
import { loadProviderSpec, registerProvider, unregisterProvider } from './load-provider.js'
import type { ProviderSpec } from './provider-spec.js'
import { fakeSpec, messages, textResult } from './test-helpers.js'

const registered = new Set<string>()

function register(spec: ProviderSpec<any>): void {
  registerProvider(spec)
  registered.add(spec.id)
}

/** Loads only the ids a test registers, as if no provider package were installed (the workspace has several). */
async function onlyRegistered(id: string) {
  if (registered.has(id)) return loadProviderSpec(id)
  throw new MissingDependencyError(`@modelplex/provider-${id}`, `not installed: ${id}`)
}

/** What each installed spec says of its detection, as the provider packages declare it. */
const detectionOf: Record<string, Partial<ProviderSpec>> = {
  openai: { env: { apiKey: ['OPENAI_API_KEY'] } },
  anthropic: { env: { apiKey: ['ANTHROPIC_API_KEY'] } },
  google: { env: { apiKey: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] } },
  groq: { env: { apiKey: ['GROQ_API_KEY'] } },
  mistral: { env: { apiKey: ['MISTRAL_API_KEY'] } },
  cohere: { env: { apiKey: ['CO_API_KEY', 'COHERE_API_KEY'] } },
  together: { env: { apiKey: ['TOGETHER_API_KEY'] } },
  openrouter: { env: { apiKey: ['OPENROUTER_API_KEY'] } },
  xai: { env: { apiKey: ['XAI_API_KEY'] } },
  deepseek: { env: { apiKey: ['DEEPSEEK_API_KEY'] } },
  bedrock: {
    env: { apiKey: ['AWS_BEARER_TOKEN_BEDROCK'] },
    detect: { env: ['AWS_BEARER_TOKEN_BEDROCK', 'AWS_ACCESS_KEY_ID', 'AWS_PROFILE'] },
  },
  // A probe as Ollama's spec has one: GET /api/tags at OLLAMA_HOST (here always host:port).
  ollama: {
    detect: {
      probe: async (env, { timeoutMs }) => {
        if (!env.OLLAMA_HOST) return false
        const host = env.OLLAMA_HOST.includes('://') ? env.OLLAMA_HOST : `http://${env.OLLAMA_HOST}`
        try {
          const response = await fetch(`${host}/api/tags`, { signal: AbortSignal.timeout(timeoutMs) })
          await response.body?.cancel()
          return response.ok
        } catch {
          return false
        }
      },
    },
  },
}

/** Every provider in detection order "installed", each a fake spec detected as its package's is. */
const allInstalled: DetectOptions['load'] = async (id) => fakeSpec({}, { id, ...detectionOf[id] })

const servers: Server[] = []

afterEach(async () => {
  for (const id of registered) unregisterProvider(id)
  registered.clear()
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

/**
 * The probe's limit where the test's own loopback server answers: the default 300 ms is a guess
 * for a real machine, and on a loaded CI runner the answer can take longer than that.
 */
const probeTimeoutMs = 60_000

/** A local stand-in for Ollama; records the paths it was asked for. */
async function fakeOllama(): Promise<{ host: string; paths: string[] }> {
  const paths: string[] = []
  const server = createServer((request, response) => {
    paths.push(request.url ?? '')
    if (request.url === '/api/tags') {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ models: [{ name: 'llama3.2:1b' }] }))
    } else {
      response.writeHead(404).end()
    }
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, paths }
}

/** A port that nothing listens on: bound, then closed. */
async function deadHost(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return `http://127.0.0.1:${port}`
}

describe('detectionOrder', () => {
  it('is the documented order, Ollama (a network probe) last', () => {
    expect(detectionOrder).toEqual([
      'openai',
      'anthropic',
      'google',
      'groq',
      'mistral',
      'cohere',
      'together',
      'openrouter',
      'xai',
      'deepseek',
      'bedrock',
      'ollama',
    ])
  })

  it('a spec is detected by detect.env, else by its API key variables', () => {
    const google = fakeSpec({}, { id: 'google', ...detectionOf.google })
    expect(detectionVariables(google)).toEqual(['GEMINI_API_KEY', 'GOOGLE_API_KEY'])
    const bedrock = fakeSpec({}, { id: 'bedrock', ...detectionOf.bedrock })
    expect(detectionVariables(bedrock)).toEqual([
      'AWS_BEARER_TOKEN_BEDROCK',
      'AWS_ACCESS_KEY_ID',
      'AWS_PROFILE',
    ])
    expect(detectionVariables(fakeSpec({}, { id: 'ollama', ...detectionOf.ollama }))).toEqual([])
  })
})

describe('detectProviderIds', () => {
  it('lists the configured ids in detection order, whatever the order of the environment', async () => {
    const env = {
      AWS_PROFILE: 'default',
      GEMINI_API_KEY: 'g',
      ANTHROPIC_API_KEY: 'a',
      OPENAI_API_KEY: 'o',
      GROQ_API_KEY: 'q',
    }
    expect(await detectProviderIds({ env, ollama: false, load: allInstalled })).toEqual([
      'openai',
      'anthropic',
      'google',
      'groq',
      'bedrock',
    ])
  })

  it('any variable of a provider counts (GOOGLE_API_KEY, CO_API_KEY, AWS_ACCESS_KEY_ID)', async () => {
    const env = { GOOGLE_API_KEY: 'g', CO_API_KEY: 'c', AWS_ACCESS_KEY_ID: 'AKIA' }
    expect(await detectProviderIds({ env, ollama: false, load: allInstalled })).toEqual([
      'google',
      'cohere',
      'bedrock',
    ])
  })

  it('an empty variable does not count', async () => {
    expect(
      await detectProviderIds({
        env: { OPENAI_API_KEY: '', MISTRAL_API_KEY: 'm' },
        ollama: false,
        load: allInstalled,
      }),
    ).toEqual(['mistral'])
  })

  it('ollama: false does not probe the network', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch')
    expect(await detectProviderIds({ env: {}, ollama: false, load: allInstalled })).toEqual([])
    expect(fetchSpy).not.toHaveBeenCalled()
  })

  it('detects Ollama last when it answers /api/tags at OLLAMA_HOST (host:port without a scheme)', async () => {
    const ollama = await fakeOllama()
    const ids = await detectProviderIds({
      env: { OLLAMA_HOST: ollama.host, XAI_API_KEY: 'x' },
      ollamaTimeoutMs: probeTimeoutMs,
      load: allInstalled,
    })
    expect(ids).toEqual(['xai', 'ollama'])
    expect(ollama.paths).toEqual(['/api/tags'])
  })

  it('accepts an OLLAMA_HOST with a scheme', async () => {
    const ollama = await fakeOllama()
    expect(
      await detectProviderIds({
        env: { OLLAMA_HOST: `http://${ollama.host}` },
        ollamaTimeoutMs: probeTimeoutMs,
        load: allInstalled,
      }),
    ).toEqual(['ollama'])
  })

  it('an Ollama that is down is not detected', async () => {
    expect(
      await detectProviderIds({
        env: { OLLAMA_HOST: await deadHost() },
        ollamaTimeoutMs: 1_000,
        load: allInstalled,
      }),
    ).toEqual([])
  })

  it('a server that answers /api/tags with an error is not Ollama', async () => {
    const server = createServer((_, response) => response.writeHead(500).end())
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`
    expect(
      await detectProviderIds({
        env: { OLLAMA_HOST: host },
        ollamaTimeoutMs: probeTimeoutMs,
        load: allInstalled,
      }),
    ).toEqual([])
  })

  it('gives up on a silent server after ollamaTimeoutMs', async () => {
    // Accepts the connection, never answers.
    const server = createServer(() => {})
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`
    // The server never answers: only the probe's own limit ends the wait, and it ends it with no Ollama.
    expect(
      await detectProviderIds({ env: { OLLAMA_HOST: host }, ollamaTimeoutMs: 50, load: allInstalled }),
    ).toEqual([])
    server.closeAllConnections()
  })
})

describe('detectProvider', () => {
  it('skips ids whose package is not installed and returns the first that is', async () => {
    // anthropic comes first but @modelplex/provider-anthropic is not installed here.
    register(fakeSpec({ generate: async () => textResult('from groq') }, { id: 'groq', ...detectionOf.groq }))
    register(fakeSpec({}, { id: 'mistral', ...detectionOf.mistral }))
    const provider = await detectProvider({
      env: { ANTHROPIC_API_KEY: 'a', MISTRAL_API_KEY: 'm', GROQ_API_KEY: 'g' },
      ollama: false,
      load: onlyRegistered,
    })
    expect(provider?.id).toBe('groq')
    expect((await provider!.generate({ messages })).text).toBe('from groq')
  })

  it('passes settings to the provider it returns', async () => {
    const spec = fakeSpec({}, { id: 'groq', ...detectionOf.groq })
    register(spec)
    const provider = await detectProvider({
      env: { GROQ_API_KEY: 'g' },
      ollama: false,
      load: onlyRegistered,
      settings: { apiKey: 'sk-detected-12345' },
    })
    await provider!.generate({ messages })
    expect(spec.connect.mock.calls[0]![0]).toMatchObject({ apiKey: 'sk-detected-12345' })
  })

  it('returns Ollama when it is the only one that answers', async () => {
    register(fakeSpec({}, { id: 'ollama', ...detectionOf.ollama }))
    const ollama = await fakeOllama()
    expect(
      (
        await detectProvider({
          env: { OLLAMA_HOST: ollama.host },
          ollamaTimeoutMs: probeTimeoutMs,
          load: onlyRegistered,
        })
      )?.id,
    ).toBe('ollama')
  })

  it('returns undefined when nothing is configured', async () => {
    expect(await detectProvider({ env: {}, ollama: false, load: allInstalled })).toBeUndefined()
  })

  it('imports no package after the first configured one', async () => {
    const loaded: string[] = []
    const provider = await detectProvider({
      env: { GEMINI_API_KEY: 'g', XAI_API_KEY: 'x' },
      ollama: false,
      load: (id) => {
        loaded.push(id)
        return allInstalled(id)
      },
    })
    expect(provider?.id).toBe('google')
    expect(loaded).toEqual(['openai', 'anthropic', 'google'])
  })

  it('returns undefined when nothing configured is installed', async () => {
    expect(
      await detectProvider({
        env: { ANTHROPIC_API_KEY: 'a', DEEPSEEK_API_KEY: 'd' },
        ollama: false,
        load: onlyRegistered,
      }),
    ).toBeUndefined()
  })
})
