// A real MCP server written with the official SDK, for the tests: `node weather-server.mjs` serves
// stdio; the tests import `createWeatherServer` to serve Streamable HTTP on loopback.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { z } from 'zod'

export function createWeatherServer() {
  const server = new McpServer({ name: 'weather', version: '1.0.0' })
  server.registerTool(
    'get_weather',
    { description: 'Current weather for a city', inputSchema: { city: z.string() } },
    async ({ city }) => ({ content: [{ type: 'text', text: `${city}: 21 °C, sunny` }] }),
  )
  server.registerTool(
    'forecast',
    {
      description: 'Tomorrow, as structured content',
      inputSchema: { city: z.string() },
      outputSchema: { city: z.string(), highC: z.number() },
    },
    async ({ city }) => ({
      content: [{ type: 'text', text: JSON.stringify({ city, highC: 24 }) }],
      structuredContent: { city, highC: 24 },
    }),
  )
  server.registerTool('broken', { description: 'Always fails', inputSchema: {} }, async () => ({
    content: [{ type: 'text', text: 'the weather station is offline' }],
    isError: true,
  }))
  return server
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await createWeatherServer().connect(new StdioServerTransport())
}
