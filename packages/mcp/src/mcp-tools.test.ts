import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { createMockProvider } from '@modelplex/core/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error: a plain .mjs fixture, the server the stdio test spawns
import { createWeatherServer } from './__fixtures__/weather-server.mjs'
import { mcpTools } from './index.js'

const serverScript = fileURLToPath(new URL('./__fixtures__/weather-server.mjs', import.meta.url))

describe('mcpTools over stdio', () => {
  let client: Client
  beforeAll(async () => {
    client = new Client({ name: 'modelplex-test', version: '1.0.0' })
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [serverScript] }))
  })
  afterAll(() => client.close())

  it("turns the server's tools into modelplex tools carrying their JSON Schemas", async () => {
    const tools = await mcpTools(client)
    expect(tools.map((tool) => tool.name)).toEqual(['get_weather', 'forecast', 'broken'])
    expect(tools[0]).toMatchObject({
      description: 'Current weather for a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    })
    expect(typeof tools[0]!.execute).toBe('function')
    const only = await mcpTools(client, { include: ['forecast'], prefix: 'wx_' })
    expect(only.map((tool) => tool.name)).toEqual(['wx_forecast'])
  })

  it("runs in core's tool loop: results and MCP error results reach the model", async () => {
    const provider = createMockProvider({
      replies: [
        {
          toolCalls: [
            { toolName: 'get_weather', input: { city: 'Paris' } },
            { toolName: 'broken', input: {} },
          ],
          finishReason: 'tool-calls',
        },
        { text: 'Paris is sunny; the station is down.' },
      ],
    })
    const r = await provider.generate({
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: await mcpTools(client),
      maxSteps: 2,
    })
    expect(r.text).toBe('Paris is sunny; the station is down.')
    expect(r.steps[0]!.toolResults).toEqual([
      {
        toolCallId: 'call_1',
        toolName: 'get_weather',
        input: { city: 'Paris' },
        output: 'Paris: 21 °C, sunny',
      },
      {
        toolCallId: 'call_2',
        toolName: 'broken',
        input: {},
        output: 'Error: the weather station is offline',
        isError: true,
      },
    ])
    expect(provider.calls[1]!.messages.at(-1)).toMatchObject({ role: 'tool' })
  })
})

describe('mcpTools over Streamable HTTP on loopback', () => {
  let http: Server
  let url: URL
  beforeAll(async () => {
    // Stateless: a server and a transport per request, as the SDK documents for simple servers.
    http = createServer(async (request, response) => {
      const server = createWeatherServer()
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined })
      response.on('close', () => {
        transport.close()
        server.close()
      })
      await server.connect(transport)
      const chunks: Buffer[] = []
      for await (const chunk of request) chunks.push(chunk as Buffer)
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined
      await transport.handleRequest(request, response, body)
    })
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
    url = new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`)
  })
  afterAll(() => new Promise<void>((resolve) => http.close(() => resolve())))

  it('calls a tool and hands the model its structured content', async () => {
    const client = new Client({ name: 'modelplex-test', version: '1.0.0' })
    await client.connect(new StreamableHTTPClientTransport(url))
    try {
      const provider = createMockProvider({
        replies: [
          { toolCalls: [{ toolName: 'forecast', input: { city: 'Rome' } }], finishReason: 'tool-calls' },
          { text: 'Rome: 24 °C tomorrow.' },
        ],
      })
      const r = await provider.generate({
        messages: [{ role: 'user', content: 'Forecast for Rome?' }],
        tools: await mcpTools(client),
        maxSteps: 2,
      })
      expect(r.steps[0]!.toolResults[0]!.output).toEqual({ city: 'Rome', highC: 24 })
      expect(r.text).toBe('Rome: 24 °C tomorrow.')
    } finally {
      await client.close()
    }
  })
})
