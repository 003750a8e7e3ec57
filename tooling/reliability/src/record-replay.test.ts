import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type Recording,
  recordOrReplay,
  serveKit,
  type WireReply,
  type WireRequestView,
} from '@modelplex/conformance'
import { createProvider, type Provider, type StreamEvent } from '@modelplex/core'
import { afterAll, describe, expect, it } from 'vitest'
import { secretsOf, type Vendor, vendors } from './vendors.js'

const dir = mkdtempSync(join(tmpdir(), 'modelplex-recordings-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** What the stand-in vendor answers: a text reply, and a stream with multi-byte text. */
function answer(view: WireRequestView): WireReply {
  const usage = { inputTokens: 12, outputTokens: 7 }
  if (view.operation === 'stream') {
    return {
      type: 'stream',
      parts: [
        { type: 'text', text: 'Grüße ' },
        { type: 'text', text: 'aus 東京 🌸' },
      ],
      finishReason: 'stop',
      usage,
    }
  }
  return { type: 'generate', text: 'pong', finishReason: 'stop', usage }
}

/** The provider's "live test": one generate and one stream, everything a user would read kept. */
async function liveTest(provider: Provider, model: string) {
  const messages = [{ role: 'user' as const, content: 'Reply with the single word: pong' }]
  const generated = await provider.generate({ model, messages, maxOutputTokens: 10 })
  const stream = provider.stream({ model, messages, maxOutputTokens: 10 })
  const events: StreamEvent[] = []
  for await (const event of stream) events.push(event)
  const streamed = await stream.result()
  const { raw: _raw, ...result } = generated
  const { raw: _streamRaw, ...streamResult } = streamed
  return { result, events, streamResult }
}

/** Settings with every secret swapped for what the tape gives (the placeholder in replay). */
function keyed(
  settings: Record<string, unknown>,
  secrets: string[],
  key: (real: string) => string | undefined,
) {
  return Object.fromEntries(
    Object.entries(settings).map(([name, value]) => [
      name,
      typeof value === 'string' && secrets.includes(value) ? key(value) : value,
    ]),
  )
}

describe.each(vendors.map((vendor) => [vendor.id, vendor] as const))(
  'record and replay through %s',
  (_, vendor: Vendor) => {
    it('records against a loopback stand-in, then replays offline with identical results and no secrets', async () => {
      const kit = vendor.kit(`sk-record-${vendor.id}-${randomBytes(10).toString('hex')}`)
      const secrets = secretsOf(kit)
      const served = await serveKit(kit, { serve: answer })
      const recorder = recordOrReplay({ dir, name: vendor.id, secrets, env: { MODELPLEX_RECORD: '1' } })
      expect(recorder.mode).toBe('record')
      let recorded: Awaited<ReturnType<typeof liveTest>>
      recorder.start()
      try {
        const provider = createProvider(vendor.spec, {
          ...keyed(served.settings, secrets, recorder.key),
          retry: { maxRetries: 0 },
        } as never)
        recorded = await liveTest(provider, kit.models.chat)
      } finally {
        recorder.stop()
        await served.close()
      }
      expect(recorded.result.text).toBe('pong')
      expect(recorded.streamResult.text).toBe('Grüße aus 東京 🌸')

      const text = readFileSync(recorder.file, 'utf8')
      const file = JSON.parse(text) as Recording
      expect(file.exchanges).toHaveLength(2)
      for (const secret of secrets) expect(text).not.toContain(secret)
      expect(text).not.toMatch(/Credential=|Bearer /)
      for (const exchange of file.exchanges) {
        const names = [...Object.keys(exchange.request.headers), ...Object.keys(exchange.response.headers)]
        for (const name of names) {
          expect(name).not.toMatch(
            /^(authorization|x-api-key|api-key|x-goog-api-key|x-amz-security-token|cookie|set-cookie)$/,
          )
        }
      }

      // The vendor is gone: only the recording can answer now.
      const player = recordOrReplay({ dir, name: vendor.id, env: {} })
      expect(player.mode).toBe('replay')
      player.start()
      try {
        const provider = createProvider(vendor.spec, {
          ...keyed(served.settings, secrets, player.key),
          retry: { maxRetries: 0 },
        } as never)
        expect(await liveTest(provider, kit.models.chat)).toEqual(recorded)
        expect(player.unused()).toHaveLength(0)
      } finally {
        player.stop()
      }
    }, 60_000)
  },
)
