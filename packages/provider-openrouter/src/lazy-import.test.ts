import { resolve } from 'node:path'
import { testLazySdkImport } from '@modelplex/conformance'

// Importing the package loads no SDK; the first call does (a lazy peer).
testLazySdkImport({
  packageDir: resolve(import.meta.dirname, '..'),
  factory: 'createOpenRouter',
  settings: { apiKey: 'sk-or-v1-lazy-import-test', baseURL: 'http://localhost:1/v1' },
  sdk: ['openai'],
  external: ['@modelplex/core', '@modelplex/provider-openai-compatible', 'openai'],
})
