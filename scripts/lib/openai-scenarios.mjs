// Scripted answers for an OpenAI wire kit, chosen by the request's model name. Shared by the
// packed-tarball smoke test and the offline example, so both exercise the same cases.
const usage = { inputTokens: 12, outputTokens: 9, cachedInputTokens: 0 }

/** Returns a `serve(view)` function for `kit.handlers(serve)`. */
export function openAIScenarios(kit) {
  const seen = new Map()
  const count = (key) => {
    const n = (seen.get(key) ?? 0) + 1
    seen.set(key, n)
    return n
  }
  return (view) => {
    if (view.apiKey !== kit.apiKey) return { type: 'error', kind: 'unauthorized' }
    switch (view.model) {
      case 'no-such-model':
        return { type: 'error', kind: 'not-found' }
      case 'context-overflow':
        return { type: 'error', kind: 'context-window' }
      case 'malformed':
        return { type: 'malformed' }
      case 'rate-limited-once':
        if (count(`429:${view.operation}`) % 2 === 1)
          return { type: 'error', kind: 'rate-limit', retryAfterMs: 300 }
        break
      case 'cut-stream':
        return {
          type: 'stream',
          parts: ['The ', 'stream ', 'is ', 'cut ', 'here'].map((text) => ({ type: 'text', text })),
          finishReason: 'stop',
          usage,
          cutAfter: 3,
        }
    }
    if (view.operation === 'embed') {
      return {
        type: 'embed',
        vectors: view.embedInput.map((text, i) => [text.length / 10, i, 0.5]),
        usage: { inputTokens: view.embedInput.join(' ').split(/\s+/).length },
      }
    }
    if (view.operation === 'listModels')
      return { type: 'models', ids: ['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small'] }
    if (view.responseSchema || view.jsonOutput) {
      return {
        type: 'generate',
        text: JSON.stringify({ city: 'Paris', country: 'France', population: 2102650 }),
        finishReason: 'stop',
        usage,
      }
    }
    if (view.tools?.length) {
      return {
        type: 'generate',
        toolCalls: [
          { id: 'call_weather_1', name: view.tools[0].name, arguments: '{"city":"Paris","unit":"celsius"}' },
        ],
        finishReason: 'tool-calls',
        usage,
      }
    }
    const text = 'Hello from the offline OpenAI wire kit — no key, no network.'
    if (view.operation === 'stream') {
      return {
        type: 'stream',
        parts: text.match(/\S+\s*/g).map((word) => ({ type: 'text', text: word })),
        finishReason: 'stop',
        usage,
      }
    }
    return { type: 'generate', text, finishReason: 'stop', usage }
  }
}
