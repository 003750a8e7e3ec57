// Bundle size: each entry bundled by esbuild (minified, ESM, zod and Node built-ins left
// external, as the size-limit budget does), then gzipped.
import { builtinModules } from 'node:module'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))
const external = ['zod', 'zod/*', ...builtinModules, ...builtinModules.map((name) => `node:${name}`)]

/** What each size row bundles: a module that imports everything the package exports. */
export const SIZE_TARGETS = [
  {
    id: 'core-first-call',
    label: '@modelplex/core: what import and a valid first call load',
    source: "export * from '@modelplex/core'",
    // The zod request schemas, loaded only when a value fails core's fast checks (an invalid request).
    externalExtra: ['./schemas-*.js'],
  },
  {
    id: 'core',
    label: '@modelplex/core: everything, with the error-path zod schemas chunk',
    source: "export * from '@modelplex/core'",
  },
  {
    id: 'modelplex-openai',
    label: 'core + provider-openai (SDK excluded)',
    source: "export * from '@modelplex/core'\nexport * from '@modelplex/provider-openai'",
    externalExtra: ['openai', 'openai/*'],
  },
  { id: 'openai-sdk', label: 'openai SDK', source: "export * from 'openai'" },
  {
    id: 'vercel-openai',
    label: 'ai + @ai-sdk/openai',
    source: "export * from 'ai'\nexport * from '@ai-sdk/openai'",
  },
  {
    id: 'langchain-openai',
    label: '@langchain/openai (+ core, openai SDK)',
    source: "export * from '@langchain/openai'",
  },
]

export async function measureSize(target) {
  const result = await build({
    stdin: { contents: target.source, resolveDir: here, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'silent',
    external: [...external, ...(target.externalExtra ?? [])],
  })
  const bytes = result.outputFiles[0].contents
  return { minBytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length }
}
