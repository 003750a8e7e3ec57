// streamObject: a structured-output request streamed, its JSON parsed as it grows. partial-json
// (maintained, ~1 kB, no dependencies) parses each prefix; it and the structured-output code are
// imported on the first streamObject call, never by a plain call.
import { InvalidRequestError } from './errors.js'
import { isZodSchema } from './json-schema.js'
import type {
  GenerateObjectRequest,
  GenerateObjectResult,
  GenerateRequest,
  ModelStream,
  StructuredOutputMode,
} from './types.js'

/** A value whose objects and arrays may still be missing members, as a partial reply has them. */
export type DeepPartial<T> = T extends object
  ? T extends Array<infer Item>
    ? Array<DeepPartial<Item>>
    : { [Key in keyof T]?: DeepPartial<T[Key]> }
  : T

/** The partial objects of a streamed structured reply; `result()` validates the whole one. */
export interface ObjectStream<T> extends AsyncIterable<DeepPartial<T>> {
  /** The final object, checked by the zod schema (`StructuredOutputError` when it does not match). */
  result(): Promise<GenerateObjectResult<T>>
  abort(reason?: unknown): void
}

/** What a stream of objects needs from the provider (or client) that serves it. */
export interface ObjectStreamSource {
  provider: string
  name: string
  /** Resolves the mode and the JSON Schema (the provider may be loaded first), then opens the stream. */
  open(
    schema: unknown,
    build: (
      mode: Exclude<StructuredOutputMode, false>,
      jsonSchema: Record<string, unknown>,
    ) => GenerateRequest,
  ): Promise<ModelStream>
}

/** Strips a ```json fence the model may open its reply with (json-mode replies often have one). */
function unfenced(text: string): string {
  const trimmed = text.trimStart()
  if (!trimmed.startsWith('```')) return text
  const newline = trimmed.indexOf('\n')
  if (newline < 0) return ''
  const body = trimmed.slice(newline + 1)
  const close = body.lastIndexOf('```')
  return close >= 0 ? body.slice(0, close) : body
}

export class ObjectStreamImpl<T> implements ObjectStream<T> {
  private stream: ModelStream | undefined
  private readonly controller = new AbortController()
  private resultPromise: Promise<GenerateObjectResult<T>> | undefined
  private settle: { resolve(value: GenerateObjectResult<T>): void; reject(error: unknown): void } | undefined
  private final: GenerateObjectResult<T> | undefined
  private failure: { error: unknown } | undefined
  private iterating = false
  private readonly partials: AsyncGenerator<DeepPartial<T>>

  constructor(
    private readonly request: GenerateObjectRequest<T>,
    private readonly source: ObjectStreamSource,
  ) {
    this.partials = this.run()
  }

  private async *run(): AsyncGenerator<DeepPartial<T>> {
    const { schema, schemaName = 'response', schemaDescription, ...rest } = this.request
    const { provider, name } = this.source
    if (!isZodSchema(schema))
      throw new InvalidRequestError('streamObject needs a zod schema in `schema`', {
        provider,
        model: rest.model,
        field: 'schema',
      })
    const [{ parse, Allow }, structured] = await Promise.all([
      import('partial-json'),
      import('./structured-output.js'),
    ])
    let mode = 'json-schema' as Exclude<StructuredOutputMode, false>
    const stream = await this.source.open(schema, (chosen, jsonSchema) => {
      mode = chosen
      return structured.structuredRequest(chosen, rest, jsonSchema, schemaName, schemaDescription)
    })
    this.stream = stream
    if (this.controller.signal.aborted) stream.abort(this.controller.signal.reason)
    // Atoms (numbers, true, null) only once complete: each partial is a deeper prefix, never a 1 that becomes 12.
    const allow = Allow.STR | Allow.ARR | Allow.OBJ
    let text = ''
    let last = ''
    for await (const event of stream) {
      if (mode === 'tool') {
        if (event.type === 'tool-call-delta' && event.index === 0) text += event.argumentsDelta
        else if (event.type === 'tool-call' && text === '') text = event.toolCall.rawInput
        else continue
      } else if (event.type === 'text-delta') text += event.text
      else continue
      const body = mode === 'tool' ? text : unfenced(text)
      if (body.trim() === '') continue
      let value: unknown
      try {
        value = parse(body, allow)
      } catch {
        continue // Not yet a parseable prefix (e.g. a lone `-`); the next delta decides.
      }
      if (value === undefined) continue
      const serialized = JSON.stringify(value)
      if (serialized === last) continue
      last = serialized
      yield value as DeepPartial<T>
    }
    const result = await stream.result()
    const reply = mode === 'tool' ? (result.toolCalls[0]?.rawInput ?? result.text) : result.text
    const object = structured.checkObject(schema, reply, { provider, name, model: result.model })
    this.final = { ...result, object: object as T }
    this.settle?.resolve(this.final)
  }

  [Symbol.asyncIterator](): AsyncIterator<DeepPartial<T>> {
    this.iterating = true
    return this
  }

  async next(): Promise<IteratorResult<DeepPartial<T>>> {
    try {
      return await this.partials.next()
    } catch (error) {
      this.failure = { error }
      this.settle?.reject(error)
      throw error
    }
  }

  async return(): Promise<IteratorResult<DeepPartial<T>>> {
    if (!this.final && !this.failure) this.abort()
    await this.partials.return(undefined)
    return { value: undefined, done: true }
  }

  result(): Promise<GenerateObjectResult<T>> {
    if (!this.resultPromise) {
      this.resultPromise = new Promise((resolve, reject) => {
        this.settle = { resolve, reject }
      })
      if (this.final) this.settle!.resolve(this.final)
      else if (this.failure) this.settle!.reject(this.failure.error)
      else if (!this.iterating) {
        this.iterating = true
        const pump = async () => {
          for (;;) if ((await this.next()).done) return
        }
        // A failure already rejected result(); this catch keeps it from surfacing twice.
        pump().catch(() => {})
      }
    }
    return this.resultPromise
  }

  abort(reason?: unknown): void {
    this.controller.abort(reason)
    this.stream?.abort(reason)
  }
}
