// The request schemas: the single source of truth for the request types. This module imports
// zod, so core imports it lazily (see load-schemas.ts) and never at import time.
import { z } from 'zod'

const providerOptionsSchema = z.record(z.string(), z.record(z.string(), z.unknown()))
/** What a vendor sent beside a part (a signature, a thought signature), keyed by provider id. */
const providerMetadataSchema = z.record(z.string(), z.record(z.string(), z.unknown()))

/** `providerOptions` (what the caller sets per provider) and `providerMetadata` (what a result carried). */
const partExtras = {
  providerOptions: providerOptionsSchema.optional(),
  providerMetadata: providerMetadataSchema.optional(),
}

export const textPartSchema = z.object({ type: z.literal('text'), text: z.string(), ...partExtras })

export const imagePartSchema = z
  .object({
    type: z.literal('image'),
    /** An http(s) or data: URL, or base64 data (then `mediaType` is required). */
    image: z.union([z.string().min(1), z.instanceof(URL)]),
    mediaType: z.string().optional(),
    ...partExtras,
  })
  .refine((part) => typeof part.image !== 'string' || /^(https?:|data:)/.test(part.image) || part.mediaType, {
    message: 'base64 image data needs a mediaType, e.g. "image/png"',
    path: ['mediaType'],
  })

/** A document or audio clip: base64 text, bytes, or a URL (http(s) or data:). */
export const filePartSchema = z.object({
  type: z.literal('file'),
  data: z.union([z.string().min(1), z.instanceof(Uint8Array), z.instanceof(URL)]),
  mediaType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'mediaType is a media type, e.g. "application/pdf"'),
  filename: z.string().min(1).optional(),
  ...partExtras,
})

/** Reasoning a model wrote; `providerMetadata` holds what its vendor needs back (a signature). */
export const reasoningPartSchema = z.object({ type: z.literal('reasoning'), text: z.string(), ...partExtras })

export const toolCallPartSchema = z.object({
  type: z.literal('tool-call'),
  toolCallId: z.string().min(1),
  toolName: z.string().min(1),
  input: z.unknown(),
  ...partExtras,
})

export const toolResultPartSchema = z.object({
  type: z.literal('tool-result'),
  toolCallId: z.string().min(1),
  toolName: z.string().min(1),
  output: z.unknown(),
  isError: z.boolean().optional(),
  ...partExtras,
})

const messageOptions = { providerOptions: providerOptionsSchema.optional() }

export const messageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: z.string(), ...messageOptions }),
  z.object({
    role: z.literal('user'),
    content: z.union([
      z.string(),
      z.array(z.union([textPartSchema, imagePartSchema, filePartSchema])).min(1),
    ]),
    ...messageOptions,
  }),
  z.object({
    role: z.literal('assistant'),
    content: z.union([
      z.string(),
      z.array(z.union([textPartSchema, reasoningPartSchema, toolCallPartSchema, filePartSchema])),
    ]),
    ...messageOptions,
  }),
  z.object({ role: z.literal('tool'), content: z.array(toolResultPartSchema).min(1), ...messageOptions }),
])

const isZodSchema = (value: unknown) => typeof value === 'object' && value !== null && '_zod' in value

export const toolSchema = z.object({
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'tool names are 1-64 letters, digits, "_" or "-"'),
  description: z.string().optional(),
  /** A zod schema or a JSON Schema object describing the tool's input. */
  parameters: z.custom<z.ZodType | Record<string, unknown>>(
    (value) => isZodSchema(value) || (typeof value === 'object' && value !== null && !Array.isArray(value)),
    { message: 'parameters must be a zod schema or a JSON Schema object' },
  ),
  /** Per-provider options of this tool, e.g. `{ anthropic: { cacheControl: { type: 'ephemeral' } } }`. */
  providerOptions: providerOptionsSchema.optional(),
})

export const toolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.object({ type: z.literal('tool'), toolName: z.string().min(1) }),
])

export const responseFormatSchema = z.union([
  z.object({ type: z.literal('text') }),
  z.object({
    type: z.literal('json'),
    schema: z.record(z.string(), z.unknown()).optional(),
    name: z.string().optional(),
    description: z.string().optional(),
  }),
])

/** Options every call takes, whatever it does. */
export const callOptionsSchema = z.object({
  signal: z.instanceof(AbortSignal).optional(),
  timeoutMs: z.number().int().positive().optional(),
  maxRetries: z.number().int().min(0).max(20).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  providerOptions: providerOptionsSchema.optional(),
})

// Strict: a misspelt option (`maxTokens`) must fail loudly, not be dropped without a word.
export const generateRequestSchema = callOptionsSchema
  .extend({
    model: z.string().min(1).optional(),
    messages: z.array(messageSchema).min(1, 'messages must hold at least one message'),
    temperature: z.number().min(0).max(2).optional(),
    maxOutputTokens: z.number().int().positive().optional(),
    topP: z.number().min(0).max(1).optional(),
    topK: z.number().int().positive().optional(),
    presencePenalty: z.number().min(-2).max(2).optional(),
    frequencyPenalty: z.number().min(-2).max(2).optional(),
    stopSequences: z.array(z.string().min(1)).max(16).optional(),
    seed: z.number().int().optional(),
    tools: z.array(toolSchema).optional(),
    toolChoice: toolChoiceSchema.optional(),
    responseFormat: responseFormatSchema.optional(),
    /** Keep every raw vendor chunk of a stream on `result().raw`. */
    includeRaw: z.boolean().optional(),
  })
  .strict()

export const embedRequestSchema = callOptionsSchema
  .extend({
    model: z.string().min(1).optional(),
    input: z.union([z.string(), z.array(z.string()).min(1, 'input must hold at least one text')]),
    dimensions: z.number().int().positive().optional(),
  })
  .strict()

export const listModelsRequestSchema = callOptionsSchema

/** Settings every provider accepts; a provider's own schema extends this one. */
export const baseSettingsSchema = z.object({
  apiKey: z.string().min(1).optional(),
  baseURL: z.string().url().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** The vendor SDK module, injected for bundlers and tests instead of a dynamic import. */
  sdk: z.unknown().optional(),
  /** A fetch implementation handed to SDKs that accept one. */
  fetch: z.custom<typeof fetch>((value) => typeof value === 'function').optional(),
  /** The model used when a request names none (instead of the provider's own default). */
  defaultModel: z.string().min(1).optional(),
  /** The embedding model used when an embedding request names none. */
  defaultEmbeddingModel: z.string().min(1).optional(),
})

export { invalidRequest, invalidSettings } from './zod-errors.js'
export { z }
