import { describe, expect, it } from 'vitest'
import { JsonLinesReader } from './ndjson.js'

const encoder = new TextEncoder()

function webStream(pieces: readonly Uint8Array[], onCancel?: () => void): ReadableStream<Uint8Array> {
  let index = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const piece = pieces[index++]
      if (piece === undefined) controller.close()
      else controller.enqueue(piece)
    },
    cancel: onCancel,
  })
}

async function readAll<T>(reader: JsonLinesReader<T>): Promise<T[]> {
  const items: T[] = []
  for (let batch = await reader.read(); batch; batch = await reader.read()) items.push(...batch)
  return items
}

const parseJson = (line: string): unknown => JSON.parse(line)

describe('JsonLinesReader', () => {
  it('reads each line as one item, with LF, CRLF or CR line ends, blank lines skipped', async () => {
    const text = '{"a":1}\n\n{"b":"é✓🦊"}\r\n  \r{"c":3}\r{"d":4}\n'
    const items = await readAll(new JsonLinesReader(webStream([encoder.encode(text)]), parseJson))
    expect(items).toEqual([{ a: 1 }, { b: 'é✓🦊' }, { c: 3 }, { d: 4 }])
  })

  it('reads a last line that has no line end', async () => {
    const items = await readAll(
      new JsonLinesReader(webStream([encoder.encode('{"a":1}\n{"b":2}')]), parseJson),
    )
    expect(items).toEqual([{ a: 1 }, { b: 2 }])
  })

  it('parses the same items when the body is split at every byte boundary', async () => {
    const text = '{"text":"héllo ✓ 🦊"}\r\n{"n":2}\n{"done":true}'
    const bytes = encoder.encode(text)
    const pieces = Array.from(bytes, (byte) => Uint8Array.of(byte))
    const items = await readAll(new JsonLinesReader(webStream(pieces), parseJson))
    expect(items).toEqual([{ text: 'héllo ✓ 🦊' }, { n: 2 }, { done: true }])
  })

  it('hands out the items before a line that fails, then throws its error', async () => {
    const reader = new JsonLinesReader(webStream([encoder.encode('{"a":1}\nnot json\n{"b":2}\n')]), parseJson)
    const seen: unknown[] = []
    await expect(
      (async () => {
        for (let batch = await reader.read(); batch; batch = await reader.read()) seen.push(...batch)
      })(),
    ).rejects.toThrow(SyntaxError)
    expect(seen).toEqual([{ a: 1 }])
  })

  it('reads 200,000 tiny lines in order', async () => {
    const lines: string[] = []
    for (let index = 0; index < 200_000; index++) lines.push(`{"i":${index}}\n`)
    // Pieces of about 64 KiB, as a socket delivers them.
    const bytes = encoder.encode(lines.join(''))
    const pieces: Uint8Array[] = []
    for (let start = 0; start < bytes.length; start += 65_536)
      pieces.push(bytes.subarray(start, start + 65_536))
    let count = 0
    let sum = 0
    const reader = new JsonLinesReader(webStream(pieces), (line) => (JSON.parse(line) as { i: number }).i)
    for (let batch = await reader.read(); batch; batch = await reader.read()) {
      for (const value of batch) {
        if (value !== count) throw new Error(`line ${count} came as ${value}`)
        count++
        sum += value
      }
    }
    expect(count).toBe(200_000)
    expect(sum).toBe((199_999 * 200_000) / 2)
  })

  it('reads a 20 MB single line', async () => {
    const content = 'x'.repeat(20 * 1024 * 1024)
    const bytes = encoder.encode(`{"content":"${content}"}\n`)
    const pieces: Uint8Array[] = []
    for (let start = 0; start < bytes.length; start += 65_536)
      pieces.push(bytes.subarray(start, start + 65_536))
    const items = await readAll(
      new JsonLinesReader(webStream(pieces), (line) => JSON.parse(line).content as string),
    )
    expect(items).toHaveLength(1)
    expect(items[0]!.length).toBe(content.length)
    expect(items[0] === content).toBe(true)
  })

  it('cancels the body', async () => {
    let cancelled = false
    const reader = new JsonLinesReader(
      webStream([encoder.encode('{"a":1}\n'), encoder.encode('{"b":2}\n')], () => {
        cancelled = true
      }),
      parseJson,
    )
    expect(await reader.read()).toEqual([{ a: 1 }])
    await reader.cancel()
    expect(cancelled).toBe(true)
    expect(await reader.read()).toBeUndefined()
  })
})
