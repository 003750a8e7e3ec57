import type { WireErrorKind, WireKit } from '@modelplex/conformance'
import { createOpenAIWireKit, type OpenAIPayloadKind } from '@modelplex/provider-openai-compatible/testing'

/** Options of the Azure OpenAI wire kit. */
export interface AzureOpenAIKitOptions {
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
function azureErrorBody(kind: WireErrorKind, auth: 'key' | 'entra') {
  const error = (status: number, body: Record<string, unknown>) => ({ status, body: { error: body } })
  switch (kind) {
    case 'unauthorized':
      return auth === 'key'
        ? error(401, {
            code: '401',
            message:
              'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
          })
        : error(401, {
            code: 'PermissionDenied',
            message: 'Principal does not have access to API/Operation.',
          })
    case 'forbidden':
      return error(403, { code: '403', message: 'Access denied due to Virtual Network/Firewall rules.' })
    case 'not-found':
      return error(404, {
        code: 'DeploymentNotFound',
        message:
          'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
      })
    case 'content-filter':
      return error(400, {
        message:
          "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
        type: null,
        param: 'prompt',
        code: 'content_filter',
        status: 400,
        innererror: {
          code: 'ResponsibleAIPolicyViolation',
          content_filter_result: {
            hate: { filtered: false, severity: 'safe' },
            jailbreak: { filtered: false, detected: false },
            self_harm: { filtered: false, severity: 'safe' },
            sexual: { filtered: false, severity: 'safe' },
            violence: { filtered: true, severity: 'medium' },
          },
        },
      })
    case 'rate-limit':
      return error(429, {
        code: '429',
        message:
          'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 1 second. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.',
      })
    default:
      // Validation, context-window and model-server errors are relayed in OpenAI's own shape.
      return undefined
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

function bearer(headers: Record<string, string>): string | undefined {
  const authorization = headers.authorization
  return authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : undefined
}

/**
 * Where the credential must travel: a key in `api-key` on the deployments API, an Entra ID token
 * as `Authorization: Bearer`; the v1 API takes a key either way.
 */
function credentialReader(auth: 'key' | 'entra', api: 'deployments' | 'v1') {
  if (auth === 'entra') return bearer
  if (api === 'deployments') return (headers: Record<string, string>) => headers['api-key']
  return (headers: Record<string, string>) => headers['api-key'] ?? bearer(headers)
}

/**
 * A wire kit that answers like an Azure OpenAI resource on a test host: deployment paths with
 * `api-version` (or the v1 API), the `api-key` header or an Entra ID bearer token, Azure's
 * content-filter annotations and prompt-filter stream chunk, and its own error bodies.
 */
export function createAzureOpenAIKit(options: AzureOpenAIKitOptions = {}): WireKit {
  const auth = options.auth ?? 'key'
  const api = options.api ?? 'deployments'
  const secret = auth === 'key' ? API_KEY : ENTRA_TOKEN
  const kit = createOpenAIWireKit({
    baseURL: `${ENDPOINT}/openai${api === 'v1' ? '/v1' : ''}`,
    apiKey: secret,
    models: { chat: 'gpt-4o-mini', embedding: 'text-embedding-3-small' },
    readApiKey: credentialReader(auth, api),
    errorBody: (kind) => azureErrorBody(kind, auth),
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

/** The default kit of `@modelplex/provider-azure-openai`: an API key on the deployments API. */
export const kit: WireKit = createAzureOpenAIKit()
