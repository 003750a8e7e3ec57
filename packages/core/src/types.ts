import type { z } from 'zod'
import type { Capabilities, EmbedResult, GenerateResult, ModelInfo, ModelStream } from './result-types.js'
import type {
  callOptionsSchema,
  embedRequestSchema,
  generateRequestSchema,
  imagePartSchema,
  messageSchema,
  responseFormatSchema,
  textPartSchema,
  toolCallPartSchema,
  toolChoiceSchema,
  toolResultPartSchema,
  toolSchema,
} from './schemas.js'

export type * from './result-types.js'

// Request types come from the zod schemas (type-only imports: zod is not loaded at runtime here).
export type TextPart = z.infer<typeof textPartSchema>
export type ImagePart = z.infer<typeof imagePartSchema>
export type ToolCallPart = z.infer<typeof toolCallPartSchema>
export type ToolResultPart = z.infer<typeof toolResultPartSchema>
export type Message = z.infer<typeof messageSchema>
export type Tool = z.infer<typeof toolSchema>
export type ToolChoice = z.infer<typeof toolChoiceSchema>
export type ResponseFormat = z.infer<typeof responseFormatSchema>
export type CallOptions = z.infer<typeof callOptionsSchema>
export type GenerateRequest = z.infer<typeof generateRequestSchema>
export type EmbedRequest = z.infer<typeof embedRequestSchema>

/** A request to `generateObject`: a generate request plus the zod schema of the object. */
export type GenerateObjectRequest<T> = Omit<GenerateRequest, 'responseFormat' | 'tools' | 'toolChoice'> & {
  schema: z.ZodType<T>
  /** Names the object for vendors that take a name (JSON-schema name, forced tool name). */
  schemaName?: string
  schemaDescription?: string
}

export interface GenerateObjectResult<T> extends GenerateResult {
  object: T
}

/** The API a user calls on one provider. */
export interface Provider {
  readonly id: string
  readonly name: string
  readonly defaultModel: string
  readonly capabilities: Capabilities
  generate(request: GenerateRequest): Promise<GenerateResult>
  stream(request: GenerateRequest): ModelStream
  generateObject<T>(request: GenerateObjectRequest<T>): Promise<GenerateObjectResult<T>>
  embed(request: EmbedRequest): Promise<EmbedResult>
  listModels(options?: CallOptions): Promise<ModelInfo[]>
}
