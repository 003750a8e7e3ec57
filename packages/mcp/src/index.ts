export { type McpToolClient, type McpToolsOptions, mcpTools } from './mcp-tools.js'
