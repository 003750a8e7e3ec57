import { ConfigError } from '@modelplex/core'
import { readEnvironment } from '@modelplex/core/adapter'
import { describe, expect, it } from 'vitest'
import { DEFAULT_API_VERSION, resolveEndpointConfig as resolveFromSettings } from './azure-openai-config.js'
import azureOpenAI from './azure-openai-provider.js'

/** The config for `settings` with `env` as core merges them: arguments first, then the spec's variables. */
function resolveEndpointConfig(
  settings: Parameters<typeof resolveFromSettings>[0],
  env: Record<string, string | undefined>,
) {
  const { values, fromEnvironment } = readEnvironment(azureOpenAI.env, settings, env)
  return resolveFromSettings({ ...values, ...settings }, fromEnvironment)
}

const endpoint = 'https://contoso.openai.azure.com'

describe('resolveEndpointConfig', () => {
  it('defaults to the latest GA dated version on the deployments API, with max_tokens', () => {
    expect(DEFAULT_API_VERSION).toBe('2024-10-21')
    expect(resolveEndpointConfig({ endpoint }, {})).toEqual({
      api: 'deployments',
      baseURL: 'https://contoso.openai.azure.com/openai',
      apiVersion: '2024-10-21',
      v1Query: undefined,
      maxTokensField: 'max_tokens',
      streamUsage: true,
      jsonSchema: true,
    })
  })

  it('builds the endpoint from resourceName and strips trailing slashes from an endpoint', () => {
    expect(resolveEndpointConfig({ resourceName: 'contoso' }, {}).baseURL).toBe(
      'https://contoso.openai.azure.com/openai',
    )
    expect(resolveEndpointConfig({ endpoint: `${endpoint}//` }, {}).baseURL).toBe(
      'https://contoso.openai.azure.com/openai',
    )
  })

  it('takes baseURL as it is, over endpoint and the environment', () => {
    const config = resolveEndpointConfig(
      { baseURL: 'https://apim.contoso.com/aoai/', endpoint },
      { AZURE_OPENAI_ENDPOINT: 'https://other.openai.azure.com' },
    )
    expect(config.baseURL).toBe('https://apim.contoso.com/aoai')
  })

  it('reads AZURE_OPENAI_ENDPOINT, then AZURE_OPENAI_API_VERSION before OPENAI_API_VERSION', () => {
    const config = resolveEndpointConfig(
      {},
      {
        AZURE_OPENAI_ENDPOINT: endpoint,
        AZURE_OPENAI_API_VERSION: '2025-04-01-preview',
        OPENAI_API_VERSION: '2024-06-01',
      },
    )
    expect(config.baseURL).toBe('https://contoso.openai.azure.com/openai')
    expect(config.apiVersion).toBe('2025-04-01-preview')
    expect(resolveEndpointConfig({ endpoint }, { OPENAI_API_VERSION: '2024-06-01' }).apiVersion).toBe(
      '2024-06-01',
    )
    expect(
      resolveEndpointConfig({ endpoint, apiVersion: '2024-10-21' }, { OPENAI_API_VERSION: 'v1' }).api,
    ).toBe('deployments')
  })

  it('v1 and preview select the v1 API; only preview sends an api-version', () => {
    const v1 = resolveEndpointConfig({ endpoint, apiVersion: 'v1' }, {})
    expect(v1).toMatchObject({
      api: 'v1',
      baseURL: 'https://contoso.openai.azure.com/openai/v1',
      v1Query: undefined,
      maxTokensField: 'max_completion_tokens',
    })
    expect(resolveEndpointConfig({ endpoint, apiVersion: 'preview' }, {}).v1Query).toEqual({
      'api-version': 'preview',
    })
  })

  it('derives the request fields each API version knows', () => {
    const at = (apiVersion: string) => resolveEndpointConfig({ endpoint, apiVersion }, {})
    expect(at('2024-12-01-preview').maxTokensField).toBe('max_completion_tokens')
    expect(at('2024-10-21').maxTokensField).toBe('max_tokens')
    expect(at('2024-06-01')).toMatchObject({ streamUsage: false, jsonSchema: false })
    expect(at('2024-08-01-preview')).toMatchObject({ streamUsage: false, jsonSchema: true })
    expect(at('2024-09-01-preview')).toMatchObject({ streamUsage: true, maxTokensField: 'max_tokens' })
    expect(
      resolveEndpointConfig({ endpoint, maxTokensField: 'max_completion_tokens' }, {}).maxTokensField,
    ).toBe('max_completion_tokens')
  })

  it('without any endpoint throws ConfigError naming the settings and AZURE_OPENAI_ENDPOINT', () => {
    let error: unknown
    try {
      resolveEndpointConfig({}, {})
    } catch (caught) {
      error = caught
    }
    expect(ConfigError.isInstance(error)).toBe(true)
    expect((error as Error).message).toMatch(/endpoint.*resourceName.*baseURL.*AZURE_OPENAI_ENDPOINT/)
  })

  it('refuses endpoint and resourceName together', () => {
    expect(() => resolveEndpointConfig({ endpoint, resourceName: 'contoso' }, {})).toThrow(/not both/)
  })

  it('a resourceName wins over AZURE_OPENAI_ENDPOINT (a fallback, not a second setting)', () => {
    const config = resolveEndpointConfig(
      { resourceName: 'fabrikam' },
      { AZURE_OPENAI_ENDPOINT: 'https://other.openai.azure.com' },
    )
    expect(config.baseURL).toBe('https://fabrikam.openai.azure.com/openai')
  })
})
