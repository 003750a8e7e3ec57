import {
  AuthenticationError,
  ContentFilterError,
  ModelplexError,
  type ModelplexErrorOptions,
  NotFoundError,
} from '@modelplex/core'
import { readHeader } from '@modelplex/core/adapter'
import { mapOpenAIError, type OpenAIErrorClasses } from '@modelplex/provider-openai-compatible'

export interface MapAzureOpenAIErrorContext {
  model: string | undefined
  /** The SDK's error classes (statics of the client's class). */
  errors?: OpenAIErrorClasses
}

const PROVIDER = 'azure-openai'
const NAME = 'Azure OpenAI'

/** One category of a content filter result: `{ filtered, severity }` or `{ filtered, detected }`. */
interface FilterCategory {
  filtered?: boolean
  severity?: string
  detected?: boolean
}

/** `hate (high), jailbreak`: the categories the filter blocked, from `innererror.content_filter_result`. */
function filteredCategories(innererror: any): string[] {
  // The service writes `content_filter_result`; the REST spec names it `content_filter_results`.
  const result = innererror?.content_filter_result ?? innererror?.content_filter_results
  if (!result || typeof result !== 'object') return []
  const names: string[] = []
  for (const [category, value] of Object.entries(result as Record<string, unknown>)) {
    // Custom blocklists arrive as an array of `{ id, filtered }`.
    const entries = (Array.isArray(value) ? value : [value]) as Array<FilterCategory & { id?: string }>
    for (const entry of entries) {
      if (entry?.filtered !== true) continue
      const label = entry.id ? `${category}:${entry.id}` : category
      names.push(entry.severity && entry.severity !== 'safe' ? `${label} (${entry.severity})` : label)
    }
  }
  return names
}

/**
 * Classifies what the SDK threw for Azure OpenAI: Azure's own error codes first
 * (`content_filter` with its `innererror`, `DeploymentNotFound`, `PermissionDenied`), then the
 * shared OpenAI mapping by status and code. Token-provider failures keep the error it raised.
 */
export function mapAzureOpenAIError(error: unknown, context: MapAzureOpenAIErrorContext): ModelplexError {
  if (ModelplexError.isInstance(error)) return error
  // The SDK wraps what a token provider throws ("Failed to get token…"); ours raised a typed error.
  const cause = (error as { cause?: unknown } | null)?.cause
  if (ModelplexError.isInstance(cause)) return cause

  const mapped = mapOpenAIError(error, {
    provider: PROVIDER,
    name: NAME,
    model: context.model,
    ...(context.errors ? { errors: context.errors } : {}),
  })
  const apiError = error as any
  const body = apiError?.error
  if (!body || typeof body !== 'object' || mapped.status === undefined) return mapped

  // Azure's gateway always sends `apim-request-id`; `x-request-id` only comes from the model server.
  const requestId = mapped.requestId ?? readHeader(apiError.headers, 'apim-request-id')
  const code = typeof body.code === 'string' ? body.code : undefined
  const innerCode = typeof body.innererror?.code === 'string' ? body.innererror.code : undefined
  const options: ModelplexErrorOptions = {
    provider: PROVIDER,
    model: context.model,
    status: mapped.status,
    code: code ?? mapped.code,
    ...(requestId ? { requestId } : {}),
    cause: error,
  }

  if (code === 'content_filter' || innerCode === 'ResponsibleAIPolicyViolation') {
    const categories = filteredCategories(body.innererror)
    const blocked = categories.length > 0 ? ` [filtered: ${categories.join(', ')}]` : ''
    return new ContentFilterError(`${mapped.message}${blocked}`, options)
  }
  if (code === 'DeploymentNotFound') {
    const deployment = context.model ? ` "${context.model}"` : ''
    return new NotFoundError(
      `${mapped.message} (the request's model names the deployment${deployment}: check its name in the Azure portal)`,
      options,
    )
  }
  if (code === 'PermissionDenied') {
    // Entra ID: the token is valid but its principal lacks a role such as "Cognitive Services OpenAI User".
    return new AuthenticationError(mapped.message, options)
  }
  if (requestId && !mapped.requestId) Object.assign(mapped, { requestId })
  return mapped
}
