import { ConfigError, ollamaBaseURL } from '@modelplex/core'

/** Where Ollama listens when neither a setting nor `OLLAMA_HOST` says otherwise. */
export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434'

/**
 * Normalizes a host the way Ollama reads `OLLAMA_HOST` (core's `ollamaBaseURL`, shared with
 * `detectProvider`), naming the setting it came from when it is not an http(s) address.
 */
export function formatOllamaHost(host: string, setting = 'baseURL'): string {
  let url: string
  try {
    url = ollamaBaseURL(host)
  } catch (cause) {
    throw new ConfigError(`Ollama: ${setting} "${host}" is not a host or URL`, { provider: 'ollama', cause })
  }
  if (!/^https?:/.test(url)) {
    throw new ConfigError(`Ollama: ${setting} "${host}" must be an http or https address`, {
      provider: 'ollama',
    })
  }
  return url
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
