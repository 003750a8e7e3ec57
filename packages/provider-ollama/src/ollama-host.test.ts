import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ConfigError, detectProviderIds, MissingDependencyError } from '@modelplex/core'
import { readEnvironment } from '@modelplex/core/adapter'
import { afterEach, describe, expect, it } from 'vitest'
import {
  DEFAULT_OLLAMA_HOST,
  formatOllamaHost,
  ollamaBaseURL,
  resolveOllamaHost as resolveFromSettings,
} from './ollama-host.js'
import ollama from './ollama-provider.js'

/** The host for `settings` with OLLAMA_HOST as core merges them: arguments first, then the variable. */
function resolveOllamaHost(settings: { baseURL?: string; host?: string }, envHost: string | undefined) {
  const { values, fromEnvironment } = readEnvironment(ollama.env, settings, { OLLAMA_HOST: envHost })
  return resolveFromSettings({ ...values, ...settings }, fromEnvironment)
}

describe('formatOllamaHost', () => {
  it.each([
    ['0.0.0.0:11434', 'http://0.0.0.0:11434'],
    ['localhost', 'http://localhost:11434'],
    ['gpu-box:8080', 'http://gpu-box:8080'],
    [':11500', 'http://127.0.0.1:11500'],
    ['http://localhost:11434/', 'http://localhost:11434'],
    ['https://ollama.com', 'https://ollama.com'],
    ['http://proxy.local/ollama/', 'http://proxy.local/ollama'],
    ['http://user:pass@gpu-box:11434', 'http://user:pass@gpu-box:11434'],
    ['', DEFAULT_OLLAMA_HOST],
  ])('reads %j as %j', (input, expected) => {
    expect(formatOllamaHost(input)).toBe(expected)
  })

  it('rejects a non-http scheme, naming the setting', () => {
    let error: unknown
    try {
      formatOllamaHost('ftp://gpu-box', 'OLLAMA_HOST')
    } catch (caught) {
      error = caught
    }
    expect(ConfigError.isInstance(error)).toBe(true)
    expect((error as Error).message).toContain('OLLAMA_HOST')
  })
})

describe('resolveOllamaHost', () => {
  it('prefers baseURL, then host, then OLLAMA_HOST, then the default', () => {
    expect(resolveOllamaHost({ baseURL: 'http://a:1', host: 'b:2' }, 'c:3')).toBe('http://a:1')
    expect(resolveOllamaHost({ host: 'b:2' }, 'c:3')).toBe('http://b:2')
    expect(resolveOllamaHost({}, 'c:3')).toBe('http://c:3')
    expect(resolveOllamaHost({}, undefined)).toBe('http://127.0.0.1:11434')
  })

  it('names OLLAMA_HOST when the host it holds is not an http address', () => {
    expect(() => resolveOllamaHost({}, 'ftp://gpu-box')).toThrow('Ollama: OLLAMA_HOST "ftp://gpu-box"')
    expect(() => resolveOllamaHost({ host: 'ftp://gpu-box' }, undefined)).toThrow(
      'Ollama: host "ftp://gpu-box"',
    )
    // baseURL wins, so a broken OLLAMA_HOST beside it is never read.
    expect(resolveOllamaHost({ baseURL: 'http://a:1' }, 'ftp://gpu-box')).toBe('http://a:1')
  })
})

describe('ollamaBaseURL', () => {
  it('reads OLLAMA_HOST as Ollama does: http and port 11434 without a scheme', () => {
    expect(ollamaBaseURL('localhost')).toBe('http://localhost:11434')
    expect(ollamaBaseURL('0.0.0.0:11434')).toBe('http://0.0.0.0:11434')
    expect(ollamaBaseURL('http://10.0.0.5:8080')).toBe('http://10.0.0.5:8080')
    expect(ollamaBaseURL('https://ollama.example.com')).toBe('https://ollama.example.com')
  })
})

describe('detection (the spec probes /api/tags at OLLAMA_HOST)', () => {
  const servers: Server[] = []
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
  })

  /** The probe's limit where the test's own loopback server answers: generous for a loaded runner. */
  const probeTimeoutMs = 60_000
  /** Only this package is installed. */
  const load = async (id: string) => {
    if (id === 'ollama') return ollama
    throw new MissingDependencyError(`@modelplex/provider-${id}`, `not installed: ${id}`)
  }

  async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const server = createServer(handler)
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return `127.0.0.1:${(server.address() as AddressInfo).port}`
  }

  /** A local stand-in for Ollama; records the paths it was asked for. */
  async function fakeOllama(): Promise<{ host: string; paths: string[] }> {
    const paths: string[] = []
    const host = await listen((request, response) => {
      paths.push(request.url ?? '')
      if (request.url === '/api/tags') {
        response.writeHead(200, { 'content-type': 'application/json' })
        response.end(JSON.stringify({ models: [{ name: 'llama3.2:1b' }] }))
      } else {
        response.writeHead(404).end()
      }
    })
    return { host, paths }
  }

  it('detects Ollama when it answers /api/tags at OLLAMA_HOST (host:port without a scheme)', async () => {
    const server = await fakeOllama()
    const ids = await detectProviderIds({
      env: { OLLAMA_HOST: server.host },
      ollamaTimeoutMs: probeTimeoutMs,
      load,
    })
    expect(ids).toEqual(['ollama'])
    expect(server.paths).toEqual(['/api/tags'])
  })

  it('accepts an OLLAMA_HOST with a scheme', async () => {
    const server = await fakeOllama()
    const env = { OLLAMA_HOST: `http://${server.host}` }
    expect(await detectProviderIds({ env, ollamaTimeoutMs: probeTimeoutMs, load })).toEqual(['ollama'])
  })

  it('an Ollama that is down is not detected', async () => {
    const host = await listen(() => {})
    await new Promise((resolve) => servers.pop()!.close(resolve))
    expect(await detectProviderIds({ env: { OLLAMA_HOST: host }, ollamaTimeoutMs: 1_000, load })).toEqual([])
  })

  it('a server that answers /api/tags with an error is not Ollama', async () => {
    const host = await listen((_, response) => response.writeHead(500).end())
    expect(
      await detectProviderIds({ env: { OLLAMA_HOST: host }, ollamaTimeoutMs: probeTimeoutMs, load }),
    ).toEqual([])
  })

  it('gives up on a silent server after ollamaTimeoutMs', async () => {
    // Accepts the connection, never answers: only the probe's own limit ends the wait.
    const host = await listen(() => {})
    expect(await detectProviderIds({ env: { OLLAMA_HOST: host }, ollamaTimeoutMs: 50, load })).toEqual([])
    servers.at(-1)!.closeAllConnections()
  })

  it('ollama: false does not probe', async () => {
    const server = await fakeOllama()
    expect(await detectProviderIds({ env: { OLLAMA_HOST: server.host }, ollama: false, load })).toEqual([])
    expect(server.paths).toEqual([])
  })
})
