import { describe, expect, it } from 'vitest'
import {
  assembleResult,
  bytesToBase64,
  decodeBase64Embedding,
  downloadImage,
  imagePartUrl,
  malformedResponse,
  readHeader,
  sdkExport,
  stringifyToolOutput,
} from './adapter-helpers.js'
import { InvalidRequestError, MalformedResponseError } from './errors.js'

describe('readHeader', () => {
  it('reads Headers case-insensitively and plain records by exact name', () => {
    expect(readHeader(new Headers({ 'Retry-After': '3' }), 'retry-after')).toBe('3')
    expect(readHeader({ 'retry-after': '4' }, 'retry-after')).toBe('4')
    expect(readHeader({ 'retry-after': 4 }, 'retry-after')).toBeUndefined()
    expect(readHeader(new Headers(), 'retry-after')).toBeUndefined()
    expect(readHeader(undefined, 'retry-after')).toBeUndefined()
    expect(readHeader('retry-after: 5', 'retry-after')).toBeUndefined()
  })
})

describe('malformedResponse', () => {
  it('names the provider and model, and keeps the start of a text body as the cause', () => {
    const error = malformedResponse('Acme: no choices', {
      provider: 'acme',
      model: 'm1',
      raw: 'x'.repeat(500),
    })
    expect(MalformedResponseError.isInstance(error)).toBe(true)
    expect(error.message).toBe('Acme: no choices')
    expect(error.provider).toBe('acme')
    expect(error.model).toBe('m1')
    expect((error.cause as Error).message).toBe('x'.repeat(200))
  })

  it('has no cause when the body was not text', () => {
    expect(malformedResponse('Acme: bad', { provider: 'acme', raw: { a: 1 } }).cause).toBeUndefined()
  })
})

describe('stringifyToolOutput', () => {
  it('sends text as is and anything else as JSON, undefined as null', () => {
    expect(stringifyToolOutput('sunny')).toBe('sunny')
    expect(stringifyToolOutput({ tempC: 21 })).toBe('{"tempC":21}')
    expect(stringifyToolOutput(42)).toBe('42')
    expect(stringifyToolOutput(undefined)).toBe('null')
  })
})

describe('imagePartUrl', () => {
  it('keeps URLs, and wraps bare base64 in a data: URL with its media type', () => {
    expect(imagePartUrl({ type: 'image', image: new URL('https://x.test/a.png') })).toBe(
      'https://x.test/a.png',
    )
    expect(imagePartUrl({ type: 'image', image: 'http://x.test/a.png' })).toBe('http://x.test/a.png')
    expect(imagePartUrl({ type: 'image', image: 'data:image/gif;base64,R0lG' })).toBe(
      'data:image/gif;base64,R0lG',
    )
    expect(imagePartUrl({ type: 'image', image: 'iVBOR', mediaType: 'image/png' })).toBe(
      'data:image/png;base64,iVBOR',
    )
  })
})

describe('assembleResult', () => {
  const toolCall = {
    toolCallId: 'c1',
    toolName: 'weather',
    input: { city: 'Paris' },
    rawInput: '{"city":"Paris"}',
  }
  const base = {
    finishReason: 'tool-calls' as const,
    rawFinishReason: 'tool_calls',
    usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 },
    model: 'm',
    id: 'r1',
    raw: { body: true },
  }

  it('lists reasoning, text, then tool calls as content', () => {
    const result = assembleResult({ ...base, text: 'hi', reasoning: 'think', toolCalls: [toolCall] })
    expect(result.content).toEqual([
      { type: 'reasoning', text: 'think' },
      { type: 'text', text: 'hi' },
      { type: 'tool-call', ...toolCall },
    ])
    expect(result).toMatchObject({ ...base, text: 'hi', reasoning: 'think', toolCalls: [toolCall] })
  })

  it('leaves out empty text, absent reasoning and an unreported cost', () => {
    const result = assembleResult({ ...base, text: '', reasoning: undefined, toolCalls: [], cost: undefined })
    expect(result.content).toEqual([])
    expect('reasoning' in result).toBe(false)
    expect('cost' in result).toBe(false)
  })

  it('keeps the cost the vendor reported', () => {
    const cost = { input: 1, output: 2, total: 3, currency: 'USD' as const }
    expect(assembleResult({ ...base, text: 'a', toolCalls: [], cost }).cost).toBe(cost)
  })
})

describe('decodeBase64Embedding', () => {
  it('decodes little-endian float32 values', () => {
    const floats = new Float32Array([0.5, -1.25, 3])
    const bytes = new Uint8Array(floats.buffer)
    expect(decodeBase64Embedding(bytesToBase64(bytes))).toEqual([0.5, -1.25, 3])
  })
})

describe('bytesToBase64', () => {
  it('encodes bytes beyond one slice of String.fromCharCode arguments', () => {
    const bytes = new Uint8Array(0x8000 * 2 + 3).map((_, i) => i % 256)
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'))
    expect(bytesToBase64(new Uint8Array())).toBe('')
  })
})

describe('sdkExport', () => {
  class Client {}
  it('takes a class as is, else the named export of the module or of its CommonJS default', () => {
    expect(sdkExport(Client, 'Client')).toBe(Client)
    expect(sdkExport({ Client }, 'Client')).toBe(Client)
    expect(sdkExport({ default: { Client } }, 'Client')).toBe(Client)
    expect(sdkExport({ default: Client }, 'Client')).toBe(Client)
    expect(sdkExport({ Other: Client }, 'Client')).toBeUndefined()
    expect(sdkExport(undefined, 'Client')).toBeUndefined()
  })
})

describe('downloadImage', () => {
  const failure = (reason: string, cause?: unknown) =>
    new InvalidRequestError(`could not download: ${reason}`, { provider: 'acme', cause })

  it('returns the bytes and the declared content type, with the call’s signal', async () => {
    let seen: AbortSignal | undefined
    const fetch = (async (_url: string, init?: RequestInit) => {
      seen = init?.signal ?? undefined
      return new Response(new Uint8Array([1, 2, 3]), { headers: { 'content-type': 'image/png' } })
    }) as typeof globalThis.fetch
    const signal = new AbortController().signal
    const image = await downloadImage('https://x.test/a.png', { fetch, signal, failure })
    expect([...image.bytes]).toEqual([1, 2, 3])
    expect(image.contentType).toBe('image/png')
    expect(seen).toBe(signal)
  })

  it('throws what failure() builds for an error status, releasing the body', async () => {
    let cancelled = false
    const body = new ReadableStream({
      cancel: () => {
        cancelled = true
      },
    })
    const fetch = (async () => new Response(body, { status: 404 })) as typeof globalThis.fetch
    await expect(
      downloadImage('https://x.test/a.png', { fetch, signal: new AbortController().signal, failure }),
    ).rejects.toThrow('could not download: HTTP 404')
    expect(cancelled).toBe(true)
  })

  it('passes a network failure to failure(), but rethrows it as is once the call was aborted', async () => {
    const reset = new TypeError('fetch failed')
    const fetch = (async () => {
      throw reset
    }) as typeof globalThis.fetch
    const error = await downloadImage('https://x.test/a.png', {
      fetch,
      signal: new AbortController().signal,
      failure,
    }).catch((caught) => caught)
    expect(error.message).toBe('could not download: fetch failed')
    expect(error.cause).toBe(reset)
    const aborted = new AbortController()
    aborted.abort()
    await expect(
      downloadImage('https://x.test/a.png', { fetch, signal: aborted.signal, failure }),
    ).rejects.toBe(reset)
  })
})
