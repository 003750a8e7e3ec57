import { resolve } from 'node:path'
import { testLazySdkImport } from '@modelplex/conformance'

// Importing the package loads no SDK; the first call does (a lazy peer).
testLazySdkImport({
  packageDir: resolve(import.meta.dirname, '..'),
  factory: 'createAnthropic',
  settings: { apiKey: 'sk-ant-lazy-import-test', baseURL: 'http://localhost:1' },
  sdk: ['@anthropic-ai/sdk'],
  external: ['@modelplex/core', '@anthropic-ai/sdk'],
})
