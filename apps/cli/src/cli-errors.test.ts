import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { lines, modelplex, type Run } from './test-helpers.js'

const dir = mkdtempSync(join(tmpdir(), 'modelplex-cli-'))
const file = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

/** A bad-input run: a non-zero exit, one `error …` line on stderr that says what to do, no stack. */
function expectOneLine(run: Run, code: number, ...fragments: string[]): string {
  expect(run.code).toBe(code)
  const errorLines = lines(run.stderr).filter((line) => line.startsWith('error'))
  expect(errorLines).toHaveLength(1)
  for (const fragment of fragments) expect(errorLines[0]).toContain(fragment)
  expect(run.stderr).not.toMatch(/\n\s+at /)
  return errorLines[0]!
}

describe.concurrent('bad input: one line that says what to do, a non-zero exit, no stack', () => {
  it('an unknown provider names the known ones', async () => {
    const run = await modelplex(['chat', '-p', 'nope', '--offline', 'hi'])
    expectOneLine(run, 2, 'Unknown provider "nope"', 'openai, anthropic', 'modelplex providers')
  })

  it('an unknown model is the vendor’s 404, with where to look', async () => {
    const run = await modelplex(['chat', '--offline', '-m', 'openai:gpt-9', 'hi'])
    expectOneLine(run, 1, 'OpenAI does not know the model "gpt-9" (404)', 'modelplex models -p openai')
    expect(run.stdout).toBe('')
  })

  it('a missing key names the variable and offers --offline', async () => {
    const run = await modelplex(['chat', '-p', 'openai', 'hi'])
    expectOneLine(run, 2, 'OpenAI needs an API key: set OPENAI_API_KEY', '--offline')
  })

  it('with no provider configured, lists the variables to set', async () => {
    const run = await modelplex(['chat', 'hi'])
    expectOneLine(
      run,
      2,
      'No provider is configured',
      'OPENAI_API_KEY',
      'ANTHROPIC_API_KEY',
      'GEMINI_API_KEY',
      '--offline',
    )
  })

  it('a schema file that is not JSON, before any provider is contacted', async () => {
    const run = await modelplex([
      'object',
      '--offline',
      '--schema',
      file('broken.json', '{"type": "object",'),
    ])
    expectOneLine(run, 2, 'broken.json is not valid JSON', 'fix it, e.g. {"type":"object"')
    expect(run.stderr).not.toContain('simulated')
  })

  it('a schema file that does not exist', async () => {
    const run = await modelplex(['object', '--offline', '--schema', join(dir, 'absent.json')])
    expectOneLine(run, 2, 'absent.json (no such file)', '--schema')
  })

  it('a schema that JSON Schema does not allow', async () => {
    const path = file('typo.json', '{"type":"object","properties":{"city":{"type":"strng"}}}')
    expectOneLine(
      await modelplex(['object', '--offline', '--schema', path]),
      2,
      'not a usable JSON Schema',
      'strng',
    )
    const empty = await modelplex(['object', '--offline', '--schema', file('empty.json', '{}')])
    expectOneLine(empty, 2, 'describes nothing')
  })

  it('-p and -m naming different providers', async () => {
    const run = await modelplex([
      'chat',
      '--offline',
      '-p',
      'openai',
      '-m',
      'anthropic:claude-sonnet-5-5',
      'hi',
    ])
    expectOneLine(run, 2, 'name different providers')
  })

  it('a capability the provider lacks points at the table', async () => {
    const run = await modelplex(['models', '--offline', '-p', 'bedrock'])
    expectOneLine(run, 2, 'Amazon Bedrock cannot list its models', 'modelplex providers')
  })

  it('an out-of-range flag is refused by the parser', async () => {
    const run = await modelplex(['chat', '--offline', '-p', 'openai', '--temperature', 'hot', 'hi'])
    expect(run.code).not.toBe(0)
    expect(run.stderr).toContain('--temperature must be a number from 0 to 2, got "hot"')
  })

  it('prints the stack only with --debug', async () => {
    const run = await modelplex(['chat', '-p', 'openai', '--debug', 'hi'])
    expect(run.code).toBe(2)
    expect(lines(run.stderr)[0]).toContain('OpenAI needs an API key')
    expect(run.stderr).toContain('ConfigError: OpenAI: no API key')
    expect(run.stderr).toMatch(/\n\s+at /)
  })
})
