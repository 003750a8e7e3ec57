// Without --offline the CLI reads keys and base URLs from the environment, as with a real
// provider. Here the environment points OpenAI at its wire kit, served in this process.
import { demoScenarios, type ServedKit, serveKit } from '@modelplex/conformance'
import { kit } from '@modelplex/provider-openai/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lines, modelplex } from './test-helpers.js'

let served: ServedKit
let env: Record<string, string>

beforeAll(async () => {
  served = await serveKit(kit, {
    serve: demoScenarios(kit, { name: 'stand-in', knows: (model) => /^(gpt|text-embedding)-/.test(model) }),
  })
  env = { OPENAI_API_KEY: kit.apiKey, OPENAI_BASE_URL: served.baseURL }
})
afterAll(() => served.close())

describe.concurrent('live mode, configured from the environment', () => {
  it('picks the configured provider when none is named, and says nothing about simulation', async () => {
    const run = await modelplex(['chat', 'hi'], { env })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('Hello from the stand-in wire kit!')
    expect(run.stderr).not.toContain('offline')
    expect(lines(run.stderr)[0]).toMatch(
      /^openai:gpt-4o-mini · \d+ in · \d+ out tokens · \$0\.\d+ · [\d.]+ m?s$/,
    )
  })

  it('a rejected key is one line that names the variable, and never shows the key', async () => {
    const key = 'sk-proj-wrong-key-0123456789'
    const run = await modelplex(['chat', '-p', 'openai', 'hi'], { env: { ...env, OPENAI_API_KEY: key } })
    expect(run.code).toBe(1)
    expect(lines(run.stderr)).toHaveLength(1)
    expect(run.stderr).toMatch(/^error OpenAI refused the API key \(401\): .*Check OPENAI_API_KEY\.\n$/)
    expect(run.stderr).not.toContain(key)
    const debug = await modelplex(['chat', '-p', 'openai', '--debug', 'hi'], {
      env: { ...env, OPENAI_API_KEY: key },
    })
    expect(debug.stderr).toContain('AuthenticationError')
    expect(debug.stderr).not.toContain(key)
  })

  it('the tour runs against the configured provider only, skipping the scripted 429', async () => {
    const run = await modelplex(['tour'], { env })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('Live: these calls go to the real providers (openai)')
    expect(run.stdout).not.toMatch(/^ {2}anthropic /m)
    expect(run.stdout).toContain('offline only: a real provider cannot be asked for a 429')
    expect(run.stdout).toMatch(
      /openai:modelplex-no-such-model failed with NotFoundError: falling back to openai:gpt-4o-mini/,
    )
    expect(run.stdout).toContain('Real calls, real prices.')
  })
})
