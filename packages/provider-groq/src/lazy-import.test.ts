import { resolve } from 'node:path'
import { testLazySdkImport } from '@modelplex/conformance'

// Importing the package loads no SDK; the first call does (a lazy peer).
testLazySdkImport({
  packageDir: resolve(import.meta.dirname, '..'),
  factory: 'createGroq',
  settings: { apiKey: 'gsk_lazy_import_test', baseURL: 'http://localhost:1' },
  sdk: ['groq-sdk'],
  never: ['openai'],
  external: ['@modelplex/core', 'groq-sdk', 'openai'],
  bundle: ['@modelplex/provider-openai-compatible'],
})
