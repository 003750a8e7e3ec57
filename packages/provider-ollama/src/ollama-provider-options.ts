/**
 * `providerOptions.ollama` of a call, in camelCase; written as `/api/chat`'s fields
 * (github.com/ollama/ollama docs/api.md, "Generate a chat completion"). Keys not listed here reach
 * the body untouched.
 */
export interface OllamaProviderOptions {
  /** `think`: a thinking model thinks (`true`), or not (`false`); gpt-oss takes `'low'`, `'medium'`, `'high'`. */
  think?: boolean | 'low' | 'medium' | 'high'
  /** `keep_alive`: how long the model stays loaded after the call (`'5m'`, seconds, `0` unloads, `-1` keeps). */
  keepAlive?: string | number
  /** `options`: model parameters of the Modelfile (`num_ctx`, `num_gpu`, `repeat_penalty`…), as Ollama names them. */
  options?: Record<string, unknown>
  /** `format`: `'json'` or a JSON schema the answer must follow (the call's `responseFormat` sets it too). */
  format?: 'json' | Record<string, unknown>
}

declare module '@modelplex/core' {
  interface ProviderOptionsRegistry {
    ollama: OllamaProviderOptions
  }
}

const WIRE_NAMES: Record<string, string> = { keepAlive: 'keep_alive' }

/** The call's options as `/api/chat` fields: typed keys renamed, every other key untouched. */
export function toOllamaWireOptions(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key in options) out[WIRE_NAMES[key] ?? key] = options[key]
  return out
}
