import { InvalidRequestError } from './errors.js'

type Schemas = typeof import('./schemas.js')

let schemas: Promise<Schemas> | undefined

/** Imports zod and the request schemas on first use (zod costs ~65 ms to import). */
export function loadSchemas(): Promise<Schemas> {
  schemas ??= import('./schemas.js')
  return schemas
}

interface Issue {
  path: ReadonlyArray<PropertyKey>
  message: string
  code?: string
  keys?: string[]
}

/** Dotted path of an issue, e.g. `messages.0.role`. */
export function issuePath(issue: Issue): string {
  return issue.path.map(String).join('.')
}

/** Turns a zod failure into an error that names the field and what to change. */
export function invalidRequest(
  what: string,
  issues: ReadonlyArray<Issue>,
  provider: string,
  model?: string,
): InvalidRequestError {
  const first = issues[0]
  // An unknown key is reported on its parent object; name the key itself.
  const unknownKey = first?.code === 'unrecognized_keys' ? first.keys?.[0] : undefined
  const field = first ? [issuePath(first), unknownKey].filter(Boolean).join('.') : undefined
  const detail = issues
    .slice(0, 3)
    .map((issue) => {
      const path = issuePath(issue)
      const keys = issue.code === 'unrecognized_keys' && issue.keys ? ` (${issue.keys.join(', ')})` : ''
      return `${path ? `"${path}": ` : ''}${issue.message}${keys}`
    })
    .join('; ')
  return new InvalidRequestError(`Invalid ${what}: ${detail}`, {
    provider,
    model,
    ...(field ? { field } : {}),
  })
}
