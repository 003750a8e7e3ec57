import { type BaseSettings, createProvider, type Provider, type ProviderOptions } from '@modelplex/core'
import { defineProvider, importSdk } from '@modelplex/core/adapter'
import { type AnthropicClientLike, createAnthropicAdapter } from './anthropic-adapter.js'
import { anthropicPricing } from './anthropic-pricing.js'

/** Settings of the Anthropic provider. */
export interface AnthropicSettings extends BaseSettings {
  /**
   * Sent as `anthropic-version`. Default: the SDK's own (`2026-10-21` for `@anthropic-ai/sdk` 1.x),
   * which removed `temperature`, `top_p` and `top_k`; `'2023-06-01'` sends them again, to the
   * models that still accept them.
   */
  apiVersion?: string
  /** `max_tokens` for a request without `maxOutputTokens` (Anthropic requires one). Default 4096. */
  defaultMaxOutputTokens?: number
}

/** Claude models with autocomplete; any other id is accepted. */
export type AnthropicModelId =
  | 'claude-sonnet-5-5'
  | 'claude-opus-5-5'
  | 'claude-fable-5-2'
  | 'claude-fable-5-1'
  | 'claude-haiku-5-5'
  | 'claude-sonnet-5'
  | 'claude-opus-5'
  | 'claude-fable-5'
  | 'claude-opus-4-8'
  | 'claude-opus-4-7'
  | 'claude-opus-4-6'
  | 'claude-sonnet-4-6'
  | 'claude-opus-4-5'
  | 'claude-sonnet-4-5'
  | 'claude-haiku-4-5'
  | (string & {})

const NAME = 'Anthropic'

/** Core owns timeouts (and aborts through the signal); the SDK's own limit only has to stay out of the way. */
const SDK_TIMEOUT_MS = 24 * 60 * 60 * 1000

/** Anthropic's Messages API through the official `@anthropic-ai/sdk`. */
const anthropic = defineProvider<AnthropicSettings>({
  id: 'anthropic',
  name: NAME,
  sdk: { package: '@anthropic-ai/sdk', range: '^1.11.0' },
  settingsSchema: (z, base) =>
    base
      .extend({
        apiVersion: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/, 'an API version is a date, e.g. "2023-06-01"')
          .optional(),
        defaultMaxOutputTokens: z.number().int().positive().optional(),
      })
      .strict(),
  settingChecks: {
    apiVersion: (value) => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value),
    defaultMaxOutputTokens: (value) => Number.isSafeInteger(value) && (value as number) > 0,
  },
  env: { apiKey: ['ANTHROPIC_API_KEY'], baseURL: ['ANTHROPIC_BASE_URL'] },
  defaultModel: 'claude-sonnet-5-5',
  capabilities: {
    stream: true,
    tools: true,
    // Native JSON outputs (`output_config.format`): current models reject a forced tool choice.
    structuredOutput: 'json-schema',
    embeddings: false,
    vision: true,
    listModels: true,
    // `document` blocks: PDF (base64 or URL) and plain text; Anthropic hears no audio.
    files: ['application/pdf', 'text/plain'],
    // thinking / redacted_thinking blocks, sent back signed.
    reasoning: true,
    // `cache_control` on system, message blocks and tools.
    cacheControl: true,
  },
  pricing: anthropicPricing,
  contextWindows: {
    'claude-fable-5-2': 1_000_000,
    'claude-fable-5-1': 1_000_000,
    'claude-fable-5': 1_000_000,
    'claude-opus-5-5': 1_000_000,
    'claude-opus-5': 1_000_000,
    'claude-sonnet-5-5': 1_000_000,
    'claude-sonnet-5': 1_000_000,
    'claude-haiku-5-5': 1_000_000,
    'claude-opus-4-6': 1_000_000,
    'claude-sonnet-4-6': 1_000_000,
    'claude-opus-4-5': 200_000,
    'claude-sonnet-4-5': 200_000,
    'claude-haiku-4-5': 200_000,
  },
  async connect(settings) {
    const sdk: any = await importSdk(
      '@anthropic-ai/sdk',
      settings.sdk,
      () => import('@anthropic-ai/sdk'),
      'anthropic',
    )
    // The `sdk` setting may hold the module or the Anthropic class itself.
    const AnthropicClass = typeof sdk === 'function' ? sdk : (sdk.Anthropic ?? sdk.default)
    const client: AnthropicClientLike = new AnthropicClass({
      apiKey: settings.apiKey,
      baseURL: settings.baseURL,
      defaultHeaders: {
        ...(settings.apiVersion ? { 'anthropic-version': settings.apiVersion } : {}),
        ...settings.headers,
      },
      // Retries and timeouts are core's policies.
      maxRetries: 0,
      timeout: SDK_TIMEOUT_MS,
      // Resolved per call, so a fetch patched after the client was built (mocks, tracing) is honoured.
      fetch:
        settings.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init)),
    })
    return createAnthropicAdapter({
      client,
      name: NAME,
      apiVersion: settings.apiVersion,
      defaultMaxOutputTokens: settings.defaultMaxOutputTokens,
    })
  },
})

export default anthropic

/** Creates the Anthropic provider, e.g. `createAnthropic({ apiKey })`; the key defaults to `ANTHROPIC_API_KEY`. */
export function createAnthropic(settings: ProviderOptions<AnthropicSettings> = {}): Provider {
  return createProvider(anthropic, settings)
}
