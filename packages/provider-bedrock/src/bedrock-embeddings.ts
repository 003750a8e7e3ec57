import type { MalformedResponseError } from '@modelplex/core'
import type { AdapterEmbedRequest, CallContext } from '@modelplex/core/adapter'
import { malformedResponse } from '@modelplex/core/adapter'

/** Cohere Embed on Bedrock takes at most this many texts per call. */
export const COHERE_BATCH_SIZE = 96
/** Titan embeds one text per call; this many calls run at once. */
export const TITAN_CONCURRENCY = 8

/** True for Cohere Embed model ids and inference profiles (`cohere.embed-*`, `us.cohere.embed-*`). */
export function isCohereEmbedModel(model: string): boolean {
  return /(^|[.:/])cohere\.embed/.test(model)
}

/** Titan v1 has a fixed size and no `normalize`; v2 takes both. */
function isTitanV1(model: string): boolean {
  return /titan-embed-(text-v1|g1-text)/.test(model)
}

/** The InvokeModel body of one Cohere call: `texts` batched, `output_dimension` on Embed v4. */
export function cohereEmbedBody(
  model: string,
  texts: string[],
  request: AdapterEmbedRequest,
  context: CallContext,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    texts,
    // Cohere requires an input type; documents are what an embeddings call indexes most often.
    input_type: 'search_document',
    embedding_types: ['float'],
  }
  if (request.dimensions !== undefined) {
    if (/embed-v4/.test(model)) body.output_dimension = request.dimensions
    else
      context.warn({
        type: 'unsupported-setting',
        setting: 'dimensions',
        message: `${model} has a fixed size; dimensions was not sent`,
      })
  }
  return Object.assign(body, context.providerOptions)
}

/** The InvokeModel body of one Titan call: `{ inputText, dimensions, normalize }`. */
export function titanEmbedBody(
  model: string,
  text: string,
  request: AdapterEmbedRequest,
  context: CallContext,
  warn: boolean,
): Record<string, unknown> {
  const body: Record<string, unknown> = { inputText: text }
  if (isTitanV1(model)) {
    if (request.dimensions !== undefined && warn) {
      context.warn({
        type: 'unsupported-setting',
        setting: 'dimensions',
        message: `${model} has a fixed size; dimensions was not sent`,
      })
    }
  } else {
    if (request.dimensions !== undefined) body.dimensions = request.dimensions
    body.normalize = true
  }
  return Object.assign(body, context.providerOptions)
}

function malformed(name: string, model: string, what: string): MalformedResponseError {
  return malformedResponse(`${name}: the ${model} response ${what}`, { provider: 'bedrock', model })
}

function isVector(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'number')
}

/** Reads Cohere's `embeddings` (by type, or the plain float list of Embed v3 without types). */
export function parseCohereEmbeddings(body: any, model: string, count: number, name: string): number[][] {
  const vectors = Array.isArray(body?.embeddings) ? body.embeddings : body?.embeddings?.float
  if (!Array.isArray(vectors) || !vectors.every(isVector))
    throw malformed(name, model, 'holds no float embeddings')
  if (vectors.length !== count) {
    throw malformed(name, model, `holds ${vectors.length} embeddings for ${count} texts`)
  }
  return vectors
}

/** Reads Titan's `{ embedding, inputTextTokenCount }`. */
export function parseTitanEmbedding(
  body: any,
  model: string,
  name: string,
): { vector: number[]; tokens: number } {
  if (!isVector(body?.embedding)) throw malformed(name, model, 'holds no embedding')
  return {
    vector: body.embedding,
    tokens: typeof body.inputTextTokenCount === 'number' ? body.inputTextTokenCount : 0,
  }
}

/** Runs `work` over `items` with at most `limit` at once, keeping the order of the results. */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index]!, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}
