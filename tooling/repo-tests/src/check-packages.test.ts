import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkPackage, publishedPackages } from '../bin/check-packages.mjs'
import { repoRoot } from './temp-repo.js'

// `pnpm check:packages` itself runs in `pnpm test` after the build; here, the checker is shown
// to pass a well-formed dual package and to catch a broken one.
let work: string

function writePackage(name: string, exports: Record<string, unknown>, files: Record<string, string>): string {
  const dir = join(work, name)
  mkdirSync(join(dir, 'dist'), { recursive: true })
  const pkg = { name, version: '1.0.0', license: 'MIT', type: 'module', files: ['dist'], exports }
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2))
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text)
  return dir
}

const dual = {
  'dist/index.js': 'export const a = 1\n',
  'dist/index.cjs': 'exports.a = 1\n',
  'dist/index.d.ts': 'export declare const a: number\n',
  'dist/index.d.cts': 'export declare const a: number\n',
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'modelplex-check-packages-'))
})

afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('check-packages', () => {
  it('lists every published package under packages/* and apps/*, never private ones', () => {
    const names = publishedPackages(repoRoot).map((pkg) => pkg.name)
    expect(names).toEqual(expect.arrayContaining(['@modelplex/core', '@modelplex/provider-openai']))
    expect(names).not.toContain('@modelplex/repo-tests')
    expect(names).not.toContain('modelplex-provider-mine')
  })

  it('passes a dual ESM/CJS package with types first for each condition', async () => {
    const dir = writePackage(
      'good-pkg',
      {
        '.': {
          import: { types: './dist/index.d.ts', default: './dist/index.js' },
          require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
        },
        './package.json': './package.json',
      },
      dual,
    )
    expect(await checkPackage({ name: 'good-pkg', dir })).toEqual([])
  })

  it('reports publint problems: the types condition last', async () => {
    const dir = writePackage(
      'types-last',
      { '.': { import: './dist/index.js', require: './dist/index.cjs', types: './dist/index.d.ts' } },
      dual,
    )
    const problems = (await checkPackage({ name: 'types-last', dir })).join('\n')
    expect(problems).toMatch(/^publint error: .*types/m)
  })

  it('reports attw problems: ESM declarations serving the CJS entry', async () => {
    const dir = writePackage(
      'masquerading',
      { '.': { types: './dist/index.d.ts', import: './dist/index.js', require: './dist/index.cjs' } },
      dual,
    )
    const problems = (await checkPackage({ name: 'masquerading', dir })).join('\n')
    expect(problems).not.toMatch(/^publint/m)
    expect(problems).toMatch(/^attw: /m)
    expect(problems).toMatch(/Masquerading as ESM/i)
  })

  it('reports a package that ships no type declarations at all', async () => {
    const dir = writePackage(
      'untyped',
      { '.': { import: './dist/index.js', require: './dist/index.cjs' } },
      { 'dist/index.js': dual['dist/index.js'], 'dist/index.cjs': dual['dist/index.cjs'] },
    )
    expect(await checkPackage({ name: 'untyped', dir })).toContain(
      'attw: the packed package contains no type declarations',
    )
  })

  it('needs no declarations from a bin-only CLI', async () => {
    const dir = writePackage(
      'some-cli',
      { './package.json': './package.json' },
      { 'dist/bin.js': '#!/usr/bin/env node\n' },
    )
    const manifest = join(dir, 'package.json')
    writeFileSync(
      manifest,
      JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), bin: './dist/bin.js' }),
    )
    expect(await checkPackage({ name: 'some-cli', dir })).toEqual([])
  })

  it('asks for a build when dist/ is missing', async () => {
    const dir = join(work, 'unbuilt')
    mkdirSync(dir)
    writeFileSync(join(dir, 'package.json'), '{ "name": "unbuilt", "version": "1.0.0" }')
    expect(await checkPackage({ name: 'unbuilt', dir })).toEqual([
      'unbuilt: no dist/ folder; run `pnpm build` first',
    ])
  })
})
