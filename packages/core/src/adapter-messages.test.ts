import { describe, expect, it } from 'vitest'
import { type ChatMessageShape, type ChatToolCallPayload, convertToChatMessages } from './adapter-messages.js'

type Out =
  | { role: 'assistant'; text: string; calls: ChatToolCallPayload[] }
  | { role: 'tool'; id: string; content: string }
const shape: ChatMessageShape<Out, { type: 'picture'; url: string }> = {
  image: (url) => ({ type: 'picture', url }),
  assistant: (text, calls) => ({ role: 'assistant', text, calls }),
  tool: (id, content) => ({ role: 'tool', id, content }),
}

describe('convertToChatMessages', () => {
  it('keeps system and user text, joining text-only parts into one string', () => {
    expect(
      convertToChatMessages(
        [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'a' },
              { type: 'text', text: 'b' },
            ],
          },
        ],
        shape,
      ),
    ).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'user', content: 'ab' },
    ])
  })

  it('writes images through the vendor’s shape, as one URL each', () => {
    expect(
      convertToChatMessages(
        [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image', image: 'iVBOR', mediaType: 'image/png' },
            ],
          },
        ],
        shape,
      ),
    ).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'picture', url: 'data:image/png;base64,iVBOR' },
        ],
      },
    ])
  })

  it('joins assistant text and sends tool inputs as JSON, a string input unchanged', () => {
    expect(
      convertToChatMessages(
        [
          { role: 'assistant', content: 'plain' },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'Let me ' },
              { type: 'text', text: 'check.' },
              { type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: { city: 'Paris' } },
              { type: 'tool-call', toolCallId: 'c2', toolName: 'raw', input: '{"broken"' },
              { type: 'tool-call', toolCallId: 'c3', toolName: 'none', input: undefined },
            ],
          },
        ],
        shape,
      ),
    ).toEqual([
      { role: 'assistant', text: 'plain', calls: [] },
      {
        role: 'assistant',
        text: 'Let me check.',
        calls: [
          { id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
          { id: 'c2', type: 'function', function: { name: 'raw', arguments: '{"broken"' } },
          { id: 'c3', type: 'function', function: { name: 'none', arguments: '{}' } },
        ],
      },
    ])
  })

  it('sends one tool message per result, the output as text', () => {
    expect(
      convertToChatMessages(
        [
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: 'c1', toolName: 'weather', output: { tempC: 21 } },
              { type: 'tool-result', toolCallId: 'c2', toolName: 'raw', output: 'sunny' },
            ],
          },
        ],
        shape,
      ),
    ).toEqual([
      { role: 'tool', id: 'c1', content: '{"tempC":21}' },
      { role: 'tool', id: 'c2', content: 'sunny' },
    ])
  })
})
