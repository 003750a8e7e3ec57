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
/** The probes asked, with what they were given. */
const probes: Array<{ host: string | undefined; timeoutMs: number }> = []

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
  // A probe in the place of Ollama's (its own tests ask a real server): answers where OLLAMA_HOST is "up".
  ollama: {
    detect: {
      probe: async (env, options) => {
        probes.push({ host: env.OLLAMA_HOST, timeoutMs: options.timeoutMs })
        return env.OLLAMA_HOST === 'up'
      },
    },
  },
}

/** Every provider in detection order "installed", each a fake spec detected as its package's is. */
const allInstalled: DetectOptions['load'] = async (id) => fakeSpec({}, { id, ...detectionOf[id] })

afterEach(() => {
  for (const id of registered) unregisterProvider(id)
  registered.clear()
  probes.length = 0
})

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

  it('probes last, once, with the environment and ollamaTimeoutMs (default 300 ms)', async () => {
    const env = { OLLAMA_HOST: 'up', XAI_API_KEY: 'x' }
    expect(await detectProviderIds({ env, ollamaTimeoutMs: 1_234, load: allInstalled })).toEqual([
      'xai',
      'ollama',
    ])
    expect(probes).toEqual([{ host: 'up', timeoutMs: 1_234 }])
    await detectProviderIds({ env, load: allInstalled })
    expect(probes[1]).toEqual({ host: 'up', timeoutMs: 300 })
  })

  it('a probe that does not answer detects nothing', async () => {
    expect(await detectProviderIds({ env: { OLLAMA_HOST: 'down' }, load: allInstalled })).toEqual([])
    expect(probes).toHaveLength(1)
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
    expect((await detectProvider({ env: { OLLAMA_HOST: 'up' }, load: onlyRegistered }))?.id).toBe('ollama')
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

  it('skips a package that is installed but does not import, and goes on', async () => {
    const provider = await detectProvider({
      env: { OPENAI_API_KEY: 'o', GROQ_API_KEY: 'g' },
      ollama: false,
      load: async (id) => {
        if (id === 'openai') throw new Error('Cannot find module dist/index.js')
        return allInstalled(id)
      },
    })
    expect(provider?.id).toBe('groq')
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
