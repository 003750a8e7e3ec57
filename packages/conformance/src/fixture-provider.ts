// A minimal OpenAI-shaped provider over plain fetch, used only by this package's own tests to
// run the suite end to end (not exported). Real providers live in their own packages.
import {
  type Capabilities,
  ContentFilterError,
  ContextWindowExceededError,
  type FinishReason,
  MalformedResponseError,
  type Message,
  ModelplexError,
  type PricingTable,
  type ProviderSpec,
  type Usage,
} from '@modelplex/core'
import {
  type AdapterRequest,
  type AdapterStreamEvent,
  type CallContext,
  connectionError,
  defineProvider,
  errorFromStatus,
  isNetworkError,
  parseRetryAfter,
} from '@modelplex/core/adapter'

const finishReasons: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool-calls',
  content_filter: 'content-filter',
}

function toOpenAIMessages(messages: Message[]): unknown[] {
  return messages.flatMap((message): unknown[] => {
    if (typeof message.content === 'string') return [{ role: message.role, content: message.content }]
    if (message.role === 'user') {
      return [
        {
          role: 'user',
          content: message.content.map((part) =>
            part.type === 'text'
              ? { type: 'text', text: part.text }
              : part.type !== 'image'
                ? { type: 'text', text: '' }
                : {
                    type: 'image_url',
                    image_url: {
                      url:
                        part.image instanceof URL || /^(https?:|data:)/.test(part.image)
                          ? String(part.image)
                          : `data:${part.mediaType};base64,${part.image}`,
                    },
                  },
          ),
        },
      ]
    }
    if (message.role === 'assistant') {
      const text = message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('')
      const calls = message.content.flatMap((part) =>
        part.type === 'tool-call'
          ? [
              {
                id: part.toolCallId,
                type: 'function',
                function: { name: part.toolName, arguments: JSON.stringify(part.input) },
              },
            ]
          : [],
      )
      return [{ role: 'assistant', content: text || null, ...(calls.length ? { tool_calls: calls } : {}) }]
    }
    return message.content.map((part) => ({
      role: 'tool',
      tool_call_id: part.toolCallId,
      content: typeof part.output === 'string' ? part.output : JSON.stringify(part.output),
    }))
  })
}

function toOpenAIBody(request: AdapterRequest, stream: boolean): Record<string, unknown> {
  const format = request.responseFormat
  return {
    model: request.model,
    messages: toOpenAIMessages(request.messages),
    temperature: request.temperature,
    max_completion_tokens: request.maxOutputTokens,
    stop: request.stopSequences,
    tools: request.tools?.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    })),
    response_format:
      format?.type === 'json'
        ? format.schema
          ? {
              type: 'json_schema',
              json_schema: { name: format.name ?? 'response', schema: format.schema, strict: true },
            }
          : { type: 'json_object' }
        : undefined,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  }
}

function toUsage(usage: any): Usage | undefined {
  if (!usage) return undefined
  const cached = usage.prompt_tokens_details?.cached_tokens
  return {
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens,
    totalTokens: usage.total_tokens,
    ...(cached ? { cachedInputTokens: cached } : {}),
  }
}

function mapVendorError(
  provider: string,
  status: number | undefined,
  body: any,
  headers?: Headers,
): ModelplexError {
  const error = body?.error ?? {}
  const message = `${provider}: ${error.message ?? `HTTP ${status}`}`
  const options = { provider, status, code: error.code ?? error.type, retryAfterMs: parseRetryAfter(headers) }
  if (error.code === 'context_length_exceeded') return new ContextWindowExceededError(message, options)
  if (error.code === 'content_filter') return new ContentFilterError(message, options)
  if (status === undefined && error.type === 'server_error') return errorFromStatus(500, message, options)
  return errorFromStatus(status, message, options)
}

