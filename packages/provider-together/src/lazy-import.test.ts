import { resolve } from 'node:path'
import { testLazySdkImport } from '@modelplex/conformance'

// Importing the package loads no SDK; the first call does (a lazy peer).
testLazySdkImport({
  packageDir: resolve(import.meta.dirname, '..'),
  factory: 'createTogether',
  settings: { apiKey: 'tgp_v1_lazy_import_test', baseURL: 'http://localhost:1/v1' },
  sdk: ['together-ai'],
  never: ['openai'],
  external: ['@modelplex/core', 'together-ai', 'openai'],
  bundle: ['@modelplex/provider-openai-compatible'],
})
