import type { ChatCompletionsProviderOptions } from '@modelplex/provider-openai-compatible'

/**
 * `providerOptions.nvidia`, camelCase, written as NIM's snake_case body fields
 * (https://docs.nvidia.com/nim/large-language-models/latest/api-reference.html). Keys not listed
 * reach NIM untouched.
 */
export interface NvidiaProviderOptions extends ChatCompletionsProviderOptions {
  /**
   * Arguments of the model's chat template (`chat_template_kwargs`), e.g. `{ thinking: true }` or
   * `{ enable_thinking: false }` to switch reasoning of Nemotron and Qwen models; keys in snake_case.
   */
  chatTemplateKwargs?: Record<string, unknown>
  /** NVIDIA's extensions (`nvext`), e.g. `{ guidedJson }`, `{ repetitionPenalty }`, written in snake_case. */
  nvext?: Record<string, unknown>
  /** Embeddings of retrieval models: `query` (the default) or `passage` (`input_type`). */
  inputType?: 'query' | 'passage'
  /** Embeddings: `NONE`, `START` or `END` for an input over the model's limit (`truncate`). */
  truncate?: 'NONE' | 'START' | 'END'
}

declare module '@modelplex/core' {
  interface ProviderOptionsRegistry {
    nvidia: NvidiaProviderOptions
  }
}

/** The NIM keys beyond the shared Chat Completions ones, camelCase → wire name. */
export const NVIDIA_OPTION_KEYS: Record<string, string> = {
  chatTemplateKwargs: 'chat_template_kwargs',
  nvext: 'nvext',
  inputType: 'input_type',
  truncate: 'truncate',
}
