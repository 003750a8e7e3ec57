import type { ModelStream, StreamEvent } from './types.js'

/** A stream opened asynchronously (a module or a span is loaded first), usable at once. */
export function deferredStream(open: () => Promise<ModelStream>): ModelStream {
  let opened: Promise<ModelStream> | undefined
  let aborted: { reason: unknown } | undefined
  const get = () => {
    opened ??= open().then((stream) => {
      if (aborted) stream.abort(aborted.reason)
      return stream
    })
    return opened
  }
  return {
    [Symbol.asyncIterator]() {
      let iterator: AsyncIterator<StreamEvent> | undefined
      return {
        async next() {
          iterator ??= (await get())[Symbol.asyncIterator]()
          return iterator.next()
        },
        async return() {
          await iterator?.return?.()
          return { value: undefined, done: true as const }
        },
      }
    },
    result: async () => (await get()).result(),
    abort(reason) {
      aborted = { reason }
      opened?.then(
        (stream) => stream.abort(reason),
        () => {},
      )
    },
  }
}
