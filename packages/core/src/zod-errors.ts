// How a zod failure is reported: part of the lazily loaded schemas chunk (see load-schemas.ts),
// since only a value the fast checks of validate.ts leave to zod can fail.
import { ConfigError, InvalidRequestError } from './errors.js'

export interface Issue {
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

/** Turns a zod failure of the settings into a ConfigError naming the setting. */
export function invalidSettings(name: string, issues: ReadonlyArray<Issue>, provider: string): ConfigError {
  const issue = issues[0]!
  const path = issuePath(issue)
  const keys = issue.code === 'unrecognized_keys' && issue.keys ? ` (${issue.keys.join(', ')})` : ''
  return new ConfigError(`${name}: invalid setting${path ? ` "${path}"` : ''}: ${issue.message}${keys}`, {
    provider,
  })
}
