import { MalformedResponseError, type Usage } from '@modelplex/core'
import {
  type AdapterStreamEvent,
  type ServerSentEventParser,
  ServerSentEventReader,
  StreamEventTranslator,
} from '@modelplex/core/adapter'
import type { OpenAIErrorClasses } from '@modelplex/provider-openai-compatible'
import {
  convertResponsesUsage,
  mapResponsesFinishReason,
  responseMetadata,
} from './parse-openai-responses-response.js'

/** Builds the error the SDK throws for a failure reported inside a stream. */
export type ResponsesStreamErrorFactory = (error: unknown, headers: Headers | undefined) => Error

/** The SDK's own `APIError` for an `error` event or a `response.failed` (no status: the 200 was sent). */
export function responsesStreamError(errors: OpenAIErrorClasses): ResponsesStreamErrorFactory {
  const APIError = errors.APIError as (new (...args: unknown[]) => Error) | undefined
  return (error, headers) => {
    if (APIError) return new APIError(undefined, error, undefined, headers)
    const message = (error as { message?: string } | null)?.message ?? 'the stream reported an error'
    return Object.assign(new Error(message), { error, headers })
  }
}

/**
 * Reads Responses stream events straight off the HTTP body with core's SSE reader (the SDK's own
 * parser is several times slower); `error` events and `response.failed` are thrown as the SDK's
 * `APIError`, so they are classified like HTTP errors.
 */
export class OpenAIResponsesEventSource extends ServerSentEventReader<unknown> {
  constructor(response: Response, errorFrom: ResponsesStreamErrorFactory) {
    super(response.body, responsesEventParser(response.headers, errorFrom))
  }
}

function responsesEventParser(
  headers: Headers,
  errorFrom: ResponsesStreamErrorFactory,
): ServerSentEventParser<unknown> {
  return (_event, data) => {
    if (data.startsWith('[DONE]')) return undefined
    const parsed = JSON.parse(data)
    const type = parsed?.type
    // https://platform.openai.com/docs/api-reference/responses-streaming/error: { type: 'error', code, message, param }
    if (type === 'error')
      throw errorFrom({ code: parsed.code, message: parsed.message, param: parsed.param }, headers)
    // A gateway in front of OpenAI may answer mid-stream in Chat Completions' way: `{ "error": {…} }`.
    if (type === undefined && parsed?.error) throw errorFrom(parsed.error, headers)
    if (type === 'response.failed') {
      const error = parsed.response?.error ?? { code: 'server_error', message: 'the response failed' }
      throw errorFrom(error, headers)
    }
    return parsed
  }
}

/**
 * Turns Responses stream events into core stream events: `response.output_text.delta` as text,
 * `response.reasoning_summary_text.delta` as reasoning (one part per summary part, closed with the
 * item's id and `encrypted_content` when the item is done), function calls from
 * `output_item.added` and `function_call_arguments.delta`, and `finish` from `response.completed`
 * or `response.incomplete` with usage and the response's metadata.
 */
export class OpenAIResponsesStreamTranslator extends StreamEventTranslator<unknown, AdapterStreamEvent> {
  private events = 0
  private finished = false
  /** output_index → the tool call's position among this response's calls. */
  private readonly toolIndex = new Map<number, number>()
  private reasoningItem: string | undefined
  private reasoningOpen = false
  private readonly annotations: unknown[] = []
  private readonly logprobs: unknown[] = []

  constructor(
    source: AsyncIterable<unknown> | OpenAIResponsesEventSource,
    private readonly provider = 'OpenAI',
    signal?: AbortSignal,
    includeRaw?: boolean,
    private readonly providerId = 'openai',
  ) {
    super(source, signal, { includeRaw })
  }

  protected translate(event: any): void {
    if (!event || typeof event !== 'object') {
      throw new MalformedResponseError(`${this.provider}: a stream event is not a JSON object`, {
        provider: this.providerId,
      })
    }
    this.events++
    switch (event.type) {
      case 'response.output_text.delta':
        if (typeof event.delta === 'string' && event.delta !== '') {
          this.queue.push({ type: 'text-delta', text: event.delta })
        }
        if (Array.isArray(event.logprobs) && event.logprobs.length > 0) this.logprobs.push(...event.logprobs)
        return
      case 'response.reasoning_summary_text.delta':
        if (typeof event.delta === 'string' && event.delta !== '') {
          this.reasoningOpen = true
          this.queue.push({
            type: 'reasoning-delta',
            text: event.delta,
            providerMetadata: { itemId: event.item_id ?? this.reasoningItem },
          })
        }
        return
      case 'response.reasoning_summary_part.added':
        // A second summary part of the same item starts a part of its own.
        if (this.reasoningOpen) {
          this.queue.push({ type: 'reasoning-end', providerMetadata: { itemId: this.reasoningItem } })
          this.reasoningOpen = false
        }
        return
      case 'response.function_call_arguments.delta': {
        const index = this.toolIndex.get(event.output_index)
        if (index !== undefined && typeof event.delta === 'string') {
          this.queue.push({ type: 'tool-call-delta', index, argumentsDelta: event.delta })
        }
        return
      }
      case 'response.output_item.added': {
        const item = event.item
        if (item?.type === 'function_call') {
          const index = this.toolIndex.size
          this.toolIndex.set(event.output_index, index)
          this.queue.push({
            type: 'tool-call-delta',
            index,
            toolCallId: item.call_id,
            toolName: item.name,
            argumentsDelta: typeof item.arguments === 'string' ? item.arguments : '',
          })
        } else if (item?.type === 'reasoning') {
          this.reasoningItem = item.id
          this.reasoningOpen = false
        }
        return
      }
      case 'response.output_item.done': {
        const item = event.item
        if (item?.type === 'reasoning') {
          const metadata: Record<string, unknown> = { itemId: item.id }
          if (item.encrypted_content !== undefined) metadata.encryptedContent = item.encrypted_content
          this.queue.push({ type: 'reasoning-end', providerMetadata: metadata })
          this.reasoningItem = undefined
          this.reasoningOpen = false
        }
        return
      }
      case 'response.output_text.annotation.added':
        if (event.annotation !== undefined) this.annotations.push(event.annotation)
        return
      case 'response.created':
        if (event.response) {
          this.queue.push({
            type: 'response-metadata',
            id: event.response.id || undefined,
            model: event.response.model || undefined,
          })
        }
        return
      case 'response.completed':
      case 'response.incomplete':
        this.finish(event.response ?? {})
        return
    }
  }

  private finish(response: any): void {
    this.finished = true
    const usage: Usage | undefined = convertResponsesUsage(response.usage)
    const { finishReason, rawFinishReason } = mapResponsesFinishReason(
      response.status,
      response.incomplete_details?.reason,
      this.toolIndex.size > 0,
    )
    this.queue.push({
      type: 'finish',
      finishReason,
      rawFinishReason,
      usage,
      providerMetadata: responseMetadata(response, this.annotations, this.logprobs),
    })
  }

  protected end(): void {
    if (this.events === 0) {
      throw new MalformedResponseError(`${this.provider}: the stream ended without a single event`, {
        provider: this.providerId,
      })
    }
    // No response.completed: the server stopped mid-answer; core raises StreamInterruptedError.
    if (!this.finished) return
  }
}
