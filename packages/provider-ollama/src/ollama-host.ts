import { ConfigError } from '@modelplex/core'

/** Where Ollama listens when neither a setting nor `OLLAMA_HOST` says otherwise. */
export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434'

const DEFAULT_PORT = '11434'

/**
 * Normalizes a host the way Ollama reads `OLLAMA_HOST`: `0.0.0.0:11434`, `localhost` and
 * `:11434` are accepted; without a scheme it is `http` and, without a port, 11434. A path is kept
 * (Ollama behind a proxy prefix); trailing slashes are not.
 */
export function formatOllamaHost(host: string, setting = 'baseURL'): string {
  let value = host.trim()
  if (value === '') return DEFAULT_OLLAMA_HOST
  const explicitScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value)
  if (value.startsWith(':')) value = `127.0.0.1${value}`
  if (!explicitScheme) value = `http://${value}`
  let url: URL
  try {
    url = new URL(value)
  } catch (cause) {
    throw new ConfigError(`Ollama: ${setting} "${host}" is not a host or URL`, { provider: 'ollama', cause })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`Ollama: ${setting} "${host}" must be an http or https address`, {
      provider: 'ollama',
    })
  }
  // Only a bare host gets Ollama's port; an explicit scheme keeps its own default (80/443).
  if (!explicitScheme && url.port === '') url.port = DEFAULT_PORT
  const auth = url.username ? `${url.username}${url.password ? `:${url.password}` : ''}@` : ''
  return `${url.protocol}//${auth}${url.host}${url.pathname}`.replace(/\/+$/, '')
}

function readEnvHost(): string | undefined {
  if (typeof process === 'undefined' || !process.env) return undefined
  return process.env.OLLAMA_HOST || undefined
}

/** The server to call: `baseURL`, then `host`, then `OLLAMA_HOST`, then `http://127.0.0.1:11434`. */
export function resolveOllamaHost(
  settings: { baseURL?: string | undefined; host?: string | undefined },
  envHost: string | undefined = readEnvHost(),
): string {
  if (settings.baseURL) return formatOllamaHost(settings.baseURL, 'baseURL')
  if (settings.host) return formatOllamaHost(settings.host, 'host')
  if (envHost) return formatOllamaHost(envHost, 'OLLAMA_HOST')
  return DEFAULT_OLLAMA_HOST
}
