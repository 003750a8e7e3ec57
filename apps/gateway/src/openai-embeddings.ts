// OpenAI's embeddings wire format, from https://platform.openai.com/docs/api-reference/embeddings
import type { EmbedResult } from '@modelplex/core'
import { z } from 'zod'

export const embeddingsRequestSchema = z
  .object({
    model: z.string().min(1),
    input: z.union([z.string(), z.array(z.string()).min(1, 'input must hold at least one text')]),
    encoding_format: z.enum(['float', 'base64']).optional(),
    dimensions: z.number().int().positive().optional(),
    user: z.string().optional(),
  })
  .strict()

/** A vector as OpenAI's base64 form: little-endian float32 bytes. */
export function base64Vector(vector: number[]): string {
  const bytes = new Float32Array(vector)
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

/** The `list` of `embedding` objects for a result; `model` is what the client asked for. */
export function embeddingsResponse(result: EmbedResult, model: string, format: 'float' | 'base64') {
  const tokens = result.usage?.inputTokens ?? 0
  return {
    object: 'list',
    data: result.embeddings.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: format === 'base64' ? base64Vector(vector) : vector,
    })),
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  }
}
