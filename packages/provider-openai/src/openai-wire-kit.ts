import type { WireKit } from '@modelplex/conformance'
import {
  createOpenAICompatibleWireKit,
  type OpenAICompatibleWireKitOptions,
} from '@modelplex/provider-openai-compatible/testing'
import { createOpenAIResponsesWireKit } from './openai-responses-wire-kit.js'

const DEFAULTS = {
  baseURL: 'https://api.openai.modelplex.test/v1',
  apiKey: 'sk-proj-modelplex-test-0123456789abcdef',
  models: { chat: 'gpt-4o-mini', embedding: 'text-embedding-3-small' },
}

/** A wire kit that answers like api.openai.com's Chat Completions (and embeddings, models) only, on a test host. */
export function createOpenAIChatWireKit(options: OpenAICompatibleWireKitOptions = {}): WireKit {
  return createOpenAICompatibleWireKit({ ...DEFAULTS, ownedBy: 'openai', ...options })
}

/**
 * A wire kit that answers like api.openai.com on a test host, on both APIs: `/responses` (what
 * the provider speaks by default) and `/chat/completions` (`api: 'chat'`), with embeddings and
 * the model list. `options` shape the Chat Completions side as for any OpenAI-shaped kit.
 */
export function createOpenAIWireKit(options: OpenAICompatibleWireKitOptions = {}): WireKit {
  return createOpenAIResponsesWireKit({
    baseURL: options.baseURL ?? DEFAULTS.baseURL,
    apiKey: options.apiKey ?? DEFAULTS.apiKey,
    models: options.models ?? DEFAULTS.models,
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.apiKeyFrom ? { apiKeyFrom: options.apiKeyFrom } : {}),
    ...(options.errors ? { errors: options.errors } : {}),
    chat: { ownedBy: 'openai', ...options },
  })
}

/** The default kit of `@modelplex/provider-openai`: both APIs, as the default provider and `api: 'chat'` need. */
export const kit: WireKit = createOpenAIWireKit()

/** The Chat Completions kit, run by the conformance test with `api: 'chat'`. */
export const chatKit: WireKit = createOpenAIChatWireKit()
