import { ConfigError } from '@modelplex/core'

/** The latest GA dated version of the Azure OpenAI data-plane API (Microsoft's API lifecycle page). */
export const DEFAULT_API_VERSION = '2024-10-21'

/** What the settings resolve to before the client is built. */
export interface AzureOpenAIEndpointConfig {
  /**
   * `deployments`: `{endpoint}/openai/deployments/{deployment}/...?api-version=` through the SDK's
   * `AzureOpenAI` class. `v1`: `{endpoint}/openai/v1/...` with the deployment in the body's `model`.
   */
  api: 'deployments' | 'v1'
  /** The SDK base URL: `{endpoint}/openai` or `{endpoint}/openai/v1`, or the `baseURL` setting. */
  baseURL: string
  apiVersion: string
  /** `api-version` sent on the v1 API (`preview` only; the GA v1 API takes none). */
  v1Query: Record<string, string> | undefined
  /** `max_completion_tokens` from 2024-12-01-preview and on the v1 API; `max_tokens` before. */
  maxTokensField: 'max_tokens' | 'max_completion_tokens'
  /** `stream_options.include_usage` exists from 2024-09-01-preview (and in 2024-10-21). */
  streamUsage: boolean
  /** `json_schema` structured outputs exist from 2024-08-01-preview. */
  jsonSchema: boolean
}

/** The settings this module reads. */
export interface AzureOpenAIEndpointSettings {
  baseURL?: string | undefined
  endpoint?: string | undefined
  resourceName?: string | undefined
  apiVersion?: string | undefined
  maxTokensField?: 'max_tokens' | 'max_completion_tokens' | undefined
}

const NAME = 'Azure OpenAI'
const DATED = /^(\d{4}-\d{2}-\d{2})(-preview)?$/

function trimSlashes(url: string): string {
  return url.replace(/\/+$/, '')
}

/**
 * Resolves where and how to call Azure OpenAI: `baseURL` wins over `endpoint`, which wins over
 * `resourceName`, which wins over `AZURE_OPENAI_ENDPOINT`; the API version comes from the setting,
 * then `AZURE_OPENAI_API_VERSION`, then `OPENAI_API_VERSION` (core reads both variables into the
 * settings), then the latest GA version. `fromEnvironment` names the settings core read from variables.
 */
export function resolveEndpointConfig(
  settings: AzureOpenAIEndpointSettings,
  fromEnvironment: Readonly<Record<string, string>> = {},
): AzureOpenAIEndpointConfig {
  // An endpoint from AZURE_OPENAI_ENDPOINT is only a fallback: a resourceName setting overrides it.
  const endpointSetting = fromEnvironment.endpoint === undefined ? settings.endpoint : undefined
  if (endpointSetting && settings.resourceName) {
    throw new ConfigError(`${NAME}: pass endpoint or resourceName, not both.`, { provider: 'azure-openai' })
  }
  const apiVersion = settings.apiVersion ?? DEFAULT_API_VERSION
  const api = apiVersion === 'v1' || apiVersion === 'preview' ? 'v1' : 'deployments'
  const endpoint =
    endpointSetting ??
    (settings.resourceName ? `https://${settings.resourceName}.openai.azure.com` : undefined) ??
    settings.endpoint
  let baseURL: string
  if (settings.baseURL) baseURL = trimSlashes(settings.baseURL)
  else if (endpoint) baseURL = `${trimSlashes(endpoint)}/openai${api === 'v1' ? '/v1' : ''}`
  else {
    throw new ConfigError(
      `${NAME}: no endpoint. Pass the endpoint setting (https://<resource>.openai.azure.com), resourceName or baseURL, or set AZURE_OPENAI_ENDPOINT.`,
      { provider: 'azure-openai' },
    )
  }
  // Undated names (`v1`, `preview`, anything newer than this code) get the current OpenAI fields.
  const date = DATED.exec(apiVersion)?.[1] ?? '9999-12-31'
  return {
    api,
    baseURL,
    apiVersion,
    v1Query: apiVersion === 'preview' ? { 'api-version': 'preview' } : undefined,
    maxTokensField:
      settings.maxTokensField ?? (date >= '2024-12-01' ? 'max_completion_tokens' : 'max_tokens'),
    streamUsage: date >= '2024-09-01',
    jsonSchema: date >= '2024-08-01',
  }
}
