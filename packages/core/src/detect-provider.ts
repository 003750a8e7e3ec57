import { MissingDependencyError } from './errors.js'
import { loadProviderSpec } from './load-provider.js'
import { createProvider, type ProviderOptions } from './provider.js'
import type { ProviderSpec } from './provider-spec.js'
import type { Provider } from './types.js'

/** The order `detectProvider` checks, first match wins. */
export const detectionOrder: ReadonlyArray<{ id: string; env: readonly string[] }> = [
  { id: 'openai', env: ['OPENAI_API_KEY'] },
  { id: 'anthropic', env: ['ANTHROPIC_API_KEY'] },
  { id: 'google', env: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] },
  { id: 'groq', env: ['GROQ_API_KEY'] },
  { id: 'mistral', env: ['MISTRAL_API_KEY'] },
  { id: 'cohere', env: ['CO_API_KEY', 'COHERE_API_KEY'] },
  { id: 'together', env: ['TOGETHER_API_KEY'] },
  { id: 'openrouter', env: ['OPENROUTER_API_KEY'] },
  { id: 'xai', env: ['XAI_API_KEY'] },
  { id: 'deepseek', env: ['DEEPSEEK_API_KEY'] },
  { id: 'bedrock', env: ['AWS_BEARER_TOKEN_BEDROCK', 'AWS_ACCESS_KEY_ID', 'AWS_PROFILE'] },
]

export interface DetectOptions {
  /** The environment to read (default `process.env`). */
  env?: Record<string, string | undefined>
  /** Ask Ollama at OLLAMA_HOST (default http://127.0.0.1:11434) last (default true). */
  ollama?: boolean
  /** How long to wait for Ollama's answer (default 300 ms). */
  ollamaTimeoutMs?: number
  /** How a spec is loaded (default `loadProviderSpec`); tests inject their own. */
  load?: (id: string) => Promise<ProviderSpec<any>>
}

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

async function ollamaAnswers(host: string, timeoutMs: number): Promise<boolean> {
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

/** The ids configured in the environment, in detection order. */
export async function detectProviderIds(options: DetectOptions = {}): Promise<string[]> {
  const env = options.env ?? (typeof process === 'undefined' ? {} : process.env)
  const found = detectionOrder.filter((entry) => entry.env.some((name) => env[name])).map((entry) => entry.id)
  if (options.ollama !== false) {
    const host = env.OLLAMA_HOST || 'http://127.0.0.1:11434'
    if (await ollamaAnswers(host, options.ollamaTimeoutMs ?? 300)) found.push('ollama')
  }
  return found
}

/**
 * The first provider configured in the environment whose package is installed, or undefined.
 * Order: `detectionOrder`, then Ollama when it answers.
 */
export async function detectProvider(
  options: DetectOptions & { settings?: ProviderOptions<Record<string, unknown>> } = {},
): Promise<Provider | undefined> {
  for (const id of await detectProviderIds(options)) {
    try {
      const spec = await (options.load ?? loadProviderSpec)(id)
      return createProvider(spec, options.settings ?? {})
    } catch (error) {
      if (!MissingDependencyError.isInstance(error)) throw error
    }
  }
  return undefined
}
