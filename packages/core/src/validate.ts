// Zod-free checks for the hot path. Each answers one question: does the zod schema in
// schemas.ts accept this value and return it unchanged? `true` lets a call skip zod (whose
// import alone costs ~55 ms on the first call); `false` means "ask zod", which then either
// accepts (e.g. after stripping an unknown nested key) or writes the error message. So a check
// may be stricter than its schema, never looser; validate.test.ts holds them to that.

/** Answers whether a value passes, unchanged, the schema it stands for. */
export type Check = (value: unknown) => boolean

type Fields = Record<string, Check>

const hasOwn = (object: object, key: string) => Object.hasOwn(object, key)

/** A plain object: what zod reads key by key and returns as an equal plain object. */
function isPlain(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

const any: Check = () => true
const string: Check = (value) => typeof value === 'string'
const nonEmpty: Check = (value) => typeof value === 'string' && value.length > 0
const int: Check = (value) => Number.isSafeInteger(value)
const positiveInt: Check = (value) => Number.isSafeInteger(value) && (value as number) > 0
const between =
  (min: number, max: number): Check =>
  (value) =>
    typeof value === 'number' && value >= min && value <= max
const literal =
  (...values: unknown[]): Check =>
  (value) =>
    values.includes(value)
const optional =
  (check: Check): Check =>
  (value) =>
    value === undefined || check(value)
const oneOf =
  (...checks: Check[]): Check =>
  (value) =>
    checks.some((check) => check(value))

function arrayOf(check: Check, min = 0, max = Number.POSITIVE_INFINITY): Check {
  return (value) => {
    if (!Array.isArray(value) || value.length < min || value.length > max) return false
    for (let index = 0; index < value.length; index++) if (!check(value[index])) return false
    return true
  }
}

function recordOf(check: Check): Check {
  return (value) => {
    if (!isPlain(value) || Object.getOwnPropertySymbols(value).length > 0) return false
    for (const key in value) if (!check(value[key])) return false
    return true
  }
}

/** An object with exactly these keys (a key zod would strip or reject sends the value to zod). */
function shape(fields: Fields, required: string[] = []): Check {
  return (value) => {
    if (!isPlain(value)) return false
    for (const key in value) if (!hasOwn(fields, key)) return false
    for (const key in fields) if (!fields[key]!(value[key])) return false
    // z.unknown() accepts undefined but not a missing key.
    return required.every((key) => key in value)
  }
}

const providerRecord = optional(recordOf(recordOf(any)))
/** `providerOptions` and `providerMetadata`, which every part may carry. */
const partExtras: Fields = { providerOptions: providerRecord, providerMetadata: providerRecord }

const textPart = shape({ type: literal('text'), text: string, ...partExtras })
const reasoningPart = shape({ type: literal('reasoning'), text: string, ...partExtras })
const filePart = shape({
  type: literal('file'),
  data: (data) => nonEmpty(data) || data instanceof Uint8Array || data instanceof URL,
  mediaType: (value) => typeof value === 'string' && /^[\w.+-]+\/[\w.+-]+$/.test(value),
  filename: optional(nonEmpty),
  ...partExtras,
})
const imageFields = shape({
  type: literal('image'),
  image: (image) => nonEmpty(image) || image instanceof URL,
  mediaType: optional(string),
  ...partExtras,
})
const imagePart: Check = (value) => {
  if (!imageFields(value)) return false
  const { image, mediaType } = value as { image: unknown; mediaType?: string }
  return typeof image !== 'string' || /^(https?:|data:)/.test(image) || !!mediaType
}
const toolCallPart = shape(
  { type: literal('tool-call'), toolCallId: nonEmpty, toolName: nonEmpty, input: any, ...partExtras },
  ['input'],
)
const toolResultPart = shape(
  {
    type: literal('tool-result'),
    toolCallId: nonEmpty,
    toolName: nonEmpty,
    output: any,
    isError: optional((value) => typeof value === 'boolean'),
    ...partExtras,
  },
  ['output'],
)

const messageByRole: Fields = {
  system: shape({ role: any, content: string, providerOptions: providerRecord }),
  user: shape({
    role: any,
    content: oneOf(string, arrayOf(oneOf(textPart, imagePart, filePart), 1)),
    providerOptions: providerRecord,
  }),
  assistant: shape({
    role: any,
    content: oneOf(string, arrayOf(oneOf(textPart, reasoningPart, toolCallPart, filePart))),
    providerOptions: providerRecord,
  }),
  tool: shape({ role: any, content: arrayOf(toolResultPart, 1), providerOptions: providerRecord }),
}
const message: Check = (value) => {
  const role = (value as { role?: unknown } | null)?.role
  return typeof role === 'string' && hasOwn(messageByRole, role) && messageByRole[role]!(value)
}

const tool = shape({
  name: (name) => typeof name === 'string' && /^[a-zA-Z0-9_-]{1,64}$/.test(name),
  description: optional(string),
  parameters: (parameters) =>
    typeof parameters === 'object' && parameters !== null && !Array.isArray(parameters),
  providerOptions: providerRecord,
})

const callOptions: Fields = {
  signal: optional((signal) => signal instanceof AbortSignal),
  timeoutMs: optional(positiveInt),
  maxRetries: optional((retries) => int(retries) && between(0, 20)(retries)),
  headers: optional(recordOf(string)),
  providerOptions: optional(recordOf(recordOf(any))),
}

/** `generateRequestSchema`. */
export const isValidGenerateRequest = shape({
  ...callOptions,
  model: optional(nonEmpty),
  messages: arrayOf(message, 1),
  temperature: optional(between(0, 2)),
  maxOutputTokens: optional(positiveInt),
  topP: optional(between(0, 1)),
  topK: optional(positiveInt),
  presencePenalty: optional(between(-2, 2)),
  frequencyPenalty: optional(between(-2, 2)),
  stopSequences: optional(arrayOf(nonEmpty, 0, 16)),
  seed: optional(int),
  tools: optional(arrayOf(tool)),
  toolChoice: optional(
    oneOf(literal('auto', 'none', 'required'), shape({ type: literal('tool'), toolName: nonEmpty })),
  ),
  includeRaw: optional((value) => typeof value === 'boolean'),
  responseFormat: optional(
    oneOf(
      shape({ type: literal('text') }),
      shape({
        type: literal('json'),
        schema: optional(recordOf(any)),
        name: optional(string),
        description: optional(string),
      }),
    ),
  ),
})

/** `embedRequestSchema`. */
export const isValidEmbedRequest = shape({
  ...callOptions,
  model: optional(nonEmpty),
  input: oneOf(string, arrayOf(string, 1)),
  dimensions: optional(positiveInt),
})

function isURL(value: unknown): boolean {
  // zod trims a URL before parsing it: a padded one is left to zod, which returns it trimmed.
  if (typeof value !== 'string' || value !== value.trim()) return false
  try {
    return !!new URL(value)
  } catch {
    return false
  }
}

/** The keys of `baseSettingsSchema`. */
export const baseSettingChecks: Fields = {
  apiKey: nonEmpty,
  baseURL: isURL,
  headers: recordOf(string),
  sdk: any,
  fetch: (value) => typeof value === 'function',
  defaultModel: nonEmpty,
  defaultEmbeddingModel: nonEmpty,
}

/**
 * Settings (undefined values already dropped) that the provider's settings schema accepts
 * unchanged: every key is a base setting or one the provider gave a zod-free check for.
 */
export function isValidSettings(settings: Record<string, unknown>, providerChecks: Fields = {}): boolean {
  for (const key in settings) {
    const check = hasOwn(baseSettingChecks, key)
      ? baseSettingChecks[key]
      : hasOwn(providerChecks, key)
        ? providerChecks[key]
        : undefined
    if (!check?.(settings[key])) return false
  }
  return true
}
