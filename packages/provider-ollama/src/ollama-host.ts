import { ConfigError } from '@modelplex/core'

/** Where Ollama listens when neither a setting nor `OLLAMA_HOST` says otherwise. */
export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434'

/**
 * OLLAMA_HOST as Ollama reads it: `0.0.0.0:11434`, `localhost` and `:11434` are accepted; without a
 * scheme it is http and, without a port, 11434; with a scheme, that scheme's own default port.
 * A path (Ollama behind a proxy prefix) is kept, trailing slashes are not. Throws on a non-URL.
 */
export function ollamaBaseURL(host: string): string {
  let value = host.trim() || '127.0.0.1:11434'
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value)
  if (value.startsWith(':')) value = `127.0.0.1${value}`
  const url = new URL(scheme ? value : `http://${value}`)
  if (!scheme && !url.port) url.port = '11434'
  return url.href.replace(/\/+$/, '')
}

/** Whether an Ollama server answers `/api/tags` at `host` within `timeoutMs` (`detectProvider`'s probe). */
export async function ollamaAnswers(host: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(new URL('/api/tags', ollamaBaseURL(host)), {
      signal: AbortSignal.timeout(timeoutMs),
    })
    await response.body?.cancel()
    return response.ok
  } catch {
    return false
  }
}

/**
 * Normalizes a host the way Ollama reads `OLLAMA_HOST` (`ollamaBaseURL`), naming the setting or
 * variable it came from when it is not an http(s) address.
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

/**
 * The server to call: `baseURL`, then `host` (which core fills from `OLLAMA_HOST` when the argument
 * is absent), then `http://127.0.0.1:11434`. `fromEnvironment` names a host read from the variable.
 */
export function resolveOllamaHost(
  settings: { baseURL?: string | undefined; host?: string | undefined },
  fromEnvironment: Readonly<Record<string, string>> = {},
): string {
  if (settings.baseURL) return formatOllamaHost(settings.baseURL, fromEnvironment.baseURL ?? 'baseURL')
  if (settings.host) return formatOllamaHost(settings.host, fromEnvironment.host ?? 'host')
  return DEFAULT_OLLAMA_HOST
}
