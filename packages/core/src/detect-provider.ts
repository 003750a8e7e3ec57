import { loadProviderSpec } from './load-provider.js'
import { createProvider, type ProviderOptions } from './provider.js'
import type { ProviderSpec } from './provider-spec.js'
import { processEnvironment } from './resolve-settings.js'
import type { Provider } from './types.js'

/**
 * The ids `detectProvider` tries, in order, first match wins. Only ids live here: how a provider
 * is recognised (its variables, Ollama's probe) is its spec's `detect`, and a spec is known only
 * once its package is imported, which detection does one id at a time, in this order.
 */
export const detectionOrder: readonly string[] = [
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
  // Last: its probe asks the network, the others only read the environment.
  'ollama',
]

export interface DetectOptions {
  /** The environment to read (default `process.env`). */
  env?: Record<string, string | undefined>
  /** Run the specs' network probes, e.g. Ollama's (default true); named for the only one today. */
  ollama?: boolean
  /** How long a probe waits for its answer (default 300 ms). */
  ollamaTimeoutMs?: number
  /** How a spec is loaded (default `loadProviderSpec`); tests inject their own. */
  load?: (id: string) => Promise<ProviderSpec<any>>
}

/** The variables that configure a provider: its `detect.env`, else its API key variables. */
export function detectionVariables(spec: ProviderSpec<any>): readonly string[] {
  return spec.detect?.env ?? spec.env.apiKey ?? []
}

/** Whether the environment configures `spec`: one of its variables is set, else its probe answers. */
async function isConfigured(
  spec: ProviderSpec<any>,
  env: Readonly<Record<string, string | undefined>>,
  options: DetectOptions,
): Promise<boolean> {
  if (detectionVariables(spec).some((name) => env[name])) return true
  const probe = spec.detect?.probe
  if (!probe || options.ollama === false) return false
  return probe(env, { timeoutMs: options.ollamaTimeoutMs ?? 300 })
}

/** The installed specs the environment configures, in detection order; stops at the first when asked. */
async function* configuredSpecs(options: DetectOptions): AsyncGenerator<ProviderSpec<any>> {
  const env = options.env ?? processEnvironment()
  const load = options.load ?? loadProviderSpec
  for (const id of detectionOrder) {
    // A package that is not installed, or does not import, cannot be what the environment
    // configures: detection goes on (loadProvider with its id reports why it fails).
    const spec = await load(id).catch(() => undefined)
    if (spec && (await isConfigured(spec, env, options))) yield spec
  }
}

/** The ids of the installed providers configured in the environment, in detection order. */
export async function detectProviderIds(options: DetectOptions = {}): Promise<string[]> {
  const found: string[] = []
  for await (const spec of configuredSpecs(options)) found.push(spec.id)
  return found
}

/**
 * The first provider configured in the environment whose package is installed, or undefined.
 * Order: `detectionOrder`; packages after the first match are not imported.
 */
export async function detectProvider(
  options: DetectOptions & { settings?: ProviderOptions<Record<string, unknown>> } = {},
): Promise<Provider | undefined> {
  for await (const spec of configuredSpecs(options)) return createProvider(spec, options.settings ?? {})
  return undefined
}
