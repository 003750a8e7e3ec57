import { ModelplexError } from './errors.js'
import { loadSchemas } from './load-schemas.js'
import type { PricingTable } from './pricing.js'
import { createProvider, type ProviderOptions } from './provider.js'
import {
  type AdapterRequest,
  type AdapterStreamEvent,
  defineProvider,
  type ProviderSpec,
} from './provider-spec.js'
import type { Capabilities, FinishReason, Provider, ToolCall, Usage } from './types.js'
import { baseSettingChecks, isValidSettings } from './validate.js'

/** One scripted answer of the mock provider. */
export type MockReply =
  | {
      text?: string
      reasoning?: string
      toolCalls?: Array<{ toolName: string; input: unknown; toolCallId?: string }>
      finishReason?: FinishReason
      usage?: Usage
      /** How a stream splits the text (default: by word). */
      chunks?: string[]
      /** Streams only: fail with this error after this many chunks. */
      failAfterChunks?: { count: number; error: Error }
    }
  | { error: Error }

export interface MockProviderOptions extends ProviderOptions<Record<string, unknown>> {
  id?: string
  /** Answers in order (the last repeats), or a function of the request. */
  replies?: MockReply[] | ((request: AdapterRequest, call: number) => MockReply)
  /** Returns one vector per input (default: deterministic 3-number vectors). */
  embed?: (input: string[]) => number[][]
  models?: string[]
  capabilities?: Partial<Capabilities>
  defaultModel?: string
  prices?: PricingTable['models']
}

export interface MockProvider extends Provider {
  /** Every request the adapter received, in order (retries included). */
  readonly calls: AdapterRequest[]
}

const defaultUsage: Usage = { inputTokens: 10, outputTokens: 5, totalTokens: 15 }

function toolCallsOf(reply: Extract<MockReply, { text?: string }>): ToolCall[] {
  return (reply.toolCalls ?? []).map((call, index) => ({
    toolCallId: call.toolCallId ?? `call_${index + 1}`,
    toolName: call.toolName,
    input: call.input,
    rawInput: JSON.stringify(call.input),
  }))
}

/**
 * A provider for your own tests: scripted replies, streams and errors, run through the same
 * core policies (validation, retries, hooks, cost) as a real provider. No network.
 */
export function createMockProvider(options: MockProviderOptions = {}): MockProvider {
  // Mock-only options stay out of `policies`, which createProvider validates as settings.
  const {
    id = 'mock',
    replies = [{ text: 'Hello from the mock provider.' }],
    embed,
    models,
    prices,
    capabilities: _capabilities,
    defaultModel: _defaultModel,
    ...policies
  } = options
  const calls: AdapterRequest[] = []
  const next = (request: AdapterRequest): MockReply => {
    calls.push(request)
    const reply =
      typeof replies === 'function'
        ? replies(request, calls.length)
        : replies[Math.min(calls.length, replies.length) - 1]
    if (!reply) throw new Error('createMockProvider: no replies scripted')
    if ('error' in reply) throw reply.error
    return reply
  }
  const spec = defineProvider({
    id,
    name: `Mock (${id})`,
    sdk: { package: '@modelplex/core', range: '*' },
    env: {},
    requiresApiKey: false,
    defaultModel: options.defaultModel ?? 'mock-model',
    defaultEmbeddingModel: 'mock-embedding',
    capabilities: {
      stream: true,
      tools: true,
      structuredOutput: 'json-schema',
      embeddings: true,
      vision: true,
      listModels: true,
      ...options.capabilities,
    },
    pricing: prices
      ? { source: 'test', readAt: '1970-01-01', models: prices }
      : { source: 'test', readAt: '1970-01-01', free: true, models: {} },
    connect: () => ({
      async generate(request) {
        const reply = next(request) as Extract<MockReply, { text?: string }>
        const toolCalls = toolCallsOf(reply)
        const text = reply.text ?? ''
        return {
          text,
          ...(reply.reasoning ? { reasoning: reply.reasoning } : {}),
          content: [
            ...(text ? [{ type: 'text' as const, text }] : []),
            ...toolCalls.map((call) => ({ type: 'tool-call' as const, ...call })),
          ],
          toolCalls,
          finishReason: reply.finishReason ?? (toolCalls.length ? 'tool-calls' : 'stop'),
          rawFinishReason: undefined,
          usage: reply.usage ?? defaultUsage,
          model: request.model,
          id: `mock-${calls.length}`,
          raw: reply,
        }
      },
      async stream(request) {
        const reply = next(request) as Extract<MockReply, { text?: string }>
        const text = reply.text ?? ''
        const chunks = reply.chunks ?? text.match(/\S+\s*/g) ?? []
        async function* events(): AsyncGenerator<AdapterStreamEvent> {
          let sent = 0
          if (reply.reasoning) yield { type: 'reasoning-delta', text: reply.reasoning }
          for (const chunk of chunks) {
            if (reply.failAfterChunks && sent === reply.failAfterChunks.count)
              throw reply.failAfterChunks.error
            sent++
            yield { type: 'text-delta', text: chunk }
          }
          const toolCalls = toolCallsOf(reply)
          for (const [index, call] of toolCalls.entries()) {
            yield {
              type: 'tool-call-delta',
              index,
              toolCallId: call.toolCallId,
              toolName: call.toolName,
              argumentsDelta: call.rawInput,
            }
          }
          yield {
            type: 'finish',
            finishReason: reply.finishReason ?? (toolCalls.length ? 'tool-calls' : 'stop'),
            rawFinishReason: undefined,
            usage: reply.usage ?? defaultUsage,
          }
        }
        return events()
      },
      async embed(request) {
        calls.push({ model: request.model, messages: [], tools: undefined })
        const vectors = embed
          ? embed(request.input)
          : request.input.map((text) => [text.length, text.charCodeAt(0) || 0, request.input.length])
        return {
          embeddings: vectors,
          usage: { inputTokens: request.input.join(' ').length },
          model: request.model,
          raw: null,
        }
      },
      async listModels() {
        return (models ?? ['mock-model']).map((modelId) => ({ id: modelId }))
      },
      mapError(error) {
        return ModelplexError.isInstance(error)
          ? error
          : new ModelplexError(error instanceof Error ? error.message : String(error), {
              provider: id,
              cause: error,
            })
      },
    }),
  })
  const provider = createProvider(spec, policies)
  return Object.assign(provider, { calls })
}

// For @modelplex/conformance's settings scenario only, which holds every provider to core's
// zod-free fast path; they belong with the adapter toolkit (`@modelplex/core/adapter`) once it exists.
export { baseSettingChecks }

/**
 * How core validates `settings` for `spec`: whether the zod-free fast path passes them as they
 * are (`fast`), and what the spec's zod settings schema makes of them (`parsed`). The conformance
 * suite holds every provider to `fast` implying `parsed.success` with `parsed.data` equal to the
 * settings, which is what lets the first call skip importing zod.
 */
export async function checkSettingsValidation(
  spec: ProviderSpec<any>,
  settings: Record<string, unknown>,
): Promise<{ fast: boolean; parsed: { success: boolean; data?: unknown } }> {
  const { z, baseSettingsSchema } = await loadSchemas()
  const schema = spec.settingsSchema
    ? spec.settingsSchema(z, baseSettingsSchema)
    : baseSettingsSchema.strict()
  const parsed = schema.safeParse(settings)
  return { fast: isValidSettings(settings, spec.settingChecks), parsed }
}
