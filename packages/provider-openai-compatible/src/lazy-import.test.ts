import { resolve } from 'node:path'
import { testLazySdkImport } from '@modelplex/conformance'

// Importing the package loads no SDK; the first call does (a lazy peer).
testLazySdkImport({
  packageDir: resolve(import.meta.dirname, '..'),
  factory: 'createOpenAICompatible',
  settings: { baseURL: 'http://localhost:1/v1' },
  sdk: ['openai'],
  external: ['@modelplex/core', 'openai'],
})
