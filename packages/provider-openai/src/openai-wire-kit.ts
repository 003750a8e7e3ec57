import type { WireKit } from '@modelplex/conformance'
import {
  createOpenAICompatibleWireKit,
  type OpenAICompatibleWireKitOptions,
} from '@modelplex/provider-openai-compatible/testing'

/** A wire kit that answers like api.openai.com, on a test host. */
export function createOpenAIWireKit(options: OpenAICompatibleWireKitOptions = {}): WireKit {
  return createOpenAICompatibleWireKit({
    baseURL: 'https://api.openai.modelplex.test/v1',
    apiKey: 'sk-proj-modelplex-test-0123456789abcdef',
    models: { chat: 'gpt-4o-mini', embedding: 'text-embedding-3-small' },
    ownedBy: 'openai',
    ...options,
  })
}

/** The default kit of `@modelplex/provider-openai`, used by its conformance test. */
export const kit: WireKit = createOpenAIWireKit()
