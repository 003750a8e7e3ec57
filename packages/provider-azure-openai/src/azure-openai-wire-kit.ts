import type { ApiKeyLocation, WireErrorEntry, WireErrorKind, WireKit } from '@modelplex/conformance'
import { createOpenAIResponsesWireKit } from '@modelplex/provider-openai/testing'
import {
  createOpenAICompatibleWireKit,
  type OpenAIPayloadKind,
} from '@modelplex/provider-openai-compatible/testing'
import contentFilter from './__fixtures__/error-400-content-filter.json' with { type: 'json' }
import invalidKey from './__fixtures__/error-401-invalid-key.json' with { type: 'json' }
import permissionDenied from './__fixtures__/error-401-permission-denied.json' with { type: 'json' }
import firewall from './__fixtures__/error-403-firewall.json' with { type: 'json' }
import deploymentNotFound from './__fixtures__/error-404-deployment-not-found.json' with { type: 'json' }
import rateLimit from './__fixtures__/error-429-rate-limit.json' with { type: 'json' }

/** Options of the Azure OpenAI wire kit. */
export interface AzureOpenAIWireKitOptions {
  /**
   * `key` (default): the `api-key` header. `entra`: a Microsoft Entra ID token provider, sent as
   * `Authorization: Bearer`; the kit's `apiKey` is then that token.
   */
  auth?: 'key' | 'entra'
  /**
   * `deployments` (default): `/openai/deployments/{deployment}/…?api-version=2024-10-21`.
   * `v1`: the v1 API, `/openai/v1/…` with the deployment in the body's `model`.
   */
  api?: 'deployments' | 'v1'
  /** Settings added to the kit's. */
  settings?: Record<string, unknown>
}

const ENDPOINT = 'https://modelplex-test.openai.azure.com'
const API_KEY = '0123456789abcdef0123456789abcdef'
/** A JWT-shaped Entra ID access token (not a real one). */
const ENTRA_TOKEN =
  'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2NvZ25pdGl2ZXNlcnZpY2VzLmF6dXJlLmNvbSJ9.c2lnbmF0dXJl'
const DEPLOYMENT_PATH = /\/deployments\/([^/]+)\//

/** Azure's gateway answers a request without a valid key or token before it reaches a model. */
const gatewayErrors: Partial<Record<WireErrorKind, WireErrorEntry>> = {
  forbidden: { status: 403, body: firewall },
  'not-found': { status: 404, body: deploymentNotFound },
  'content-filter': { status: 400, body: contentFilter },
  'rate-limit': { status: 429, body: rateLimit },
}

/** Azure's errors for a credential kind; validation, context-window and server errors stay OpenAI's. */
function azureErrors(auth: 'key' | 'entra'): Partial<Record<WireErrorKind, WireErrorEntry>> {
  return {
    ...gatewayErrors,
    unauthorized: { status: 401, body: auth === 'key' ? invalidKey : permissionDenied },
  }
}

const safe = { filtered: false, severity: 'safe' }
const categories = { hate: safe, self_harm: safe, sexual: safe, violence: safe }
const promptFilterResults = [
  {
    prompt_index: 0,
    content_filter_results: { ...categories, jailbreak: { filtered: false, detected: false } },
  },
]

/** `GET /openai/models`: the base models the resource can deploy (not its deployments), in Azure's shape. */
function azureModels(ids: string[]) {
  return {
    data: ids.map((id) => ({
      status: 'succeeded',
      capabilities: {
        fine_tune: false,
        inference: true,
        completion: false,
        chat_completion: true,
        embeddings: false,
      },
      lifecycle_status: 'generally-available',
      id,
      created_at: 1_721_260_800,
      object: 'model',
    })),
    object: 'list',
  }
}

