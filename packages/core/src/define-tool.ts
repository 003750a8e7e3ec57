import type { z } from 'zod'
import type { ExecutableTool } from './types.js'

/** Declares a tool whose `execute` and `needsApproval` get the input type its zod schema infers. */
export function tool<Schema extends z.ZodType>(
  definition: Omit<ExecutableTool<z.infer<Schema>>, 'parameters'> & { parameters: Schema },
): ExecutableTool<z.infer<Schema>> {
  return definition as ExecutableTool<z.infer<Schema>>
}
