// The one check every generate and stream call makes: does this request need the tool loop?
// Kept apart from tool-loop.ts so that plain calls never load the loop.
import type { AgentRequest, ToolApprovalResponse } from './types.js'

/** The approvals a request ends with (a paused loop being resumed), by tool call id. */
export function trailingApprovals(
  messages: AgentRequest['messages'] | undefined,
): Map<string, ToolApprovalResponse> | undefined {
  const last = messages?.[messages.length - 1]
  if (last?.role !== 'tool' || !Array.isArray(last.content)) return undefined
  let approvals: Map<string, ToolApprovalResponse> | undefined
  for (const part of last.content) {
    if (part.type !== 'tool-approval-response') continue
    approvals ??= new Map()
    approvals.set(part.toolCallId, part)
  }
  return approvals
}

/** Whether a request needs the loop: executable tools, loop options or approvals to resume from. */
export function needsLoop(request: AgentRequest | undefined): boolean {
  if (!request || typeof request !== 'object') return false
  if (request.maxSteps !== undefined || request.stopWhen !== undefined) return true
  const tools = request.tools
  if (Array.isArray(tools))
    for (const tool of tools) if (tool && (tool.execute || tool.needsApproval)) return true
  return Array.isArray(request.messages) && trailingApprovals(request.messages) !== undefined
}
