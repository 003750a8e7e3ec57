// The wire payloads the mock server answers with, built once as bytes so the server does no
// work per request beyond reading the body and writing a buffer.

/** Text chunks in the long stream (the streaming-throughput and RSS figures). */
export const LONG_STREAM_CHUNKS = 20_000
/** Text chunks in the short stream (the time-to-first-token figure). */
export const SHORT_STREAM_CHUNKS = 20
/** A request whose body names this model gets the long stream. */
export const LONG_STREAM_MODEL = 'bench-stream-20k'

export const OPENAI_MODEL = 'gpt-4o-mini'
export const ANTHROPIC_MODEL = 'claude-sonnet-5-5'

const WORDS = ['The', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog', '.']

function sse(lines) {
  return Buffer.from(lines.join(''))
}

function openAIChunk(delta, finishReason) {
  return `data: ${JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: OPENAI_MODEL,
    system_fingerprint: 'fp_bench',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  })}\n\n`
}

function openAIStream(chunks) {
  const lines = [openAIChunk({ role: 'assistant', content: '', refusal: null }, null)]
  for (let i = 0; i < chunks; i++) lines.push(openAIChunk({ content: WORDS[i % WORDS.length] }, null))
  lines.push(openAIChunk({}, 'stop'))
  lines.push(
    `data: ${JSON.stringify({
      id: 'chatcmpl-bench',
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model: OPENAI_MODEL,
      system_fingerprint: 'fp_bench',
      choices: [],
      usage: { prompt_tokens: 12, completion_tokens: chunks, total_tokens: 12 + chunks },
    })}\n\n`,
  )
  lines.push('data: [DONE]\n\n')
  return sse(lines)
}

function anthropicEvent(type, data) {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`
}

function anthropicStream(chunks) {
  const lines = [
    anthropicEvent('message_start', {
      message: {
        id: 'msg_bench',
        type: 'message',
        role: 'assistant',
        model: ANTHROPIC_MODEL,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 12, output_tokens: 1 },
      },
    }),
    anthropicEvent('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    anthropicEvent('ping', {}),
  ]
  for (let i = 0; i < chunks; i++) {
    lines.push(
      anthropicEvent('content_block_delta', {
        index: 0,
        delta: { type: 'text_delta', text: WORDS[i % WORDS.length] },
      }),
    )
  }
  lines.push(anthropicEvent('content_block_stop', { index: 0 }))
  lines.push(
    anthropicEvent('message_delta', {
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: chunks },
    }),
  )
  lines.push(anthropicEvent('message_stop', {}))
  return sse(lines)
}

const TEXT = 'The quick brown fox jumps over the lazy dog.'

// The Responses API's events and response object, as OpenAI's API reference shows them
// (https://platform.openai.com/docs/api-reference/responses-streaming).
function responsesEvent(type, data, sequence) {
  return `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence, ...data })}\n\n`
}

function responsesObject(status, text, usage) {
  return {
    id: 'resp_bench',
    object: 'response',
    created_at: 1_700_000_000,
    status,
    error: null,
    incomplete_details: null,
    model: OPENAI_MODEL,
    output:
      text === undefined
        ? []
        : [
            {
              id: 'msg_bench',
              type: 'message',
              status: 'completed',
              role: 'assistant',
              content: [{ type: 'output_text', text, annotations: [], logprobs: [] }],
            },
          ],
    parallel_tool_calls: true,
    service_tier: 'default',
    store: false,
    usage,
  }
}

function responsesStream(chunks) {
  let sequence = 0
  const event = (type, data) => responsesEvent(type, data, sequence++)
  const item = { id: 'msg_bench', type: 'message', status: 'in_progress', role: 'assistant', content: [] }
  const lines = [
    event('response.created', { response: responsesObject('in_progress', undefined, null) }),
    event('response.in_progress', { response: responsesObject('in_progress', undefined, null) }),
    event('response.output_item.added', { output_index: 0, item }),
    event('response.content_part.added', {
      item_id: 'msg_bench',
      output_index: 0,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [], logprobs: [] },
    }),
  ]
  let text = ''
  for (let i = 0; i < chunks; i++) {
    const delta = WORDS[i % WORDS.length]
    text += delta
    lines.push(
      event('response.output_text.delta', {
        item_id: 'msg_bench',
        output_index: 0,
        content_index: 0,
        delta,
        logprobs: [],
      }),
    )
  }
  const done = responsesObject('completed', text, {
    input_tokens: 12,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: chunks,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 12 + chunks,
  })
  lines.push(
    event('response.output_text.done', {
      item_id: 'msg_bench',
      output_index: 0,
      content_index: 0,
      text,
      logprobs: [],
    }),
    event('response.content_part.done', {
      item_id: 'msg_bench',
      output_index: 0,
      content_index: 0,
      part: done.output[0].content[0],
    }),
    event('response.output_item.done', { output_index: 0, item: done.output[0] }),
    event('response.completed', { response: done }),
  )
  return sse(lines)
}

/** Every response body the server sends, keyed by route and mode. */
export function buildPayloads() {
  return {
    openai: {
      json: Buffer.from(
        JSON.stringify({
          id: 'chatcmpl-bench',
          object: 'chat.completion',
          created: 1_700_000_000,
          model: OPENAI_MODEL,
          system_fingerprint: 'fp_bench',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: TEXT, refusal: null, annotations: [] },
              logprobs: null,
              finish_reason: 'stop',
            },
          ],
          usage: {
            prompt_tokens: 12,
            completion_tokens: 10,
            total_tokens: 22,
            prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
            completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
          },
        }),
      ),
      short: openAIStream(SHORT_STREAM_CHUNKS),
      long: openAIStream(LONG_STREAM_CHUNKS),
    },
    responses: {
      json: Buffer.from(
        JSON.stringify(
          responsesObject('completed', TEXT, {
            input_tokens: 12,
            input_tokens_details: { cached_tokens: 0 },
            output_tokens: 10,
            output_tokens_details: { reasoning_tokens: 0 },
            total_tokens: 22,
          }),
        ),
      ),
      short: responsesStream(SHORT_STREAM_CHUNKS),
      long: responsesStream(LONG_STREAM_CHUNKS),
    },
    anthropic: {
      json: Buffer.from(
        JSON.stringify({
          id: 'msg_bench',
          type: 'message',
          role: 'assistant',
          model: ANTHROPIC_MODEL,
          content: [{ type: 'text', text: TEXT }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: 12, output_tokens: 10 },
        }),
      ),
      short: anthropicStream(SHORT_STREAM_CHUNKS),
      long: anthropicStream(LONG_STREAM_CHUNKS),
    },
  }
}
