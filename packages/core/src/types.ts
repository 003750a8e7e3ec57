import type { z } from 'zod'
import type {
  AgentResult,
  AgentStream,
  Capabilities,
  EmbedResult,
  GenerateResult,
  ModelInfo,
  ModelStream,
  StepResult,
} from './result-types.js'
import type {
  callOptionsSchema,
  embedRequestSchema,
  filePartSchema,
  generateRequestSchema,
  imagePartSchema,
  reasoningPartSchema,
  responseFormatSchema,
  textPartSchema,
  toolCallPartSchema,
  toolChoiceSchema,
  toolResultPartSchema,
  toolSchema,
} from './schemas.js'
import type { ObjectStream } from './stream-object.js'

export type * from './result-types.js'

// Request types come from the zod schemas (type-only imports: zod is not loaded at runtime here).
/**
 * Each provider package adds its own typed options here by declaration merging, e.g.
 * `declare module '@modelplex/core' { interface ProviderOptionsRegistry { anthropic: AnthropicProviderOptions } }`,
 * so `providerOptions.anthropic` autocompletes once the package is imported.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in provider packages
export interface ProviderOptionsRegistry {}

/**
 * Per-provider options, keyed by provider id: typed for registered providers, any record for
 * others. Keys a provider does not know reach its vendor untouched.
 */
export type ProviderCallOptions = {
  [Id in keyof ProviderOptionsRegistry]?: ProviderOptionsRegistry[Id] & Record<string, unknown>
} & { [id: string]: Record<string, unknown> | undefined }

/** What a vendor sent beyond the common result, keyed by provider id. */
export type ProviderMetadata = Record<string, Record<string, unknown>>

/** Replaces the loose `providerOptions` record that zod infers with the typed one. */
type WithProviderOptions<T> = T extends { providerOptions?: unknown }
  ? Omit<T, 'providerOptions'> & { providerOptions?: ProviderCallOptions }
  : T
type Typed<T> = T extends unknown ? WithProviderOptions<T> : never

export type TextPart = Typed<z.infer<typeof textPartSchema>>
export type ImagePart = Typed<z.infer<typeof imagePartSchema>>
/** A document or audio clip: base64 text, bytes (any Uint8Array, Buffer included), or a URL. */
export type FilePart = Omit<Typed<z.infer<typeof filePartSchema>>, 'data'> & {
  data: string | Uint8Array | URL
}
export type ReasoningPart = Typed<z.infer<typeof reasoningPartSchema>>
export type ToolCallPart = Typed<z.infer<typeof toolCallPartSchema>>
export type ToolResultPart = Typed<z.infer<typeof toolResultPartSchema>>
export type SystemMessage = { role: 'system'; content: string; providerOptions?: ProviderCallOptions }
export type UserMessage = {
  role: 'user'
  content: string | Array<TextPart | ImagePart | FilePart>
  providerOptions?: ProviderCallOptions
}
export type AssistantMessage = {
  role: 'assistant'
  content: string | Array<TextPart | ReasoningPart | ToolCallPart | FilePart>
  providerOptions?: ProviderCallOptions
}
export type ToolMessage = { role: 'tool'; content: ToolResultPart[]; providerOptions?: ProviderCallOptions }
export type Message = SystemMessage | UserMessage | AssistantMessage | ToolMessage
export type Tool = Typed<z.infer<typeof toolSchema>>
export type ToolChoice = z.infer<typeof toolChoiceSchema>
export type ResponseFormat = z.infer<typeof responseFormatSchema>
export type CallOptions = Typed<z.infer<typeof callOptionsSchema>>
export type GenerateRequest = Omit<Typed<z.infer<typeof generateRequestSchema>>, 'messages' | 'tools'> & {
  messages: Message[]
  tools?: Tool[]
}
export type EmbedRequest = Typed<z.infer<typeof embedRequestSchema>>

/** What a tool's `execute` is given beside its input. */
export interface ToolExecuteOptions {
  toolCallId: string
  /** The caller's signal: aborted when the loop is stopped. */
  signal: AbortSignal
  /** The messages sent to the model in the step that called the tool. */
  messages: Message[]
}

/** A tool the loop can run: `execute` gets the input once its schema accepted it. */
export type ExecutableTool<Input = any> = Tool & {
  execute?: (input: Input, options: ToolExecuteOptions) => unknown
  /** Pause the loop before running this tool (always, or when the function says so). */
  needsApproval?: boolean | ((input: Input) => boolean | Promise<boolean>)
}

/** The user's answer to a pending approval, appended in a `tool` message to resume the loop. */
export interface ToolApprovalResponse {
  type: 'tool-approval-response'
  toolCallId: string
  approved: boolean
  /** Told to the model when the call is denied. */
  reason?: string
}

export type ToolApprovalMessage = { role: 'tool'; content: ToolApprovalResponse[] }

/** A generate request that may run tools in a loop (see docs/agents.md). */
export type AgentRequest = Omit<GenerateRequest, 'messages' | 'tools'> & {
  messages: Array<Message | ToolApprovalMessage>
  tools?: ExecutableTool[]
  /** Model calls the loop may make (default 1: tools run once, the model is not called again). */
  maxSteps?: number
  /** Ends the loop after a step when it returns true. */
  stopWhen?: (step: StepResult) => boolean | Promise<boolean>
}

/** A request that runs no loop: no `execute`, no loop options (so its result is a plain one). */
export type PlainRequest = GenerateRequest & {
  tools?: Array<Tool & { execute?: undefined; needsApproval?: undefined }>
  maxSteps?: undefined
  stopWhen?: undefined
}

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
  generate(request: PlainRequest): Promise<GenerateResult>
  /** Runs tools in a loop (a tool with `execute`, `maxSteps` or `stopWhen`; see docs/agents.md). */
  generate(request: AgentRequest): Promise<AgentResult>
  stream(request: PlainRequest): ModelStream
  stream(request: AgentRequest): AgentStream
  generateObject<T>(request: GenerateObjectRequest<T>): Promise<GenerateObjectResult<T>>
  /** Streams the object as it is written: partial objects, then `result()` validated by the schema. */
  streamObject<T>(request: GenerateObjectRequest<T>): ObjectStream<T>
  embed(request: EmbedRequest): Promise<EmbedResult>
  listModels(options?: CallOptions): Promise<ModelInfo[]>
}
