import type { ExecutableTool } from '@modelplex/core'

/** What `mcpTools` needs of an MCP client: the official SDK's `Client` has both. */
export interface McpToolClient {
  listTools(params?: { cursor?: string }): Promise<{
    tools: Array<{ name: string; description?: string; inputSchema: Record<string, unknown> }>
    nextCursor?: string
  }>
  callTool(
    params: { name: string; arguments?: Record<string, unknown> },
    resultSchema?: undefined,
    options?: { signal?: AbortSignal },
  ): Promise<Record<string, unknown>>
}

export interface McpToolsOptions {
  /** Only these tools (by their MCP name). */
  include?: readonly string[]
  /** Put before each name, e.g. `github_`, so two servers' tools cannot clash. */
  prefix?: string
}

/** A tool's result the model reads: the structured content, the joined text, or the parts. */
function outputOf(result: Record<string, unknown>): unknown {
  if (result.structuredContent !== undefined) return result.structuredContent
  const content = (result.content ?? []) as Array<{ type: string; text?: string }>
  if (content.every((part) => part.type === 'text')) return content.map((part) => part.text).join('\n')
  return content
}

/** The text an MCP error result carries. */
function errorText(result: Record<string, unknown>): string {
  const content = (result.content ?? []) as Array<{ type: string; text?: string }>
  const text = content
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('\n')
  return text || 'the MCP tool reported an error'
}

/** modelplex tool names are 1-64 of `[a-zA-Z0-9_-]`; MCP names may hold dots or slashes. */
function toolName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64)
}

/**
 * An MCP server's tools as modelplex tools: their JSON Schemas as `parameters`, and an `execute`
 * that calls the server. An error result (`isError`) or a protocol error becomes an error tool
 * result the model sees (the loop turns the throw into one).
 */
export async function mcpTools(
  client: McpToolClient,
  options: McpToolsOptions = {},
): Promise<ExecutableTool[]> {
  const listed: Awaited<ReturnType<McpToolClient['listTools']>>['tools'] = []
  let cursor: string | undefined
  do {
    const page = await client.listTools(cursor ? { cursor } : undefined)
    listed.push(...page.tools)
    cursor = page.nextCursor
  } while (cursor)
  const include = options.include && new Set(options.include)
  return listed
    .filter((tool) => !include || include.has(tool.name))
    .map((tool) => ({
      name: toolName(`${options.prefix ?? ''}${tool.name}`),
      ...(tool.description ? { description: tool.description } : {}),
      parameters: tool.inputSchema,
      execute: async (input: unknown, { signal }: { signal: AbortSignal }) => {
        const result = await client.callTool(
          { name: tool.name, arguments: (input ?? {}) as Record<string, unknown> },
          undefined,
          { signal },
        )
        if (result.isError === true) throw new Error(errorText(result))
        return outputOf(result)
      },
    }))
}
