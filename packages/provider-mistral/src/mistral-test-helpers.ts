// Helpers for this package's unit tests: fixtures and a recording fetch that answers in place of
// api.mistral.ai, so every test runs the real SDK (its request building and response parsing).
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { createMistral } from './mistral-provider.js'

export const TEST_KEY = 'mistral-unit-test-key-0123456789'

/** The text of a file in `src/__fixtures__`. */
export function fixture(name: string): string {
  return readFileSync(resolve(import.meta.dirname, '__fixtures__', name), 'utf8')
}

/** A JSON response, as the API writes it. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  return new Response(text, { status, headers: { 'content-type': 'application/json', ...headers } })
}

/** An SSE response from a `chunks-*.txt` fixture: one `data:` frame per line, then `data: [DONE]`. */
export function sseFixture(name: string): Response {
  const lines = fixture(name).trim().split('\n')
  const body = `${[...lines, '[DONE]'].map((line) => `data: ${line}\n\n`).join('')}`
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } })
}

/** One request as the recording fetch saw it. */
export interface CapturedRequest {
  url: string
  method: string
  headers: Record<string, string>
  body: any
}

/** A fetch that records each request and answers with `respond`. */
export function recordingFetch(
  respond: (request: CapturedRequest, call: number) => Response | Promise<Response>,
) {
  const requests: CapturedRequest[] = []
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init)
    const headers: Record<string, string> = {}
    request.headers.forEach((value, name) => {
      headers[name] = value
    })
    const text = await request.text()
    const captured: CapturedRequest = {
      url: request.url,
      method: request.method,
      headers,
      body: text === '' ? undefined : JSON.parse(text),
    }
    requests.push(captured)
    return respond(captured, requests.length)
  }
  return { fetch: fetch as typeof globalThis.fetch, requests }
}

/** A Mistral provider on a recording fetch, with core's retries off unless asked. */
export function testProvider(
  respond: (request: CapturedRequest, call: number) => Response | Promise<Response>,
  settings: Record<string, unknown> = {},
) {
  const recorder = recordingFetch(respond)
  const provider = createMistral({
    apiKey: TEST_KEY,
    fetch: recorder.fetch,
    retry: { maxRetries: 0 },
    ...settings,
  })
  return { provider, requests: recorder.requests }
}
