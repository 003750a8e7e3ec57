import { describe, expect, it } from 'vitest'
import { StreamEventTranslator } from './adapter-translator.js'
import { ServerSentEventReader } from './sse.js'

const encoder = new TextEncoder()
const bytesOf = (text: string) => encoder.encode(text)

/** A web stream delivering `pieces` one read at a time. */
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

/** Doubles each number; a negative one fails; the end queues 'end'. */
class Doubler extends StreamEventTranslator<string, string> {
  protected translate(item: string): void {
    const value = Number(JSON.parse(item))
    if (value < 0) throw new Error(`negative: ${value}`)
    this.queue.push(String(value * 2))
  }
  protected end(): void {
    this.queue.push('end')
  }
}

async function collect(
  translator: StreamEventTranslator<string, string>,
): Promise<{ out: string[]; error?: string }> {
  const out: string[] = []
  try {
    for await (const event of translator) out.push(event)
  } catch (error) {
    return { out, error: (error as Error).message }
  }
  return { out }
}

describe('StreamEventTranslator', () => {
  const reader = (text: string) =>
    new ServerSentEventReader(webStream([bytesOf(text)]), (_event, data) => data)

  it('translates batches off the body, then the end', async () => {
    expect(await collect(new Doubler(reader('data: 1\n\ndata: 2\n\ndata: 3\n\n')))).toEqual({
      out: ['2', '4', '6', 'end'],
    })
  })

  it('translates an SDK stream item by item', async () => {
    const sdk = (async function* () {
      yield '5'
      yield '6'
    })()
    expect(await collect(new Doubler(sdk))).toEqual({ out: ['10', '12', 'end'] })
  })

  it('throws a failure only after the events translated before it, and reads nothing after', async () => {
    expect(await collect(new Doubler(reader('data: 1\n\ndata: -1\n\ndata: 3\n\n')))).toEqual({
      out: ['2'],
      error: 'negative: -1',
    })
  })

  it('return() cancels the body', async () => {
    let cancelled = false
    const pieces = ['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n'].map(bytesOf)
    const body = webStream(pieces, () => {
      cancelled = true
    })
    const translator = new Doubler(new ServerSentEventReader(body, (_event, data) => data))
    expect(await translator.next()).toEqual({ value: '2', done: false })
    await translator.return()
    expect(cancelled).toBe(true)
    expect(await translator.next()).toEqual({ value: undefined, done: true })
  })
})

/** Passes items through; 'stop' stops quietly, 'fail' fails once the queued events are out. */
class Controlled extends StreamEventTranslator<string, string> {
  endCalls = 0
  protected translate(item: string): void {
    this.queue.push(item)
    if (item === 'stop') this.stop()
    if (item === 'fail') this.failAfterQueued(new Error('failed after fail'))
  }
  protected end(): void {
    this.endCalls++
    this.queue.push('end')
  }
  protected override sourceFailed(error: unknown): void {
    if ((error as Error).message === 'quiet') this.stop()
    else throw new Error(`translated: ${(error as Error).message}`)
  }
}

async function* items(values: string[], failure?: Error): AsyncGenerator<string> {
  yield* values
  if (failure) throw failure
}

describe('StreamEventTranslator endings', () => {
  it('stop() ends after the queued events, reads nothing more and skips end()', async () => {
    const translator = new Controlled(items(['a', 'stop', 'never']))
    expect(await collect(translator)).toEqual({ out: ['a', 'stop'] })
    expect(translator.endCalls).toBe(0)
  })

  it('stop() inside a batch off the body leaves the rest of the batch untranslated', async () => {
    const body = webStream([bytesOf('data: a\n\ndata: stop\n\ndata: never\n\n')])
    const translator = new Controlled(new ServerSentEventReader(body, (_event, data) => data))
    expect(await collect(translator)).toEqual({ out: ['a', 'stop'] })
  })

  it('failAfterQueued() throws only after the events queued with it', async () => {
    expect(await collect(new Controlled(items(['a', 'fail', 'never'])))).toEqual({
      out: ['a', 'fail'],
      error: 'failed after fail',
    })
  })

  it('sourceFailed() sees what the SDK threw: translated, or a quiet stop', async () => {
    expect(await collect(new Controlled(items(['a'], new Error('boom'))))).toEqual({
      out: ['a'],
      error: 'translated: boom',
    })
    const quiet = new Controlled(items(['a'], new Error('quiet')))
    expect(await collect(quiet)).toEqual({ out: ['a'] })
    expect(quiet.endCalls).toBe(0)
  })

  it('an aborted signal turns the end of the items into the signal’s reason, not end()', async () => {
    const controller = new AbortController()
    controller.abort(new Error('caller aborted'))
    const translator = new Controlled(items(['a']), controller.signal)
    expect(await collect(translator)).toEqual({ out: ['a'], error: 'caller aborted' })
    expect(translator.endCalls).toBe(0)
  })
})
