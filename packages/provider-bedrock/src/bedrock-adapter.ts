import type * as BedrockRuntime from '@aws-sdk/client-bedrock-runtime'
import { MalformedResponseError } from '@modelplex/core'
import type { CallContext, ProviderAdapter } from '@modelplex/core/adapter'
import {
  COHERE_BATCH_SIZE,
  cohereEmbedBody,
  isCohereEmbedModel,
  mapConcurrently,
  parseCohereEmbeddings,
  parseTitanEmbedding,
  TITAN_CONCURRENCY,
  titanEmbedBody,
} from './bedrock-embeddings.js'
import {
  BedrockEventStreamSource,
  createEventStreamCodec,
  type EventStreamBody,
} from './bedrock-event-stream.js'
import { BedrockStreamTranslator } from './bedrock-stream.js'
import { convertToBedrockRequest } from './convert-to-bedrock-request.js'
import { mapBedrockError } from './map-bedrock-error.js'
import { parseBedrockResponse } from './parse-bedrock-response.js'

/** The parts of `@aws-sdk/client-bedrock-runtime` the adapter uses (the `sdk` setting may inject them). */
export type BedrockSdk = Pick<
  typeof BedrockRuntime,
  'BedrockRuntimeClient' | 'ConverseCommand' | 'ConverseStreamCommand' | 'InvokeModelCommand'
>

export interface BedrockAdapterOptions {
  sdk: BedrockSdk
  client: BedrockRuntime.BedrockRuntimeClient
  name?: string
  /** Downloads https images (Converse only takes bytes). */
  fetch?: typeof fetch | undefined
  /** Named in the ConfigError when no credentials resolve. */
  credentialsHint?: string
}

/** Bedrock reports an InvokeModel call's token counts in response headers. */
const INPUT_TOKEN_HEADER = 'x-amzn-bedrock-input-token-count'

type Command = { middlewareStack: { add(middleware: unknown, options: Record<string, unknown>): void } }

/**
 * Adds the call's headers to one command (the SDK has no per-call headers option), before
 * signing so SigV4 covers them; optionally hands back the raw response headers.
 */
function prepareCommand<C extends Command>(
  command: C,
  context: CallContext,
  onHeaders?: (headers: Record<string, string>) => void,
): C {
  const headers = context.headers
  if (Object.keys(headers).length > 0) {
    command.middlewareStack.add(
      (next: (args: any) => Promise<unknown>) => (args: any) => {
        Object.assign(args.request.headers, headers)
        return next(args)
      },
      { step: 'build', name: 'modelplexCallHeaders' },
    )
  }
  if (onHeaders) {
    command.middlewareStack.add(
      (next: (args: any) => Promise<any>) => async (args: any) => {
        const result = await next(args)
        onHeaders(result?.response?.headers ?? {})
        return result
      },
      { step: 'deserialize', name: 'modelplexResponseHeaders' },
    )
  }
  return command
}

const decoder = new TextDecoder()

/** What the SDK's event-stream deserializer is handed in place of the body it would read. */
const EMPTY_BODY: AsyncIterable<Uint8Array> = {
  async *[Symbol.asyncIterator]() {},
}

