// The wire kit of the fixture provider (fixture-provider.ts): OpenAI's chat-completions wire
// format, used only by this package's own tests.
import { http } from 'msw'
import type { WireErrorKind, WireKit, WireReply, WireRequestView } from './wire-kit.js'
import {
  errorResponse,
  hangUntilAborted,
  headersOf,
  readBody,
  resetResponse,
  type SseFrame,
  sseResponse,
} from './wire-responses.js'

const baseURL = 'https://api.fixture.test/v1'
const apiKey = 'sk-fixture-0123456789abcdef'

const finishReasons = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
  'content-filter': 'content_filter',
}

const errors: Record<WireErrorKind, { status: number; type: string; code: string | null; message: string }> =
  {
    'bad-request': {
      status: 400,
      type: 'invalid_request_error',
      code: null,
      message: "Invalid value for 'temperature'.",
    },
    unauthorized: {
      status: 401,
      type: 'invalid_request_error',
      code: 'invalid_api_key',
      message: 'Incorrect API key provided.',
    },
    forbidden: {
      status: 403,
      type: 'invalid_request_error',
      code: 'unsupported_country',
      message: 'Country not supported.',
    },
    'not-found': {
      status: 404,
      type: 'invalid_request_error',
      code: 'model_not_found',
      message: 'The model does not exist.',
    },
    'context-window': {
      status: 400,
      type: 'invalid_request_error',
      code: 'context_length_exceeded',
      message: "This model's maximum context length is 128000 tokens.",
    },
    'content-filter': {
      status: 400,
      type: 'invalid_request_error',
      code: 'content_filter',
      message: 'Flagged by policy.',
    },
    'rate-limit': {
      status: 429,
      type: 'requests',
      code: 'rate_limit_exceeded',
      message: 'Rate limit reached.',
    },
    server: { status: 500, type: 'server_error', code: null, message: 'The server had an error.' },
    overloaded: {
      status: 503,
      type: 'server_error',
      code: null,
      message: 'The engine is currently overloaded.',
    },
  }

function usageOf(usage: { inputTokens: number; outputTokens: number; cachedInputTokens?: number }) {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    ...(usage.cachedInputTokens ? { prompt_tokens_details: { cached_tokens: usage.cachedInputTokens } } : {}),
  }
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content.flatMap((part: any) => (part.type === 'text' ? [part.text] : [])).join('')
}

async function viewOf(operation: WireRequestView['operation'], request: Request): Promise<WireRequestView> {
  const headers = headersOf(request)
  const body = ((await readBody(request)) ?? {}) as any
  const messages: any[] = body.messages ?? []
  const system = messages
    .filter((m) => m.role === 'system' || m.role === 'developer')
    .map((m) => textOf(m.content))
  const format = body.response_format
  return {
    operation,
    url: request.url,
    headers,
    apiKey: headers.authorization?.replace(/^Bearer /, ''),
    model: body.model,
    system: system.length ? system.join('\n') : undefined,
    messages: messages
      .filter((m) => m.role !== 'system' && m.role !== 'developer')
      .map((m) => ({
        role: m.role,
        text: textOf(m.content),
        ...(m.tool_calls ? { toolCallIds: m.tool_calls.map((call: any) => call.id) } : {}),
        ...(m.tool_call_id ? { toolCallIds: [m.tool_call_id] } : {}),
        ...(Array.isArray(m.content) && m.content.some((p: any) => p.type === 'image_url')
          ? { images: m.content.filter((p: any) => p.type === 'image_url').length }
          : {}),
      })),
    temperature: body.temperature,
    maxOutputTokens: body.max_completion_tokens ?? body.max_tokens,
    stopSequences: typeof body.stop === 'string' ? [body.stop] : body.stop,
    tools: body.tools?.map((tool: any) => tool.function),
    responseSchema: format?.json_schema?.schema,
    jsonOutput: format ? format.type !== 'text' : undefined,
    embedInput: typeof body.input === 'string' ? [body.input] : body.input,
    dimensions: body.dimensions,
    body,
  }
}