/** The fixture's spec; capabilities and pricing can be narrowed to exercise 'unsupported' and cost. */
export function createFixtureSpec(
  options: { capabilities?: Partial<Capabilities>; pricing?: PricingTable } = {},
): ProviderSpec {
  const id = 'fixture'
  return defineProvider({
    id,
    name: 'Fixture (OpenAI-shaped)',
    sdk: { package: '@modelplex/core', range: '*' },
    env: {},
    defaultModel: 'fixture-chat',
    defaultEmbeddingModel: 'fixture-embed',
    capabilities: {
      stream: true,
      tools: true,
      structuredOutput: 'json-schema',
      embeddings: true,
      vision: true,
      listModels: true,
      ...options.capabilities,
    },
    pricing: options.pricing ?? {
      source: 'https://example.com/pricing',
      readAt: '2025-01-01',
      models: { 'fixture-chat': { input: 2.5, output: 10, cachedInput: 1.25 } },
    },
    connect(settings) {
      const base = settings.baseURL ?? 'https://api.fixture.test/v1'

      async function send(path: string, context: CallContext, body?: unknown): Promise<Response> {
        let response: Response
        try {
          response = await fetch(`${base}${path}`, {
            method: body === undefined ? 'GET' : 'POST',
            headers: {
              authorization: `Bearer ${settings.apiKey}`,
              'content-type': 'application/json',
              ...settings.headers,
              ...context.headers,
            },
            body: body === undefined ? undefined : JSON.stringify(body),
            signal: context.signal,
          })
        } catch (error) {
          if (context.signal.aborted) throw error
          // MSW's Response.error() rejects with "Failed to fetch"; any rejected fetch is a connection failure.
          throw connectionError(error, { provider: id })
        }
        if (!response.ok) {
          const text = await response.text()
          let parsed: unknown
          try {
            parsed = JSON.parse(text)
          } catch {
            parsed = undefined
          }
          throw mapVendorError(id, response.status, parsed, response.headers)
        }
        return response
      }

      async function json(response: Response): Promise<any> {
        try {
          return await response.json()
        } catch (cause) {
          throw new MalformedResponseError(`${id}: the response is not JSON`, { provider: id, cause })
        }
      }

      return {
        async generate(request, context) {
          const body = await json(await send('/chat/completions', context, toOpenAIBody(request, false)))
          const choice = body?.choices?.[0]
          if (!choice) throw new MalformedResponseError(`${id}: no choices in the response`, { provider: id })
          const text: string = choice.message?.content ?? ''
          const toolCalls = (choice.message?.tool_calls ?? []).map((call: any) => ({
            toolCallId: call.id,
            toolName: call.function.name,
            input: JSON.parse(call.function.arguments || '{}'),
            rawInput: call.function.arguments,
          }))
          return {
            text,
            content: [
              ...(text ? [{ type: 'text' as const, text }] : []),
              ...toolCalls.map((call: any) => ({ type: 'tool-call' as const, ...call })),
            ],
            toolCalls,
            finishReason: finishReasons[choice.finish_reason] ?? 'other',
            rawFinishReason: choice.finish_reason,
            usage: toUsage(body.usage),
            model: body.model,
            id: body.id,
            raw: body,
            ...(body.system_fingerprint
              ? { providerMetadata: { systemFingerprint: body.system_fingerprint } }
              : {}),
          }
        },
        async stream(request, context) {
          const response = await send('/chat/completions', context, toOpenAIBody(request, true))
          return (async function* (): AsyncGenerator<AdapterStreamEvent> {
            const decoder = new TextDecoder()
            let buffer = ''
            let finishReason: string | undefined
            for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
              buffer += decoder.decode(bytes, { stream: true })
              let end = buffer.indexOf('\n\n')
              for (; end !== -1; end = buffer.indexOf('\n\n')) {
                const frame = buffer.slice(0, end)
                buffer = buffer.slice(end + 2)
                const data = frame.replace(/^data: /, '')
                if (data === '[DONE]') {
                  yield { type: 'finish', finishReason: 'stop', rawFinishReason: undefined, usage: undefined }
                  return
                }
                const chunk = JSON.parse(data)
                if (context.includeRaw) yield { type: 'raw', value: chunk }
                if (chunk.error) throw mapVendorError(id, undefined, chunk)
                const delta = chunk.choices?.[0]?.delta
                if (delta?.content) yield { type: 'text-delta', text: delta.content }
                for (const call of delta?.tool_calls ?? []) {
                  yield {
                    type: 'tool-call-delta',
                    index: call.index,
                    toolCallId: call.id,
                    toolName: call.function?.name,
                    argumentsDelta: call.function?.arguments ?? '',
                  }
                }
                finishReason = chunk.choices?.[0]?.finish_reason ?? finishReason
                if (chunk.usage) {
                  yield {
                    type: 'finish',
                    finishReason: finishReasons[finishReason ?? ''] ?? 'other',
                    rawFinishReason: finishReason,
                    usage: toUsage(chunk.usage),
                    ...(chunk.system_fingerprint
                      ? { providerMetadata: { systemFingerprint: chunk.system_fingerprint } }
                      : {}),
                  }
                  return
                }
              }
            }
          })()
        },
        async embed(request, context) {
          const body = await json(
            await send('/embeddings', context, {
              model: request.model,
              input: request.input,
              dimensions: request.dimensions,
            }),
          )
          return {
            embeddings: body.data.map((item: any) => item.embedding),
            usage: body.usage ? { inputTokens: body.usage.prompt_tokens } : undefined,
            model: body.model,
            raw: body,
          }
        },
        async listModels(context) {
          const body = await json(await send('/models', context))
          return body.data.map((model: any) => ({ id: model.id }))
        },
        mapError(error) {
          if (ModelplexError.isInstance(error)) return error
          if (isNetworkError(error)) return connectionError(error, { provider: id })
          return new ModelplexError(`${id}: ${error instanceof Error ? error.message : String(error)}`, {
            provider: id,
            cause: error,
          })
        },
      }
    },
  }) as ProviderSpec
}
