// Interface v2 on Mistral: typed providerOptions, thinking chunks back and forth, files, metadata.
import type { Message } from '@modelplex/core'
import { describe, expect, it } from 'vitest'
import { toMistralWireOptions } from './mistral-provider-options.js'
import { jsonResponse, testProvider } from './mistral-test-helpers.js'

/** A Magistral answer as Mistral's reasoning guide shows it: a thinking chunk, then text. */
const magistral = {
  id: 'cmpl-0a1b2c3d',
  object: 'chat.completion',
  created: 1_767_225_600,
  model: 'magistral-medium-latest',
  usage: { prompt_tokens: 12, completion_tokens: 30, total_tokens: 42, service_tier: 'priority' },
  choices: [
    {
      index: 0,
      finish_reason: 'stop',
      message: {
        role: 'assistant',
        tool_calls: null,
        content: [
          {
            type: 'thinking',
            thinking: [
              { type: 'text', text: 'Two and two ' },
              { type: 'text', text: 'make four.' },
            ],
          },
          { type: 'text', text: 'Four.' },
          { type: 'reference', reference_ids: [0, 2] },
        ],
      },
    },
  ],
}

describe('providerOptions.mistral', () => {
  it('renames typed keys to the snake_case wire and leaves unknown keys untouched', () => {
    expect(
      toMistralWireOptions({
        promptMode: 'reasoning',
        safePrompt: true,
        documentPageLimit: 4,
        brandNew: { a: 1 },
      }),
    ).toEqual({ prompt_mode: 'reasoning', safe_prompt: true, document_page_limit: 4, brandNew: { a: 1 } })
  })

  it('reaches the request body in the wire form', async () => {
    const { provider, requests } = testProvider(() => jsonResponse(magistral))
    await provider.generate({
      model: 'magistral-medium-latest',
      messages: [{ role: 'user', content: 'Hi' }],
      providerOptions: { mistral: { promptMode: 'reasoning', parallelToolCalls: false, randomSeed: 7 } },
    })
    expect(requests[0]!.body).toMatchObject({
      prompt_mode: 'reasoning',
      parallel_tool_calls: false,
      random_seed: 7,
    })
    expect(requests[0]!.body).not.toHaveProperty('promptMode')
  })
})

describe('reasoning (thinking chunks)', () => {
  it('reads thinking as a reasoning part before the text, and metadata beside it', async () => {
    const { provider } = testProvider(() => jsonResponse(magistral))
    const result = await provider.generate({
      model: 'magistral-medium-latest',
      messages: [{ role: 'user', content: '2 + 2?' }],
    })
    expect(result.text).toBe('Four.')
    expect(result.reasoning).toBe('Two and two make four.')
    expect(result.content.map((part) => part.type)).toEqual(['reasoning', 'text'])
    expect(result.providerMetadata?.mistral).toEqual({
      created: 1_767_225_600,
      serviceTier: 'priority',
      references: [0, 2],
    })
  })

  it('sends r.messages back as a thinking chunk followed by the text chunk', async () => {
    const { provider, requests } = testProvider(() => jsonResponse(magistral))
    const question: Message = { role: 'user', content: '2 + 2?' }
    const first = await provider.generate({ model: 'magistral-medium-latest', messages: [question] })
    await provider.generate({
      model: 'magistral-medium-latest',
      messages: [question, ...first.messages, { role: 'user', content: 'And 3 + 3?' }],
    })
    const assistant = requests[1]!.body.messages[1]
    expect(assistant.role).toBe('assistant')
    expect(assistant.content).toEqual([
      { type: 'thinking', thinking: [{ type: 'text', text: 'Two and two make four.' }] },
      { type: 'text', text: 'Four.' },
    ])
  })

  it('keeps a signature Mistral sent and writes it back on the same chunk', async () => {
    const signed = structuredClone(magistral)
    ;(signed.choices[0]!.message.content[0] as Record<string, unknown>).signature = 'c2lnbmVk'
    const { provider, requests } = testProvider(() => jsonResponse(signed))
    const first = await provider.generate({ messages: [{ role: 'user', content: 'Hi' }] })
    expect(first.content[0]).toMatchObject({
      type: 'reasoning',
      providerMetadata: { mistral: { signature: 'c2lnbmVk' } },
    })
    await provider.generate({ messages: [{ role: 'user', content: 'Hi' }, ...first.messages] })
    expect(requests[1]!.body.messages[1].content[0]).toMatchObject({
      type: 'thinking',
      signature: 'c2lnbmVk',
    })
  })

  it('sends an assistant turn without reasoning as a plain string, with prefix when asked', async () => {
    const { provider, requests } = testProvider(() => jsonResponse(magistral))
    await provider.generate({
      messages: [
        { role: 'user', content: 'Write a haiku' },
        { role: 'assistant', content: 'Autumn', providerOptions: { mistral: { prefix: true } } },
      ],
    })
    expect(requests[0]!.body.messages[1]).toMatchObject({
      role: 'assistant',
      content: 'Autumn',
      prefix: true,
    })
  })
})

describe('files', () => {
  it('sends a PDF as a document_url chunk (data: URL) with its name, and an https URL as given', async () => {
    const { provider, requests } = testProvider(() => jsonResponse(magistral))
    await provider.generate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Summarise' },
            { type: 'file', data: 'JVBERi0=', mediaType: 'application/pdf', filename: 'a.pdf' },
            { type: 'file', data: new URL('https://arxiv.org/pdf/1805.04770'), mediaType: 'application/pdf' },
          ],
        },
      ],
    })
    expect(requests[0]!.body.messages[0].content).toEqual([
      { type: 'text', text: 'Summarise' },
      { type: 'document_url', document_url: 'data:application/pdf;base64,JVBERi0=', document_name: 'a.pdf' },
      { type: 'document_url', document_url: 'https://arxiv.org/pdf/1805.04770' },
    ])
  })

  it('sends audio as an input_audio chunk of bare base64', async () => {
    const { provider, requests } = testProvider(() => jsonResponse(magistral))
    await provider.generate({
      model: 'voxtral-small-latest',
      messages: [
        {
          role: 'user',
          content: [{ type: 'file', data: new Uint8Array([1, 2, 3]), mediaType: 'audio/mpeg' }],
        },
      ],
    })
    expect(requests[0]!.body.messages[0].content).toEqual([{ type: 'input_audio', input_audio: 'AQID' }])
  })
})
