import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime'
import {
  type AwsEventStreamMessage,
  awsEvent,
  awsEventStreamBody,
  awsException,
  encodeAwsEventStreamMessage,
} from '@modelplex/conformance'
import { describe, expect, it } from 'vitest'
import { BedrockEventStreamSource, createEventStreamCodec } from './bedrock-event-stream.js'
import { BedrockStreamTranslator } from './bedrock-stream.js'

const text = (value: string, index = 0) =>
  awsEvent('contentBlockDelta', { contentBlockIndex: index, delta: { text: value }, p: 'abcdefgh' })

const answer: AwsEventStreamMessage[] = [
  awsEvent('messageStart', { role: 'assistant' }),
  text('Héllo, '),
  text('wörld 🌍'),
  awsEvent('contentBlockStop', { contentBlockIndex: 0 }),
  awsEvent('messageStop', { stopReason: 'end_turn' }),
  awsEvent('metadata', {
    usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 },
    metrics: { latencyMs: 12 },
  }),
]

async function source(body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>, signal?: AbortSignal) {
  return new BedrockEventStreamSource(body, await createEventStreamCodec(), signal)
}

async function drain(iterable: AsyncIterable<ConverseStreamOutput>) {
  const items: ConverseStreamOutput[] = []
  try {
    for await (const item of iterable) items.push(item)
    return { items, error: undefined }
  } catch (error) {
    return { items, error: error as Error }
  }
}

/** All messages' bytes in one buffer. */
function bytesOf(messages: readonly AwsEventStreamMessage[]): Uint8Array {
  const parts = messages.map(encodeAwsEventStreamMessage)
  const all = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    all.set(part, offset)
    offset += part.length
  }
  return all
}

async function* chunks(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part
}

describe('BedrockEventStreamSource', () => {
  it('decodes each message into the SDK union member, payload as sent', async () => {
    const { items, error } = await drain(await source(awsEventStreamBody(answer)))
    expect(error).toBeUndefined()
    expect(items).toEqual([
      { messageStart: { role: 'assistant' } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Héllo, ' }, p: 'abcdefgh' } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'wörld 🌍' }, p: 'abcdefgh' } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { messageStop: { stopReason: 'end_turn' } },
      {
        metadata: { usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 }, metrics: { latencyMs: 12 } },
      },
    ])
  })

  it('gives the same items whatever the chunking: one byte at a time, 3 bytes (lengths split), all at once', async () => {
    const whole = await drain(await source(chunks(bytesOf(answer))))
    for (const size of [1, 2, 3, 5, 17]) {
      const split = await drain(await source(awsEventStreamBody(answer, { chunkBytes: size })))
      expect(split.error).toBeUndefined()
      expect(split.items).toEqual(whole.items)
    }
    expect(whole.items).toHaveLength(6)
  })

  it('reads a 4 MB message arriving in 64 KiB pieces', async () => {
    const long = 'x'.repeat(4 * 1024 * 1024)
    const { items, error } = await drain(
      await source(awsEventStreamBody([text(long), text('!')], { chunkBytes: 65_536 })),
    )
    expect(error).toBeUndefined()
    expect(items.map((item) => item.contentBlockDelta?.delta?.text?.length)).toEqual([long.length, 1])
  })

  it('turns the base64 redactedContent of a reasoning delta into bytes, as the SDK does', async () => {
    const event = awsEvent('contentBlockDelta', {
      contentBlockIndex: 0,
      delta: { reasoningContent: { redactedContent: 'AAEC+v8=' } },
    })
    const { items } = await drain(await source(awsEventStreamBody([event])))
    expect(items[0]?.contentBlockDelta?.delta?.reasoningContent?.redactedContent).toEqual(
      new Uint8Array([0, 1, 2, 250, 255]),
    )
  })

  it('throws an exception message as an error named after :exception-type in PascalCase, after the events before it', async () => {
    const { items, error } = await drain(
      await source(
        awsEventStreamBody([text('partial'), awsException('modelStreamErrorException', 'boom'), text('no')]),
      ),
    )
    expect(items).toHaveLength(1)
    expect(error?.name).toBe('ModelStreamErrorException')
    expect(error?.message).toBe('boom')
  })

  it('throws an error message as an error named after :error-code', async () => {
    const frame: AwsEventStreamMessage = {
      headers: { ':message-type': 'error', ':error-code': 'InternalFailure', ':error-message': 'try again' },
      body: '',
    }
    const { error } = await drain(await source(awsEventStreamBody([text('a'), frame])))
    expect(error?.name).toBe('InternalFailure')
    expect(error?.message).toBe('try again')
  })

  it('a body that ends inside a message → the SDK\'s "Truncated event message received."', async () => {
    const bytes = bytesOf(answer)
    const { items, error } = await drain(await source(chunks(bytes.slice(0, bytes.length - 5))))
    expect(items).toHaveLength(5)
    expect(error?.message).toBe('Truncated event message received.')
  })

  it("a corrupted byte fails the codec's CRC check", async () => {
    const bytes = bytesOf([text('hello')])
    bytes[bytes.length - 8]! ^= 0xff
    const { error } = await drain(await source(chunks(bytes)))
    expect(error?.message).toMatch(/checksum.*did not match/)
  })

  it('bytes that are not event-stream framing (a JSON body) fail instead of hanging', async () => {
    const { error } = await drain(await source(chunks(new TextEncoder().encode('{"message":"nope"}'))))
    expect(error).toBeInstanceOf(Error)
  })

  it('ends quietly when the body fails after an abort; the translator then throws the reason', async () => {
    const controller = new AbortController()
    const reason = new Error('caller stopped')
    const body = new ReadableStream<Uint8Array>({
      start(stream) {
        stream.enqueue(encodeAwsEventStreamMessage(text('a')))
      },
      pull(stream) {
        controller.abort(reason)
        stream.error(new DOMException('aborted', 'AbortError'))
      },
    })
    const translator = new BedrockStreamTranslator(
      await source(body, controller.signal),
      undefined,
      'B',
      controller.signal,
    )
    const out: unknown[] = []
    let error: unknown
    try {
      for await (const event of translator) out.push(event)
    } catch (caught) {
      error = caught
    }
    expect(out).toEqual([{ type: 'text-delta', text: 'a' }])
    expect(error).toBe(reason)
  })

  it('return() cancels the body', async () => {
    let cancelled = false
    const body = new ReadableStream<Uint8Array>({
      pull(stream) {
        stream.enqueue(encodeAwsEventStreamMessage(text('x')))
      },
      cancel() {
        cancelled = true
      },
    })
    const events = await source(body)
    expect((await events.next()).done).toBe(false)
    await events.return()
    expect(cancelled).toBe(true)
    expect(await events.next()).toEqual({ value: undefined, done: true })
  })
})
