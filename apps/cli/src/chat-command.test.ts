import { describe, expect, it } from 'vitest'
import { lines, modelplex } from './test-helpers.js'

const stats = /^openai:gpt-4o-mini · \d+ in · \d+ out tokens · \$0\.\d+ · [\d.]+ m?s · simulated$/

describe.concurrent('modelplex chat (offline, the built binary)', () => {
  it('streams a one-shot reply to stdout, and usage, cost and latency to stderr', async () => {
    const run = await modelplex(['chat', '-p', 'openai', '--offline', 'hi'], {
      env: { MODELPLEX_OFFLINE_PACE_MS: '20' },
    })
    expect(run.code).toBe(0)
    expect(run.stdout).toBe(
      'Hello from the OpenAI wire kit! This reply is simulated — no key, no network. You said "hi".\n',
    )
    // Streamed: the text reached stdout in many writes, not one.
    expect(run.chunks.length).toBeGreaterThan(8)
    const err = lines(run.stderr)
    expect(err[0]).toMatch(
      /offline.*replies are simulated by the OpenAI wire kit on http:\/\/127\.0\.0\.1:\d+/,
    )
    expect(err[1]).toMatch(stats)
  })

  it('prints the whole reply at once with --no-stream', async () => {
    const run = await modelplex(['chat', '-p', 'openai', '--offline', '--no-stream', 'hi'], {
      env: { MODELPLEX_OFFLINE_PACE_MS: '20' },
    })
    expect(run.code).toBe(0)
    expect(run.chunks).toHaveLength(1)
    expect(run.stdout).toContain('You said "hi".')
    expect(lines(run.stderr)[1]).toMatch(stats)
  })

  it('prints machine output with --json: text, usage, cost, latency, and that it is simulated', async () => {
    const run = await modelplex([
      'chat',
      '--offline',
      '--json',
      '-m',
      'anthropic:claude-sonnet-5-5',
      'hello there',
    ])
    expect(run.code).toBe(0)
    const out = JSON.parse(run.stdout)
    expect(out).toMatchObject({
      provider: 'anthropic',
      model: 'claude-sonnet-5-5',
      finishReason: 'stop',
      simulated: true,
      cost: { currency: 'USD' },
    })
    expect(out.text).toContain('You said "hello there"')
    expect(out.usage.outputTokens).toBe(out.text.split(' ').length)
    expect(out.cost.total).toBeGreaterThan(0)
    expect(out.latencyMs).toBeGreaterThanOrEqual(0)
  })

  it('sends --system and honours --max-tokens (finish: length)', async () => {
    const system = await modelplex(['chat', '-p', 'google', '--offline', '--system', 'Be terse.', 'hi'])
    expect(system.stdout).toContain('System prompt: "Be terse."')
    const short = await modelplex([
      'chat',
      '-p',
      'google',
      '--offline',
      '--max-tokens',
      '3',
      '-t',
      '0.2',
      'hi',
    ])
    expect(short.code).toBe(0)
    expect(short.stdout).toBe('Hello from the\n')
    expect(short.stderr).toContain('finish: length')
  })

  it('goes offline with MODELPLEX_OFFLINE=1 and no flag', async () => {
    const run = await modelplex(['chat', '-p', 'ollama', 'hi'], { env: { MODELPLEX_OFFLINE: '1' } })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('Hello from the Ollama wire kit!')
  })

  it('holds a multi-turn session on stdin: the history reaches the model, /exit ends it', async () => {
    const run = await modelplex(['chat', '-p', 'openai', '--offline'], {
      input: 'hello\n\nand again\n/exit\nnever sent\n',
    })
    expect(run.code).toBe(0)
    const replies = lines(run.stdout)
    expect(replies).toHaveLength(2)
    expect(replies[0]).toContain('You said "hello".')
    expect(replies[1]).toContain('You said "and again", turn 2 of this conversation.')
    expect(run.stdout).not.toContain('never sent')
    expect(lines(run.stderr).filter((line) => stats.test(line))).toHaveLength(2)
  })

  it('forgets the conversation on /reset', async () => {
    const run = await modelplex(['chat', '-p', 'openai', '--offline'], { input: 'one\ntwo\n/reset\nthree\n' })
    const replies = lines(run.stdout)
    expect(replies[1]).toContain('turn 2')
    expect(replies[2]).toContain('You said "three".')
    expect(replies[2]).not.toContain('turn')
  })

  it('on Ctrl-C mid-stream aborts the request, keeps what arrived and exits 130', async () => {
    let sent = false
    const run = await modelplex(['chat', '-p', 'openai', '--offline', 'tell me a story'], {
      env: { MODELPLEX_OFFLINE_PACE_MS: '150' },
      onStdout: (_chunk, child) => {
        if (sent) return
        sent = true
        child.kill('SIGINT')
      },
    })
    expect(run.code).toBe(130)
    const partial = run.stdout.trim()
    expect(partial.length).toBeGreaterThan(0)
    expect('Hello from the OpenAI wire kit! This reply is simulated').toContain(partial.slice(0, 20))
    expect(run.stdout).not.toContain('You said')
    expect(run.stderr).toContain('interrupted: the request was aborted')
    expect(run.stderr).not.toMatch(/tokens ·/)
  })
})
