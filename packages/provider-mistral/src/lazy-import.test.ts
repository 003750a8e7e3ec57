import { resolve } from 'node:path'
import { testLazySdkImport } from '@modelplex/conformance'

// Importing the package loads no SDK; the first call does (a lazy peer).
testLazySdkImport({
  packageDir: resolve(import.meta.dirname, '..'),
  factory: 'createMistral',
  settings: { apiKey: 'mistral-lazy-import-test', baseURL: 'http://localhost:1' },
  sdk: ['@mistralai/mistralai'],
  external: ['@modelplex/core', '@mistralai/mistralai'],
})