/** The translation for Amazon Bedrock: Converse, ConverseStream and InvokeModel (embeddings). */
export function createBedrockAdapter(options: BedrockAdapterOptions): ProviderAdapter {
  const { sdk, client } = options
  const name = options.name ?? 'Amazon Bedrock'
  const convertOptions = { fetch: options.fetch, provider: 'bedrock' }

  async function invoke(
    model: string,
    body: Record<string, unknown>,
    context: CallContext,
  ): Promise<{ json: unknown; inputTokens: number | undefined }> {
    let inputTokens: number | undefined
    const command = prepareCommand(
      new sdk.InvokeModelCommand({
        modelId: model,
        body: JSON.stringify(body),
        contentType: 'application/json',
        accept: 'application/json',
      }),
      context,
      (headers) => {
        const count = Number(headers[INPUT_TOKEN_HEADER])
        if (headers[INPUT_TOKEN_HEADER] !== undefined && Number.isFinite(count)) inputTokens = count
      },
    )
    const output = await client.send(command, { abortSignal: context.signal })
    const text = decoder.decode(output.body)
    try {
      return { json: JSON.parse(text), inputTokens }
    } catch (cause) {
      throw new MalformedResponseError(`${name}: the ${model} response is not valid JSON`, {
        provider: 'bedrock',
        model,
        cause,
      })
    }
  }

  return {
    async generate(request, context) {
      const input = await convertToBedrockRequest(request, context, convertOptions)
      const command = prepareCommand(new sdk.ConverseCommand(input), context)
      const output = await client.send(command, { abortSignal: context.signal })
      return parseBedrockResponse(output, request.model, name)
    },

    async stream(request, context) {
      const input = await convertToBedrockRequest(request, context, convertOptions)
      const command = prepareCommand(new sdk.ConverseStreamCommand(input), context)
      // The SDK builds, signs and sends the request and reads HTTP errors; a successful body is taken
      // off the raw response before its deserializer sees it (it gets an empty one) and read here.
      let body: EventStreamBody | undefined
      command.middlewareStack.add(
        (next: (args: any) => Promise<any>) => async (args: any) => {
          const result = await next(args)
          const response = result?.response
          if (response && response.statusCode >= 200 && response.statusCode < 300 && response.body) {
            body = response.body
            response.body = EMPTY_BODY
          }
          return result
        },
        // Low priority: inside the SDK's deserializer, between it and the request handler.
        { step: 'deserialize', priority: 'low', name: 'modelplexRawStreamBody' },
      )
      const [output, codec] = await Promise.all([
        client.send(command, { abortSignal: context.signal }),
        createEventStreamCodec(),
      ])
      if (!output.stream || !body || typeof body !== 'object') {
        throw new MalformedResponseError(`${name}: the ConverseStream response has no event stream`, {
          provider: 'bedrock',
          model: request.model,
        })
      }
      const source = new BedrockEventStreamSource(body, codec, context.signal)
      return new BedrockStreamTranslator(source, output.$metadata?.requestId, name, context.signal, {
        includeRaw: context.includeRaw,
      })
    },

    async embed(request, context) {
      const { model, input } = request
      if (isCohereEmbedModel(model)) {
        const batches: string[][] = []
        for (let i = 0; i < input.length; i += COHERE_BATCH_SIZE)
          batches.push(input.slice(i, i + COHERE_BATCH_SIZE))
        const replies = await Promise.all(
          batches.map((texts) => invoke(model, cohereEmbedBody(model, texts, request, context), context)),
        )
        const embeddings = replies.flatMap((reply, i) =>
          parseCohereEmbeddings(reply.json, model, batches[i]!.length, name),
        )
        const counted = replies.every((reply) => reply.inputTokens !== undefined)
        return {
          embeddings,
          usage: counted
            ? { inputTokens: replies.reduce((sum, reply) => sum + (reply.inputTokens ?? 0), 0) }
            : undefined,
          model,
          raw: replies.map((reply) => reply.json),
        }
      }
      // Titan embeds one text per call; the calls run concurrently and their token counts add up.
      const replies = await mapConcurrently(input, TITAN_CONCURRENCY, (text, index) =>
        invoke(model, titanEmbedBody(model, text, request, context, index === 0), context),
      )
      const parsed = replies.map((reply) => {
        const { vector, tokens } = parseTitanEmbedding(reply.json, model, name)
        return {
          vector,
          tokens: (reply.json as any)?.inputTextTokenCount === undefined ? reply.inputTokens : tokens,
        }
      })
      const counted = parsed.every((item) => item.tokens !== undefined)
      return {
        embeddings: parsed.map((item) => item.vector),
        usage: counted
          ? { inputTokens: parsed.reduce((sum, item) => sum + (item.tokens ?? 0), 0) }
          : undefined,
        model,
        raw: replies.map((reply) => reply.json),
      }
    },

    mapError(error, context) {
      return mapBedrockError(error, {
        name,
        model: context.model,
        credentialsHint: options.credentialsHint,
      })
    },
  }
}
