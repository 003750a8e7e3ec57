import { type BaseSettings, createProvider, type Provider, type ProviderOptions } from '@modelplex/core'
import { defineProvider } from '@modelplex/core/adapter'
import { createOpenAIClient, createOpenAICompatibleAdapter } from '@modelplex/provider-openai-compatible'

/** Settings of the Mine provider: the base settings (`apiKey`, `baseURL`, `headers`, `sdk`, `fetch`). */
export type MineSettings = BaseSettings

const NAME = 'Mine (external)'
/** Where "Mine" serves its OpenAI-compatible API; `baseURL` or `MINE_BASE_URL` override it. */
const DEFAULT_BASE_URL = 'https://api.mine.example/v1'

/**
 * An out-of-tree provider: an ordinary npm package whose default export is a spec. The id is
 * what users write in `'mine:model'`; the package name is theirs to choose.
 */
const mine = defineProvider<MineSettings>({
  id: 'mine',
  name: NAME,
  sdk: { package: 'openai', range: '^6.0.0' },
  settingsSchema: (_z, base) => base.strict(),
  env: { apiKey: ['MINE_API_KEY'], baseURL: ['MINE_BASE_URL'] },
  defaultModel: 'mine-chat',
  defaultEmbeddingModel: 'mine-embed',
  capabilities: {
    stream: true,
    tools: true,
    structuredOutput: 'json-schema',
    embeddings: true,
    vision: true,
    listModels: true,
  },
  pricing: {
    source: 'https://mine.example/pricing',
    readAt: '2026-11-21',
    models: {
      'mine-chat': { input: 0.2, cachedInput: 0.05, output: 0.6 },
      'mine-embed': { input: 0.01, output: 0 },
    },
  },
  async connect(settings) {
    // `openai` is imported here, on the first call, by the shared translation.
    const client = await createOpenAIClient(
      { ...settings, baseURL: settings.baseURL ?? DEFAULT_BASE_URL },
      { provider: 'mine' },
    )
    return createOpenAICompatibleAdapter({ provider: 'mine', name: NAME, client })
  },
})

export default mine

/** Creates the Mine provider directly, e.g. `createMine({ apiKey })`. */
export function createMine(settings: ProviderOptions<MineSettings> = {}): Provider {
  return createProvider(mine, settings)
}