/** Adds the content-filter annotations Azure writes on every completion and chunk. */
function annotate(payload: Record<string, unknown>, kind: OpenAIPayloadKind): Record<string, unknown> {
  if (kind === 'completion') {
    const choices = (payload.choices as Array<Record<string, unknown>>).map((choice) => ({
      ...choice,
      content_filter_results:
        choice.finish_reason === 'content_filter'
          ? { ...categories, violence: { filtered: true, severity: 'high' } }
          : categories,
    }))
    return { ...payload, choices, prompt_filter_results: promptFilterResults }
  }
  if (kind === 'chunk') {
    const choices = payload.choices as Array<Record<string, unknown>>
    if (choices.length === 0) return payload
    return { ...payload, choices: choices.map((choice) => ({ ...choice, content_filter_results: {} })) }
  }
  return payload
}

/**
 * Where the credential must travel: a key in `api-key` on the deployments API, an Entra ID token
 * as `Authorization: Bearer`; the v1 API takes a key either way.
 */
function credentialLocations(auth: 'key' | 'entra', api: 'deployments' | 'v1'): ApiKeyLocation[] {
  if (auth === 'entra') return ['bearer']
  return api === 'deployments' ? [{ header: 'api-key' }] : [{ header: 'api-key' }, 'bearer']
}

/**
 * A wire kit that answers like an Azure OpenAI resource on a test host: deployment paths with
 * `api-version` (or the v1 API), the `api-key` header or an Entra ID bearer token, Azure's
 * content-filter annotations and prompt-filter stream chunk, and its own error bodies.
 */
export function createAzureOpenAIWireKit(options: AzureOpenAIWireKitOptions = {}): WireKit {
  const auth = options.auth ?? 'key'
  const api = options.api ?? 'deployments'
  const secret = auth === 'key' ? API_KEY : ENTRA_TOKEN
  const kit = createOpenAICompatibleWireKit({
    baseURL: `${ENDPOINT}/openai${api === 'v1' ? '/v1' : ''}`,
    apiKey: secret,
    models: { chat: 'gpt-4o-mini', embedding: 'text-embedding-3-small' },
    apiKeyFrom: credentialLocations(auth, api),
    errors: azureErrors(auth),
    transformPayload: annotate,
    modelsBody: azureModels,
    // Azure opens every stream with the prompt's filter results, in a chunk with empty fields.
    streamPreamble: () => [
      { choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: promptFilterResults },
    ],
    ...(api === 'deployments'
      ? {
          paths: {
            chat: '/deployments/:deployment/chat/completions',
            embeddings: '/deployments/:deployment/embeddings',
            models: '/models',
          },
          // Azure routes by the deployment in the path and ignores the body's `model`.
          readModel: (request: Request) => {
            const match = DEPLOYMENT_PATH.exec(new URL(request.url).pathname)
            return match ? decodeURIComponent(match[1]!) : undefined
          },
        }
      : {}),
  })
  const credentials = auth === 'key' ? { apiKey: API_KEY } : { azureADTokenProvider: async () => ENTRA_TOKEN }
  return {
    ...kit,
    settings: {
      ...credentials,
      endpoint: ENDPOINT,
      ...(api === 'v1' ? { apiVersion: 'v1' } : {}),
      ...options.settings,
    },
  }
}

/**
 * Azure's Responses API on the v1 API (`POST /openai/v1/responses`, the deployment in the body's
 * `model`), as Microsoft documents it (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/responses):
 * OpenAI's response and event shapes, Azure's credentials and error bodies; embeddings and models
 * are answered by the v1 chat kit beside it.
 */
export function createAzureOpenAIResponsesWireKit(
  options: Omit<AzureOpenAIWireKitOptions, 'api'> = {},
): WireKit {
  const auth = options.auth ?? 'key'
  const companion = createAzureOpenAIWireKit({ ...options, api: 'v1' })
  const kit = createOpenAIResponsesWireKit({
    baseURL: companion.baseURL,
    apiKey: companion.apiKey,
    models: companion.models,
    apiKeyFrom: credentialLocations(auth, 'v1'),
    errors: azureErrors(auth),
    companion,
  })
  return { ...kit, settings: { ...companion.settings, api: 'responses' } }
}

/** The default kit of `@modelplex/provider-azure-openai`: an API key on the deployments API. */
export const kit: WireKit = createAzureOpenAIWireKit()
