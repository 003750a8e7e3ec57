import type { ModelInfo } from '@modelplex/core'
import { parseOpenAIModels } from '@modelplex/provider-openai-compatible'

/** Reads Groq's `GET /openai/v1/models`: OpenAI's list, plus each model's `context_window`. */
export function parseGroqModels(body: unknown, provider: string): ModelInfo[] {
  const models = parseOpenAIModels(body, provider)
  const data = (body as { data: Array<{ context_window?: unknown } | null> }).data
  return models.map((model, index) => {
    const window = data[index]?.context_window
    return typeof window === 'number' ? { ...model, contextWindow: window } : model
  })
}
