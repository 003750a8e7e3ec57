import type { WireKit } from '@modelplex/conformance'
import {
  createOpenAICompatibleWireKit,
  type OpenAICompatibleWireKitOptions,
} from '@modelplex/provider-openai-compatible/testing'

/** A wire kit that answers like Mine's API (OpenAI's wire format), on a test host. */
export function createMineWireKit(options: OpenAICompatibleWireKitOptions = {}): WireKit {
  return createOpenAICompatibleWireKit({
    baseURL: 'https://api.mine.modelplex.test/v1',
    apiKey: 'mine-test-key-0123456789abcdef',
    models: { chat: 'mine-chat', embedding: 'mine-embed' },
    ownedBy: 'mine',
    ...options,
  })
}

/** The kit the conformance test uses. */
export const kit: WireKit = createMineWireKit()
