import { ConfigError } from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import { DEFAULT_OLLAMA_HOST, formatOllamaHost, resolveOllamaHost } from './ollama-host.js'

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
})
