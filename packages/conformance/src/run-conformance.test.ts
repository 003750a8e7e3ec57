import { readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { scenarios } from './conformance-scenarios.js'
import { createFixtureKit } from './fixture-kit.js'
import { createFixtureSpec } from './fixture-provider.js'
import { type ConformanceResults, runConformance } from './run-conformance.js'

const full = join(tmpdir(), `modelplex-conformance-full-${process.pid}.json`)
const narrow = join(tmpdir(), `modelplex-conformance-narrow-${process.pid}.json`)

describe('a provider claiming everything', () => {
  runConformance({
    spec: createFixtureSpec(),
    kit: createFixtureKit(),
    resultsFile: full,
    skip: { 'generate.usage-cached': 'checks that skip is recorded' },
  })
})

describe('a provider claiming nothing optional', () => {
  runConformance({
    spec: createFixtureSpec({
      capabilities: {
        stream: false,
        tools: false,
        structuredOutput: false,
        embeddings: false,
        vision: false,
        listModels: false,
      },
      pricing: { source: 'local', readAt: '2025-01-01', free: true, models: {} },
    }),
    kit: createFixtureKit(),
    name: 'Fixture, text only',
    resultsFile: narrow,
  })
})

// Runs after both suites' afterAll hooks wrote their files.
afterAll(() => {
  const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as ConformanceResults
  const all = read(full)
  const textOnly = read(narrow)
  rmSync(full)
  rmSync(narrow)

  expect(all.provider).toBe('fixture')
  expect(all.name).toBe('Fixture (OpenAI-shaped)')
  expect(all.scenarios['generate.usage-cached']).toBe('skipped')
  const others = Object.entries(all.scenarios).filter(([id]) => id !== 'generate.usage-cached')
  // The fixture claims neither reasoning, files nor cache control: those scenarios are unsupported.
  const unclaimed = new Set([
    'reasoning.round-trip',
    'reasoning.stream',
    'files.pdf',
    'files.audio',
    'cache.breakpoints',
    'agents.reasoning',
  ])
  for (const [id, status] of others) expect(status, id).toBe(unclaimed.has(id) ? 'unsupported' : 'pass')
  expect(Object.keys(all.scenarios)).toHaveLength(scenarios.length + 1)

  expect(textOnly.name).toBe('Fixture, text only')
  for (const id of ['stream', 'tools', 'structured', 'embeddings', 'vision', 'models'].map(
    (g) => `${g}.unsupported`,
  )) {
    expect(textOnly.scenarios[id], id).toBe('unsupported')
  }
  expect(textOnly.scenarios['stream.text']).toBe('unsupported')
  expect(textOnly.scenarios['generate.finish-tool-calls']).toBe('unsupported')
  expect(textOnly.scenarios['errors.stream-cut']).toBe('unsupported')
  expect(textOnly.scenarios['generate.text']).toBe('pass')
  expect(textOnly.scenarios['errors.timeout']).toBe('pass')
  expect(textOnly.scenarios['config.api-key-redacted']).toBe('pass')
})

describe('options', () => {
  it('rejects an unknown scenario id in skip', () => {
    expect(() =>
      runConformance({
        spec: createFixtureSpec(),
        kit: createFixtureKit(),
        skip: { 'generate.txt': 'typo' },
        resultsFile: false,
      }),
    ).toThrow('unknown scenario ids in skip: generate.txt')
  })
})
