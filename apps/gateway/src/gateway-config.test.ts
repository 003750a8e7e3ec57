/** biome-ignore-all lint/suspicious/noTemplateCurlyInString: the config's `${VAR}` syntax is the subject here, in plain strings on purpose. */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError } from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import { loadGatewayConfig, parseGatewayConfig, sha256, storedKeys } from './gateway-config.js'

const message = (run: () => unknown): string => {
  try {
    run()
  } catch (error) {
    expect(ConfigError.isInstance(error)).toBe(true)
    return (error as Error).message
  }
  throw new Error('expected a ConfigError')
}

describe('gateway config', () => {
  it('reads ${VAR} from the environment and keeps only the SHA-256 of a secret', () => {
    const config = parseGatewayConfig(
      {
        providers: { openai: { apiKey: '${OPENAI_API_KEY}' } },
        keys: [{ id: 'team-a', secret: '${TEAM_A_KEY}' }],
      },
      { OPENAI_API_KEY: 'sk-upstream', TEAM_A_KEY: 'team-a-secret-0123456789' },
    )
    expect(config.providers.openai?.apiKey).toBe('sk-upstream')
    const [key] = storedKeys(config)
    expect(key?.secretSha256).toBe(sha256('team-a-secret-0123456789'))
    expect(JSON.stringify(key)).not.toContain('team-a-secret-0123456789')
  })

  it('names the path of a missing environment variable', () => {
    expect(message(() => parseGatewayConfig({ masterKey: '${GATEWAY_MASTER_KEY}' }, {}))).toContain(
      'masterKey: the environment variable GATEWAY_MASTER_KEY is not set',
    )
  })

  it('names the path and what to change, and never repeats a value', () => {
    const text = message(() =>
      parseGatewayConfig(
        {
          models: { fast: { targets: ['gpt-4o-mini'] } },
          keys: [{ id: 'a', secret: 'short-secret', limits: { rpm: 0 } }],
          colour: 'blue',
        },
        {},
      ),
    )
    expect(text).toContain('models.fast.targets[0]: a target is "provider:model"')
    expect(text).toContain('keys[0].secret: a key secret is at least 16 characters')
    expect(text).toContain('keys[0].limits.rpm')
    expect(text).toContain('unknown field(s) "colour"')
    expect(text).not.toContain('short-secret')
  })

  it('refuses a key with both or neither of secret and secretSha256', () => {
    expect(message(() => parseGatewayConfig({ keys: [{ id: 'a' }] }, {}))).toContain(
      'keys[0].secret: set exactly one of secret and secretSha256',
    )
  })

  it('loads YAML and points at a syntax error without quoting the line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gateway-config-'))
    const good = join(dir, 'gateway.yaml')
    await writeFile(good, 'models:\n  fast: { targets: [openai:gpt-4o-mini] }\nallowProviderModels: true\n')
    const config = await loadGatewayConfig(good, {})
    expect(config.models.fast?.targets).toEqual(['openai:gpt-4o-mini'])
    expect(config.allowProviderModels).toBe(true)
    const bad = join(dir, 'bad.yaml')
    await writeFile(bad, 'masterKey: "sk-very-secret-value\nmodels: [')
    const error = await loadGatewayConfig(bad, {}).catch((caught) => caught)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect(error.message).toMatch(/not valid YAML or JSON at line \d+/)
    expect(error.message).not.toContain('sk-very-secret-value')
  })

  it('says plainly that the Postgres ledger is not in this build, and takes Redis', () => {
    expect(
      message(() => parseGatewayConfig({ state: { postgres: 'postgres://127.0.0.1:5432/test' } }, {})),
    ).toContain('remove it')
    expect(parseGatewayConfig({ state: { redis: 'redis://127.0.0.1:6379/0' } }, {}).state?.redis).toBe(
      'redis://127.0.0.1:6379/0',
    )
  })
})
