import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPLAY_KEY, type Recording, recordOrReplay } from './record-replay.js'

const KEY = 'sk-loopback-record-0123456789abcdef'
const GOOGLE_KEY = 'AIzaSy-loopback-record-0123456789'
const SESSION = 'session=loopback-cookie-value-42'
const BINARY = Uint8Array.from([0x00, 0xff, 0xfe, 0x80, 0x41, 0xc3])

/** A stand-in vendor: checks the key, sets a cookie, answers JSON, SSE (UTF-8 split across writes) and bytes. */
function vendor(): Server {
  return createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk) => {
      raw += chunk
    })
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x')
      const authorized =
        req.headers.authorization === `Bearer ${KEY}` ||
        req.headers['x-api-key'] === KEY ||
        url.searchParams.get('key') === GOOGLE_KEY
      if (!authorized) {
        res.writeHead(401, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ error: 'no key' }))
        return
      }
      if (url.pathname === '/v1/echo') {
        const body = JSON.parse(raw || '{}')
        res.writeHead(200, {
          'content-type': 'application/json',
          'set-cookie': SESSION,
          'x-request-id': 'req_1',
        })
        res.end(JSON.stringify({ reply: `hello ${body.name}`, tokens: body.name.length }))
        return
      }
      if (url.pathname === '/v1/stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream' })
        const euro = Buffer.from('data: {"t":"5 €"}\n\n')
        // Split inside the euro sign: the recording must keep the bytes, not a mangled string.
        res.write(euro.subarray(0, 14))
        res.write(euro.subarray(14))
        res.end('data: [DONE]\n\n')
        return
      }
      if (url.pathname === '/v1/binary') {
        res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' })
        res.end(Buffer.from(BINARY))
        return
      }
      if (url.pathname === '/v1/whoami') {
        // A vendor that echoes the key it got: the recording must not keep it.
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ key: KEY, note: `you sent ${KEY}` }))
        return
      }
      res.writeHead(404)
      res.end()
    })
  })
}

/** The "live test": the same calls in record and in replay. */
async function scenario(base: string, key: string | undefined) {
  const echo = await fetch(`${base}/v1/echo`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'ada' }),
  })
  const echoed = { status: echo.status, body: await echo.json(), requestId: echo.headers.get('x-request-id') }
  const stream = await fetch(`${base}/v1/stream`, { headers: { 'x-api-key': key ?? '' } })
  const reader = stream.body!.getReader()
  const decoder = new TextDecoder()
  let text = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    text += decoder.decode(value, { stream: true })
  }
  const binary = await fetch(`${base}/v1/binary?key=${key === KEY ? GOOGLE_KEY : key}`)
  const bytes = [...new Uint8Array(await binary.arrayBuffer())]
  return { echoed, text, bytes }
}

describe('recordOrReplay against a loopback vendor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'modelplex-recording-'))
  const server = vendor()
  let base = ''
  let recorded: Awaited<ReturnType<typeof scenario>>

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => {
    server.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('with no recording and no MODELPLEX_RECORD it is off and touches nothing', async () => {
    const tape = recordOrReplay({ dir, name: 'absent', env: {} })
    expect(tape.mode).toBe('off')
    tape.start()
    expect((await scenario(base, tape.key(KEY))).echoed.body).toEqual({ reply: 'hello ada', tokens: 3 })
    tape.stop()
    expect(tape.exchanges).toHaveLength(0)
  })

  it('MODELPLEX_RECORD=1 records the real exchanges, without keys, auth headers or cookies', async () => {
    const tape = recordOrReplay({
      dir,
      name: 'vendor',
      secrets: [KEY, GOOGLE_KEY],
      env: { MODELPLEX_RECORD: '1' },
    })
    expect(tape.mode).toBe('record')
    expect(tape.key(KEY)).toBe(KEY)
    tape.start()
    recorded = await scenario(base, tape.key(KEY))
    tape.stop()
    expect(recorded.echoed).toEqual({
      status: 200,
      body: { reply: 'hello ada', tokens: 3 },
      requestId: 'req_1',
    })
    expect(recorded.text).toBe('data: {"t":"5 €"}\n\ndata: [DONE]\n\n')
    expect(recorded.bytes).toEqual([...BINARY])

    const text = readFileSync(tape.file, 'utf8')
    const file = JSON.parse(text) as Recording
    expect(file.exchanges).toHaveLength(3)
    for (const secret of [KEY, GOOGLE_KEY, SESSION, 'loopback-cookie-value'])
      expect(text).not.toContain(secret)
    for (const header of ['authorization', 'x-api-key', 'set-cookie', 'cookie']) {
      for (const exchange of file.exchanges) {
        expect(exchange.request.headers).not.toHaveProperty(header)
        expect(exchange.response.headers).not.toHaveProperty(header)
      }
    }
    expect(file.exchanges[2]!.request.url).toBe(`${base}/v1/binary`)
    expect(file.exchanges[0]!.request.body).toEqual({ name: 'ada' })
    expect(file.exchanges[0]!.response.headers['x-request-id']).toBe('req_1')
    // Bytes that are not UTF-8 are kept as base64, not mangled into a string.
    expect(file.exchanges[2]!.response.body.encoding).toBe('base64')
    const stream = file.exchanges[1]!.response.body
    const streamed = Buffer.concat(stream.chunks.map((chunk) => Buffer.from(chunk, stream.encoding)))
    expect(streamed.toString('utf8')).toBe(recorded.text)
  })

  it('without MODELPLEX_RECORD, with the vendor gone, replays the recording: identical results', async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    const tape = recordOrReplay({ dir, name: 'vendor', env: {} })
    expect(tape.mode).toBe('replay')
    expect(tape.key(KEY)).toBe(REPLAY_KEY)
    tape.start()
    try {
      expect(await scenario(base, tape.key(KEY))).toEqual(recorded)
      expect(tape.unused()).toHaveLength(0)
      // A request the recording does not hold is refused, naming the fix.
      const missing = await fetch(`${base}/v1/echo`, {
        method: 'POST',
        body: JSON.stringify({ name: 'bob' }),
      })
      expect(missing.status).toBe(500)
      expect(await missing.text()).toContain('MODELPLEX_RECORD=1')
    } finally {
      tape.stop()
    }
  })

  it('a key the vendor echoes in a body is scrubbed before writing', async () => {
    const echoServer = vendor()
    await new Promise<void>((resolve) => echoServer.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(echoServer.address() as AddressInfo).port}`
    // The key is not passed in `secrets`: it is learnt from the authorization header.
    const tape = recordOrReplay({ dir, name: 'whoami', env: { MODELPLEX_RECORD: '1' } })
    tape.start()
    const live = await (
      await fetch(`${url}/v1/whoami`, { headers: { authorization: `Bearer ${KEY}` } })
    ).json()
    tape.stop()
    echoServer.close()
    expect(live.key).toBe(KEY)
    const text = readFileSync(tape.file, 'utf8')
    expect(text).not.toContain(KEY)
    expect(text).toContain('[redacted]')
  })
})