function write(reply: WireReply, request: Request, model: string | undefined): Response | Promise<never> {
  switch (reply.type) {
    case 'generate':
      return Response.json({
        id: reply.id ?? 'chatcmpl-fixture',
        object: 'chat.completion',
        model: reply.model ?? model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: reply.text ?? null,
              ...(reply.toolCalls
                ? {
                    tool_calls: reply.toolCalls.map((call) => ({
                      id: call.id,
                      type: 'function',
                      function: { name: call.name, arguments: call.arguments },
                    })),
                  }
                : {}),
            },
            finish_reason: finishReasons[reply.finishReason],
          },
        ],
        usage: usageOf(reply.usage),
        ...(reply.metadata ? { system_fingerprint: 'fp_fixture' } : {}),
      })
    case 'stream': {
      const chunk = (delta: unknown, finish: string | null = null) => ({
        data: JSON.stringify({
          id: 'chatcmpl-fixture',
          object: 'chat.completion.chunk',
          model: reply.model ?? model,
          choices: [{ index: 0, delta, finish_reason: finish }],
        }),
      })
      const frames: SseFrame[] = reply.parts.flatMap((part) =>
        part.type === 'reasoning-end'
          ? []
          : part.type === 'reasoning'
            ? chunk({ reasoning_content: part.text })
            : part.type === 'tool-call'
              ? chunk({
                  tool_calls: [
                    {
                      index: part.index,
                      ...(part.id ? { id: part.id, type: 'function' } : {}),
                      function: { ...(part.name ? { name: part.name } : {}), arguments: part.argumentsDelta },
                    },
                  ],
                })
              : chunk({ content: part.text }),
      )
      if (reply.errorAfter) {
        const error = errors[reply.errorAfter.kind]
        const sent = frames.slice(0, reply.errorAfter.parts)
        sent.push({
          data: JSON.stringify({ error: { message: error.message, type: error.type, code: error.code } }),
        })
        return sseResponse(sent, { chunkBytes: reply.chunkBytes })
      }
      frames.push(chunk({}, finishReasons[reply.finishReason]))
      frames.push({
        data: JSON.stringify({
          id: 'chatcmpl-fixture',
          choices: [],
          usage: usageOf(reply.usage),
          ...(reply.metadata ? { system_fingerprint: 'fp_fixture' } : {}),
        }),
      })
      frames.push({ data: '[DONE]' })
      return sseResponse(frames, { chunkBytes: reply.chunkBytes, cutAfter: reply.cutAfter })
    }
    case 'embed':
      return Response.json({
        object: 'list',
        data: reply.vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
        model: reply.model ?? model,
        usage: { prompt_tokens: reply.usage.inputTokens, total_tokens: reply.usage.inputTokens },
      })
    case 'models':
      return Response.json({
        object: 'list',
        data: reply.ids.map((id) => ({ id, object: 'model', owned_by: 'fixture' })),
      })
    case 'error': {
      const error = errors[reply.kind]
      const headers: Record<string, string> = {}
      if (reply.retryAfterMs !== undefined) {
        headers['retry-after-ms'] = String(reply.retryAfterMs)
        headers['retry-after'] = String(Math.ceil(reply.retryAfterMs / 1000))
      }
      return errorResponse(
        error.status,
        { error: { message: error.message, type: error.type, code: error.code } },
        headers,
      )
    }
    case 'malformed':
      return new Response('<html><body>502 Bad Gateway</body></html>', {
        headers: { 'content-type': 'application/json' },
      })
    case 'reset':
      return resetResponse()
    case 'hang':
      return hangUntilAborted(request)
  }
}

/** The fixture kit, pointed at `https://api.fixture.test/v1`. */
export function createFixtureKit(): WireKit {
  return {
    settings: { apiKey, baseURL },
    apiKey,
    baseURL,
    models: { chat: 'fixture-chat', embedding: 'fixture-embed' },
    metadata: { generate: { systemFingerprint: 'fp_fixture' }, stream: { systemFingerprint: 'fp_fixture' } },
    handlers(serve, base = baseURL) {
      const route =
        (operation: WireRequestView['operation']) =>
        async ({ request }: { request: Request }) => {
          const view = await viewOf(operation, request)
          const isStream = operation === 'generate' && (view.body as any)?.stream === true
          if (isStream) view.operation = 'stream'
          return write(await serve(view), request, view.model)
        }
      return [
        http.post(`${base}/chat/completions`, route('generate')),
        http.post(`${base}/embeddings`, route('embed')),
        http.get(`${base}/models`, route('listModels')),
      ]
    },
  }
}
