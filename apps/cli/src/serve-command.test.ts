/** biome-ignore-all lint/suspicious/noTemplateCurlyInString: a test title names the config's `${VAR}` syntax. */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serveKit } from '@modelplex/conformance'
import { kit } from '@modelplex/provider-openai/testing'
import OpenAI from 'openai'
import { describe, expect, it } from 'vitest'
import { modelplex } from './test-helpers.js'

/** Runs `modelplex serve`, hands the printed URL and key to `use`, then stops it with SIGINT. */
async function serving(
  args: string[],
  use: (url: string, key: string | undefined) => Promise<void>,
  env: Record<string, string> = {},
) {
  let failure: unknown
  const run = await modelplex(['serve', '--port', '0', ...args], {
    env,
    onStdout: (chunk, child) => {
      const url = /on (http:\/\/\S+)\/v1/.exec(chunk)?.[1]
      if (!url) return
      const key = /key (\S+)/.exec(chunk)?.[1]
      use(url, key)
        .catch((error) => {
          failure = error
        })
        .finally(() => child.kill('SIGINT'))
    },
  })
  if (failure) throw failure
  return run
}

describe('modelplex serve', () => {
  it('--offline serves every provider from its wire kit, behind a generated key', async () => {
    const run = await serving(['--offline'], async (url, key) => {
      expect(key).toMatch(/^sk-offline-/)
      const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: key as string, maxRetries: 0 })
      const models = (await openai.models.list()).data.map((model) => model.id)
      expect(models).toEqual(expect.arrayContaining(['openai', 'anthropic', 'google', 'bedrock']))
      for (const model of ['openai', 'anthropic', 'google:gemini-2.5-flash']) {
        const answer = await openai.chat.completions.create({
          model,
          messages: [{ role: 'user', content: 'hi' }],
        })
        expect(answer.choices[0]?.message.content).toContain('simulated')
      }
      const stranger = new OpenAI({
        baseURL: `${url}/v1`,
        apiKey: 'sk-wrong-0123456789abcdef',
        maxRetries: 0,
      })
      await expect(stranger.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError)
    })
    expect(run.code).toBe(0)
    expect(run.stderr).toContain('offline')
  })

  it('--config reads YAML with ${VAR}, and a bad config exits with the path to fix', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'modelplex-serve-'))
    const upstream = await serveKit(kit)
    try {
      const good = join(dir, 'gateway.yaml')
      await writeFile(
        good,
        [
          'providers:',
          `  openai: { baseURL: "${upstream.baseURL}", apiKey: "\${UPSTREAM_KEY}" }`,
          'models:',
          '  fast: { targets: [openai:gpt-4o-mini] }',
          'keys:',
          '  - { id: team, secret: "${TEAM_KEY}" }',
        ].join('\n'),
      )
      const teamKey = 'sk-team-0123456789abcdef'
      const run = await serving(
        ['--config', good],
        async (url) => {
          const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: teamKey, maxRetries: 0 })
          const answer = await openai.chat.completions.create({
            model: 'fast',
            messages: [{ role: 'user', content: 'hi' }],
          })
          expect(answer.choices[0]?.message.content).toContain('Hello from the wire kit')
        },
        { UPSTREAM_KEY: kit.apiKey, TEAM_KEY: teamKey },
      )
      expect(run.code).toBe(0)
    } finally {
      await upstream.close()
    }
    const bad = join(dir, 'bad.yaml')
    await writeFile(bad, 'models:\n  fast: { targets: [gpt-4o-mini] }\n')
    const failed = await modelplex(['serve', '--config', bad])
    expect(failed.code).not.toBe(0)
    expect(failed.stderr).toContain('models.fast.targets[0]')
    const missing = await modelplex(['serve'])
    expect(missing.code).not.toBe(0)
    expect(missing.stderr).toContain('--config')
  })
})
